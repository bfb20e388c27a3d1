/* Starting, stopping, pausing and rebooting domains.  The handle keeps the
 * domain's id current, as libvirt's remote driver does: a start gives it the
 * new id, a destroy sets it back to -1. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

/* REMOTE_PROC_DOMAIN_CREATE answers nothing: ask for the id the domain got. */
static void
refresh_id(virDomainPtr domain)
{
    remote_domain_lookup_by_uuid_args args = { 0 };
    remote_domain_lookup_by_uuid_ret ret = { 0 };

    memcpy(args.uuid, domain->h.uuid, VIR_UUID_BUFLEN);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                              (xdrproc_t) xdr_remote_domain_lookup_by_uuid_args, &args,
                              (xdrproc_t) xdr_remote_domain_lookup_by_uuid_ret, &ret) < 0) {
        /* the start worked; only the cached id is stale */
        vk_error_reset();
        return;
    }
    vk_client_domain_set_id(domain, ret.dom.id);
    xdr_free((xdrproc_t) xdr_remote_domain_lookup_by_uuid_ret, (char *) &ret);
}

/* A call that sends the domain (in ARGS, at DOM) and gets nothing back. */
static int
domain_void_call(virDomainPtr domain, const char *api, int proc, xdrproc_t args_filter,
                 void *args, remote_nonnull_domain *dom)
{
    vk_client_enter();
    if (!vk_client_check_domain(domain, api))
        return -1;
    vk_client_domain_to_wire(domain, dom);
    if (vk_client_domain_call(domain, proc, args_filter, args, NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

int
virDomainCreate(virDomainPtr domain)
{
    remote_domain_create_args args = { 0 };

    if (domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_CREATE,
                         (xdrproc_t) xdr_remote_domain_create_args, &args, &args.dom) < 0)
        return -1;
    refresh_id(domain);
    return 0;
}

int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_create_with_flags_args args = { .flags = flags };
    remote_domain_create_with_flags_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS,
                              (xdrproc_t) xdr_remote_domain_create_with_flags_args, &args,
                              (xdrproc_t) xdr_remote_domain_create_with_flags_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    vk_client_domain_set_id(domain, ret.dom.id);
    xdr_free((xdrproc_t) xdr_remote_domain_create_with_flags_ret, (char *) &ret);
    return 0;
}

int
virDomainDestroy(virDomainPtr domain)
{
    remote_domain_destroy_args args = { 0 };

    if (domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_DESTROY,
                         (xdrproc_t) xdr_remote_domain_destroy_args, &args, &args.dom) < 0)
        return -1;
    vk_client_domain_set_id(domain, -1);
    return 0;
}

int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_destroy_flags_args args = { .flags = flags };

    if (domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_DESTROY_FLAGS,
                         (xdrproc_t) xdr_remote_domain_destroy_flags_args, &args, &args.dom) < 0)
        return -1;
    vk_client_domain_set_id(domain, -1);
    return 0;
}

int
virDomainShutdown(virDomainPtr domain)
{
    remote_domain_shutdown_args args = { 0 };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_SHUTDOWN,
                            (xdrproc_t) xdr_remote_domain_shutdown_args, &args, &args.dom);
}

int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_shutdown_flags_args args = { .flags = flags };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS,
                            (xdrproc_t) xdr_remote_domain_shutdown_flags_args, &args, &args.dom);
}

int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    remote_domain_reboot_args args = { .flags = flags };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_REBOOT,
                            (xdrproc_t) xdr_remote_domain_reboot_args, &args, &args.dom);
}

int
virDomainReset(virDomainPtr domain, unsigned int flags)
{
    remote_domain_reset_args args = { .flags = flags };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_RESET,
                            (xdrproc_t) xdr_remote_domain_reset_args, &args, &args.dom);
}

int
virDomainSuspend(virDomainPtr domain)
{
    remote_domain_suspend_args args = { 0 };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_SUSPEND,
                            (xdrproc_t) xdr_remote_domain_suspend_args, &args, &args.dom);
}

int
virDomainResume(virDomainPtr domain)
{
    remote_domain_resume_args args = { 0 };

    return domain_void_call(domain, __func__, REMOTE_PROC_DOMAIN_RESUME,
                            (xdrproc_t) xdr_remote_domain_resume_args, &args, &args.dom);
}
