/* Mediated devices: nodedev-create (a transient mdev), nodedev-define (a
 * persistent one, saved under ROOT/etc/libvirt/nodedev), nodedev-start,
 * nodedev-destroy and nodedev-undefine, through the parent's sysfs files
 * (core/mdev.h) with libvirt 9.0's checks and errors. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/nodedev/core/mdev.h"
#include "drivers/nodedev/core/nodedev-events.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/nodedev-udev.h"
#include "drivers/nodedev/driver.h"
#include "drivers/nodedev/handlers/handlers.h"
#include "remote-protocol.h"

#define DEFINE_VALIDATE (1 << 0)   /* virNodeDeviceDefineXMLFlags */
#define SETTLE_MS 5000             /* how long an mdev may take to appear or go */

static int
unsupported_type(void)
{
    vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

/* PARENT's sysfs path when it offers TYPE, else NULL with an error.  A
 * parent without any mdev types is what libvirt 9.0 cannot handle without
 * mdevctl, and its error is the one clients know there. */
static char *
parent_offering(const char *parent, const char *type)
{
    VkNodeDevObj *obj;
    VkNodeDevCap *cap;
    char *syspath = NULL;

    if (!parent) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "missing parent device");
        return NULL;
    }
    if (!(obj = vk_nodedev_list_find(vk_nodedev_driver()->devices, parent))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                        "invalid parent device '%s'", parent);
        return NULL;
    }
    vk_object_lock(&obj->parent);
    cap = vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_PCI_DEV);
    if (!cap || !cap->pci.mdev_types || !obj->def->sysfs_path) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot find 'mdevctl' in path: No such file or directory");
    } else {
        for (guint i = 0; i < cap->pci.mdev_types->len && !syspath; i++) {
            VkMdevType *t = g_ptr_array_index(cap->pci.mdev_types, i);
            if (strcmp(t->id, type) == 0)
                syspath = g_strdup(obj->def->sysfs_path);
        }
        if (!syspath)
            vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                            "mediated device type '%s' is not supported by '%s'", type, parent);
    }
    vk_object_unlock(&obj->parent);
    vk_nodedev_obj_unref(obj);
    return syspath;
}

/* XML as an mdev definition named as libvirt names it, with its parent's
 * sysfs path in *PARENT_SYSPATH. */
static VkNodeDeviceDef *
parse_mdev(const char *xml, char **parent_syspath)
{
    g_autoptr(VkNodeDeviceDef) def = vk_node_device_def_parse_string(xml);
    VkNodeDevCap *cap;

    if (!def)
        return NULL;
    if (!(cap = vk_node_device_def_find_cap(def, VK_NODEDEV_CAP_MDEV))) {
        unsupported_type();
        return NULL;
    }
    if (!(*parent_syspath = parent_offering(def->parent, cap->mdev.type)))
        return NULL;
    if (!cap->mdev.uuid)
        cap->mdev.uuid = g_uuid_string_random();
    g_free(cap->mdev.parent_addr);
    cap->mdev.parent_addr = g_path_get_basename(*parent_syspath);
    g_free(def->name);
    def->name = vk_mdev_device_name(cap->mdev.uuid, cap->mdev.parent_addr);
    return g_steal_pointer(&def);
}

/* Wait until PATH exists (or, with GONE, does not). */
static bool
settle(const char *path, bool gone)
{
    for (int waited = 0; waited < SETTLE_MS; waited += 10) {
        if (g_file_test(path, G_FILE_TEST_EXISTS) != gone)
            return true;
        g_usleep(10 * 1000);
    }
    return false;
}

/* Create the mdev of DEF under PARENT_SYSPATH and list it: its name. */
static char *
start_mdev(const VkNodeDeviceDef *def, const char *parent_syspath)
{
    const VkNodeDevMdev *m = &vk_node_device_def_find_cap(def, VK_NODEDEV_CAP_MDEV)->mdev;
    g_autofree char *syspath = g_build_filename(parent_syspath, m->uuid, NULL);
    char *name;

    if (vk_mdev_create(parent_syspath, m->type, m->uuid) < 0)
        return NULL;
    if (!settle(syspath, false) ||
        !(name = vk_nodedev_udev_add_syspath(vk_nodedev_driver(), syspath))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "Device '%s' did not appear in sysfs", m->uuid);
        return NULL;
    }
    return name;
}

static int
create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_create_xml_args *args = argsp;
    g_autofree char *parent_syspath = NULL;
    g_autoptr(VkNodeDeviceDef) def = NULL;
    char *name;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeDeviceCreateXML") < 0 ||
        !(def = parse_mdev(args->xml_desc, &parent_syspath)) ||
        !(name = start_mdev(def, parent_syspath)))
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
        !(def = parse_mdev(args->xml_desc, &parent_syspath)))
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
    g_autoptr(VkNodeDeviceDef) copy = NULL;
    g_autofree char *parent_syspath = NULL;
    g_autofree char *name = NULL;
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
    if (!(copy = parse_mdev(xml, &parent_syspath)) || !(name = start_mdev(copy, parent_syspath)))
        return -1;
    return 0;
}

static int
destroy(VkServerClient *client, void *argsp, void *retp)
{
    VkNodeDevObj *obj = begin(((remote_node_device_destroy_args *) argsp)->name);
    g_autofree char *syspath = NULL;

    if (!obj)
        return -1;
    if (!vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_MDEV)) {
        unsupported_type();
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
    if (!settle(syspath, true)) {
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

