/* The balloon's statistics period (virsh dommemstat --period N with --live,
 * --config or --current): QEMU is told for the running guest, the
 * definitions keep it as <memballoon><stats period='N'/>. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/util/error.h"
#include "drivers/qemu/core/balloon-period.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* DEF has a balloon to set the period of, else libvirt's refusal. */
static int
require_balloon(const VkDomainDef *def)
{
    if (vk_domain_def_has_balloon(def))
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                    "No memory balloon device configured, can not set the collection period");
    return -1;
}

static int
set_live_period(VkDomainObj *obj, int period)
{
    if (require_balloon(obj->def) < 0)
        return -1;
    if (vk_qemu_balloon_set_period(obj, period) < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "unable to set balloon driver collection period");
        return -1;
    }
    obj->def->memballoon->stats_period = (unsigned int) period;
    return 0;
}

static int
domain_set_memory_stats_period(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_memory_stats_period_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->dom);
    VkDomainChange ch;
    int rc = -1;

    if (!obj)
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetMemoryStatsPeriod") < 0)
        goto out;
    if (args->period < 0) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                        "period in virDomainSetMemoryStatsPeriod must not be negative");
        goto out;
    }
    if (ch.live && set_live_period(obj, args->period) < 0)
        goto out;
    if (ch.config) {
        if (require_balloon(ch.config) < 0)
            goto out;
        ch.config->memballoon->stats_period = (unsigned int) args->period;
    }
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SET_MEMORY_STATS_PERIOD, domain_set_memory_stats_period },
};

void
vk_qemu_balloon_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
