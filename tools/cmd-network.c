/* Networking: net-list, net-define, net-create, net-start, net-destroy,
 * net-undefine, net-dumpxml, net-info, net-autostart, net-name, net-uuid,
 * net-dhcp-leases, net-update.  Messages, tables and the calls made follow
 * virsh 9.0, so that output and errors are the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cmd-groups.h"
#include "tools/file.h"
#include "tools/object.h"
#include "tools/shell.h"
#include "tools/table.h"

static const VkshObjectKind network_kind = {
    .opt = "network",
    .noun = "network",
    .title = "Network",
    .by_uuid = VKSH_OBJECT_CALL(virNetworkLookupByUUIDString),
    .by_name = VKSH_OBJECT_CALL(virNetworkLookupByName),
    .get_name = VKSH_OBJECT_CALL(virNetworkGetName),
    .get_uuid_string = VKSH_OBJECT_CALL(virNetworkGetUUIDString),
    .set_autostart = VKSH_OBJECT_CALL(virNetworkSetAutostart),
    .free = VKSH_OBJECT_CALL(virNetworkFree),
};

/* The network named by the command's --network option (see
 * vksh_object_lookup). */
static virNetworkPtr
network_lookup(VkshControl *ctl, const VkshCmd *cmd, unsigned int by, const char **name)
{
    return vksh_object_lookup(ctl, cmd, &network_kind, by, name);
}

/* --- net-list ------------------------------------------------------------ */

static int
compare_networks(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virNetworkGetName(*(virNetworkPtr const *) a),
                              virNetworkGetName(*(virNetworkPtr const *) b));
}

static const struct {
    const char *opt;
    unsigned int flag;
} list_filters[] = {
    { "persistent", VIR_CONNECT_LIST_NETWORKS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_NETWORKS_TRANSIENT },
    { "autostart", VIR_CONNECT_LIST_NETWORKS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART },
};

/* The table row of NET, with virsh's words (an error of IsActive counts as
 * active, as in virsh). */
static void
add_list_row(VkshTable *table, virNetworkPtr net)
{
    int autostart = 0;
    const char *autostart_str;

    if (virNetworkGetAutostart(net, &autostart) < 0)
        autostart_str = "no autostart";
    else
        autostart_str = autostart ? "yes" : "no";
    vksh_table_add_row(table, virNetworkGetName(net),
                       virNetworkIsActive(net) ? "active" : "inactive", autostart_str,
                       virNetworkIsPersistent(net) ? "yes" : "no", NULL);
}

static bool
cmd_net_list(VkshControl *ctl, const VkshCmd *cmd)
{
    bool with_uuid = vksh_cmd_opt_bool(cmd, "uuid");
    bool with_name = vksh_cmd_opt_bool(cmd, "name");
    unsigned int flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    g_autoptr(VkshTable) table = NULL;
    virNetworkPtr *nets = NULL;
    int n;

    if (vksh_cmd_opt_bool(cmd, "table") + with_uuid + with_name > 1) {
        vksh_error(ctl, "%s",
                   "Only one argument from --table, --name and --uuid may be specified.");
        return false;
    }
    if (vksh_cmd_opt_bool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (vksh_cmd_opt_bool(cmd, "all"))
        flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    for (gsize i = 0; i < G_N_ELEMENTS(list_filters); i++) {
        if (vksh_cmd_opt_bool(cmd, list_filters[i].opt))
            flags |= list_filters[i].flag;
    }
    if ((n = virConnectListAllNetworks(ctl->conn, &nets, flags)) < 0) {
        vksh_error(ctl, "%s", "Failed to list networks");
        return false;
    }
    qsort(nets, n, sizeof(*nets), compare_networks);

    if (!with_uuid && !with_name)
        table = vksh_table_new("Name", "State", "Autostart", "Persistent", NULL);
    for (int i = 0; i < n; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];

        if (table)
            add_list_row(table, nets[i]);
        else if (with_uuid && virNetworkGetUUIDString(nets[i], uuid) == 0)
            printf("%s\n", uuid);
        else if (with_name)
            printf("%s\n", virNetworkGetName(nets[i]));
    }
    if (table) {
        g_autofree char *text = vksh_table_format(table, !ctl->quiet);
        fputs(text, stdout);
    }
    for (int i = 0; i < n; i++)
        virNetworkFree(nets[i]);
    free(nets);
    return true;
}

/* --- definitions and lifecycle -------------------------------------------- */

typedef virNetworkPtr (*FromXml)(virConnectPtr conn, const char *xml);
typedef virNetworkPtr (*FromXmlFlags)(virConnectPtr conn, const char *xml, unsigned int flags);

/* net-define and net-create: --validate is the one flag of both calls. */
static bool
network_from_file(VkshControl *ctl, const VkshCmd *cmd, FromXml call, FromXmlFlags call_flags,
                  const char *verb, const char *done)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    unsigned int flags = vksh_cmd_opt_bool(cmd, "validate") ? VIR_NETWORK_DEFINE_VALIDATE : 0;
    g_autofree char *xml = NULL;
    virNetworkPtr net;

    if (!(xml = vksh_file_read(ctl, file)))
        return false;
    net = flags ? call_flags(ctl->conn, xml, flags) : call(ctl->conn, xml);
    if (!net) {
        vksh_error(ctl, "Failed to %s network from %s", verb, file);
        return false;
    }
    vksh_print_extra(ctl, "Network %s %s from %s\n", virNetworkGetName(net), done, file);
    virNetworkFree(net);
    return true;
}

static bool
cmd_net_define(VkshControl *ctl, const VkshCmd *cmd)
{
    return network_from_file(ctl, cmd, virNetworkDefineXML, virNetworkDefineXMLFlags,
                             "define", "defined");
}

static bool
cmd_net_create(VkshControl *ctl, const VkshCmd *cmd)
{
    return network_from_file(ctl, cmd, virNetworkCreateXML, virNetworkCreateXMLFlags,
                             "create", "created");
}

/* net-start, net-destroy, net-undefine: one call on the network (no
 * flags). */
static int
start(void *net, unsigned int flags)
{
    return virNetworkCreate(net);
}

static int
destroy(void *net, unsigned int flags)
{
    return virNetworkDestroy(net);
}

static int
undefine(void *net, unsigned int flags)
{
    return virNetworkUndefine(net);
}

static bool
cmd_net_start(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &network_kind, start, 0, "start", "started");
}

static bool
cmd_net_destroy(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &network_kind, destroy, 0, "destroy", "destroyed");
}

static bool
cmd_net_undefine(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &network_kind, undefine, 0, "undefine",
                              "has been undefined");
}

static bool
cmd_net_autostart(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_autostart(ctl, cmd, &network_kind);
}

/* --- questions ------------------------------------------------------------ */

static bool
cmd_net_dumpxml(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "inactive") ? VIR_NETWORK_XML_INACTIVE : 0;
    virNetworkPtr net;
    char *xml;

    if (!(net = network_lookup(ctl, cmd, VKSH_BY_UUID | VKSH_BY_NAME, NULL)))
        return false;
    xml = virNetworkGetXMLDesc(net, flags);
    virNetworkFree(net);
    return vksh_print_result(xml, false);
}

static bool
cmd_net_info(VkshControl *ctl, const VkshCmd *cmd)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    virNetworkPtr net;
    int autostart;
    int active;
    int persistent;
    char *bridge;

    if (!(net = network_lookup(ctl, cmd, VKSH_BY_UUID | VKSH_BY_NAME, NULL)))
        return false;
    printf("%-15s %s\n", "Name:", virNetworkGetName(net));
    if (virNetworkGetUUIDString(net, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if ((active = virNetworkIsActive(net)) >= 0)
        printf("%-15s %s\n", "Active:", active ? "yes" : "no");
    persistent = virNetworkIsPersistent(net);
    printf("%-15s %s\n", "Persistent:", persistent < 0 ? "unknown" : persistent ? "yes" : "no");
    if (virNetworkGetAutostart(net, &autostart) < 0)
        printf("%-15s %s\n", "Autostart:", "no autostart");
    else
        printf("%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if ((bridge = virNetworkGetBridgeName(net)))
        printf("%-15s %s\n", "Bridge:", bridge);
    free(bridge);
    virNetworkFree(net);
    return true;
}

static bool
cmd_net_name(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_name(ctl, cmd, &network_kind);
}

static bool
cmd_net_uuid(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_uuid(ctl, cmd, &network_kind);
}

/* --- net-dhcp-leases ------------------------------------------------------ */

/* By MAC address, as virsh sorts. */
static int
compare_leases(const void *a, const void *b)
{
    virNetworkDHCPLeasePtr la = *(virNetworkDHCPLeasePtr const *) a;
    virNetworkDHCPLeasePtr lb = *(virNetworkDHCPLeasePtr const *) b;

    return g_ascii_strcasecmp(la->mac ? la->mac : "", lb->mac ? lb->mac : "");
}

static const char *
or_minus(const char *s)
{
    return s ? s : "-";
}

static void
add_lease_row(VkshTable *table, virNetworkDHCPLeasePtr lease)
{
    g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local(lease->expirytime);
    g_autofree char *expiry_str = expiry ? g_date_time_format(expiry, "%Y-%m-%d %H:%M:%S")
                                         : g_strdup("-");
    g_autofree char *cidr = g_strdup_printf("%s/%u", lease->ipaddr, lease->prefix);
    const char *type = NULL;

    if (lease->type == VIR_IP_ADDR_TYPE_IPV4)
        type = "ipv4";
    else if (lease->type == VIR_IP_ADDR_TYPE_IPV6)
        type = "ipv6";
    vksh_table_add_row(table, expiry_str, or_minus(lease->mac), or_minus(type), cidr,
                       or_minus(lease->hostname), or_minus(lease->clientid), NULL);
}

static bool
cmd_net_dhcp_leases(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *mac = vksh_cmd_opt_string(cmd, "mac");
    g_autoptr(VkshTable) table = NULL;
    g_autofree char *text = NULL;
    virNetworkDHCPLeasePtr *leases = NULL;
    const char *name;
    virNetworkPtr net;
    int n;

    if (!(net = network_lookup(ctl, cmd, VKSH_BY_UUID | VKSH_BY_NAME, &name)))
        return false;
    n = virNetworkGetDHCPLeases(net, mac, &leases, 0);
    virNetworkFree(net);
    if (n < 0) {
        vksh_error(ctl, "Failed to get leases info for %s", name);
        return false;
    }
    qsort(leases, n, sizeof(*leases), compare_leases);
    table = vksh_table_new("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
                           "Client ID or DUID", NULL);
    for (int i = 0; i < n; i++) {
        add_lease_row(table, leases[i]);
        virNetworkDHCPLeaseFree(leases[i]);
    }
    free(leases);
    text = vksh_table_format(table, !ctl->quiet);
    fputs(text, stdout);
    return true;
}

/* --- net-update ----------------------------------------------------------- */

/* virsh's names, indexed by virNetworkUpdateCommand and
 * virNetworkUpdateSection ("none" is not accepted). */
static const char *const update_commands[] = {
    "none", "modify", "delete", "add-last", "add-first",
};
static const char *const update_sections[] = {
    "none", "bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range", "forward",
    "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv",
};

/* The index of NAME in NAMES (N of them), 0 when it is none of them. */
static int
name_index(const char *const *names, int n, const char *name)
{
    for (int i = 1; i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return i;
    }
    return 0;
}

/* What net-update's parameters say: the command, the section, the parent
 * index and the flags; false after printing what is wrong. */
static bool
update_params(VkshControl *ctl, const VkshCmd *cmd, int *command, int *section,
              int *parent_index, unsigned int *flags)
{
    const char *command_str = vksh_cmd_opt_string(cmd, "command");
    const char *section_str = vksh_cmd_opt_string(cmd, "section");
    const char *index_str = vksh_cmd_opt_string(cmd, "parent-index");

    /* "add" is short for "add-last" */
    *command = strcmp(command_str, "add") == 0
                   ? VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
                   : name_index(update_commands, G_N_ELEMENTS(update_commands), command_str);
    if (!*command) {
        vksh_error(ctl, "unrecognized command name '%s'", command_str);
        return false;
    }
    if (!(*section = name_index(update_sections, G_N_ELEMENTS(update_sections), section_str))) {
        vksh_error(ctl, "unrecognized section name '%s'", section_str);
        return false;
    }
    *parent_index = -1;
    if (index_str && !vksh_parse_int(index_str, parent_index)) {
        vksh_error(ctl, "Numeric value '%s' for <parent-index> option is malformed or "
                   "out of range", index_str);
        return false;
    }
    *flags = 0;
    if (vksh_cmd_opt_bool(cmd, "config"))
        *flags |= VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    if (vksh_cmd_opt_bool(cmd, "live"))
        *flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;
    return true;
}

/* What virsh says the update changed. */
static const char *
update_affected(virNetworkPtr net, unsigned int flags)
{
    if (flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG)
        return flags & VIR_NETWORK_UPDATE_AFFECT_LIVE ? "persistent config and live state"
                                                      : "persistent config";
    if (flags & VIR_NETWORK_UPDATE_AFFECT_LIVE)
        return "live state";
    return virNetworkIsActive(net) ? "live state" : "persistent config";
}

static bool
cmd_net_update(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *xml_opt = vksh_cmd_opt_string(cmd, "xml");
    g_autofree char *xml_file = NULL;
    int command, section, parent_index;
    unsigned int flags;
    virNetworkPtr net;
    bool ok = false;

    if (!vksh_exclusive(ctl, cmd, "current", "live") ||
        !vksh_exclusive(ctl, cmd, "current", "config"))
        return false;
    if (!(net = network_lookup(ctl, cmd, VKSH_BY_UUID | VKSH_BY_NAME, NULL)))
        return false;
    if (!update_params(ctl, cmd, &command, &section, &parent_index, &flags))
        goto out;
    /* the XML itself when it starts with '<', else the file holding it */
    if (*xml_opt != '<' && !(xml_file = vksh_file_read(ctl, xml_opt)))
        goto out;
    if (virNetworkUpdate(net, command, section, parent_index, xml_file ? xml_file : xml_opt,
                         flags) < 0) {
        vksh_error(ctl, "Failed to update network %s", virNetworkGetName(net));
        goto out;
    }
    vksh_print_extra(ctl, "Updated network %s %s", virNetworkGetName(net),
                     update_affected(net, flags));
    ok = true;
 out:
    virNetworkFree(net);
    return ok;
}

/* --- the table ------------------------------------------------------------ */

#define NETWORK_OPT(help) \
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, help }

static const VkshOptDef network_opts[] = {
    NETWORK_OPT("network name or uuid"),
    { NULL },
};

static const VkshOptDef name_opts[] = {
    NETWORK_OPT("network uuid"),
    { NULL },
};

static const VkshOptDef uuid_opts[] = {
    NETWORK_OPT("network name"),
    { NULL },
};

static const VkshOptDef file_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML network description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VkshOptDef list_opts[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive networks" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent networks" },
    { "transient", VKSH_OT_BOOL, 0, "list transient networks" },
    { "autostart", VKSH_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", VKSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VKSH_OT_BOOL, 0, "list network names only" },
    { "table", VKSH_OT_BOOL, 0, "list table (default)" },
    { NULL },
};

static const VkshOptDef autostart_opts[] = {
    NETWORK_OPT("network name or uuid"),
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static const VkshOptDef dumpxml_opts[] = {
    NETWORK_OPT("network name or uuid"),
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { NULL },
};

static const VkshOptDef leases_opts[] = {
    NETWORK_OPT("network name or uuid"),
    { "mac", VKSH_OT_STRING, 0, "MAC address" },
    { NULL },
};

static const VkshOptDef update_opts[] = {
    NETWORK_OPT("network name or uuid"),
    { "command", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "type of update (add-first, add-last (add), delete, or modify)" },
    { "section", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "which section of network configuration to update" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "name of file containing xml (or, if it starts with '<', the complete xml element "
      "itself) to add/modify, or to be matched for search" },
    { "parent-index", VKSH_OT_STRING, 0, "which parent object to search through" },
    { "config", VKSH_OT_BOOL, 0, "affect next network startup" },
    { "live", VKSH_OT_BOOL, 0, "affect running network" },
    { "current", VKSH_OT_BOOL, 0, "affect current state of network" },
    { NULL },
};

const VkshCmdDef vksh_network_cmds[] = {
    { "net-autostart", cmd_net_autostart, autostart_opts, "autostart a network",
      "Configure a network to be automatically started at boot.", 0 },
    { "net-create", cmd_net_create, file_opts, "create a network from an XML file",
      "Create a network.", 0 },
    { "net-define", cmd_net_define, file_opts,
      "define an inactive persistent virtual network or modify an existing persistent one "
      "from an XML file", "Define or modify a persistent virtual network.", 0 },
    { "net-destroy", cmd_net_destroy, network_opts, "destroy (stop) a network",
      "Forcefully stop a given network.", 0 },
    { "net-dhcp-leases", cmd_net_dhcp_leases, leases_opts, "print lease info for a given network",
      "Print lease info for a given network", 0 },
    { "net-dumpxml", cmd_net_dumpxml, dumpxml_opts, "network information in XML",
      "Output the network information as an XML dump to stdout.", 0 },
    { "net-info", cmd_net_info, network_opts, "network information",
      "Returns basic information about the network", 0 },
    { "net-list", cmd_net_list, list_opts, "list networks", "Returns list of networks.", 0 },
    { "net-name", cmd_net_name, name_opts, "convert a network UUID to network name", "", 0 },
    { "net-start", cmd_net_start, network_opts, "start a (previously defined) inactive network",
      "Start a network.", 0 },
    { "net-undefine", cmd_net_undefine, network_opts, "undefine a persistent network",
      "Undefine the configuration for a persistent network.", 0 },
    { "net-update", cmd_net_update, update_opts,
      "update parts of an existing network's configuration", "", 0 },
    { "net-uuid", cmd_net_uuid, uuid_opts, "convert a network name to network UUID", "", 0 },
    { NULL },
};
