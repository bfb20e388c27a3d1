/* The dir pool: a directory of volume files (libvirt's
 * storage_backend_fs.c, type dir).  Everything is shared with the fs pool. */
#include "drivers/storage/backends/backend-types.h"
#include "drivers/storage/backends/local-dir.h"
#include "drivers/storage/backends/volume-file.h"

static int
dir_build(const VkStoragePoolDef *def, unsigned int flags)
{
    if (vk_storage_check_build_flags(flags) < 0)
        return -1;
    return vk_local_dir_build(def);
}

static int
dir_stop(const VkStoragePoolDef *def)
{
    return 0;
}

const VkStorageBackend vk_storage_backend_dir = {
    .type = VK_STORAGE_POOL_DIR,
    .build = dir_build,
    .start = vk_local_dir_check,
    .refresh = vk_local_dir_refresh,
    .stop = dir_stop,
    .delete = vk_local_dir_delete,
    VK_VOLUME_FILE_CALLS,
};
