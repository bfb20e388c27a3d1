#include "drivers/nodedev/driver.h"

#include "common/util/error.h"
#include "drivers/nodedev/core/mdev.h"
#include "drivers/nodedev/core/mdev-lifecycle.h"
#include "drivers/nodedev/core/nodedev-events.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/nodedev-udev.h"
#include "drivers/nodedev/handlers/handlers.h"

static VkNodeDevDriver *the_driver;

VkNodeDevDriver *
vk_nodedev_driver(void)
{
    return the_driver;
}

/* A saved mdev definition, named as when it was defined. */
static gpointer
parse_saved(const char *path)
{
    g_autofree char *xml = NULL;
    g_autoptr(GError) err = NULL;
    VkNodeDeviceDef *def;
    VkNodeDevCap *cap;

    if (!g_file_get_contents(path, &xml, NULL, &err)) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_SYSTEM_ERROR, "%s", err->message);
        return NULL;
    }
    if (!(def = vk_node_device_def_parse_string(xml)))
        return NULL;
    cap = vk_node_device_def_find_cap(def, VK_NODEDEV_CAP_MDEV);
    if (!cap || !cap->mdev.uuid || !cap->mdev.parent_addr) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_XML_ERROR, "'%s' is no mdev definition", path);
        vk_node_device_def_free(def);
        return NULL;
    }
    g_free(def->name);
    def->name = vk_mdev_device_name(cap->mdev.uuid, cap->mdev.parent_addr);
    return def;
}

/* Saved definitions: inactive persistent mdevs, or running ones made
 * persistent. */
static void
load_defined(VkNodeDevDriver *driver)
{
    g_autoptr(GPtrArray) defs = vk_store_load_configs(driver->store, parse_saved,
                                                      (GDestroyNotify) vk_node_device_def_free);

    for (guint i = 0; i < defs->len; i++) {
        VkNodeDeviceDef *def = g_ptr_array_index(defs, i);
        VkNodeDevObj *obj = vk_nodedev_list_find(driver->devices, def->name);

        if (!obj && (obj = vk_nodedev_list_add(driver->devices, def))) {
            defs->pdata[i] = NULL;   /* the object owns it */
            obj->active = false;
        }
        if (!obj)
            continue;
        obj->persistent = true;
        obj->autostart = vk_store_get_autostart(driver->store, def ? def->name : obj->parent.name);
        vk_nodedev_obj_unref(obj);
    }
}

int
vk_nodedev_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driverp)
{
    VkNodeDevDriver *driver = g_new0(VkNodeDevDriver, 1);
    g_autofree char *config_dir = NULL;
    g_autofree char *status_dir = NULL;

    driver->paths = vk_paths_copy(paths);
    driver->devices = vk_object_list_new();
    driver->events = vk_nodedev_events_new();
    config_dir = vk_paths_prefix(driver->paths, "/etc/libvirt/nodedev");
    status_dir = vk_paths_prefix(driver->paths, "/run/libvirt/nodedev");
    driver->store = vk_store_new(config_dir, status_dir, VIR_FROM_NODEDEV);
    g_mutex_init(&driver->lock);
    vk_store_remove_stale_temps(driver->store);
    the_driver = driver;
    if (vk_nodedev_udev_start(driver) < 0) {
        vk_nodedev_driver_stop(driver);
        return -1;
    }
    load_defined(driver);
    vk_nodedev_mdev_autostart(driver);
    vk_nodedev_device_handlers_register(remote);
    vk_nodedev_listing_handlers_register(remote);
    vk_nodedev_mdev_handlers_register(remote);
    vk_nodedev_event_handlers_register(remote);
    *driverp = driver;
    return 0;
}

void
vk_nodedev_driver_stop(gpointer data)
{
    VkNodeDevDriver *driver = data;

    if (the_driver == driver)
        the_driver = NULL;
    vk_nodedev_udev_stop(driver);
    vk_object_list_free(driver->devices);
    vk_event_registry_free(driver->events);
    vk_store_free(driver->store);
    vk_paths_free(driver->paths);
    g_mutex_clear(&driver->lock);
    g_free(driver);
}
