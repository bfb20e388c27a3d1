/* The QEMU program: libvirt-qemu's calls, which reach past libvirt into the
 * guest's QEMU (virsh qemu-monitor-command).  libvirt supports them for
 * debugging and calls the guest "tainted" afterwards; so do we (taint.h). */
#include "drivers/qemu/handlers/qemu-program.h"
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/taint.h"
#include "drivers/qemu/monitor/qmp.h"
#include "qemu-procs.h"
#include "qemu-protocol.h"

/* virDomainQemuMonitorCommandFlags */
#define MONITOR_COMMAND_HMP (1 << 0)

/* CMD on OBJ's monitor (locked, job held; the lock is dropped while QEMU
 * answers): QEMU's whole JSON reply, or for HMP the text the human
 * monitor printed. */
static char *
run_monitor_command(VkDomainObj *obj, const char *cmd, bool hmp)
{
    g_autoptr(VkJson) args = NULL;
    g_autoptr(VkJson) reply = NULL;
    char *result = NULL;
    VkQmp *mon = vk_qemu_process_monitor(obj);

    if (!mon)
        return NULL;
    g_info("%s: custom monitor command '%s'", obj->def->name, cmd);
    if (vk_qemu_taint(obj, VK_TAINT_CUSTOM_MONITOR) && vk_qemu_process_save_status(obj) < 0)
        vk_error_reset();   /* noted in the log; the command goes on */
    if (hmp) {
        args = vk_json_new_object();
        vk_json_object_set_string(args, "command-line", cmd);
        if (vk_qemu_process_monitor_query(obj, "human-monitor-command", args, &reply) < 0)
            return NULL;
        return g_strdup(vk_json_get_string(reply) ?: "");
    }
    vk_domain_obj_unlock(obj);
    int rc = vk_qmp_execute_text(mon, cmd, &result);
    vk_domain_obj_lock(obj);
    return rc == 0 ? result : NULL;
}

static int
domain_monitor_command(VkServerClient *client, void *argsp, void *retp)
{
    qemu_domain_monitor_command_args *args = argsp;
    qemu_domain_monitor_command_ret *ret = retp;
    VkDomainObj *obj;
    g_autofree char *result = NULL;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, MONITOR_COMMAND_HMP,
                       "qemuDomainQemuMonitorCommand") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(result = run_monitor_command(obj, args->cmd, args->flags & MONITOR_COMMAND_HMP)))
        return vk_qemu_domain_end(obj, -1);
    ret->result = strdup(result);   /* XDR frees it with free() */
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { QEMU_PROC_DOMAIN_MONITOR_COMMAND, domain_monitor_command },
};

VkRpcProgram *
vk_qemu_program_new(void)
{
    VkRpcProgram *program = vk_rpc_program_new(QEMU_PROGRAM, QEMU_PROTOCOL_VERSION,
                                               vk_qemu_proc_lookup);

    vk_rpc_program_add_handlers(program, handlers, G_N_ELEMENTS(handlers));
    vk_qemu_agent_qemu_handlers_register(program);
    return program;
}
