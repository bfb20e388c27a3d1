#include "tools/domain-util.h"

#include <stdlib.h>
#include <string.h>

virDomainPtr
vksh_domain_lookup(VkshControl *ctl, const VkshCmd *cmd, unsigned int by, const char **name)
{
    const char *text = vksh_cmd_opt_string(cmd, "domain");
    virDomainPtr dom = NULL;
    int id;

    if (name)
        *name = text;
    if (!text)
        return NULL;
    if ((by & VKSH_BY_ID) && vksh_parse_int(text, &id) && id >= 0)
        dom = virDomainLookupByID(ctl->conn, id);
    if (!dom && (by & VKSH_BY_UUID) && strlen(text) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, text);
    if (!dom && (by & VKSH_BY_NAME))
        dom = virDomainLookupByName(ctl->conn, text);
    /* virsh shows only its own line, not the daemon's "Domain not found" */
    vksh_reset_error();
    if (!dom)
        vksh_error(ctl, "failed to get domain '%s'", text);
    return dom;
}

static const char *const states[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

const char *
vksh_domain_state_to_string(int state)
{
    if (state < 0 || state >= (int) G_N_ELEMENTS(states))
        return "no state";
    return states[state];
}

static const char *const running_reasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed", NULL,
};
static const char *const paused_reasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed", "api error", NULL,
};
static const char *const shutdown_reasons[] = { "unknown", "user", NULL };
static const char *const shutoff_reasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon", NULL,
};
static const char *const crashed_reasons[] = { "unknown", "panicked", NULL };
static const char *const unknown_only[] = { "unknown", NULL };

const char *
vksh_domain_reason_to_string(int state, int reason)
{
    const char *const *table;

    switch (state) {
    case VIR_DOMAIN_RUNNING: table = running_reasons; break;
    case VIR_DOMAIN_PAUSED: table = paused_reasons; break;
    case VIR_DOMAIN_SHUTDOWN: table = shutdown_reasons; break;
    case VIR_DOMAIN_SHUTOFF: table = shutoff_reasons; break;
    case VIR_DOMAIN_CRASHED: table = crashed_reasons; break;
    case VIR_DOMAIN_NOSTATE:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_PMSUSPENDED: table = unknown_only; break;
    default: return "unknown";
    }
    for (int i = 0; table[i]; i++) {
        if (i == reason)
            return table[i];
    }
    return "unknown";
}

int
vksh_domain_state(virDomainPtr dom, int *reason)
{
    int state;

    if (reason)
        *reason = -1;
    if (virDomainGetState(dom, &state, reason, 0) < 0)
        return -1;
    return state;
}
