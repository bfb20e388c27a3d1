/* What the QEMU guest agent does for the host (core/guest-agent.h):
 * virsh domtime, domfsfreeze / domfsthaw, domfsinfo, set-user-password,
 * dompmsuspend / dompmwakeup and qemu-agent-command.  Checks and errors in
 * libvirt's order: flags and arguments, the domain, running, the agent. */
#include "drivers/qemu/handlers/handlers.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/guest-agent.h"
#include "drivers/qemu/core/process.h"
#include "qemu-protocol.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* libvirt's agent commands wait for ever unless a client set a timeout
 * (virDomainAgentSetResponseTimeout); the guest-sync before each is
 * bounded all the same. */
#define AGENT_TIMEOUT VK_AGENT_TIMEOUT_BLOCK

#define DOMAIN_TIME_SYNC (1 << 0)           /* VIR_DOMAIN_TIME_SYNC */
#define PASSWORD_ENCRYPTED (1 << 0)         /* VIR_DOMAIN_PASSWORD_ENCRYPTED */
enum { SUSPEND_MEM, SUSPEND_DISK, SUSPEND_HYBRID };   /* VIR_NODE_SUSPEND_TARGET_* */

static int
malformed(void)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s", "malformed return value");
    return -1;
}

static int
domain_get_time(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_time_args *args = argsp;
    remote_domain_get_time_ret *ret = retp;
    g_autoptr(VkJson) ns = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetTime") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-time", NULL, AGENT_TIMEOUT, &ns) < 0)
        return vk_qemu_domain_end(obj, -1);
    if (vk_json_type(ns) != VK_JSON_NUMBER)
        return vk_qemu_domain_end(obj, malformed());
    guint64 t = vk_json_get_uint64(ns, 0);
    ret->seconds = (int64_t) (t / 1000000000ULL);
    ret->nseconds = (unsigned int) (t % 1000000000ULL);
    return vk_qemu_domain_end(obj, 0);
}

/* guest-set-time with the time, or (SYNC) without: the guest reads its
 * RTC; then QEMU forgets the RTC ticks it owed the guest, as libvirt has it
 * do on x86. */
static int
domain_set_time(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_time_args *args = argsp;
    g_autoptr(VkJson) time_args = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, DOMAIN_TIME_SYNC, "qemuDomainSetTime") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    g_autoptr(VkAgent) agent = vk_qemu_agent_get(obj);
    if (!agent)
        return vk_qemu_domain_end(obj, -1);
    if (!(args->flags & DOMAIN_TIME_SYNC)) {
        if (args->seconds > LLONG_MAX / 1000000000LL) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                            "Time '%lld' is too big for guest agent", (long long) args->seconds);
            return vk_qemu_domain_end(obj, -1);
        }
        time_args = vk_json_new_object();
        vk_json_object_set_int(time_args, "time",
                               args->seconds * 1000000000LL + args->nseconds);
    }
    if (vk_qemu_agent_call(obj, "guest-set-time", time_args, AGENT_TIMEOUT, NULL) < 0 ||
        vk_qemu_process_monitor_command(obj, "rtc-reset-reinjection", NULL) < 0)
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, 0);
}

/* The agent's count from a freeze or thaw command. */
static int
freeze_command(VkDomainObj *obj, const char *command, char **mountpoints, u_int n, int *count)
{
    g_autoptr(VkJson) args = NULL;
    g_autoptr(VkJson) ret = NULL;

    if (n > 0) {
        VkJson *list = vk_json_new_array();
        for (u_int i = 0; i < n; i++)
            vk_json_array_append_string(list, mountpoints[i]);
        args = vk_json_new_object();
        vk_json_object_set(args, "mountpoints", list);
    }
    if (vk_qemu_agent_call(obj, command, args, AGENT_TIMEOUT, &ret) < 0)
        return -1;
    if (vk_json_type(ret) != VK_JSON_NUMBER)
        return malformed();
    *count = (int) vk_json_get_int(ret, 0);
    return 0;
}

static int
domain_fsfreeze(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_fsfreeze_args *args = argsp;
    remote_domain_fsfreeze_ret *ret = retp;
    u_int n = args->mountpoints.mountpoints_len;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainFSFreeze") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    return vk_qemu_domain_end(obj, freeze_command(obj, n ? "guest-fsfreeze-freeze-list"
                                                         : "guest-fsfreeze-freeze",
                                                  args->mountpoints.mountpoints_val, n,
                                                  &ret->filesystems));
}

static int
domain_fsthaw(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_fsthaw_args *args = argsp;
    remote_domain_fsthaw_ret *ret = retp;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainFSThaw") < 0)
        return -1;
    if (args->mountpoints.mountpoints_len > 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                        "specifying mountpoints is not supported");
        return -1;
    }
    if (!(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    return vk_qemu_domain_end(obj, freeze_command(obj, "guest-fsfreeze-thaw", NULL, 0,
                                                  &ret->filesystems));
}

static int
domain_set_user_password(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_user_password_args *args = argsp;
    g_autoptr(VkJson) pw = vk_json_new_object();
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, PASSWORD_ENCRYPTED,
                       "qemuDomainSetUserPassword") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    const char *password = args->password ? *args->password : "";
    g_autofree char *b64 = g_base64_encode((const guchar *) password, strlen(password));
    vk_json_object_set_bool(pw, "crypted", (args->flags & PASSWORD_ENCRYPTED) != 0);
    vk_json_object_set_string(pw, "username", args->user ? *args->user : "");
    vk_json_object_set_string(pw, "password", b64);
    return vk_qemu_domain_end(obj, vk_qemu_agent_call(obj, "guest-set-user-password", pw,
                                                      AGENT_TIMEOUT, NULL));
}

/* Whether QEMU can wake the guest from S3 (query-current-machine); a
 * failed query counts as yes. */
static bool
wakeup_supported(VkDomainObj *obj)
{
    g_autoptr(VkJson) machine = NULL;

    if (vk_qemu_process_monitor_query(obj, "query-current-machine", NULL, &machine) < 0) {
        vk_error_reset();
        return true;
    }
    return vk_json_object_get_bool(machine, "wakeup-suspend-support", TRUE);
}

/* What libvirt checks before asking the agent to suspend to TARGET. */
static int
check_suspend_target(VkDomainObj *obj, unsigned int target)
{
    const VkDomainDef *def = obj->def;

    if (def->pm_suspend_to_mem == VK_TRISTATE_OFF &&
        (target == SUSPEND_MEM || target == SUSPEND_HYBRID)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "S3 state is disabled for this domain");
        return -1;
    }
    if (def->pm_suspend_to_disk == VK_TRISTATE_OFF && target == SUSPEND_DISK) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "S4 state is disabled for this domain");
        return -1;
    }
    if (target != SUSPEND_DISK && !wakeup_supported(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "Domain does not have suspend support");
        return -1;
    }
    return 0;
}

static int
domain_pm_suspend_for_duration(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pm_suspend_for_duration_args *args = argsp;
    static const char *const commands[] = { "guest-suspend-ram", "guest-suspend-disk",
                                            "guest-suspend-hybrid" };
    g_autoptr(VkJson) cmd = vk_json_new_object();
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainPMSuspendForDuration") < 0)
        return -1;
    if (args->duration)
        return vk_invalid_arg(VIR_FROM_QEMU, "Duration not supported. Use 0 for now");
    if (args->target > SUSPEND_HYBRID)
        return vk_invalid_arg(VIR_FROM_QEMU, "Unknown suspend target: %u", args->target);
    if (!(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    g_autoptr(VkAgent) agent = vk_qemu_agent_get(obj);
    if (!agent || check_suspend_target(obj, args->target) < 0)
        return vk_qemu_domain_end(obj, -1);
    /* no reply: QEMU's SUSPEND (or the guest's death) ends the wait */
    vk_json_object_set_string(cmd, "execute", commands[args->target]);
    return vk_qemu_domain_end(obj, vk_qemu_agent_command(obj, cmd, AGENT_TIMEOUT,
                                                         VK_AGENT_AWAIT_SUSPEND, true, NULL));
}

static int
domain_pm_wakeup(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pm_wakeup_args *args = argsp;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainPMWakeup") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_process_monitor_command(obj, "system_wakeup", NULL));
}

/* virsh qemu-agent-command: the user's JSON as it is, the agent's whole
 * reply back (errors included as errors). */
static int
domain_agent_command(VkServerClient *client, void *argsp, void *retp)
{
    qemu_domain_agent_command_args *args = argsp;
    qemu_domain_agent_command_ret *ret = retp;
    g_autoptr(VkJson) reply = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainQemuAgentCommand") < 0)
        return -1;
    if (args->timeout < VK_AGENT_TIMEOUT_BLOCK)
        return vk_invalid_arg(VIR_FROM_QEMU, "guest agent timeout '%d' is less than the "
                              "minimum '%d'", args->timeout, VK_AGENT_TIMEOUT_BLOCK);
    if (!(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    g_autoptr(VkAgent) agent = vk_qemu_agent_get(obj);
    if (!agent)
        return vk_qemu_domain_end(obj, -1);
    g_autoptr(VkJson) cmd = vk_json_parse(args->cmd, -1);
    if (!cmd) {
        g_autofree char *why = g_strdup(vk_error_last_message());
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "cannot parse json %s: %s",
                        args->cmd, why);
        return vk_qemu_domain_end(obj, -1);
    }
    g_warning("%s: tainted: custom guest agent command", obj->def->name);
    if (vk_qemu_agent_command(obj, cmd, args->timeout, VK_AGENT_AWAIT_NONE, true, &reply) < 0)
        return vk_qemu_domain_end(obj, -1);
    g_autofree char *text = vk_json_to_string(reply);
    ret->result = malloc(sizeof(char *));
    *ret->result = strdup(text);    /* XDR frees them with free() */
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_TIME, domain_get_time },
    { REMOTE_PROC_DOMAIN_SET_TIME, domain_set_time },
    { REMOTE_PROC_DOMAIN_FSFREEZE, domain_fsfreeze },
    { REMOTE_PROC_DOMAIN_FSTHAW, domain_fsthaw },
    { REMOTE_PROC_DOMAIN_SET_USER_PASSWORD, domain_set_user_password },
    { REMOTE_PROC_DOMAIN_PM_SUSPEND_FOR_DURATION, domain_pm_suspend_for_duration },
    { REMOTE_PROC_DOMAIN_PM_WAKEUP, domain_pm_wakeup },
};

static const VkRpcHandlerEntry qemu_handlers[] = {
    { QEMU_PROC_DOMAIN_AGENT_COMMAND, domain_agent_command },
};

void
vk_qemu_agent_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}

void
vk_qemu_agent_qemu_handlers_register(VkRpcProgram *qemu)
{
    vk_rpc_program_add_handlers(qemu, qemu_handlers, G_N_ELEMENTS(qemu_handlers));
}
