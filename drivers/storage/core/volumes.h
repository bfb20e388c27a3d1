/* Volume operations through the pool's backend, with libvirt's checks and
 * the pool's list of volumes kept up to date.  POOL is locked with its job
 * held. */
#pragma once

#include "drivers/storage/core/pool-obj.h"

/* Parse XML as a volume of POOL and create it (from SRC of SRC_POOL when
 * SRC is given: a copy made before the call, so no second pool is locked).
 * The new volume, listed in POOL; NULL with libvirt's error. */
const VkStorageVolDef *vk_storage_vol_create(VkStoragePoolObj *pool, const char *xml,
                                             const VkStoragePoolDef *src_pool,
                                             const VkStorageVolDef *src, unsigned int flags);
int vk_storage_vol_delete(VkStoragePoolObj *pool, VkStorageVolDef *vol, unsigned int flags);
/* virStorageVolResize: CAPACITY and FLAGS (ALLOCATE, DELTA, SHRINK) as the
 * client gave them. */
int vk_storage_vol_resize(VkStoragePoolObj *pool, VkStorageVolDef *vol,
                          unsigned long long capacity, unsigned int flags);
int vk_storage_vol_wipe(VkStoragePoolObj *pool, VkStorageVolDef *vol, unsigned int algorithm,
                        unsigned int flags);
