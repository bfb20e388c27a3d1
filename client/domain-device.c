/* Adding devices to a domain and taking them away (live, in the config, or
 * both, as the flags say). */
#include "client/api-error.h"
#include "client/objects.h"

int
virDomainAttachDevice(virDomainPtr domain, const char *xml)
{
    remote_domain_attach_device_args args = { .xml = (char *) xml };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_ATTACH_DEVICE,
                              (xdrproc_t) xdr_remote_domain_attach_device_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

int
virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    remote_domain_attach_device_flags_args args = { .xml = (char *) xml, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_ATTACH_DEVICE_FLAGS,
                              (xdrproc_t) xdr_remote_domain_attach_device_flags_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

int
virDomainDetachDevice(virDomainPtr domain, const char *xml)
{
    remote_domain_detach_device_args args = { .xml = (char *) xml };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_DETACH_DEVICE,
                              (xdrproc_t) xdr_remote_domain_detach_device_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

int
virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    remote_domain_detach_device_flags_args args = { .xml = (char *) xml, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_DETACH_DEVICE_FLAGS,
                              (xdrproc_t) xdr_remote_domain_detach_device_flags_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}
