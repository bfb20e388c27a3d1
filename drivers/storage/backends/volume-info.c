/* Volumes read back from the host (volume-info.h). */
#include "drivers/storage/backends/volume-info.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/image-probe.h"

void
vk_volume_info_set_str(char **dst, const char *src)
{
    g_free(*dst);
    *dst = g_strdup(src);
}

char *
vk_volume_info_timestamp(const struct timespec *ts)
{
    if (ts->tv_nsec)
        return g_strdup_printf("%llu.%09ld", (unsigned long long) ts->tv_sec, ts->tv_nsec);
    return g_strdup_printf("%llu", (unsigned long long) ts->tv_sec);
}

/* -2 with NOERROR, else MESSAGE (taken) reported */
static int
skip_or_fail(unsigned int flags, int code, char *message)
{
    g_autofree char *owned = message;

    if (flags & VK_VOLUME_INFO_NOERROR)
        return -2;
    vk_error_report(VIR_FROM_STORAGE, code, "%s", owned);
    return -1;
}

/* libvirt's virStorageBackendVolOpen: lstat, refuse FIFOs and sockets, open
 * without blocking, and accept regular files, directories and block devices */
static int
volume_open(const char *path, struct stat *sb, unsigned int flags)
{
    int fd;

    if (lstat(path, sb) < 0) {
        if (errno == ENOENT)
            return skip_or_fail(flags, VIR_ERR_NO_STORAGE_VOL,
                                g_strdup_printf("no storage vol with matching path '%s'", path));
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot stat file '%s'", path);
        return -1;
    }
    if (S_ISFIFO(sb->st_mode))
        return skip_or_fail(flags, VIR_ERR_INTERNAL_ERROR,
                            g_strdup_printf("Volume path '%s' is a FIFO", path));
    if (S_ISSOCK(sb->st_mode))
        return skip_or_fail(flags, VIR_ERR_INTERNAL_ERROR,
                            g_strdup_printf("Volume path '%s' is a socket", path));
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
        if (flags & VK_VOLUME_INFO_NOERROR)
            return -2;
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot open volume '%s'", path);
        return -1;
    }
    if (fstat(fd, sb) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot stat file '%s'", path);
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb->st_mode) && !S_ISDIR(sb->st_mode) && !S_ISBLK(sb->st_mode)) {
        close(fd);
        return skip_or_fail(flags, VIR_ERR_INTERNAL_ERROR,
                            g_strdup_printf("unexpected storage mode for '%s'", path));
    }
    return fd;
}

/* sizes, permissions and timestamps (virStorageBackendUpdateVolTargetInfoFD) */
void
vk_volume_info_from_stat(VkStorageVolDef *vol, int fd, const struct stat *sb)
{
    if (S_ISBLK(sb->st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        vol->capacity = vol->allocation = vol->physical = end < 0 ? 0 : end;
    } else {
        vol->allocation = (unsigned long long) sb->st_blocks * 512;
        vol->capacity = vol->physical = sb->st_size;
    }
    vol->has_capacity = vol->has_allocation = true;
    vol->target_perms.mode = sb->st_mode & 0777;
    vol->target_perms.owner = sb->st_uid;
    vol->target_perms.group = sb->st_gid;
    vol->target_perms.has_mode = vol->target_perms.has_owner = vol->target_perms.has_group = true;
    g_free(vol->atime);
    g_free(vol->mtime);
    g_free(vol->ctime);
    vol->atime = vk_volume_info_timestamp(&sb->st_atim);
    vol->mtime = vk_volume_info_timestamp(&sb->st_mtim);
    vol->ctime = vk_volume_info_timestamp(&sb->st_ctim);
}

/* The backing store's format: the header's word for it, else what the
 * backing file looks like, else raw (libvirt fakes raw when it cannot tell) */
static void
set_backing(VkStorageVolDef *vol, VkImageHeader *hdr)
{
    const char *format = hdr->backing_format;

    if (!format && hdr->backing && g_file_test(hdr->backing, G_FILE_TEST_EXISTS)) {
        format = vk_image_probe_format(hdr->backing);
        if (!format)
            vk_error_reset();
    }
    vk_volume_info_set_str(&vol->backing.path, hdr->backing);
    vk_volume_info_set_str(&vol->backing.format,
                           hdr->backing ? (format ? format : "raw") : NULL);
}

static int
update_from_header(VkStorageVolDef *vol, int fd, unsigned int flags)
{
    VkImageHeader hdr;
    bool probe = (flags & VK_VOLUME_INFO_PROBE) || !vol->target_format;

    if (vk_image_probe_fd(fd, vol->target_path, &hdr) < 0)
        return -1;
    if (!probe && g_strcmp0(hdr.format, vol->target_format) != 0) {
        vk_image_header_clear(&hdr);
        return 0;   /* a raw volume whose guest wrote a qcow2 header stays raw */
    }
    vk_volume_info_set_str(&vol->target_format, hdr.format);
    if (hdr.capacity)
        vol->capacity = hdr.capacity;
    vk_volume_info_set_str(&vol->compat, hdr.compat);
    vol->lazy_refcounts = hdr.lazy_refcounts;
    set_backing(vol, &hdr);
    vk_image_header_clear(&hdr);
    return 0;
}

int
vk_volume_info_update(VkStorageVolDef *vol, unsigned int flags)
{
    struct stat sb;
    int fd = volume_open(vol->target_path, &sb, flags);
    int rc = 0;

    if (fd < 0)
        return fd;
    vk_volume_info_from_stat(vol, fd, &sb);
    if (S_ISDIR(sb.st_mode)) {
        vol->type = VK_STORAGE_VOL_DIR;
        vk_volume_info_set_str(&vol->target_format, "dir");
    } else if (S_ISREG(sb.st_mode)) {
        rc = update_from_header(vol, fd, flags);
    }
    vol->has_type = true;
    close(fd);
    return rc;
}
