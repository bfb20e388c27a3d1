/* Mediated devices: nodedev-create (a transient mdev), nodedev-define (a
 * persistent one, saved under ROOT/etc/libvirt/nodedev), nodedev-start,
 * nodedev-destroy and nodedev-undefine, through the parent's sysfs files
 * (core/mdev.h) with libvirt 9.0's checks and errors. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/nodedev/core/mdev.h"
#include "drivers/nodedev/core/mdev-lifecycle.h"
#include "drivers/nodedev/core/nodedev-events.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/nodedev-udev.h"
#include "drivers/nodedev/driver.h"
#include "drivers/nodedev/handlers/handlers.h"
#include "remote-protocol.h"

#define DEFINE_VALIDATE (1 << 0)   /* virNodeDeviceDefineXMLFlags */

static int
create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_create_xml_args *args = argsp;
    g_autofree char *parent_syspath = NULL;
    g_autoptr(VkNodeDeviceDef) def = NULL;
    char *name;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeDeviceCreateXML") < 0 ||
        !(def = vk_nodedev_mdev_parse(args->xml_desc, &parent_syspath)) ||
        !(name = vk_nodedev_mdev_start(def, parent_syspath)))
        return -1;
    ((remote_node_device_create_xml_ret *) retp)->dev.name = strdup(name);
    g_free(name);
    return 0;
}

static int
define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_define_xml_args *args = argsp;
    VkNodeDevDriver *driver = vk_nodedev_driver();
    g_autofree char *parent_syspath = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *name = NULL;
    VkNodeDeviceDef *def;
    VkNodeDevObj *obj;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, DEFINE_VALIDATE, "nodeDeviceDefineXML") < 0 ||
        !(def = vk_nodedev_mdev_parse(args->xml_desc, &parent_syspath)))
        return -1;
    xml = vk_node_device_def_format(def);
    name = g_strdup(def->name);
    g_mutex_lock(&driver->lock);
    if (vk_store_save_config(driver->store, name, xml) < 0) {
        g_mutex_unlock(&driver->lock);
        vk_node_device_def_free(def);
        return -1;
    }
    if ((obj = vk_nodedev_list_find(driver->devices, name))) {
        vk_node_device_def_free(def);   /* the running one keeps its live definition */
    } else {
        obj = vk_nodedev_list_add(driver->devices, def);
        obj->active = false;
    }
    obj->persistent = true;
    vk_nodedev_obj_unref(obj);
    g_mutex_unlock(&driver->lock);
    vk_nodedev_event_lifecycle(driver->events, name, VK_NODEDEV_EVENT_DEFINED);
    ((remote_node_device_define_xml_ret *) retp)->dev.name = strdup(name);
    return 0;
}

/* The device NAME locked with its job, or NULL with libvirt's error. */
static VkNodeDevObj *
begin(const char *name)
{
    VkNodeDevObj *obj = vk_nodedev_lookup(vk_nodedev_driver()->devices, name);

    if (!obj || vk_object_acquire(&obj->parent) < 0)
        return NULL;
    return obj;
}

static int
node_device_create(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_create_args *args = argsp;
    g_autofree char *xml = NULL;
    VkNodeDevObj *obj;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeDeviceCreate") < 0 ||
        !(obj = begin(args->name)))
        return -1;
    if (obj->active) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_OPERATION_INVALID, "%s",
                        "Device is already active");
        return vk_object_release(&obj->parent, -1);
    }
    xml = vk_node_device_def_format(obj->def);
    vk_object_release(&obj->parent, 0);
    return vk_nodedev_mdev_start_xml(xml);
}

static int
destroy(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = begin(((remote_node_device_destroy_args *) argsp)->name);
    g_autofree char *syspath = NULL;

    if (!obj)
        return -1;
    if (!vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_MDEV)) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "Unsupported device type");
        return vk_object_release(&obj->parent, -1);
    }
    if (!obj->active || !obj->def->sysfs_path) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_OPERATION_INVALID, "%s",
                        "Device is not active");
        return vk_object_release(&obj->parent, -1);
    }
    syspath = g_strdup(obj->def->sysfs_path);
    vk_object_release(&obj->parent, 0);
    if (vk_mdev_remove(syspath) < 0)
        return -1;
    if (!vk_nodedev_mdev_settle(syspath, true)) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "Device '%s' did not go from sysfs", syspath);
        return -1;
    }
    vk_nodedev_udev_remove_syspath(vk_nodedev_driver(), syspath);
    return 0;
}

static int
undefine(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_undefine_args *args = argsp;
    VkNodeDevDriver *driver = vk_nodedev_driver();
    g_autofree char *name = NULL;
    VkNodeDevObj *obj;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeDeviceUndefine") < 0 ||
        !(obj = begin(args->name)))
        return -1;
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_OPERATION_INVALID,
                        "Node device '%s' is not defined", args->name);
        return vk_object_release(&obj->parent, -1);
    }
    /* only mdevs are ours to forget: the computer is persistent too */
    if (!vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_MDEV)) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "Unsupported device type");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_store_delete_config(driver->store, obj->def->name) < 0)
        return vk_object_release(&obj->parent, -1);
    obj->persistent = false;
    obj->autostart = false;
    name = g_strdup(obj->def->name);
    if (!obj->active)
        vk_object_list_remove(driver->devices, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_nodedev_event_lifecycle(driver->events, name, VK_NODEDEV_EVENT_UNDEFINED);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_DEVICE_CREATE_XML, create_xml },
    { REMOTE_PROC_NODE_DEVICE_DEFINE_XML, define_xml },
    { REMOTE_PROC_NODE_DEVICE_CREATE, node_device_create },
    { REMOTE_PROC_NODE_DEVICE_DESTROY, destroy },
    { REMOTE_PROC_NODE_DEVICE_UNDEFINE, undefine },
};

void
vk_nodedev_mdev_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}

