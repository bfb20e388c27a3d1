/* Domain handles and the domain calls. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

virDomainPtr
vk_client_domain_new(virConnectPtr conn, const remote_nonnull_domain *dom)
{
    virDomainPtr domain = g_new0(virDomain, 1);

    vk_client_handle_init(&domain->h, conn, dom->name, dom->uuid);
    domain->id = dom->id;
    return domain;
}

void
vk_client_domain_to_wire(virDomainPtr domain, remote_nonnull_domain *out)
{
    out->name = domain->h.name;
    memcpy(out->uuid, domain->h.uuid, VIR_UUID_BUFLEN);
    out->id = g_atomic_int_get(&domain->id);
}

void
vk_client_domain_set_id(virDomainPtr domain, int id)
{
    g_atomic_int_set(&domain->id, id);
}

int
vk_client_domain_call(virDomainPtr domain, int proc, xdrproc_t args_filter, void *args,
                      xdrproc_t ret_filter, void *ret)
{
    return vk_client_call(domain->h.conn, proc, args_filter, args, ret_filter, ret);
}

int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    remote_connect_list_all_domains_args args = { .need_results = domains != NULL,
                                                  .flags = flags };
    remote_connect_list_all_domains_ret ret = { 0 };
    int count;

    vk_client_enter();
    if (domains)
        *domains = NULL;
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
                       (xdrproc_t) xdr_remote_connect_list_all_domains_args, &args,
                       (xdrproc_t) xdr_remote_connect_list_all_domains_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    if (domains) {
        virDomainPtr *list = g_new0(virDomainPtr, ret.domains.domains_len + 1);
        for (u_int i = 0; i < ret.domains.domains_len; i++)
            list[i] = vk_client_domain_new(conn, &ret.domains.domains_val[i]);
        *domains = list;
        count = ret.domains.domains_len;
    } else {
        count = ret.ret;
    }
    xdr_free((xdrproc_t) xdr_remote_connect_list_all_domains_ret, (char *) &ret);
    return count;
}

const char *
virDomainGetName(virDomainPtr domain)
{
    return vk_client_handle_get_name(domain, VK_CLIENT_DOMAIN, __func__);
}

unsigned int
virDomainGetID(virDomainPtr domain)
{
    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return (unsigned int) -1;
    return (unsigned int) g_atomic_int_get(&domain->id);
}

int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    return vk_client_handle_get_uuid(domain, VK_CLIENT_DOMAIN, uuid, __func__);
}

int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    return vk_client_handle_get_uuid_string(domain, VK_CLIENT_DOMAIN, buf, __func__);
}

int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    remote_domain_get_state_args args = { .flags = flags };
    remote_domain_get_state_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(state, "state", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_call(domain->h.conn, REMOTE_PROC_DOMAIN_GET_STATE,
                       (xdrproc_t) xdr_remote_domain_get_state_args, &args,
                       (xdrproc_t) xdr_remote_domain_get_state_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}

virConnectPtr
virDomainGetConnect(virDomainPtr domain)
{
    return vk_client_handle_get_connect(domain, VK_CLIENT_DOMAIN, __func__);
}

int
virDomainRef(virDomainPtr domain)
{
    return vk_client_handle_ref(domain, VK_CLIENT_DOMAIN, __func__);
}

int
virDomainFree(virDomainPtr domain)
{
    return vk_client_handle_free(domain, VK_CLIENT_DOMAIN, __func__, g_free);
}
