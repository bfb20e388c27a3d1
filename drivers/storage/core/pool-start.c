#include "drivers/storage/core/pool-start.h"

#include "common/util/error.h"
#include "drivers/storage/backends/backend.h"
#include "drivers/storage/core/pool-store.h"

/* The backend of OBJ's type, or NULL with libvirt's error. */
static const VkStorageBackend *
backend_of(const VkStoragePoolDef *def)
{
    return vk_storage_backend_for(def->type);
}

int
vk_storage_pool_refresh(VkStorageDriver *driver, VkStoragePoolObj *obj)
{
    const VkStorageBackend *backend = backend_of(obj->def);
    GPtrArray *vols;

    if (!backend)
        return -1;
    vols = g_ptr_array_new_with_free_func((GDestroyNotify) vk_storage_vol_def_free);
    if (backend->refresh(obj->def, vols) < 0) {
        g_ptr_array_unref(vols);
        return -1;
    }
    vk_storage_pool_obj_set_volumes(obj, vols);
    if (vk_storage_store_save_status(driver->store, obj->def) < 0)
        g_warning("pool '%s': its status was not saved: %s", obj->def->name,
                  vk_error_last_message());
    vk_error_reset();
    return 0;
}

/* The build flags a start with build asks for. */
static unsigned int
build_flags_of_start(unsigned int flags)
{
    if (flags & VK_POOL_CREATE_WITH_BUILD_OVERWRITE)
        return VK_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VK_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
        return VK_STORAGE_POOL_BUILD_NO_OVERWRITE;
    return 0;
}

/* Build when asked, start, and the first refresh; a failed refresh undoes
 * the start. */
static int
bring_up(VkStorageDriver *driver, VkStoragePoolObj *obj, unsigned int flags)
{
    const VkStorageBackend *backend = backend_of(obj->def);

    if (!backend)
        return -1;
    if ((flags & (VK_POOL_CREATE_WITH_BUILD | VK_POOL_CREATE_WITH_BUILD_OVERWRITE |
                  VK_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) &&
        backend->build(obj->def, build_flags_of_start(flags)) < 0)
        return -1;
    if (backend->start(obj->def) < 0)
        return -1;
    if (vk_storage_pool_refresh(driver, obj) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        backend->stop(obj->def);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    return 0;
}

int
vk_storage_pool_start(VkStorageDriver *driver, VkStoragePoolObj *obj, unsigned int flags)
{
    if (obj->persistent && !obj->new_def)
        obj->new_def = vk_storage_pool_def_copy(obj->def);
    if (bring_up(driver, obj, flags) < 0) {
        if (obj->new_def) {
            vk_storage_pool_def_free(obj->def);
            obj->def = g_steal_pointer(&obj->new_def);
        }
        vk_store_delete_status(driver->store, obj->def->name);
        return -1;
    }
    obj->active = true;
    return 0;
}

void
vk_storage_pool_stop(VkStorageDriver *driver, VkStoragePoolObj *obj)
{
    const VkStorageBackend *backend = backend_of(obj->def);

    if (backend && backend->stop(obj->def) < 0)
        g_warning("pool '%s' did not stop cleanly: %s", obj->def->name, vk_error_last_message());
    vk_error_reset();
    obj->active = false;
    vk_storage_pool_obj_set_volumes(obj, NULL);
    vk_store_delete_status(driver->store, obj->def->name);
    if (obj->new_def) {
        vk_storage_pool_def_free(obj->def);
        obj->def = g_steal_pointer(&obj->new_def);
    }
    obj->def->capacity = obj->def->allocation = obj->def->available = 0;
}

int
vk_storage_pool_build(VkStoragePoolObj *obj, unsigned int flags)
{
    const VkStorageBackend *backend = backend_of(obj->def);

    return backend ? backend->build(obj->def, flags) : -1;
}

int
vk_storage_pool_delete(VkStoragePoolObj *obj, unsigned int flags)
{
    const VkStorageBackend *backend = backend_of(obj->def);

    if (!backend)
        return -1;
    if (!backend->delete) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT, "%s",
                        "pool does not support pool deletion");
        return -1;
    }
    return backend->delete(obj->def, flags);
}

bool
vk_storage_pool_reconnect(VkStorageDriver *driver, VkStoragePoolObj *obj)
{
    const VkStorageBackend *backend = backend_of(obj->def);

    /* starting again is harmless for every backend here (a mount that is
     * there already is kept), and the refresh reads the volumes */
    if (!backend || backend->start(obj->def) < 0 || vk_storage_pool_refresh(driver, obj) < 0) {
        g_warning("pool '%s' could not be taken back: %s", obj->def->name,
                  vk_error_last_message());
        vk_error_reset();
        return false;
    }
    obj->active = true;
    return true;
}
