/* Volumes of the dir and fs pools (volume-file.h). */
#include "drivers/storage/backends/volume-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/volume-info.h"
#include "drivers/storage/backends/volume-qemu-img.h"
#include "drivers/storage/backends/volume-raw.h"

static bool
is_format(const VkStorageVolDef *vol, const char *format)
{
    return g_strcmp0(vol->target_format ? vol->target_format : "raw", format) == 0;
}

/* libvirt's virStorageBackendVolCreateLocal */
static int
prepare(const VkStoragePoolDef *pool, VkStorageVolDef *vol)
{
    g_autofree char *path = NULL;

    vol->type = is_format(vol, "dir") ? VK_STORAGE_VOL_DIR : VK_STORAGE_VOL_FILE;
    vol->has_type = true;
    if (strchr(vol->name, '/')) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "volume name '%s' cannot contain '/'", vol->name);
        return -1;
    }
    path = g_build_filename(pool->target_path, vol->name, NULL);
    if (g_file_test(path, G_FILE_TEST_EXISTS)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "volume target path '%s' already exists", path);
        return -1;
    }
    vk_volume_info_set_str(&vol->target_path, path);
    vk_volume_info_set_str(&vol->key, path);
    if (!vol->target_format)
        vol->target_format = g_strdup("raw");
    return 0;
}

/* libvirt's createFileDir */
static int
create_dir(VkStorageVolDef *vol)
{
    if (vol->backing.path) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT, "%s",
                        "backing storage not supported for directories volumes");
        return -1;
    }
    if (mkdir(vol->target_path, 0700) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot create path '%s'",
                              vol->target_path);
        return -1;
    }
    if (vk_volume_apply_perms(vol->target_path, -1, &vol->target_perms) < 0) {
        rmdir(vol->target_path);
        return -1;
    }
    return 0;
}

static int
read_back(VkStorageVolDef *vol)
{
    return vk_volume_info_update(vol, 0);
}

int
vk_volume_file_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int flags)
{
    int rc;

    if (prepare(pool, vol) < 0)
        return -1;
    if (is_format(vol, "raw"))
        return vk_volume_raw_create(vol, NULL);   /* read back as it is made */
    if (is_format(vol, "dir"))
        rc = create_dir(vol);
    else
        rc = vk_volume_qemu_img_create(pool, vol, NULL);
    return rc < 0 ? -1 : read_back(vol);
}

int
vk_volume_file_create_from(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                           const VkStoragePoolDef *src_pool, const VkStorageVolDef *src,
                           unsigned int flags)
{
    bool src_raw = src->type == VK_STORAGE_VOL_BLOCK || is_format(src, "raw");
    int rc;

    if (prepare(pool, vol) < 0)
        return -1;
    if (is_format(vol, "dir")) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "cannot copy from volume to a directory volume");
        return -1;
    }
    if (is_format(vol, "raw") && src_raw)
        return vk_volume_raw_create(vol, src);   /* read back as it is made */
    rc = vk_volume_qemu_img_create(pool, vol, src);
    return rc < 0 ? -1 : read_back(vol);
}

int
vk_volume_file_delete(const VkStoragePoolDef *pool, const VkStorageVolDef *vol,
                      unsigned int flags)
{
    bool dir = vol->type == VK_STORAGE_VOL_DIR;

    if ((dir ? rmdir(vol->target_path) : unlink(vol->target_path)) == 0 || errno == ENOENT)
        return 0;
    vk_error_report_errno(VIR_FROM_STORAGE, errno,
                          dir ? "cannot remove directory '%s'" : "cannot unlink file '%s'",
                          vol->target_path);
    return -1;
}

int
vk_storage_vol_check_resize(const VkStorageVolDef *vol, unsigned long long capacity,
                            unsigned int flags)
{
    if (capacity < vol->allocation) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "%s",
                        "can't shrink capacity below existing allocation");
        return -1;
    }
    if (capacity < vol->capacity && !(flags & VK_STORAGE_VOL_RESIZE_SHRINK)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "%s",
                        "Can't shrink capacity below current capacity unless shrink flag "
                        "explicitly specified");
        return -1;
    }
    return 0;
}

/* libvirt's virFileResize: zeros written up to CAPACITY when allocating */
static int
resize_raw(const VkStorageVolDef *vol, unsigned long long capacity, bool allocate)
{
    struct stat st;
    int fd = open(vol->target_path, O_RDWR | O_CLOEXEC);
    int rc = 0;

    if (fd < 0 || fstat(fd, &st) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "Unable to open '%s'", vol->target_path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (allocate && capacity > (unsigned long long) st.st_size) {
        if (fallocate(fd, 0, st.st_size, capacity - st.st_size) < 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno,
                                  "Failed to pre-allocate space for file '%s'",
                                  vol->target_path);
            rc = -1;
        }
    } else if (ftruncate(fd, capacity) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "Failed to truncate file '%s'",
                              vol->target_path);
        rc = -1;
    }
    close(fd);
    return rc;
}

int
vk_volume_file_resize(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                      unsigned long long capacity, unsigned int flags)
{
    bool allocate = flags & VK_STORAGE_VOL_RESIZE_ALLOCATE;
    int rc;

    if (vk_storage_vol_check_resize(vol, capacity, flags) < 0)
        return -1;
    if (is_format(vol, "raw")) {
        rc = resize_raw(vol, capacity, allocate);
    } else if (allocate) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "preallocate is only supported for raw type volume");
        return -1;
    } else {
        rc = vk_volume_qemu_img_resize(vol, capacity);
    }
    return rc < 0 ? -1 : read_back(vol);
}

int
vk_volume_file_refresh(const VkStoragePoolDef *pool, VkStorageVolDef *vol)
{
    return read_back(vol);
}
