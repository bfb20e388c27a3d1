#include "drivers/storage/core/volumes.h"

#include "common/util/error.h"
#include "drivers/storage/backends/backend.h"
#include "drivers/storage/backends/volume-file.h"
#include "drivers/storage/core/pool-lookup.h"

/* A volume made (ADD) or deleted changes the pool's sizes by its allocation,
 * counted as libvirt's storageVolCreateXML and storageVolDelete count it,
 * rather than by asking the file system again; a disk pool's sizes come
 * from its partition table, read again as libvirt's disk backend does. */
static void
add_allocation(const VkStorageBackend *backend, VkStoragePoolDef *def, unsigned long long bytes,
               bool add)
{
    if (def->type == VK_STORAGE_POOL_DISK) {
        backend->refresh(def, NULL);
    } else if (add) {
        bytes = MIN(bytes, def->available);
        def->allocation += bytes;
        def->available -= bytes;
    } else {
        bytes = MIN(bytes, def->allocation);
        def->allocation -= bytes;
        def->available += bytes;
    }
}

const VkStorageVolDef *
vk_storage_vol_create(VkStoragePoolObj *pool, const char *xml, const VkStoragePoolDef *src_pool,
                      const VkStorageVolDef *src, unsigned int flags)
{
    const VkStorageBackend *backend = vk_storage_backend_for(pool->def->type);
    g_autoptr(VkStorageVolDef) vol = NULL;
    int rc;

    if (!backend || vk_storage_pool_check_active(pool) < 0 ||
        !(vol = vk_storage_vol_def_parse_string(xml, pool->def->type, 0)))
        return NULL;
    if (vk_storage_pool_obj_find_volume(pool, vol->name)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_STORAGE_VOL_EXIST, "'%s'", vol->name);
        return NULL;
    }
    /* the file is made with the pool unlocked, as libvirt drops its lock
     * while it builds a volume: lookups, listings and info of the pool go on
     * meanwhile.  The job stays ours, so nothing changes the definition,
     * and a second creation of the same name waits, then finds this one. */
    vk_storage_pool_obj_unlock(pool);
    rc = src ? backend->vol_create_from(pool->def, vol, src_pool, src, flags)
             : backend->vol_create(pool->def, vol, flags);
    vk_storage_pool_obj_lock(pool);
    if (rc < 0)
        return NULL;   /* else VOL is read back already (backend.h) */
    g_ptr_array_add(pool->volumes, vol);
    add_allocation(backend, pool->def, vol->allocation, true);
    return g_steal_pointer(&vol);
}

int
vk_storage_vol_delete(VkStoragePoolObj *pool, VkStorageVolDef *vol, unsigned int flags)
{
    const VkStorageBackend *backend = vk_storage_backend_for(pool->def->type);

    if (!backend || vk_storage_vol_check_idle(pool, vol) < 0 ||
        backend->vol_delete(pool->def, vol, flags) < 0)
        return -1;
    add_allocation(backend, pool->def, vol->allocation, false);
    vk_storage_pool_obj_remove_volume(pool, vol->name);
    return 0;
}

/* The capacity a resize asks for; -1 with libvirt's error. */
static int
resize_target(const VkStorageVolDef *vol, unsigned long long capacity, unsigned int flags,
              unsigned long long *target)
{
    *target = capacity;
    if (flags & VK_STORAGE_VOL_RESIZE_DELTA) {
        if (flags & VK_STORAGE_VOL_RESIZE_SHRINK) {
            if (capacity > vol->capacity) {
                vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "%s",
                                "can't shrink capacity below zero");
                return -1;
            }
            *target = vol->capacity - capacity;
        } else {
            *target = vol->capacity + capacity;
        }
    }
    return vk_storage_vol_check_resize(vol, *target, flags);
}

int
vk_storage_vol_resize(VkStoragePoolObj *pool, VkStorageVolDef *vol, unsigned long long capacity,
                      unsigned int flags)
{
    const VkStorageBackend *backend = vk_storage_backend_for(pool->def->type);
    unsigned long long target;

    if (!backend || vk_storage_vol_check_idle(pool, vol) < 0)
        return -1;
    if (!backend->vol_resize) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT, "%s",
                        "storage pool does not support changing of volume capacity");
        return -1;
    }
    if (resize_target(vol, capacity, flags, &target) < 0)
        return -1;
    if ((flags & VK_STORAGE_VOL_RESIZE_ALLOCATE) && target - vol->allocation > pool->def->available) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "%s",
                        "Not enough space left in storage pool");
        return -1;
    }
    if (backend->vol_resize(pool->def, vol, target, flags) < 0 ||
        backend->vol_refresh(pool->def, vol) < 0)
        return -1;
    backend->refresh(pool->def, NULL);
    return 0;
}

int
vk_storage_vol_wipe(VkStoragePoolObj *pool, VkStorageVolDef *vol, unsigned int algorithm,
                    unsigned int flags)
{
    const VkStorageBackend *backend = vk_storage_backend_for(pool->def->type);

    if (!backend || vk_storage_vol_check_idle(pool, vol) < 0 ||
        backend->vol_wipe(pool->def, vol, algorithm, flags) < 0)
        return -1;
    return backend->vol_refresh(pool->def, vol);
}
