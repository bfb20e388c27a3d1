/* The capabilities documents: the host's and hypervisor's, and what one kind
 * of domain can use. */
#include "client/api-error.h"
#include "client/objects.h"

char *
virConnectGetCapabilities(virConnectPtr conn)
{
    remote_connect_get_capabilities_ret ret = { 0 };
    char *caps;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_CAPABILITIES, NULL, NULL,
                       (xdrproc_t) xdr_remote_connect_get_capabilities_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    caps = g_strdup(ret.capabilities);
    xdr_free((xdrproc_t) xdr_remote_connect_get_capabilities_ret, (char *) &ret);
    return caps;
}

char *
virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                const char *arch, const char *machine,
                                const char *virttype, unsigned int flags)
{
    remote_connect_get_domain_capabilities_args args = { .flags = flags };
    remote_connect_get_domain_capabilities_ret ret = { 0 };
    char *e = (char *) emulatorbin, *a = (char *) arch, *m = (char *) machine,
         *v = (char *) virttype;
    char *caps;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    /* optional strings: a pointer to the value, or NULL for "not given" */
    args.emulatorbin = emulatorbin ? &e : NULL;
    args.arch = arch ? &a : NULL;
    args.machine = machine ? &m : NULL;
    args.virttype = virttype ? &v : NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES,
                       (xdrproc_t) xdr_remote_connect_get_domain_capabilities_args, &args,
                       (xdrproc_t) xdr_remote_connect_get_domain_capabilities_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    caps = g_strdup(ret.capabilities);
    xdr_free((xdrproc_t) xdr_remote_connect_get_domain_capabilities_ret, (char *) &ret);
    return caps;
}
