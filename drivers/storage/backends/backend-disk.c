/* The disk pool: a whole block device with a partition table, each
 * partition a volume (libvirt's storage_backend_disk.c, with parted for
 * its parthelper). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/backend-types.h"
#include "drivers/storage/backends/command.h"
#include "drivers/storage/backends/device-empty.h"
#include "drivers/storage/backends/disk-partition.h"
#include "drivers/storage/backends/volume-info.h"
#include "drivers/storage/backends/volume-qemu-img.h"
#include "drivers/storage/backends/volume-wipe.h"

#define MiB (1024ULL * 1024)

static VkStoragePoolSourceDevice *
pool_device(const VkStoragePoolDef *def)
{
    if (def->source.devices && def->source.devices->len > 0)
        return g_ptr_array_index(def->source.devices, 0);
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s", "missing source device");
    return NULL;
}

/* the device, which must exist ("device path 'D' doesn't exist") */
static const char *
existing_device(const VkStoragePoolDef *def)
{
    VkStoragePoolSourceDevice *dev = pool_device(def);

    if (!dev)
        return NULL;
    if (g_file_test(dev->path, G_FILE_TEST_EXISTS))
        return dev->path;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "device path '%s' doesn't exist",
                    dev->path);
    return NULL;
}

static const char *
label_of(const VkStoragePoolDef *def)
{
    return def->source.format ? def->source.format : "dos";
}

/* libvirt's virStorageBackendZeroPartitionTable: the first and the last
 * MiB, where dos and gpt keep their tables */
static int
zero_table(const char *device)
{
    g_autofree char *zeros = g_malloc0(MiB);
    int fd = open(device, O_WRONLY | O_CLOEXEC);
    off_t size;
    int rc = 0;

    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to open storage volume with path '%s'", device);
        return -1;
    }
    size = lseek(fd, 0, SEEK_END);
    if (pwrite(fd, zeros, MIN((off_t) MiB, size), 0) < 0 ||
        (size > (off_t) MiB && pwrite(fd, zeros, MiB, size - MiB) < 0) || fdatasync(fd) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to write to storage volume with path '%s'", device);
        rc = -1;
    }
    close(fd);
    return rc;
}

/* parted DEV mklabel --script FORMAT, over an empty device unless OVERWRITE */
static int
disk_build(const VkStoragePoolDef *def, unsigned int flags)
{
    const char *device;
    const char *label = label_of(def);

    if (vk_storage_check_build_flags(flags) < 0 || !(device = existing_device(def)))
        return -1;
    if (!(flags & VK_STORAGE_POOL_BUILD_OVERWRITE) &&
        vk_storage_device_check_empty(device, label, true) < 0)
        return -1;
    if (zero_table(device) < 0)
        return -1;
    const char *argv[] = { "parted", device, "mklabel", "--script",
                           g_str_equal(label, "dos") ? "msdos" : label, NULL };
    return vk_storage_command_run(argv, NULL);
}

/* the device must hold a table of the pool's format */
static int
disk_start(const VkStoragePoolDef *def)
{
    const char *device = existing_device(def);

    if (!device)
        return -1;
    return vk_storage_device_check_empty(device, label_of(def), false);
}

static int
disk_stop(const VkStoragePoolDef *def)
{
    return 0;
}

static bool
use_separator(const VkStoragePoolSourceDevice *dev)
{
    /* only device-mapper devices heed part_separator='no' */
    return !(dev->part_separator == VK_TRISTATE_OFF && g_str_has_prefix(dev->path, "/dev/dm-"));
}

/* The volume of partition EXT: libvirt's virStorageBackendDiskMakeDataVol */
static VkStorageVolDef *
partition_volume(const VkStoragePoolSourceDevice *dev, const VkPartExtent *ext)
{
    g_autoptr(VkStorageVolDef) vol = g_new0(VkStorageVolDef, 1);
    VkStorageExtent extent = { ext->start, ext->end };
    bool extended = ext->kind == VK_PART_EXTENDED;

    vol->target_path = vk_part_device_path(dev->path, ext->number, use_separator(dev));
    vol->name = g_path_get_basename(vol->target_path);
    vol->key = g_strdup(vol->target_path);
    vol->type = VK_STORAGE_VOL_BLOCK;
    vol->has_type = true;
    vol->target_format = g_strdup(extended ? "extended" : "none");
    vol->source_device = g_strdup(dev->path);
    vol->source_extents = g_array_new(FALSE, FALSE, sizeof(VkStorageExtent));
    g_array_append_val(vol->source_extents, extent);
    if (vk_volume_info_update(vol, extended ? VK_VOLUME_INFO_NOERROR : 0) == -1)
        return NULL;
    if (extended) {
        vol->allocation = 0;
        vol->capacity = ext->end - ext->start;
    }
    return g_steal_pointer(&vol);
}

static void
add_free_extent(VkStoragePoolDef *def, VkStoragePoolSourceDevice *dev, const VkPartExtent *ext)
{
    VkStorageExtent e = { ext->start == 0 ? 512 : ext->start, ext->end };

    g_array_append_val(dev->free_extents, e);
    def->available += e.end - e.start;
    def->capacity = MAX(def->capacity, e.end);
}

/* the extended partition's volume, which logical ones add their allocation to */
static VkStorageVolDef *
extended_volume(GPtrArray *vols, guint from)
{
    for (guint i = from; i < vols->len; i++) {
        VkStorageVolDef *v = g_ptr_array_index(vols, i);
        if (g_strcmp0(v->target_format, "extended") == 0)
            return v;
    }
    return NULL;
}

static int
add_partition(VkStoragePoolDef *def, VkStoragePoolSourceDevice *dev, const VkPartExtent *ext,
              GPtrArray *vols, guint first)
{
    VkStorageVolDef *vol = partition_volume(dev, ext);
    VkStorageVolDef *ext_vol;

    if (!vol)
        return -1;
    if (ext->kind == VK_PART_LOGICAL && (ext_vol = extended_volume(vols, first)))
        ext_vol->allocation += vol->allocation;
    def->allocation += vol->allocation;
    def->capacity = MAX(def->capacity, ext->end);
    g_ptr_array_add(vols, vol);
    return 0;
}

/* libvirt's virStorageBackendDiskRefreshPool: the partitions as volumes,
 * the free extents into the source device, capacity their furthest end */
static int
disk_refresh(VkStoragePoolDef *def, GPtrArray *vols)
{
    VkStoragePoolSourceDevice *dev = pool_device(def);
    g_autoptr(VkPartTable) table = NULL;
    g_autoptr(GPtrArray) scratch = NULL;
    guint first;

    if (!vols)   /* the sizes only: the partitions are read all the same */
        vols = scratch = g_ptr_array_new_with_free_func((GDestroyNotify) vk_storage_vol_def_free);
    first = vols->len;

    if (!dev || !existing_device(def) || !(table = vk_part_table_read(dev->path)))
        return -1;
    if (dev->free_extents)
        g_array_unref(dev->free_extents);
    dev->free_extents = g_array_new(FALSE, FALSE, sizeof(VkStorageExtent));
    def->allocation = def->capacity = def->available = 0;
    for (guint i = 0; i < table->extents->len; i++) {
        const VkPartExtent *ext = &g_array_index(table->extents, VkPartExtent, i);
        if (ext->free)
            add_free_extent(def, dev, ext);
        else if (add_partition(def, dev, ext, vols, first) < 0)
            return -1;
    }
    return 0;
}

static const VkPartExtent *
new_partition(const VkPartTable *before, const VkPartTable *after)
{
    for (guint i = 0; i < after->extents->len; i++) {
        const VkPartExtent *a = &g_array_index(after->extents, VkPartExtent, i);
        bool known = a->free;
        for (guint j = 0; !known && j < before->extents->len; j++) {
            const VkPartExtent *b = &g_array_index(before->extents, VkPartExtent, j);
            known = !b->free && b->number == a->number;
        }
        if (!known)
            return a;
    }
    return NULL;
}

static int
remove_partition(const char *device, unsigned int number)
{
    g_autofree char *num = g_strdup_printf("%u", number);
    const char *argv[] = { "parted", device, "rm", "--script", num, NULL };

    return vk_storage_command_run(argv, NULL);
}

/* VOL takes over the new partition's path, key, extent and sizes; its name
 * must be the one parted gave (else the partition goes again) */
static int
adopt_partition(const VkStoragePoolDef *pool, VkStorageVolDef *vol, const VkPartExtent *ext)
{
    VkStoragePoolSourceDevice *dev = pool_device(pool);
    g_autoptr(VkStorageVolDef) made = partition_volume(dev, ext);

    if (!made || !g_str_equal(made->name, vol->name)) {
        if (made)
            vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG,
                            "invalid partition name '%s', expected '%s'", vol->name,
                            made->name);
        g_autoptr(VkError) err = vk_error_steal();
        remove_partition(dev->path, ext->number);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    g_free(made->name);
    made->name = g_strdup(vol->name);
    made->target_perms.label = g_steal_pointer(&vol->target_perms.label);
    made->has_capacity = true;
    /* swap the two: VOL keeps what was read, MADE frees the request's rest */
    VkStorageVolDef tmp = *vol;
    *vol = *made;
    *made = tmp;
    return 0;
}

static int disk_vol_refresh(const VkStoragePoolDef *pool, VkStorageVolDef *vol);

/* parted DEV mkpart --script TYPE STARTB ENDB, where libvirt's rules put it */
static int
disk_vol_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int flags)
{
    VkStoragePoolSourceDevice *dev = pool_device(pool);
    g_autoptr(VkPartTable) before = NULL, after = NULL;
    g_autofree char *start = NULL, *end = NULL;
    VkPartPlan plan = { 0 };
    const VkPartExtent *ext;
    int rc;

    if (!dev || !(before = vk_part_table_read(dev->path)) ||
        vk_part_plan(before, vol->target_format ? vol->target_format : "none", vol->capacity,
                     &plan) < 0)
        return -1;
    start = g_strdup_printf("%lluB", plan.start);
    end = g_strdup_printf("%lluB", plan.end);
    const char *argv[] = { "parted", dev->path, "mkpart", "--script", plan.part_format, start,
                           end, NULL };
    rc = vk_storage_command_run(argv, NULL);
    g_free(plan.part_format);
    if (rc < 0 || !(after = vk_part_table_read(dev->path)))
        return -1;
    if (!(ext = new_partition(before, after))) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                        "cannot find the partition made at %s on '%s'", start, dev->path);
        return -1;
    }
    return adopt_partition(pool, vol, ext) < 0 ? -1 : disk_vol_refresh(pool, vol);
}

/* a new partition filled with SRC's content */
static int
disk_vol_create_from(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                     const VkStoragePoolDef *src_pool, const VkStorageVolDef *src,
                     unsigned int flags)
{
    if (vk_volume_block_create_from(disk_vol_create, pool, vol, src, flags) < 0)
        return -1;
    return disk_vol_refresh(pool, vol);   /* its timestamps, after the copy */
}

/* The partition number in a volume path: what follows the pool device's
 * name, past a "p" separator */
static const char *
partition_number(const char *dev_name, const char *src_name)
{
    const char *num = dev_name + strlen(src_name);

    if (num[0] == 'p' && g_ascii_isdigit(num[1]))
        num++;
    return num;
}

/* libvirt's virStorageBackendDiskDeleteVol: parted DEV rm --script N */
static int
disk_vol_delete(const VkStoragePoolDef *pool, const VkStorageVolDef *vol, unsigned int flags)
{
    VkStoragePoolSourceDevice *dev = pool_device(pool);
    g_autofree char *real = NULL, *dev_name = NULL, *src_name = NULL;
    const char *num;

    if (!dev)
        return -1;
    if (!(real = realpath(vol->target_path, NULL))) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "Couldn't read volume target path '%s'",
                              vol->target_path);
        return -1;
    }
    dev_name = g_path_get_basename(real);
    src_name = g_path_get_basename(dev->path);
    if (!g_str_has_prefix(dev_name, src_name)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                        "Volume path '%s' did not start with parent pool source device name.",
                        dev_name);
        return -1;
    }
    num = partition_number(dev_name, src_name);
    if (!*num) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                        "cannot parse partition number from target '%s'", dev_name);
        return -1;
    }
    return remove_partition(dev->path, (unsigned int) g_ascii_strtoull(num, NULL, 10));
}

static int
disk_vol_refresh(const VkStoragePoolDef *pool, VkStorageVolDef *vol)
{
    return vk_volume_info_update(vol, 0) == -1 ? -1 : 0;
}

/* libvirt's disk pools have no pool-delete and no vol-resize */
const VkStorageBackend vk_storage_backend_disk = {
    .type = VK_STORAGE_POOL_DISK,
    .build = disk_build,
    .start = disk_start,
    .refresh = disk_refresh,
    .stop = disk_stop,
    .vol_create = disk_vol_create,
    .vol_create_from = disk_vol_create_from,
    .vol_delete = disk_vol_delete,
    .vol_wipe = vk_volume_wipe,
    .vol_refresh = disk_vol_refresh,
};
