/* vol-wipe (volume-wipe.h). */
#include "drivers/storage/backends/volume-wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"

static const char *const algorithm_names[] = {
    "zero", "nnsa", "dod", "bsi", "gutmann", "schneier", "pfitzner7", "pfitzner33", "random",
};

static int
check_algorithm(unsigned int algorithm)
{
    if (algorithm == VK_STORAGE_VOL_WIPE_ALG_ZERO)
        return 0;
    if (algorithm == VK_STORAGE_VOL_WIPE_ALG_TRIM) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                        "'trim' algorithm not supported");
    } else if (algorithm >= VK_STORAGE_VOL_WIPE_ALG_LAST) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INVALID_ARG, "unsupported algorithm %d",
                        (int) algorithm);
    } else {
        /* libvirt runs scrub -f -p ALG here; a host without scrub fails */
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "wiping algorithm '%s' is not supported (only 'zero')",
                        algorithm_names[algorithm]);
    }
    return -1;
}

/* libvirt's storageBackendVolZeroSparseFileLocal */
static int
zero_sparse(int fd, const char *path, off_t size)
{
    if (ftruncate(fd, 0) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to truncate volume with path '%s' to 0 bytes", path);
        return -1;
    }
    if (ftruncate(fd, size) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to truncate volume with path '%s' to %llu bytes", path,
                              (unsigned long long) size);
        return -1;
    }
    return 0;
}

/* libvirt's storageBackendWipeLocal: LEN zero bytes from the start */
static int
zero_write(int fd, const char *path, unsigned long long len, size_t chunk)
{
    g_autofree char *zeros = g_malloc0(chunk);

    for (unsigned long long done = 0; done < len;) {
        size_t n = MIN(chunk, len - done);
        ssize_t w = pwrite(fd, zeros, n, done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno,
                                  "Failed to write %zu bytes to storage volume with path '%s'",
                                  n, path);
            return -1;
        }
        done += w;
    }
    if (fdatasync(fd) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "cannot sync data to volume with path '%s'", path);
        return -1;
    }
    return 0;
}

/* libvirt writes the volume's allocation; never past a file's end here */
static unsigned long long
wipe_length(int fd, const struct stat *st, const VkStorageVolDef *vol)
{
    off_t end;

    if (S_ISREG(st->st_mode))
        return MIN(vol->allocation, (unsigned long long) st->st_size);
    if (vol->allocation)
        return vol->allocation;
    end = lseek(fd, 0, SEEK_END);
    return end < 0 ? 0 : end;
}

int
vk_volume_wipe(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int algorithm,
               unsigned int flags)
{
    const char *path = vol->target_path;
    struct stat st;
    int fd, rc;

    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to open storage volume with path '%s'", path);
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno,
                              "Failed to stat storage volume with path '%s'", path);
        close(fd);
        return -1;
    }
    if (check_algorithm(algorithm) < 0)
        rc = -1;
    else if (S_ISREG(st.st_mode) && st.st_blocks < st.st_size / 512)
        rc = zero_sparse(fd, path, st.st_size);
    else
        rc = zero_write(fd, path, wipe_length(fd, &st, vol),
                        st.st_blksize > 0 ? st.st_blksize : 4096);
    close(fd);
    return rc;
}
