/* Jobs as clients ask about them (virsh domjobinfo, domjobabort).  Our
 * long operations (save, restore, media changes) run inside the call that
 * asked for them, so no job is ever left for a client to watch or abort:
 * the answers are libvirt's for a domain without one. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* REF's domain exists and, unless COMPLETED asks for the last finished job
 * (which libvirt keeps after the guest stops), runs. */
static int
check_domain(const remote_nonnull_domain *ref, bool completed)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    bool active;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    active = vk_domain_obj_is_active(obj);
    vk_domain_obj_unlock(obj);
    return active || completed ? 0 : vk_qemu_not_running();
}

static int
domain_get_job_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_job_info_args *args = argsp;

    ((remote_domain_get_job_info_ret *) retp)->type = VIR_DOMAIN_JOB_NONE;
    return check_domain(&args->dom, false);
}

static int
domain_get_job_stats(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_job_stats_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags,
                       VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED,
                       "qemuDomainGetJobStats") < 0)
        return -1;
    ((remote_domain_get_job_stats_ret *) retp)->type = VIR_DOMAIN_JOB_NONE;
    return check_domain(&args->dom, args->flags & VIR_DOMAIN_JOB_STATS_COMPLETED);
}

static int
domain_abort_job(VkServerClient *client, void *argsp, void *retp)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&((remote_domain_abort_job_args *) argsp)->dom);

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    if (!vk_domain_obj_is_active(obj))
        vk_qemu_not_running();
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "no job is active on the domain");
    vk_domain_obj_unlock(obj);
    return -1;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_JOB_INFO, domain_get_job_info },
    { REMOTE_PROC_DOMAIN_GET_JOB_STATS, domain_get_job_stats },
    { REMOTE_PROC_DOMAIN_ABORT_JOB, domain_abort_job },
};

void
vk_qemu_job_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
