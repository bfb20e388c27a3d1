#include "common/conf/disk-shareable.h"

#include "common/util/error.h"

static bool
shared_writable(const VkDomainDiskDef *disk)
{
    return disk->shareable && !disk->readonly;
}

int
vk_disk_shareable_validate(const VkDomainDiskDef *disk)
{
    /* a disk whose format is not named yet is opened as raw */
    if (shared_writable(disk) && disk->driver_type && !g_str_equal(disk->driver_type, "raw")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                        "shared access for disk '%s' requires use of supported storage format",
                        disk->target_dev);
        return -1;
    }
    return 0;
}

void
vk_disk_shareable_set_disk_cache(VkDomainDiskDef *disk)
{
    if (shared_writable(disk) && disk->driver_cache == VK_DISK_CACHE_ABSENT)
        disk->driver_cache = VK_DISK_CACHE_NONE;
}

void
vk_disk_shareable_set_cache(VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++)
        vk_disk_shareable_set_disk_cache(g_ptr_array_index(def->disks, i));
}
