/* The target directory of dir and fs pools (local-dir.h). */
#include "drivers/storage/backends/local-dir.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/volume-info.h"

/* libvirt's VIR_STORAGE_DEFAULT_POOL_PERM_MODE */
#define DEFAULT_POOL_MODE 0711

/* libvirt's virDirCreate with ALLOW_EXIST */
static int
make_target(const char *path, const VkStoragePerms *perms)
{
    bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
    mode_t mode = perms->has_mode ? perms->mode : (exists ? (mode_t) -1 : DEFAULT_POOL_MODE);
    uid_t uid = perms->has_owner ? perms->owner : (uid_t) -1;
    gid_t gid = perms->has_group ? perms->group : (gid_t) -1;
    struct stat st;

    if (!exists && mkdir(path, mode) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "failed to create directory '%s'", path);
        return -1;
    }
    if (stat(path, &st) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "stat of '%s' failed", path);
        return -1;
    }
    if (((uid != (uid_t) -1 && st.st_uid != uid) || (gid != (gid_t) -1 && st.st_gid != gid)) &&
        chown(path, uid, gid) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot chown '%s' to (%u, %u)", path,
                              (unsigned int) uid, (unsigned int) gid);
        return -1;
    }
    if (mode != (mode_t) -1 && chmod(path, mode) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot set mode of '%s' to %04o", path,
                              (unsigned int) mode);
        return -1;
    }
    return 0;
}

int
vk_local_dir_build(const VkStoragePoolDef *def)
{
    g_autofree char *parent = NULL;

    if (!def->target_path || !g_path_is_absolute(def->target_path)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "path '%s' is not absolute",
                        def->target_path ? def->target_path : "");
        return -1;
    }
    parent = g_path_get_dirname(def->target_path);
    if (g_mkdir_with_parents(parent, 0755) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot create path '%s'", parent);
        return -1;
    }
    return make_target(def->target_path, &def->target_perms);
}

static DIR *
open_target(const VkStoragePoolDef *def)
{
    DIR *dir = opendir(def->target_path);

    if (!dir)
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot open directory '%s'",
                              def->target_path);
    return dir;
}

int
vk_local_dir_check(const VkStoragePoolDef *def)
{
    DIR *dir = open_target(def);

    if (!dir)
        return -1;
    closedir(dir);
    return 0;
}

static bool
has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char) *s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* One entry of the target as a volume: 1 added, 0 skipped, -1 error */
static int
add_volume(const VkStoragePoolDef *def, const char *name, GPtrArray *vols)
{
    g_autoptr(VkStorageVolDef) vol = g_new0(VkStorageVolDef, 1);
    int rc;

    vol->name = g_strdup(name);
    vol->type = VK_STORAGE_VOL_FILE;
    vol->target_path = g_build_filename(def->target_path, name, NULL);
    vol->key = g_strdup(vol->target_path);
    rc = vk_volume_info_update(vol, VK_VOLUME_INFO_PROBE | VK_VOLUME_INFO_NOERROR);
    if (rc == -2)
        return 0;
    if (rc < 0)
        return -1;
    g_ptr_array_add(vols, g_steal_pointer(&vol));
    return 1;
}

static int
list_volumes(const VkStoragePoolDef *def, GPtrArray *vols)
{
    DIR *dir = open_target(def);
    struct dirent *ent;
    int rc = 0;

    if (!dir)
        return -1;
    while (rc >= 0 && (ent = readdir(dir))) {
        if (g_str_equal(ent->d_name, ".") || g_str_equal(ent->d_name, "..") ||
            has_control_chars(ent->d_name))
            continue;
        rc = add_volume(def, ent->d_name, vols);
    }
    closedir(dir);
    return rc < 0 ? -1 : 0;
}

static int
measure(VkStoragePoolDef *def)
{
    struct statvfs sv;
    struct stat st;

    if (stat(def->target_path, &st) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot stat path '%s'",
                              def->target_path);
        return -1;
    }
    if (statvfs(def->target_path, &sv) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot statvfs path '%s'",
                              def->target_path);
        return -1;
    }
    def->target_perms.mode = st.st_mode & 0777;
    def->target_perms.owner = st.st_uid;
    def->target_perms.group = st.st_gid;
    def->target_perms.has_mode = def->target_perms.has_owner = def->target_perms.has_group = true;
    def->capacity = (unsigned long long) sv.f_frsize * sv.f_blocks;
    def->available = (unsigned long long) sv.f_frsize * sv.f_bfree;
    def->allocation = def->capacity - def->available;
    return 0;
}

int
vk_local_dir_refresh(VkStoragePoolDef *def, GPtrArray *vols)
{
    if (vols && list_volumes(def, vols) < 0)
        return -1;
    return measure(def);
}

int
vk_local_dir_delete(const VkStoragePoolDef *def, unsigned int flags)
{
    if (rmdir(def->target_path) == 0)
        return 0;
    vk_error_report_errno(VIR_FROM_STORAGE, errno, "failed to remove pool '%s'",
                          def->target_path);
    return -1;
}
