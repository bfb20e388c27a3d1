/* Domain Monitoring: list, dominfo, domstate, domblklist, domiflist, and
 * Virtkit's own pci-tree. */
#include <stdio.h>
#include <stdlib.h>

#include "common/conf/domain-pci-assign.h"
#include "common/conf/domain-pci-given.h"
#include "common/pci/host-tree.h"
#include "common/util/error.h"
#include "tools/cmd-groups.h"
#include "tools/shell.h"
#include "tools/domain-def.h"
#include "tools/domain-util.h"
#include "tools/table.h"

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
            int state = vksh_domain_state(doms[i], NULL);

            if (state < 0)
                vksh_reset_error();
            vksh_table_add_row(table, id_str, virDomainGetName(doms[i]),
                               vksh_domain_state_to_string(state), NULL);
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

/* virsh's last dominfo lines: the taint and deprecation messages, if any
 * (a daemon that has none to give is no error). */
static void
print_messages(virDomainPtr dom)
{
    char **msgs = NULL;
    int n = virDomainGetMessages(dom, &msgs, 0);

    for (int i = 0; i < n; i++)
        printf("%-15s %s\n", i == 0 ? "Messages:" : "", msgs[i]);
    if (n < 0)
        vksh_reset_error();
    for (int i = 0; msgs && msgs[i]; i++)
        free(msgs[i]);
    free(msgs);
}

static bool
cmd_dominfo(VkshControl *ctl, const VkshCmd *cmd)
{
    virDomainPtr dom;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *ostype = NULL;
    unsigned int id;
    int persistent, autostart, managed_save;
    bool ret = true;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        printf("%-15s %s\n", "Id:", "-");
    else
        printf("%-15s %d\n", "Id:", (int) id);
    printf("%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        printf("%-15s %s\n", "OS Type:", ostype);

    if (virDomainGetInfo(dom, &info) == 0) {
        printf("%-15s %s\n", "State:", vksh_domain_state_to_string(info.state));
        printf("%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            printf("%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != G_MAXUINT)
            printf("%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            printf("%-15s %s\n", "Max memory:", "no limit");
        printf("%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    persistent = virDomainIsPersistent(dom);
    printf("%-15s %s\n", "Persistent:", persistent < 0 ? "unknown" : persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        printf("%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed_save = virDomainHasManagedSaveImage(dom, 0);
    printf("%-15s %s\n", "Managed save:",
           managed_save < 0 ? "unknown" : managed_save ? "yes" : "no");

    /* The label means something only under an active security model; a
     * daemon without any (NO_SUPPORT) is not an error. */
    if (virNodeGetSecurityModel(ctl->conn, &secmodel) < 0) {
        if (vksh_last_error_code() != VIR_ERR_NO_SUPPORT) {
            ret = false;
            goto out;
        }
        vksh_reset_error();
    } else if (secmodel.model[0] != '\0') {
        g_autofree virSecurityLabel *label = g_new0(virSecurityLabel, 1);

        printf("%-15s %s\n", "Security model:", secmodel.model);
        printf("%-15s %s\n", "Security DOI:", secmodel.doi);
        if (virDomainGetSecurityLabel(dom, label) < 0) {
            ret = false;
            goto out;
        }
        if (label->label[0] != '\0')
            printf("%-15s %s (%s)\n", "Security label:", label->label,
                   label->enforcing ? "enforcing" : "permissive");
    }
    print_messages(dom);
 out:
    virDomainFree(dom);
    return ret;
}

static bool
cmd_domstate(VkshControl *ctl, const VkshCmd *cmd)
{
    virDomainPtr dom;
    int state, reason;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return false;
    state = vksh_domain_state(dom, &reason);
    virDomainFree(dom);
    if (state < 0)
        return false;
    if (vksh_cmd_opt_bool(cmd, "reason"))
        printf("%s (%s)\n", vksh_domain_state_to_string(state),
               vksh_domain_reason_to_string(state, reason));
    else
        printf("%s\n", vksh_domain_state_to_string(state));
    return true;
}

/* NULL for an absent or empty value, as virsh's XPath strings. */
static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* What virsh takes from <source>: the first of file, dev, dir, name, volume
 * or path present; our definition keeps file, dev and dir in one field. */
static const char *
disk_source(const VkDomainDiskDef *disk)
{
    const char *src;

    if ((src = nonempty(disk->src_path)) || (src = nonempty(disk->src_name)))
        return src;
    return nonempty(disk->src_volume);
}

static bool
cmd_domblklist(VkshControl *ctl, const VkshCmd *cmd)
{
    bool details = vksh_cmd_opt_bool(cmd, "details");
    unsigned int flags = vksh_cmd_opt_bool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0;
    g_autoptr(VkDomainDef) def = NULL;
    g_autoptr(VkshTable) table = NULL;
    g_autofree char *text = NULL;

    if (!(def = vksh_domain_get_def(ctl, cmd, flags)))
        return false;
    if (details)
        table = vksh_table_new("Type", "Device", "Target", "Source", NULL);
    else
        table = vksh_table_new("Target", "Source", NULL);

    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        const char *source = disk_source(disk);

        if (!nonempty(disk->target_dev)) {
            vksh_error(ctl, "%s", "unable to query block list");
            return false;
        }
        if (details)
            vksh_table_add_row(table, vk_disk_type_to_string(disk->type),
                               vk_disk_device_to_string(disk->device), disk->target_dev,
                               source ? source : "-", NULL);
        else
            vksh_table_add_row(table, disk->target_dev, source ? source : "-", NULL);
    }
    text = vksh_table_format(table, !ctl->quiet);
    fputs(text, stdout);
    return true;
}

/* virsh's interface source: the first of bridge, dev, network, name or path
 * in the element's attribute order, where libvirt writes the network before
 * the bridge it resolved to. */
static const char *
net_source(const VkDomainNetDef *net)
{
    const char *src;

    switch (net->type) {
    case VK_NET_TYPE_NETWORK:
        if ((src = nonempty(net->src_network)))
            return src;
        break;
    case VK_NET_TYPE_BRIDGE:
        if ((src = nonempty(net->src_bridge)))
            return src;
        break;
    default:
        break;
    }
    if ((src = nonempty(net->src_network)) || (src = nonempty(net->src_bridge)))
        return src;
    return nonempty(net->src_dev);
}

static bool
cmd_domiflist(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0;
    g_autoptr(VkDomainDef) def = NULL;
    g_autoptr(VkshTable) table = NULL;
    g_autofree char *text = NULL;

    if (!(def = vksh_domain_get_def(ctl, cmd, flags)))
        return false;
    table = vksh_table_new("Interface", "Type", "Source", "Model", "MAC", NULL);
    for (guint i = 0; i < def->nets->len; i++) {
        const VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        const char *target = nonempty(net->target_dev);
        const char *source = net_source(net);
        const char *model = nonempty(net->model);
        const char *type = vk_net_type_to_string(net->type);

        vksh_table_add_row(table, target ? target : "-", type ? type : "",
                           source ? source : "-", model ? model : "-",
                           net->mac[0] ? net->mac : "-", NULL);
    }
    text = vksh_table_format(table, !ctl->quiet);
    fputs(text, stdout);
    return true;
}

/* Virtkit's own: the guest's PCI topology, controllers and devices with
 * their addresses, as a tree; with --host the host's, read from sysfs here
 * (no daemon, so the command connects only for a guest). */
/* What the user gave of DOM's PCI topology, which the daemon keeps out of
 * the XML; NULL when it does not know (the tree then recomputes it). */
static VkDomainPciGiven *
fetch_pci_given(virDomainPtr dom, unsigned int xml_flags)
{
    unsigned int flags = (xml_flags & VIR_DOMAIN_XML_INACTIVE) ? VIR_DOMAIN_AFFECT_CONFIG : 0;
    char *xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, VK_DOMAIN_PCI_GIVEN_NS,
                                     flags);
    VkDomainPciGiven *given;

    if (!xml) {
        virResetLastError();
        return NULL;
    }
    if (!(given = vk_domain_pci_given_parse_string(xml)))
        vk_error_reset();
    free(xml);
    return given;
}

static bool
cmd_pci_tree(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0;
    g_autoptr(VkDomainDef) def = NULL;
    g_autofree char *tree = NULL;
    virDomainPtr dom;

    if (vksh_cmd_opt_bool(cmd, "host")) {
        if (!(tree = vk_pci_host_tree_format(vksh_cmd_opt_string(cmd, "root"), NULL))) {
            vksh_error(ctl, "%s", vk_error_last_message());
            return false;
        }
        fputs(tree, stdout);
        return true;
    }
    if (!vksh_cmd_opt_string(cmd, "domain")) {
        vksh_error(ctl, "%s", "command 'pci-tree' requires <domain> option");
        return false;
    }
    if (!vksh_connect(ctl) || !(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return false;
    def = vksh_domain_def_of(ctl, dom, flags);
    if (def)
        def->pci_given = fetch_pci_given(dom, flags);
    virDomainFree(dom);
    if (!def)
        return false;
    tree = vk_domain_pci_tree(def);
    fputs(tree, stdout);
    return true;
}

static const VkshOptDef domain_opt[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { NULL },
};

static const VkshOptDef domstate_opts[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "reason", VKSH_OT_BOOL, 0, "also print reason for the state" },
    { NULL },
};

static const VkshOptDef domblklist_opts[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "get inactive rather than running configuration" },
    { "details", VKSH_OT_BOOL, 0, "additionally display the type and device value" },
    { NULL },
};

static const VkshOptDef domiflist_opts[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "get inactive rather than running configuration" },
    { NULL },
};

static const VkshOptDef pci_tree_opts[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "show the persistent configuration, not the running one" },
    { "host", VKSH_OT_BOOL, 0, "show the host's PCI devices instead (from sysfs)" },
    { "root", VKSH_OT_STRING, 0, "with --host: the file system root holding sys/ (tests)" },
    { NULL },
};

const VkshCmdDef vksh_domain_monitor_cmds[] = {
    { "domblklist", cmd_domblklist, domblklist_opts, "list all domain blocks",
      "Get the summary of block devices for a domain.", 0 },
    { "domiflist", cmd_domiflist, domiflist_opts, "list all domain virtual interfaces",
      "Get the summary of virtual interfaces for a domain.", 0 },
    { "dominfo", cmd_dominfo, domain_opt, "domain information",
      "Returns basic information about the domain.", 0 },
    { "domstate", cmd_domstate, domstate_opts, "domain state",
      "Returns state about a domain.", 0 },
    { "list", cmd_list, list_opts, "list domains", "Returns list of domains.", 0 },
    { "pci-tree", cmd_pci_tree, pci_tree_opts, "domain or host PCI topology (Virtkit)",
      "Prints the guest's PCI controllers and devices as a tree, with their addresses; "
      "with --host the host's buses, bridges and devices with their drivers and IOMMU "
      "groups.", VKSH_CMD_NOCONNECT },
    { NULL },
};
