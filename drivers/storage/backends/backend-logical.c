/* The logical pool: an LVM volume group over the source devices, each
 * logical volume a volume (libvirt's storage_backend_logical.c).  Without
 * device-mapper in the kernel the pool-level steps still work; LVs cannot
 * be made. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/backend-types.h"
#include "drivers/storage/backends/command.h"
#include "drivers/storage/backends/device-empty.h"
#include "drivers/storage/backends/lvm-report.h"
#include "drivers/storage/backends/volume-info.h"
#include "drivers/storage/backends/volume-qemu-img.h"
#include "drivers/storage/backends/volume-raw.h"
#include "drivers/storage/backends/volume-wipe.h"

#define MiB (1024ULL * 1024)

static const char *
vg_name(const VkStoragePoolDef *def)
{
    return def->source.name ? def->source.name : def->name;
}

/* the source devices' paths, NULL terminated (borrowed strings) */
static GPtrArray *
device_paths(const VkStoragePoolDef *def)
{
    GPtrArray *paths = g_ptr_array_new();

    for (guint i = 0; def->source.devices && i < def->source.devices->len; i++)
        g_ptr_array_add(paths,
                        ((VkStoragePoolSourceDevice *) g_ptr_array_index(def->source.devices,
                                                                           i))->path);
    g_ptr_array_add(paths, NULL);
    return paths;
}

static int
run2(const char *tool, const char *arg, const char *target)
{
    const char *argv[] = { tool, arg, target, NULL };
    return vk_storage_command_run(argv, NULL);
}

/* libvirt's virStorageBackendLogicalInitializeDevice: the first MiB
 * zeroed (no old label confuses vgcreate), then pvcreate */
static int
initialize_device(const char *device)
{
    g_autofree char *zeros = g_malloc0(MiB);
    int fd = open(device, O_WRONLY | O_CLOEXEC);

    if (fd < 0 || pwrite(fd, zeros, MiB, 0) < 0 || fdatasync(fd) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "cannot write to storage volume with path '%s'", device);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return run2("pvcreate", device, NULL);
}

static void
undo_pvcreate(char **devices, guint n)
{
    g_autoptr(VkError) err = vk_error_steal();

    for (guint i = 0; i < n; i++)
        run2("pvremove", devices[i], NULL);
    vk_error_set(g_steal_pointer(&err));
}

/* pvcreate each device (refused over existing data unless OVERWRITE),
 * then vgcreate VG DEVICES */
static int
logical_build(const VkStoragePoolDef *def, unsigned int flags)
{
    g_autoptr(GPtrArray) devs = device_paths(def);
    char **paths = (char **) devs->pdata;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    guint i;

    if (vk_storage_check_build_flags(flags) < 0)
        return -1;
    for (i = 0; paths[i]; i++) {
        if ((!(flags & VK_STORAGE_POOL_BUILD_OVERWRITE) &&
             vk_storage_device_check_empty(paths[i], "LVM2_member", true) < 0) ||
            initialize_device(paths[i]) < 0) {
            undo_pvcreate(paths, i);
            return -1;
        }
    }
    g_ptr_array_add(argv, "vgcreate");
    g_ptr_array_add(argv, (char *) vg_name(def));
    for (i = 0; paths[i]; i++)
        g_ptr_array_add(argv, paths[i]);
    g_ptr_array_add(argv, NULL);
    if (vk_storage_command_run((const char *const *) argv->pdata, NULL) == 0)
        return 0;
    undo_pvcreate(paths, i);
    return -1;
}

/* libvirt's virStorageBackendLogicalMatchPoolSource, then vgchange -aly */
static int
logical_start(const VkStoragePoolDef *def)
{
    g_autoptr(GPtrArray) devs = device_paths(def);
    int found = vk_lvm_vg_find(vg_name(def), (const char *const *) devs->pdata);

    if (found < 0)
        return -1;
    if (found == VK_LVM_VG_ABSENT) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "cannot find logical volume group name '%s'", vg_name(def));
        return -1;
    }
    if (found == VK_LVM_VG_OTHER_DEVICES && devs->len > 1) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "cannot find any matching source devices for logical volume group "
                        "'%s'", vg_name(def));
        return -1;
    }
    return run2("vgchange", "-aly", vg_name(def));
}

static int
logical_stop(const VkStoragePoolDef *def)
{
    return run2("vgchange", "-aln", vg_name(def));
}

/* vgremove -f VG, then pvremove each device */
static int
logical_delete(const VkStoragePoolDef *def, unsigned int flags)
{
    g_autoptr(GPtrArray) devs = device_paths(def);

    if (run2("vgremove", "-f", vg_name(def)) < 0)
        return -1;
    for (guint i = 0; i + 1 < devs->len; i++)
        if (run2("pvremove", g_ptr_array_index(devs, i), NULL) < 0)
            return -1;
    return 0;
}

static char *
lv_path(const VkStoragePoolDef *def, const char *name)
{
    if (def->target_path)
        return g_build_filename(def->target_path, name, NULL);
    return g_strdup_printf("/dev/%s/%s", vg_name(def), name);
}

/* The volume of LV: key its uuid, path TARGET/NAME (libvirt's
 * virStorageBackendLogicalMakeVol) */
static VkStorageVolDef *
lv_volume(const VkStoragePoolDef *def, const VkLvmVolume *lv)
{
    g_autoptr(VkStorageVolDef) vol = g_new0(VkStorageVolDef, 1);
    VkStorageExtent extent = { lv->pv_start, lv->pv_start + lv->seg_size };

    vol->name = g_strdup(lv->name);
    vol->key = g_strdup(lv->uuid);
    vol->target_path = lv_path(def, lv->name);
    vol->type = VK_STORAGE_VOL_BLOCK;
    vol->has_type = true;
    vol->source_device = g_strdup(lv->device);
    vol->source_extents = g_array_new(FALSE, FALSE, sizeof(VkStorageExtent));
    g_array_append_val(vol->source_extents, extent);
    if (lv->origin && *lv->origin) {
        vol->backing.path = lv_path(def, lv->origin);
        vol->backing.format = g_strdup("none");
    }
    if (vk_volume_info_update(vol, VK_VOLUME_INFO_NOERROR) == -1)
        return NULL;
    vol->capacity = lv->size;
    vol->allocation = lv->attr[0] == 's' ? lv->seg_size : lv->size;
    vol->has_capacity = vol->has_allocation = true;
    return g_steal_pointer(&vol);
}

/* vgs for the sizes, lvs for the volumes (thin pools have no device and
 * are skipped, as libvirt does) */
static int
logical_refresh(VkStoragePoolDef *def, GPtrArray *vols)
{
    g_autoptr(GPtrArray) lvs = NULL;
    unsigned long long size, avail;

    if (vk_lvm_vg_sizes(vg_name(def), &size, &avail) < 0 ||
        !(lvs = vk_lvm_list_volumes(vg_name(def))))
        return -1;
    def->capacity = size;
    def->available = avail;
    def->allocation = size - avail;
    for (guint i = 0; vols && i < lvs->len; i++) {
        VkLvmVolume *lv = g_ptr_array_index(lvs, i);
        VkStorageVolDef *vol;
        if (lv->attr[0] == 't')
            continue;
        if (!(vol = lv_volume(def, lv)))
            return -1;
        g_ptr_array_add(vols, vol);
    }
    return 0;
}

static char *
kib(unsigned long long bytes)
{
    return g_strdup_printf("%lluK", (bytes + 1023) / 1024);
}

/* lvcreate --name NAME -L ALLOC [--type snapshot --virtualsize] CAP VG, as
 * libvirt's virStorageBackendLogicalLVCreate: sparse when the allocation
 * is not the capacity */
static int
lv_create(const VkStoragePoolDef *def, const VkStorageVolDef *vol)
{
    unsigned long long alloc = vk_volume_requested_allocation(vol);
    g_autofree char *alloc_k = kib(alloc ? alloc : 1);
    g_autofree char *cap_k = kib(vol->capacity);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();

    g_ptr_array_add(argv, "lvcreate");
    g_ptr_array_add(argv, "--name");
    g_ptr_array_add(argv, vol->name);
    g_ptr_array_add(argv, "-L");
    if (alloc != vol->capacity) {
        g_ptr_array_add(argv, alloc_k);
        g_ptr_array_add(argv, "--type");
        g_ptr_array_add(argv, "snapshot");
        g_ptr_array_add(argv, "--virtualsize");
    }
    g_ptr_array_add(argv, cap_k);
    if (vol->backing.path) {
        g_ptr_array_add(argv, "-s");
        g_ptr_array_add(argv, vol->backing.path);
    } else {
        g_ptr_array_add(argv, (char *) vg_name(def));
    }
    g_ptr_array_add(argv, NULL);
    return vk_storage_command_run((const char *const *) argv->pdata, NULL);
}

static int
logical_vol_delete(const VkStoragePoolDef *pool, const VkStorageVolDef *vol, unsigned int flags)
{
    if (run2("lvremove", "-f", vol->target_path) == 0)
        return 0;
    vk_error_reset();
    if (run2("lvchange", "-aln", vol->target_path) < 0)
        return -1;
    return run2("lvremove", "-f", vol->target_path);
}

/* the new LV as lvs reports it: VOL gets its key (uuid), extent and sizes */
static int
adopt_lv(const VkStoragePoolDef *def, VkStorageVolDef *vol)
{
    g_autoptr(GPtrArray) lvs = vk_lvm_list_volumes(vg_name(def));
    VkLvmVolume *lv = NULL;
    VkStorageExtent extent;

    for (guint i = 0; lvs && i < lvs->len && !lv; i++)
        if (g_str_equal(((VkLvmVolume *) g_ptr_array_index(lvs, i))->name, vol->name))
            lv = g_ptr_array_index(lvs, i);
    if (!lv) {
        if (lvs)
            vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                            "cannot find the logical volume '%s' just made", vol->name);
        return -1;
    }
    if (vk_volume_info_update(vol, 0) < 0)
        return -1;
    vk_volume_info_set_str(&vol->key, lv->uuid);
    vk_volume_info_set_str(&vol->source_device, lv->device);
    if (vol->source_extents)
        g_array_unref(vol->source_extents);
    vol->source_extents = g_array_new(FALSE, FALSE, sizeof(VkStorageExtent));
    extent = (VkStorageExtent) { lv->pv_start, lv->pv_start + lv->seg_size };
    g_array_append_val(vol->source_extents, extent);
    vol->capacity = lv->size;
    vol->allocation = lv->attr[0] == 's' ? lv->seg_size : lv->size;
    return 0;
}

static int
logical_vol_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int flags)
{
    g_autofree char *path = lv_path(pool, vol->name);

    vol->type = VK_STORAGE_VOL_BLOCK;
    vol->has_type = true;
    vk_volume_info_set_str(&vol->target_path, path);
    if (lv_create(pool, vol) < 0)
        return -1;
    if (vk_volume_apply_perms(path, -1, &vol->target_perms) == 0 && adopt_lv(pool, vol) == 0)
        return 0;
    g_autoptr(VkError) err = vk_error_steal();
    logical_vol_delete(pool, vol, 0);
    vk_error_set(g_steal_pointer(&err));
    return -1;
}

static int
logical_vol_create_from(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                        const VkStoragePoolDef *src_pool, const VkStorageVolDef *src,
                        unsigned int flags)
{
    if (vk_volume_block_create_from(logical_vol_create, pool, vol, src, flags) < 0)
        return -1;
    return adopt_lv(pool, vol);   /* read again after the copy, as before */
}

/* a sparse (snapshot) LV cannot be wiped, as libvirt says */
static int
logical_vol_wipe(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int algorithm,
                 unsigned int flags)
{
    if (vol->allocation < vol->capacity) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT,
                        "logical volume '%s' is sparse, volume wipe not supported",
                        vol->target_path);
        return -1;
    }
    return vk_volume_wipe(pool, vol, algorithm, flags);
}

static int
logical_vol_refresh(const VkStoragePoolDef *pool, VkStorageVolDef *vol)
{
    return adopt_lv(pool, vol);
}

/* libvirt's logical pools have no vol-resize */
const VkStorageBackend vk_storage_backend_logical = {
    .type = VK_STORAGE_POOL_LOGICAL,
    .build = logical_build,
    .start = logical_start,
    .refresh = logical_refresh,
    .stop = logical_stop,
    .delete = logical_delete,
    .vol_create = logical_vol_create,
    .vol_create_from = logical_vol_create_from,
    .vol_delete = logical_vol_delete,
    .vol_wipe = logical_vol_wipe,
    .vol_refresh = logical_vol_refresh,
};
