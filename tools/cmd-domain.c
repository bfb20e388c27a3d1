/* Domain commands.  Domain Monitoring: list. */
#include <stdio.h>
#include <stdlib.h>

#include "tools/cmd-groups.h"
#include "tools/shell.h"
#include "tools/table.h"

/* virsh's words for a domain state (virDomainState). */
static const char *
state_string(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "idle";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "in shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    case VIR_DOMAIN_NOSTATE:
    default: return "no state";
    }
}

/* Running domains first, by id, then the others by name, as virsh sorts. */
static int
compare_domains(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *) a;
    virDomainPtr db = *(virDomainPtr const *) b;
    unsigned int ia = virDomainGetID(da);
    unsigned int ib = virDomainGetID(db);

    if (ia != (unsigned int) -1 && ib != (unsigned int) -1)
        return ia < ib ? -1 : ia > ib;
    if (ia != (unsigned int) -1)
        return -1;
    if (ib != (unsigned int) -1)
        return 1;
    return g_ascii_strcasecmp(virDomainGetName(da), virDomainGetName(db));
}

/* Filter options and the virConnectListAllDomains flag each one sets. */
static const struct {
    const char *opt;
    unsigned int flag;
} list_filters[] = {
    { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
    { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
    { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
    { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
};

/* --uuid, --id, --name: those fields, in that order, one domain a line. */
static void
print_plain(virDomainPtr *doms, int n, bool with_id, bool with_uuid, bool with_name)
{
    for (int i = 0; i < n; i++) {
        unsigned int id = virDomainGetID(doms[i]);
        g_autoptr(GString) line = g_string_new(NULL);

        /* --id alone lists running domains only */
        if (with_id && !with_uuid && !with_name && id == (unsigned int) -1)
            continue;
        if (with_uuid) {
            char uuid[VIR_UUID_STRING_BUFLEN];
            virDomainGetUUIDString(doms[i], uuid);
            g_string_append(line, uuid);
        }
        if (with_id) {
            if (line->len)
                g_string_append_c(line, ' ');
            if (id == (unsigned int) -1)
                g_string_append_c(line, '-');
            else
                g_string_append_printf(line, "%u", id);
        }
        if (with_name) {
            if (line->len)
                g_string_append_c(line, ' ');
            g_string_append(line, virDomainGetName(doms[i]));
        }
        printf("%s\n", line->str);
    }
}

static bool
cmd_list(VkshControl *ctl, const VkshCmd *cmd)
{
    bool all = vksh_cmd_opt_bool(cmd, "all");
    bool inactive = vksh_cmd_opt_bool(cmd, "inactive");
    bool with_id = vksh_cmd_opt_bool(cmd, "id");
    bool with_uuid = vksh_cmd_opt_bool(cmd, "uuid");
    bool with_name = vksh_cmd_opt_bool(cmd, "name");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    virDomainPtr *doms = NULL;
    int n;

    if (vksh_cmd_opt_bool(cmd, "table") && (with_id || with_uuid || with_name)) {
        vksh_error(ctl, "%s", "Options --table and --id, --uuid or --name are mutually exclusive");
        return false;
    }
    if (inactive)
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (all)
        flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    for (gsize i = 0; i < G_N_ELEMENTS(list_filters); i++) {
        if (vksh_cmd_opt_bool(cmd, list_filters[i].opt))
            flags |= list_filters[i].flag;
    }

    if ((n = virConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        vksh_error(ctl, "%s", "Failed to list domains");
        return false;
    }
    qsort(doms, n, sizeof(*doms), compare_domains);

    if (with_id || with_uuid || with_name) {
        print_plain(doms, n, with_id, with_uuid, with_name);
    } else {
        g_autoptr(VkshTable) table = vksh_table_new("Id", "Name", "State", NULL);
        g_autofree char *text = NULL;

        for (int i = 0; i < n; i++) {
            unsigned int id = virDomainGetID(doms[i]);
            g_autofree char *id_str = id == (unsigned int) -1 ? g_strdup("-")
                                                              : g_strdup_printf("%u", id);
            int state = -1;

            if (virDomainGetState(doms[i], &state, NULL, 0) < 0) {
                state = -1;
                virResetLastError();
            }
            vksh_table_add_row(table, id_str, virDomainGetName(doms[i]),
                               state_string(state), NULL);
        }
        text = vksh_table_format(table, !ctl->quiet);
        fputs(text, stdout);
    }

    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    return true;
}

static const VkshOptDef list_opts[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive domains" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", VKSH_OT_BOOL, 0, "list transient domains" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", VKSH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", VKSH_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", VKSH_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", VKSH_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", VKSH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", VKSH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", VKSH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", VKSH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", VKSH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", VKSH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", VKSH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", VKSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VKSH_OT_BOOL, 0, "list domain names only" },
    { "id", VKSH_OT_BOOL, 0, "list domain IDs only" },
    { "table", VKSH_OT_BOOL, 0, "list table (default)" },
    { NULL },
};

const VkshCmdDef vksh_domain_monitor_cmds[] = {
    { "list", cmd_list, list_opts, "list domains", "Returns list of domains.", 0 },
    { NULL },
};
