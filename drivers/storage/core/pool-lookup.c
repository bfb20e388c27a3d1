#include "drivers/storage/core/pool-lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "common/util/uuid.h"
#include "drivers/storage/driver.h"

VkStoragePoolObj *
vk_storage_pool_from_ref(const remote_nonnull_storage_pool *ref)
{
    VkStoragePoolObj *obj = vk_storage_pool_list_find_by_uuid(vk_storage_driver()->pools,
                                                              (const unsigned char *) ref->uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!obj)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                        "no storage pool with matching uuid '%s' (%s)",
                        vk_uuid_format((const unsigned char *) ref->uuid, uuidstr), ref->name);
    return obj;
}

VkStoragePoolObj *
vk_storage_pool_begin(const remote_nonnull_storage_pool *ref)
{
    VkStoragePoolObj *obj = vk_storage_pool_from_ref(ref);

    if (!obj || vk_object_acquire(&obj->parent) < 0)
        return NULL;
    return obj;
}

/* The pool of the volume REF, locked (with its job when JOB), active, and
 * the volume in *VOL; NULL with libvirt's error. */
static VkStoragePoolObj *
vol_lookup(const remote_nonnull_storage_vol *ref, VkStorageVolDef **vol, bool job)
{
    VkStoragePoolObj *obj = vk_storage_pool_list_find_by_name(vk_storage_driver()->pools,
                                                              ref->pool);

    if (!obj) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                        "no storage pool with matching name '%s'", ref->pool);
        return NULL;
    }
    if (!job)
        vk_storage_pool_obj_lock(obj);
    else if (vk_object_acquire(&obj->parent) < 0)
        return NULL;
    *vol = NULL;
    if (vk_storage_pool_check_active(obj) == 0 &&
        !(*vol = vk_storage_pool_obj_find_volume(obj, ref->name)))
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_VOL,
                        "no storage vol with matching name '%s'", ref->name);
    if (obj->active && *vol)
        return obj;
    if (job)
        vk_object_release(&obj->parent, -1);
    else
        vk_storage_pool_read_end(obj, -1);
    return NULL;
}

VkStoragePoolObj *
vk_storage_vol_begin(const remote_nonnull_storage_vol *ref, VkStorageVolDef **vol)
{
    return vol_lookup(ref, vol, true);
}

VkStoragePoolObj *
vk_storage_vol_read_begin(const remote_nonnull_storage_vol *ref, VkStorageVolDef **vol)
{
    return vol_lookup(ref, vol, false);
}

VkStoragePoolObj *
vk_storage_pool_read_begin(const remote_nonnull_storage_pool *ref)
{
    VkStoragePoolObj *obj = vk_storage_pool_from_ref(ref);

    if (obj)
        vk_storage_pool_obj_lock(obj);
    return obj;
}

int
vk_storage_pool_read_end(VkStoragePoolObj *obj, int rc)
{
    vk_storage_pool_obj_unlock(obj);
    vk_storage_pool_obj_unref(obj);
    return rc;
}

void
vk_storage_pool_make_ref(remote_nonnull_storage_pool *ref, const VkStoragePoolDef *def)
{
    ref->name = strdup(def->name);
    memcpy(ref->uuid, def->uuid, VK_UUID_BUFLEN);
}

void
vk_storage_vol_make_ref(remote_nonnull_storage_vol *ref, const VkStoragePoolDef *pool,
                        const VkStorageVolDef *vol)
{
    ref->pool = strdup(pool->name);
    ref->name = strdup(vol->name);
    ref->key = strdup(vol->key ? vol->key : "");
}

int
vk_storage_pool_check_active(VkStoragePoolObj *obj)
{
    if (obj->active)
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                    "storage pool '%s' is not active", obj->def->name);
    return -1;
}

int
vk_storage_vol_check_idle(VkStoragePoolObj *obj, const VkStorageVolDef *vol)
{
    if (!vk_storage_pool_obj_volume_held(obj, vol->name))
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                    "storage volume '%s' is still in use.", vol->name);
    return -1;
}

int
vk_storage_vol_busy_check(VkStoragePoolObj *obj)
{
    if (!vk_storage_pool_obj_volume_held(obj, NULL))
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                    "pool '%s' has asynchronous jobs running.", obj->def->name);
    return -1;
}
