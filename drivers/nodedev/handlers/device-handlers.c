/* Procedures on one node device: lookups (by name, by SCSI host WWN), XML,
 * parent, capabilities, and its state (active, persistent, autostart). */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/udev-device.h"
#include "drivers/nodedev/driver.h"
#include "drivers/nodedev/handlers/handlers.h"
#include "remote-protocol.h"

#define XML_INACTIVE (1 << 0)   /* virNodeDeviceXMLFlags */

/* The device NAME, locked (unlock and unref with put()), or NULL with
 * libvirt's error. */
static VkNodeDevObj *
get(const char *name)
{
    VkNodeDevObj *obj = vk_nodedev_lookup(vk_nodedev_driver()->devices, name);

    if (obj)
        vk_object_lock(&obj->parent);
    return obj;
}

static int
put(VkNodeDevObj *obj, int rc)
{
    vk_object_unlock(&obj->parent);
    vk_nodedev_obj_unref(obj);
    return rc;
}

static int
lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_lookup_by_name_args *) argsp)->name);

    if (!obj)
        return -1;
    ((remote_node_device_lookup_by_name_ret *) retp)->dev.name = strdup(obj->def->name);
    return put(obj, 0);
}

static bool
wwn_matches(const VkNodeDevCap *cap, const char *wwnn, const char *wwpn)
{
    return cap->type == VK_NODEDEV_CAP_SCSI_HOST && cap->scsi_host.fc_host &&
           cap->scsi_host.wwnn && cap->scsi_host.wwpn &&
           g_ascii_strcasecmp(cap->scsi_host.wwnn, wwnn) == 0 &&
           g_ascii_strcasecmp(cap->scsi_host.wwpn, wwpn) == 0;
}

static int
lookup_scsi_host_by_wwn(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_lookup_scsi_host_by_wwn_args *args = argsp;
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_nodedev_driver()->devices);
    char *found = NULL;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeDeviceLookupSCSIHostByWWN") < 0)
        return -1;
    for (guint i = 0; i < all->len && !found; i++) {
        VkNodeDevObj *obj = g_ptr_array_index(all, i);

        vk_object_lock(&obj->parent);
        for (guint c = 0; c < obj->def->caps->len && !found; c++)
            if (wwn_matches(g_ptr_array_index(obj->def->caps, c), args->wwnn, args->wwpn))
                found = strdup(obj->def->name);
        vk_object_unlock(&obj->parent);
    }
    if (!found) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_NO_NODE_DEVICE,
                        "no node device with matching wwnn '%s' and wwpn '%s'",
                        args->wwnn, args->wwpn);
        return -1;
    }
    ((remote_node_device_lookup_scsi_host_by_wwn_ret *) retp)->dev.name = found;
    return 0;
}

static int
get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_get_xml_desc_args *args = argsp;
    VkNodeDevObj *obj;
    g_autofree char *xml = NULL;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, XML_INACTIVE, "nodeDeviceGetXMLDesc") < 0 ||
        !(obj = get(args->name)))
        return -1;
    vk_udev_device_refresh(obj->def);
    xml = vk_node_device_def_format(obj->def);
    ((remote_node_device_get_xml_desc_ret *) retp)->xml = strdup(xml);
    return put(obj, 0);
}

static int
get_parent(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_get_parent_args *) argsp)->name);
    remote_node_device_get_parent_ret *ret = retp;

    if (!obj)
        return -1;
    /* the computer has none: a NULL name, as libvirtd answers */
    if (obj->def->parent) {
        ret->parentName = malloc(sizeof(char *));
        *ret->parentName = strdup(obj->def->parent);
    }
    return put(obj, 0);
}

/* The names of OBJ's capabilities in libvirt's order, at most MAX. */
static void
cap_names(VkNodeDevObj *obj, int max, char ***names, u_int *len)
{
    guint32 bits = vk_node_device_def_cap_bits(obj->def);

    *names = calloc(VK_NODEDEV_CAP_LAST, sizeof(char *));
    *len = 0;
    for (int t = 0; t < VK_NODEDEV_CAP_LAST && (int) *len < max; t++)
        if (bits & (1u << t))
            (*names)[(*len)++] = strdup(vk_nodedev_cap_to_string(t));
}

static int
num_of_caps(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_num_of_caps_args *) argsp)->name);
    char **names;
    u_int n;

    if (!obj)
        return -1;
    vk_udev_device_refresh(obj->def);
    cap_names(obj, VK_NODEDEV_CAP_LAST, &names, &n);
    for (u_int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    ((remote_node_device_num_of_caps_ret *) retp)->num = n;
    return put(obj, 0);
}

static int
list_caps(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_list_caps_args *args = argsp;
    remote_node_device_list_caps_ret *ret = retp;
    VkNodeDevObj *obj;

    if (args->maxnames > REMOTE_NODE_DEVICE_CAPS_LIST_MAX) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s",
                        "maxnames > REMOTE_NODE_DEVICE_CAPS_LIST_MAX");
        return -1;
    }
    if (!(obj = get(args->name)))
        return -1;
    vk_udev_device_refresh(obj->def);
    cap_names(obj, args->maxnames, &ret->names.names_val, &ret->names.names_len);
    return put(obj, 0);
}

static int
is_active(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_is_active_args *) argsp)->name);

    if (!obj)
        return -1;
    ((remote_node_device_is_active_ret *) retp)->active = obj->active;
    return put(obj, 0);
}

static int
is_persistent(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_is_persistent_args *) argsp)->name);

    if (!obj)
        return -1;
    ((remote_node_device_is_persistent_ret *) retp)->persistent = obj->persistent;
    return put(obj, 0);
}

static int
get_autostart(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = get(((remote_node_device_get_autostart_args *) argsp)->name);

    if (!obj)
        return -1;
    ((remote_node_device_get_autostart_ret *) retp)->autostart = obj->autostart;
    return put(obj, 0);
}

static int
set_autostart(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_set_autostart_args *args = argsp;
    VkNodeDevObj *obj = get(args->name);

    if (!obj)
        return -1;
    /* only a defined mdev can be autostarted */
    if (!vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_MDEV) || !obj->persistent) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "Unsupported device type");
        return put(obj, -1);
    }
    if (obj->autostart != !!args->autostart &&
        vk_store_set_autostart(vk_nodedev_driver()->store, obj->def->name, args->autostart) < 0)
        return put(obj, -1);
    obj->autostart = !!args->autostart;
    return put(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_DEVICE_LOOKUP_BY_NAME, lookup_by_name },
    { REMOTE_PROC_NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN, lookup_scsi_host_by_wwn },
    { REMOTE_PROC_NODE_DEVICE_GET_XML_DESC, get_xml_desc },
    { REMOTE_PROC_NODE_DEVICE_GET_PARENT, get_parent },
    { REMOTE_PROC_NODE_DEVICE_NUM_OF_CAPS, num_of_caps },
    { REMOTE_PROC_NODE_DEVICE_LIST_CAPS, list_caps },
    { REMOTE_PROC_NODE_DEVICE_IS_ACTIVE, is_active },
    { REMOTE_PROC_NODE_DEVICE_IS_PERSISTENT, is_persistent },
    { REMOTE_PROC_NODE_DEVICE_GET_AUTOSTART, get_autostart },
    { REMOTE_PROC_NODE_DEVICE_SET_AUTOSTART, set_autostart },
};

void
vk_nodedev_device_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
