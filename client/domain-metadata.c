/* A domain's metadata: its title, description, or an element of a
 * namespace (Virtkit's own: what the user gave of the PCI topology). */
#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

char *
virDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags)
{
    remote_domain_get_metadata_args args = { .type = type, .flags = flags };
    remote_domain_get_metadata_ret ret = { 0 };
    char *wire_uri = (char *) uri;
    char *metadata;

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return NULL;
    vk_client_domain_to_wire(domain, &args.dom);
    args.uri = uri ? &wire_uri : NULL;
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_METADATA,
                              (xdrproc_t) xdr_remote_domain_get_metadata_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_metadata_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    metadata = g_strdup(ret.metadata);
    xdr_free((xdrproc_t) xdr_remote_domain_get_metadata_ret, (char *) &ret);
    return metadata;
}
