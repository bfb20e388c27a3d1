/* Raw file volumes (volume-raw.h). */
#include "drivers/storage/backends/volume-raw.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/volume-info.h"

/* libvirt's VIR_STORAGE_DEFAULT_VOL_PERM_MODE */
#define DEFAULT_VOL_MODE 0600
/* libvirt's WRITE_BLOCK_SIZE_DEFAULT */
#define COPY_CHUNK (1024 * 1024)

unsigned long long
vk_volume_requested_allocation(const VkStorageVolDef *vol)
{
    return vol->has_allocation ? vol->allocation : vol->capacity;
}

int
vk_volume_apply_perms(const char *path, int fd, const VkStoragePerms *perms)
{
    uid_t uid = perms->has_owner ? perms->owner : (uid_t) -1;
    gid_t gid = perms->has_group ? perms->group : (gid_t) -1;
    mode_t mode = perms->has_mode ? perms->mode : DEFAULT_VOL_MODE;

    if ((uid != (uid_t) -1 || gid != (gid_t) -1) &&
        (fd >= 0 ? fchown(fd, uid, gid) : chown(path, uid, gid)) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot chown '%s' to (%d, %d)", path,
                              (int) uid, (int) gid);
        return -1;
    }
    if ((fd >= 0 ? fchmod(fd, mode) : chmod(path, mode)) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot set mode of '%s' to %04o", path,
                              (unsigned int) mode);
        return -1;
    }
    return 0;
}

static bool
all_zero(const char *buf, gsize len)
{
    return len == 0 || (buf[0] == 0 && memcmp(buf, buf + 1, len - 1) == 0);
}

/* Copy SRC into FD from its start; zero chunks become holes when SPARSE.
 * *COPIED gets how far it got (libvirt's storageBackendCopyToFD). */
static int
copy_into(int fd, const char *dst_path, const VkStorageVolDef *src, bool sparse,
          unsigned long long *copied)
{
    g_autofree char *buf = g_malloc(COPY_CHUNK);
    int in = open(src->target_path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    *copied = 0;
    if (in < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "could not open input path '%s'",
                              src->target_path);
        return -1;
    }
    while ((n = read(in, buf, COPY_CHUNK)) > 0) {
        if (sparse && all_zero(buf, n)) {
            if (lseek(fd, n, SEEK_CUR) < 0)
                goto write_error;
        } else if (write(fd, buf, n) != n) {
            goto write_error;
        }
        *copied += n;
    }
    close(in);
    if (n == 0)
        return 0;
    vk_error_report_errno(VIR_FROM_STORAGE, errno, "failed reading from file '%s'",
                          src->target_path);
    return -1;

 write_error:
    vk_error_report_errno(VIR_FROM_STORAGE, errno, "failed writing to file '%s'", dst_path);
    close(in);
    return -1;
}

/* Zeros written over [POS, END) where fallocate could not allocate */
static int
write_zeros(int fd, const char *path, unsigned long long pos, unsigned long long end)
{
    g_autofree char *zeros = g_malloc0(COPY_CHUNK);

    while (pos < end) {
        size_t len = MIN((unsigned long long) COPY_CHUNK, end - pos);
        ssize_t n = pwrite(fd, zeros, len, pos);
        if (n <= 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno,
                                  "cannot fill file '%s'", path);
            return -1;
        }
        pos += n;
    }
    return 0;
}

/* libvirt's createRawFile: size, allocate, copy, sync */
static int
fill_raw(int fd, VkStorageVolDef *vol, const VkStorageVolDef *src)
{
    unsigned long long alloc = vk_volume_requested_allocation(vol);
    bool need_alloc = !(src && alloc < src->capacity);
    unsigned long long pos = 0;

    if (ftruncate(fd, vol->capacity) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot extend file '%s'",
                              vol->target_path);
        return -1;
    }
    if (need_alloc && alloc > 0) {
        if (fallocate(fd, 0, 0, alloc) == 0) {
            need_alloc = false;
        } else if (errno != ENOSYS && errno != EOPNOTSUPP) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno,
                                  "cannot allocate %llu bytes in file '%s'", alloc,
                                  vol->target_path);
            return -1;
        }
    }
    if (src && copy_into(fd, vol->target_path, src, !need_alloc, &pos) < 0)
        return -1;
    if (need_alloc && alloc > pos && write_zeros(fd, vol->target_path, pos, alloc) < 0)
        return -1;
    if (fsync(fd) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot sync data to file '%s'",
                              vol->target_path);
        return -1;
    }
    return 0;
}

/* What was made, read through its fd: the file is ours and raw, so
 * libvirt's header probe (a reopen and a 33 KiB read) would find nothing. */
static int
read_made(int fd, VkStorageVolDef *vol)
{
    struct stat st;

    if (fstat(fd, &st) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot stat file '%s'",
                              vol->target_path);
        return -1;
    }
    vk_volume_info_from_stat(vol, fd, &st);
    return 0;
}

int
vk_volume_raw_create(VkStorageVolDef *vol, const VkStorageVolDef *src)
{
    int fd;
    int rc;

    if (vol->backing.path) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_SUPPORT, "%s",
                        "backing storage not supported for raw volumes");
        return -1;
    }
    fd = open(vol->target_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "Failed to create file '%s'",
                              vol->target_path);
        return -1;
    }
    rc = vk_volume_apply_perms(vol->target_path, fd, &vol->target_perms);
    if (rc == 0)
        rc = fill_raw(fd, vol, src);
    if (rc == 0)
        rc = read_made(fd, vol);
    close(fd);
    if (rc < 0)
        unlink(vol->target_path);
    return rc;
}
