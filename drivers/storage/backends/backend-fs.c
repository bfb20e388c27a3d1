/* The fs pool: a block device (or image file) holding a filesystem,
 * mounted on the pool's target while the pool runs (libvirt's
 * storage_backend_fs.c, type fs).  Its volumes are files, as in dir pools. */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/storage/backends/backend-types.h"
#include "drivers/storage/backends/command.h"
#include "drivers/storage/backends/device-empty.h"
#include "drivers/storage/backends/local-dir.h"
#include "drivers/storage/backends/volume-file.h"

/* libvirt's virStorageBackendFileSystemIsValid: exactly one device */
static const char *
source_device(const VkStoragePoolDef *def)
{
    guint n = def->source.devices ? def->source.devices->len : 0;

    if (n == 1)
        return ((VkStoragePoolSourceDevice *) g_ptr_array_index(def->source.devices, 0))->path;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                    n == 0 ? "missing source device"
                           : "expected exactly 1 device for the storage pool");
    return NULL;
}

static const char *
fs_format(const VkStoragePoolDef *def)
{
    return def->source.format ? def->source.format : "auto";
}

/* libvirt's virStorageBackendExecuteMKFS: -F for ext*, -f for xfs, so
 * that mkfs does not ask */
static int
make_filesystem(const char *device, const char *format)
{
    const char *argv[] = { "mkfs", "-t", format, NULL, NULL, NULL };
    int i = 3;

    if (g_str_equal(format, "xfs"))
        argv[i++] = "-f";
    else if (g_str_has_prefix(format, "ext") && strlen(format) == 4)
        argv[i++] = "-F";
    argv[i] = device;
    if (vk_storage_command_run(argv, NULL) == 0)
        return 0;
    g_autoptr(VkError) err = vk_error_steal();
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_SYSTEM_ERROR,
                    "Failed to make filesystem of type '%s' on device '%s': %s", format, device,
                    err ? err->message : "");
    return -1;
}

/* pool-build: the target directory; with a flag also the filesystem,
 * refused over an existing one unless OVERWRITE */
static int
fs_build(const VkStoragePoolDef *def, unsigned int flags)
{
    const char *device;

    if (vk_storage_check_build_flags(flags) < 0 || vk_local_dir_build(def) < 0)
        return -1;
    if (!flags)
        return 0;
    if (!def->source.devices || def->source.devices->len == 0) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG,
                        "No source device specified when formatting pool '%s'", def->name);
        return -1;
    }
    device = ((VkStoragePoolSourceDevice *) g_ptr_array_index(def->source.devices, 0))->path;
    if (!(flags & VK_STORAGE_POOL_BUILD_OVERWRITE) &&
        vk_storage_device_check_empty(device, fs_format(def), true) < 0)
        return -1;
    return make_filesystem(device, fs_format(def));
}

/* libvirt's virStorageBackendFileSystemIsMounted: DEVICE on the target in
 * /proc/mounts */
static int
is_mounted(const VkStoragePoolDef *def, const char *device)
{
    g_autofree char *want = g_canonicalize_filename(device, "/");
    FILE *mtab = setmntent("/proc/mounts", "r");
    struct mntent *ent;
    int found = 0;

    if (!mtab) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot read mount list '%s'",
                              "/proc/mounts");
        return -1;
    }
    while (!found && (ent = getmntent(mtab))) {
        g_autofree char *fsname = g_canonicalize_filename(ent->mnt_fsname, "/");
        found = g_str_equal(ent->mnt_dir, def->target_path) && g_str_equal(fsname, want);
    }
    endmntent(mtab);
    return found;
}

/* Bring the mount to WANT_MOUNTED, doing nothing when it is there already:
 * mount -o nodev,nosuid,noexec -t FORMAT DEVICE TARGET as libvirt, or
 * umount TARGET */
static int
set_mounted(const VkStoragePoolDef *def, bool want_mounted)
{
    const char *device = source_device(def);
    int mounted;

    if (!device || (mounted = is_mounted(def, device)) < 0)
        return -1;
    if (mounted == want_mounted)
        return 0;
    const char *mount_argv[] = { "mount", "-o", "nodev,nosuid,noexec", "-t", fs_format(def),
                                 device, def->target_path, NULL };
    const char *umount_argv[] = { "umount", def->target_path, NULL };
    return vk_storage_command_run(want_mounted ? mount_argv : umount_argv, NULL);
}

static int
fs_start(const VkStoragePoolDef *def)
{
    return set_mounted(def, true);
}

static int
fs_stop(const VkStoragePoolDef *def)
{
    return set_mounted(def, false);
}

const VkStorageBackend vk_storage_backend_fs = {
    .type = VK_STORAGE_POOL_FS,
    .build = fs_build,
    .start = fs_start,
    .refresh = vk_local_dir_refresh,
    .stop = fs_stop,
    .delete = vk_local_dir_delete,
    VK_VOLUME_FILE_CALLS,
};
