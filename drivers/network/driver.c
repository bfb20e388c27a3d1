#include "drivers/network/driver.h"

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/network/core/network-defaults.h"
#include "drivers/network/core/network-obj.h"
#include "drivers/network/core/network-start.h"
#include "drivers/network/core/network-store.h"
#include "drivers/network/core/network-events.h"
#include "drivers/network/firewall/firewall.h"
#include "drivers/network/handlers/handlers.h"

static VkNetworkDriver *the_driver;

VkNetworkDriver *
vk_network_driver(void)
{
    return the_driver;
}

/* A saved definition is a persistent network. */
static void
mark_saved(VkObject *parent, gpointer store)
{
    VkNetworkObj *obj = (VkNetworkObj *) parent;

    obj->persistent = true;
    obj->autostart = vk_store_get_autostart(store, parent->name);
}

static VkObject *
list_add(VkObjectList *list, gpointer def, bool *existed)
{
    return (VkObject *) vk_network_list_add(list, def, existed);
}

static void
load_configs(VkNetworkDriver *driver)
{
    g_autoptr(GPtrArray) defs = vk_network_store_load_configs(driver->store);

    vk_object_list_add_saved(driver->networks, defs, list_add, mark_saved, driver->store);
}

/* OBJ (locked) was running when the daemon stopped: LIVE is its live
 * definition; it is taken back when its bridge is still there. */
static void
adopt_active(VkNetworkDriver *driver, VkNetworkObj *obj, VkNetworkDef *live)
{
    g_autoptr(GPtrArray) ports = vk_network_store_load_ports(driver->store, live->name);

    if (obj->persistent && obj->def != live)
        obj->new_def = obj->def;
    obj->def = live;
    for (guint i = 0; i < ports->len; i++)
        vk_network_obj_add_port(obj, g_steal_pointer(&ports->pdata[i]));
    obj->active = true;
    if (!vk_network_reconnect(driver, obj)) {
        g_warning("network '%s' is gone since the daemon stopped: marked inactive", live->name);
        vk_network_stop(driver, obj);
    }
}

/* The status files name the networks that were active. */
static void
load_status(VkNetworkDriver *driver)
{
    g_autoptr(GPtrArray) paths = vk_store_status_files(driver->store);

    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        VkNetworkDef *live = vk_network_store_read_status(path);
        VkNetworkObj *obj;
        bool existed = false;

        if (!live) {
            g_warning("ignoring the status file '%s': %s", path, vk_error_last_message());
            continue;
        }
        obj = vk_network_list_find_by_name(driver->networks, live->name);
        if (!obj && !(obj = vk_network_list_add(driver->networks, live, &existed))) {
            g_warning("ignoring the status of '%s': %s", live->name, vk_error_last_message());
            vk_network_def_free(live);
            continue;
        }
        vk_network_obj_lock(obj);
        vk_object_begin_internal_job(&obj->parent);
        adopt_active(driver, obj, live);
        vk_object_end_job(&obj->parent);
        if (!obj->active && !obj->persistent)
            vk_object_list_remove(driver->networks, &obj->parent);
        vk_network_obj_unlock(obj);
        vk_network_obj_unref(obj);
    }
}

static void
start_autostart_networks(VkNetworkDriver *driver)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(driver->networks);

    for (guint i = 0; i < all->len; i++) {
        VkNetworkObj *obj = g_ptr_array_index(all, i);

        vk_network_obj_lock(obj);
        vk_object_begin_internal_job(&obj->parent);
        if (obj->autostart && !obj->active && vk_network_start(driver, obj) < 0)
            g_warning("autostart of network '%s' failed: %s", obj->def->name,
                      vk_error_last_message());
        vk_error_reset();
        vk_object_end_job(&obj->parent);
        vk_network_obj_unlock(obj);
    }
}

int
vk_network_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driverp)
{
    VkNetworkDriver *driver = g_new0(VkNetworkDriver, 1);

    driver->paths = vk_paths_copy(paths);
    driver->networks = vk_object_list_new();
    driver->store = vk_network_store_new(driver->paths);
    driver->events = vk_network_events_new();
    driver->dnsmasq_dir = vk_paths_prefix(driver->paths, "/var/lib/libvirt/dnsmasq");
    driver->firewall = vk_firewall_new(NULL);
    g_mutex_init(&driver->define_lock);
    vk_network_placer_init(&driver->placer, driver);
    vk_store_remove_stale_temps(driver->store);
    the_driver = driver;
    load_configs(driver);
    load_status(driver);
    start_autostart_networks(driver);
    vk_network_definition_handlers_register(remote);
    vk_network_lifecycle_handlers_register(remote);
    vk_network_lease_handlers_register(remote);
    vk_network_update_handlers_register(remote);
    vk_network_port_handlers_register(remote);
    vk_network_event_handlers_register(remote);
    *driverp = driver;
    return 0;
}

void
vk_network_driver_stop(gpointer data)
{
    VkNetworkDriver *driver = data;

    /* Active networks keep running: a restarted daemon takes them back. */
    if (the_driver == driver)
        the_driver = NULL;
    vk_object_list_free(driver->networks);
    vk_store_free(driver->store);
    vk_event_registry_free(driver->events);
    vk_firewall_free(driver->firewall);
    vk_paths_free(driver->paths);
    g_free(driver->dnsmasq_dir);
    g_mutex_clear(&driver->define_lock);
    g_free(driver);
}
