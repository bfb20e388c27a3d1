/* Node devices: nodedev-list, nodedev-dumpxml, nodedev-info,
 * nodedev-detach, nodedev-reattach, nodedev-reset, nodedev-create,
 * nodedev-define, nodedev-start, nodedev-destroy, nodedev-undefine,
 * nodedev-autostart.  Messages, listings and the calls made follow virsh
 * 9.0, so that output and errors are the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/conf/node-device-def.h"
#include "tools/cmd-groups.h"
#include "tools/file.h"
#include "tools/shell.h"

/* TEXT split at commas, ",," standing for a comma itself (virsh's
 * vshStringToArray). */
static char **
split_list(const char *text)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new();
    g_autoptr(GString) item = g_string_new(NULL);

    for (const char *p = text;; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(item, ',');
            p++;
        } else if (*p == ',' || !*p) {
            g_ptr_array_add(items, g_strdup(item->str));
            g_string_truncate(item, 0);
            if (!*p)
                break;
        } else {
            g_string_append_c(item, *p);
        }
    }
    g_ptr_array_add(items, NULL);
    return (char **) g_ptr_array_free(g_steal_pointer(&items), false);
}

/* A WWN: 16 hex digits, "0x" allowed before them (libvirt's
 * virValidateWWN, whose error virsh prints). */
static bool
valid_wwn(VkshControl *ctl, const char *wwn)
{
    const char *p = g_str_has_prefix(wwn, "0x") ? wwn + 2 : wwn;
    size_t n = 0;

    while (g_ascii_isxdigit(p[n]))
        n++;
    if (n == 16 && !p[n])
        return true;
    vksh_error(ctl, "internal error: Malformed wwn: %s", wwn);
    return false;
}

/* The device VALUE names: a name, or a SCSI host's "wwnn,wwpn".  NULL
 * after printing virsh's error (vshFindNodeDevice). */
static virNodeDevicePtr
find_device(VkshControl *ctl, const char *value)
{
    virNodeDevicePtr dev;

    if (strchr(value, ',')) {
        g_auto(GStrv) wwn = split_list(value);

        if (g_strv_length(wwn) != 2) {
            vksh_error(ctl, "Malformed device value '%s'", value);
            return NULL;
        }
        if (!valid_wwn(ctl, wwn[0]) || !valid_wwn(ctl, wwn[1]))
            return NULL;
        dev = virNodeDeviceLookupSCSIHostByWWN(ctl->conn, wwn[0], wwn[1], 0);
    } else {
        dev = virNodeDeviceLookupByName(ctl->conn, value);
    }
    if (!dev)
        vksh_error(ctl, "Could not find matching device '%s'", value);
    return dev;
}

/* The device the command's --device names, by name only (the commands
 * that hand a device over). */
static virNodeDevicePtr
device_by_name(VkshControl *ctl, const VkshCmd *cmd, const char **name)
{
    virNodeDevicePtr dev;

    *name = vksh_cmd_opt_string(cmd, "device");
    if (!(dev = virNodeDeviceLookupByName(ctl->conn, *name)))
        vksh_error(ctl, "Could not find matching device '%s'", *name);
    return dev;
}

/* --- nodedev-list --------------------------------------------------------- */

typedef struct {
    char **names;
    char **parents;    /* NULL: a root */
    int n;
} DeviceTree;

/* DEV and the devices below it, as virsh's vshTreePrint draws them:
 * "+- " before each child, "|" down the side of all but the last one, a
 * "|" line before a device's children and an empty one after the last
 * leaf. */
static void
print_tree(const DeviceTree *tree, int dev, int last, bool root, GString *indent)
{
    int next_last = -1;

    printf("%s%s%s\n", indent->str, root ? "" : "+- ", tree->names[dev]);
    if (!root)
        g_string_append(indent, dev == last ? "  " : "| ");
    for (int i = 0; i < tree->n; i++) {
        if (tree->parents[i] && strcmp(tree->parents[i], tree->names[dev]) == 0)
            next_last = i;
    }
    if (next_last != -1)
        printf("%s  |\n", indent->str);
    g_string_append(indent, "  ");
    for (int i = 0; i < tree->n; i++) {
        if (tree->parents[i] && strcmp(tree->parents[i], tree->names[dev]) == 0)
            print_tree(tree, i, next_last, false, indent);
    }
    g_string_truncate(indent, indent->len - 2);
    if (next_last == -1 && dev == last)
        printf("%s\n", indent->str);
    if (!root)
        g_string_truncate(indent, indent->len - 2);
}

static void
list_tree(virNodeDevicePtr *devs, int n)
{
    DeviceTree tree = { g_new0(char *, n + 1), g_new0(char *, n + 1), n };
    g_autoptr(GString) indent = g_string_new(NULL);

    for (int i = 0; i < n; i++) {
        tree.names[i] = g_strdup(virNodeDeviceGetName(devs[i]));
        /* "computer" is the root even when a parent is named */
        if (strcmp(tree.names[i], "computer") != 0)
            tree.parents[i] = g_strdup(virNodeDeviceGetParent(devs[i]));
    }
    for (int i = 0; i < n; i++) {
        if (!tree.parents[i])
            print_tree(&tree, i, i, true, indent);
    }
    for (int i = 0; i < n; i++)
        g_free(tree.parents[i]);
    g_free(tree.parents);
    g_strfreev(tree.names);
}

static int
compare_devices(const void *a, const void *b)
{
    return strcasecmp(virNodeDeviceGetName(*(virNodeDevicePtr const *) a),
                      virNodeDeviceGetName(*(virNodeDevicePtr const *) b));
}

/* The ListAll flags of the --cap names (libvirt's capability names, whose
 * order is the flags' bit order); false after printing virsh's error. */
static bool
cap_flags(VkshControl *ctl, char **caps, unsigned int *flags)
{
    for (char **cap = caps; cap && *cap; cap++) {
        int type = vk_nodedev_cap_from_string(*cap);

        if (type < 0) {
            vksh_error(ctl, "%s", "Invalid capability type");
            return false;
        }
        *flags |= 1u << type;
    }
    return true;
}

static bool
cmd_nodedev_list(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *cap_str = vksh_cmd_opt_string(cmd, "cap");
    bool tree = vksh_cmd_opt_bool(cmd, "tree");
    bool inactive = vksh_cmd_opt_bool(cmd, "inactive");
    bool all = vksh_cmd_opt_bool(cmd, "all");
    g_auto(GStrv) caps = cap_str ? split_list(cap_str) : NULL;
    virNodeDevicePtr *devs = NULL;
    unsigned int flags = 0;
    int n;

    if (all && inactive) {
        vksh_error(ctl, "%s", "Option --all is incompatible with --inactive");
        return false;
    }
    if (tree && (cap_str || inactive)) {
        vksh_error(ctl, "%s", "Option --tree is incompatible with --cap and --inactive");
        return false;
    }
    if (!cap_flags(ctl, caps, &flags))
        return false;
    if (inactive || all)
        flags |= VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE;
    if (!inactive)
        flags |= VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE;
    if ((n = virConnectListAllNodeDevices(ctl->conn, &devs, flags)) < 0) {
        vksh_error(ctl, "%s", "Failed to list node devices");
        return false;
    }
    qsort(devs, n, sizeof(*devs), compare_devices);
    if (tree) {
        list_tree(devs, n);
    } else {
        for (int i = 0; i < n; i++)
            printf("%s\n", virNodeDeviceGetName(devs[i]));
    }
    for (int i = 0; i < n; i++)
        virNodeDeviceFree(devs[i]);
    free(devs);
    return true;
}

/* --- questions ------------------------------------------------------------ */

static bool
cmd_nodedev_dumpxml(VkshControl *ctl, const VkshCmd *cmd)
{
    virNodeDevicePtr dev;
    char *xml;

    if (!(dev = find_device(ctl, vksh_cmd_opt_string(cmd, "device"))))
        return false;
    xml = virNodeDeviceGetXMLDesc(dev, 0);
    virNodeDeviceFree(dev);
    return vksh_print_result(xml, false);
}

static const char *
yes_no(int value)
{
    return value ? "yes" : "no";
}

/* An error of IsActive or IsPersistent reads as "yes", as in virsh. */
static bool
cmd_nodedev_info(VkshControl *ctl, const VkshCmd *cmd)
{
    virNodeDevicePtr dev;
    const char *parent;
    int autostart;

    if (!(dev = find_device(ctl, vksh_cmd_opt_string(cmd, "device"))))
        return false;
    parent = virNodeDeviceGetParent(dev);
    printf("%-15s %s\n", "Name:", virNodeDeviceGetName(dev));
    printf("%-15s %s\n", "Parent:", parent ? parent : "");
    printf("%-15s %s\n", "Active:", yes_no(virNodeDeviceIsActive(dev)));
    printf("%-15s %s\n", "Persistent:", yes_no(virNodeDeviceIsPersistent(dev)));
    if (virNodeDeviceGetAutostart(dev, &autostart) < 0)
        printf("%-15s %s\n", "Autostart:", "no autostart");
    else
        printf("%-15s %s\n", "Autostart:", yes_no(autostart));
    virNodeDeviceFree(dev);
    return true;
}

/* --- handing a device to guests ------------------------------------------- */

/* One call ACTION on the device the command names (by name): "Device
 * NAME DONE" or "Failed to FAILED device NAME". */
static bool
device_action(VkshControl *ctl, const VkshCmd *cmd,
              int (*action)(virNodeDevicePtr dev, const VkshCmd *cmd), const char *failed,
              const char *done)
{
    virNodeDevicePtr dev;
    const char *name;
    int rc;

    if (!(dev = device_by_name(ctl, cmd, &name)))
        return false;
    rc = action(dev, cmd);
    virNodeDeviceFree(dev);
    if (rc < 0) {
        vksh_error(ctl, "Failed to %s device %s", failed, name);
        return false;
    }
    vksh_print_extra(ctl, "Device %s %s\n", name, done);
    return true;
}

/* --driver needs the newer call; without it virsh makes the old one (whose
 * misspelling is libvirt's). */
static int
detach(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    const char *driver = vksh_cmd_opt_string(cmd, "driver");

    return driver ? virNodeDeviceDetachFlags(dev, driver, 0) : virNodeDeviceDettach(dev);
}

static int
reattach(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    return virNodeDeviceReAttach(dev);
}

static int
reset(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    return virNodeDeviceReset(dev);
}

static int
start(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    return virNodeDeviceCreate(dev, 0);
}

static bool
cmd_nodedev_detach(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_action(ctl, cmd, detach, "detach", "detached");
}

static bool
cmd_nodedev_reattach(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_action(ctl, cmd, reattach, "re-attach", "re-attached");
}

static bool
cmd_nodedev_reset(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_action(ctl, cmd, reset, "reset", "reset");
}

static bool
cmd_nodedev_start(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_action(ctl, cmd, start, "start", "started");
}

/* --- devices made on the host --------------------------------------------- */

typedef virNodeDevicePtr (*FromXml)(virConnectPtr conn, const char *xml, unsigned int flags);

/* nodedev-create and nodedev-define: the device made from --file
 * (--validate: FLAG); virsh quotes the names in define's messages
 * (QUOTE). */
static bool
device_from_file(VkshControl *ctl, const VkshCmd *cmd, FromXml call, unsigned int flag,
                 const char *verb, const char *done, const char *quote)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    virNodeDevicePtr dev;

    if (!(xml = vksh_file_read(ctl, file)))
        return false;
    if (!(dev = call(ctl->conn, xml, vksh_cmd_opt_bool(cmd, "validate") ? flag : 0))) {
        vksh_error(ctl, "Failed to %s node device from %s%s%s", verb, quote, file, quote);
        return false;
    }
    vksh_print_extra(ctl, "Node device %s%s%s %s from %s%s%s\n", quote,
                     virNodeDeviceGetName(dev), quote, done, quote, file, quote);
    virNodeDeviceFree(dev);
    return true;
}

static bool
cmd_nodedev_create(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_from_file(ctl, cmd, virNodeDeviceCreateXML,
                            VIR_NODE_DEVICE_CREATE_XML_VALIDATE, "create", "created", "");
}

static bool
cmd_nodedev_define(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_from_file(ctl, cmd, virNodeDeviceDefineXML,
                            VIR_NODE_DEVICE_DEFINE_XML_VALIDATE, "define", "defined", "'");
}

/* nodedev-destroy and nodedev-undefine: ACTION on the device, named in the
 * messages as the command was given it ("wwnn,wwpn" too). */
static bool
made_device_action(VkshControl *ctl, const VkshCmd *cmd,
                   int (*action)(virNodeDevicePtr dev, const VkshCmd *cmd), const char *verb,
                   const char *done)
{
    const char *value = vksh_cmd_opt_string(cmd, "device");
    virNodeDevicePtr dev;
    int rc;

    if (!(dev = find_device(ctl, value)))
        return false;
    rc = action(dev, cmd);
    virNodeDeviceFree(dev);
    if (rc < 0) {
        vksh_error(ctl, "Failed to %s node device '%s'", verb, value);
        return false;
    }
    vksh_print_extra(ctl, "%s node device '%s'\n", done, value);
    return true;
}

static int
destroy(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    return virNodeDeviceDestroy(dev);
}

static int
undefine(virNodeDevicePtr dev, const VkshCmd *cmd)
{
    return virNodeDeviceUndefine(dev, 0);
}

static bool
cmd_nodedev_destroy(VkshControl *ctl, const VkshCmd *cmd)
{
    return made_device_action(ctl, cmd, destroy, "destroy", "Destroyed");
}

static bool
cmd_nodedev_undefine(VkshControl *ctl, const VkshCmd *cmd)
{
    return made_device_action(ctl, cmd, undefine, "undefine", "Undefined");
}

static bool
cmd_nodedev_autostart(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *value = vksh_cmd_opt_string(cmd, "device");
    bool enable = !vksh_cmd_opt_bool(cmd, "disable");
    virNodeDevicePtr dev;
    int rc;

    if (!(dev = find_device(ctl, value)))
        return false;
    rc = virNodeDeviceSetAutostart(dev, enable);
    virNodeDeviceFree(dev);
    if (rc < 0) {
        vksh_error(ctl, "failed to %s device %s as autostarted", enable ? "mark" : "unmark",
                   value);
        return false;
    }
    vksh_print_extra(ctl, "Device %s %s as autostarted\n", value,
                     enable ? "marked" : "unmarked");
    return true;
}

/* --- the table ------------------------------------------------------------ */

#define DEVICE_OPT(help) \
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, help }
#define BY_NAME_OR_WWN "device name or wwn pair in 'wwnn,wwpn' format"

static const VkshOptDef device_opts[] = {
    DEVICE_OPT(BY_NAME_OR_WWN),
    { NULL },
};

static const VkshOptDef key_opts[] = {
    DEVICE_OPT("device key"),
    { NULL },
};

static const VkshOptDef start_opts[] = {
    DEVICE_OPT("device name"),
    { NULL },
};

static const VkshOptDef detach_opts[] = {
    DEVICE_OPT("device key"),
    { "driver", VKSH_OT_STRING, 0,
      "pci device assignment backend driver (e.g. 'vfio' or 'xen')" },
    { NULL },
};

static const VkshOptDef autostart_opts[] = {
    DEVICE_OPT(BY_NAME_OR_WWN),
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static const VkshOptDef file_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML description of the device" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VkshOptDef list_opts[] = {
    { "tree", VKSH_OT_BOOL, 0, "list devices in a tree" },
    { "cap", VKSH_OT_STRING, 0, "capability names, separated by comma" },
    { "inactive", VKSH_OT_BOOL, 0, "list inactive devices" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active devices" },
    { NULL },
};

const VkshCmdDef vksh_nodedev_cmds[] = {
    { "nodedev-autostart", cmd_nodedev_autostart, autostart_opts,
      "autostart a defined node device",
      "Configure a node device to be automatically started at boot.", 0 },
    { "nodedev-create", cmd_nodedev_create, file_opts,
      "create a device defined by an XML file on the node",
      "Create a device on the node.  Note that this command creates devices on the physical "
      "host that can then be assigned to a virtual machine.", 0 },
    { "nodedev-define", cmd_nodedev_define, file_opts, "Define a device by an xml file on a node",
      "Defines a persistent device on the node that can be assigned to a domain. The device "
      "must be started before it can be assigned to a domain.", 0 },
    { "nodedev-destroy", cmd_nodedev_destroy, device_opts, "destroy (stop) a device on the node",
      "Destroy a device on the node.  Note that this command destroys devices on the physical "
      "host", 0 },
    { "nodedev-detach", cmd_nodedev_detach, detach_opts,
      "detach node device from its device driver",
      "Detach node device from its device driver before assigning to a domain.", 0 },
    { "nodedev-dumpxml", cmd_nodedev_dumpxml, device_opts, "node device details in XML",
      "Output the node device details as an XML dump to stdout.", 0 },
    { "nodedev-info", cmd_nodedev_info, device_opts, "node device information",
      "Returns basic information about the node device", 0 },
    { "nodedev-list", cmd_nodedev_list, list_opts, "enumerate devices on this host", "", 0 },
    { "nodedev-reattach", cmd_nodedev_reattach, key_opts,
      "reattach node device to its device driver",
      "Reattach node device to its device driver once released by the domain.", 0 },
    { "nodedev-reset", cmd_nodedev_reset, key_opts, "reset node device",
      "Reset node device before or after assigning to a domain.", 0 },
    { "nodedev-start", cmd_nodedev_start, start_opts, "Start an inactive node device",
      "Starts an inactive node device that was previously defined", 0 },
    { "nodedev-undefine", cmd_nodedev_undefine, device_opts, "Undefine an inactive node device",
      "Undefines the configuration for an inactive node device", 0 },
    { NULL },
};
