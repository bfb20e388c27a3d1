/* The backend of a pool type (backend.h). */
#include "drivers/storage/backends/backend.h"

#include "common/util/error.h"
#include "drivers/storage/backends/backend-types.h"

/* libvirt's virStoragePoolType names, for its "missing backend" error */
static const char *const pool_type_names[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct", "scsi", "mpath", "rbd",
    "sheepdog", "gluster", "zfs", "vstorage",
};

static const VkStorageBackend *
find_backend(VkStoragePoolType type)
{
    static const VkStorageBackend *const backends[] = {
        &vk_storage_backend_dir, &vk_storage_backend_fs, &vk_storage_backend_logical,
        &vk_storage_backend_disk,
    };

    for (gsize i = 0; i < G_N_ELEMENTS(backends); i++)
        if (backends[i]->type == type)
            return backends[i];
    return NULL;
}

bool
vk_storage_backend_exists(VkStoragePoolType type)
{
    return find_backend(type) != NULL;
}

const VkStorageBackend *
vk_storage_backend_for(VkStoragePoolType type)
{
    const VkStorageBackend *backend = find_backend(type);

    if (!backend)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                        "missing backend for pool type %d (%s)", (int) type,
                        (gsize) type < G_N_ELEMENTS(pool_type_names) ? pool_type_names[type] : "");
    return backend;
}

int
vk_storage_check_build_flags(unsigned int flags)
{
    unsigned int known = VK_STORAGE_POOL_BUILD_OVERWRITE | VK_STORAGE_POOL_BUILD_NO_OVERWRITE;

    if (flags & ~known) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)",
                        flags & ~known);
        return -1;
    }
    if ((flags & known) == known) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG,
                        "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and "
                        "'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
        return -1;
    }
    return 0;
}
