/* A pool's life on the host through its backend: build, start (with the
 * first refresh), refresh, stop and delete, and taking active pools back
 * after a daemon restart.  OBJ is locked with its job held throughout. */
#pragma once

#include "drivers/storage/core/pool-obj.h"
#include "drivers/storage/driver.h"

/* virStoragePoolCreateFlags (the build flags are backend.h's) */
enum {
    VK_POOL_CREATE_WITH_BUILD = 1 << 0,
    VK_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
    VK_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
};

/* Start OBJ (inactive) from its current definition (with a build first
 * when FLAGS ask), the persistent one kept aside; its volumes are read and
 * its status saved.  On failure OBJ stays as it was.  -1 with an error. */
int vk_storage_pool_start(VkStorageDriver *driver, VkStoragePoolObj *obj, unsigned int flags);
/* Stop OBJ (active): its volumes are forgotten, its status removed, the
 * persistent definition becomes the current one. */
void vk_storage_pool_stop(VkStorageDriver *driver, VkStoragePoolObj *obj);
/* Read OBJ's (active) sizes and volumes again.  -1 with an error. */
int vk_storage_pool_refresh(VkStorageDriver *driver, VkStoragePoolObj *obj);
/* pool-build and pool-delete of an inactive pool. */
int vk_storage_pool_build(VkStoragePoolObj *obj, unsigned int flags);
int vk_storage_pool_delete(VkStoragePoolObj *obj, unsigned int flags);
/* After a daemon restart: OBJ was active (its status file says so) and is
 * taken back when the backend can start it again; false when not. */
bool vk_storage_pool_reconnect(VkStorageDriver *driver, VkStoragePoolObj *obj);
