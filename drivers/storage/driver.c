#include "drivers/storage/driver.h"

#include "common/util/error.h"
#include "drivers/storage/core/pool-events.h"
#include "drivers/storage/core/pool-obj.h"
#include "drivers/storage/core/pool-placer.h"
#include "drivers/storage/core/pool-start.h"
#include "drivers/storage/core/pool-store.h"
#include "drivers/storage/handlers/handlers.h"

static VkStorageDriver *the_driver;

VkStorageDriver *
vk_storage_driver(void)
{
    return the_driver;
}

/* A saved definition is a persistent pool. */
static void
mark_saved(VkObject *parent, gpointer store)
{
    VkStoragePoolObj *obj = (VkStoragePoolObj *) parent;

    obj->persistent = true;
    obj->autostart = vk_store_get_autostart(store, parent->name);
}

static VkObject *
list_add(VkObjectList *list, gpointer def, bool *existed)
{
    return (VkObject *) vk_storage_pool_list_add(list, def, existed);
}

static void
load_configs(VkStorageDriver *driver)
{
    g_autoptr(GPtrArray) defs = vk_storage_store_load_configs(driver->store);

    vk_object_list_add_saved(driver->pools, defs, list_add, mark_saved, driver->store);
}

/* A status file names a pool that was active when the daemon stopped: it
 * runs again with its live definition, or is marked inactive. */
static void
take_back(VkStorageDriver *driver, const char *path)
{
    VkStoragePoolDef *live = vk_storage_pool_def_parse_file(path);
    VkStoragePoolObj *obj;
    bool existed = false;

    if (!live) {
        g_warning("ignoring the status file '%s': %s", path, vk_error_last_message());
        vk_error_reset();
        return;
    }
    obj = vk_storage_pool_list_find_by_name(driver->pools, live->name);
    if (!obj && !(obj = vk_storage_pool_list_add(driver->pools, live, &existed))) {
        vk_storage_pool_def_free(live);
        return;
    }
    vk_storage_pool_obj_lock(obj);
    vk_object_begin_internal_job(&obj->parent);
    if (obj->def != live) {
        obj->new_def = obj->persistent ? obj->def : NULL;
        if (!obj->persistent)
            vk_storage_pool_def_free(obj->def);
        obj->def = live;
    }
    if (!vk_storage_pool_reconnect(driver, obj))
        vk_storage_pool_stop(driver, obj);
    vk_object_end_job(&obj->parent);
    if (!obj->active && !obj->persistent)
        vk_object_list_remove(driver->pools, &obj->parent);
    vk_storage_pool_obj_unlock(obj);
    vk_storage_pool_obj_unref(obj);
}

static void
start_autostart_pools(VkStorageDriver *driver)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(driver->pools);

    for (guint i = 0; i < all->len; i++) {
        VkStoragePoolObj *obj = g_ptr_array_index(all, i);

        vk_storage_pool_obj_lock(obj);
        vk_object_begin_internal_job(&obj->parent);
        if (obj->autostart && !obj->active && vk_storage_pool_start(driver, obj, 0) < 0)
            g_warning("autostart of pool '%s' failed: %s", obj->def->name,
                      vk_error_last_message());
        vk_error_reset();
        vk_object_end_job(&obj->parent);
        vk_storage_pool_obj_unlock(obj);
    }
}

int
vk_storage_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driverp)
{
    VkStorageDriver *driver = g_new0(VkStorageDriver, 1);
    g_autoptr(GPtrArray) status = NULL;

    driver->paths = vk_paths_copy(paths);
    driver->pools = vk_object_list_new();
    driver->store = vk_storage_store_new(driver->paths);
    driver->events = vk_pool_events_new();
    g_mutex_init(&driver->define_lock);
    vk_storage_placer_init(&driver->placer, driver);
    vk_store_remove_stale_temps(driver->store);
    the_driver = driver;
    load_configs(driver);
    status = vk_store_status_files(driver->store);
    for (guint i = 0; i < status->len; i++)
        take_back(driver, g_ptr_array_index(status, i));
    start_autostart_pools(driver);
    vk_storage_pool_handlers_register(remote);
    vk_storage_pool_lifecycle_handlers_register(remote);
    vk_storage_volume_handlers_register(remote);
    vk_storage_stream_handlers_register(remote);
    vk_storage_event_handlers_register(remote);
    *driverp = driver;
    return 0;
}

void
vk_storage_driver_stop(gpointer data)
{
    VkStorageDriver *driver = data;

    /* Active pools stay as they are: a restarted daemon takes them back. */
    if (the_driver == driver)
        the_driver = NULL;
    vk_object_list_free(driver->pools);
    vk_store_free(driver->store);
    vk_event_registry_free(driver->events);
    vk_paths_free(driver->paths);
    g_mutex_clear(&driver->define_lock);
    g_free(driver);
}
