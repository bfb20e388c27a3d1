/* Reading a volume back from the host: sizes, permissions and timestamps of
 * the file, directory or block device at a volume's target path, and, for
 * files, what the image header says (format, virtual size, backing store),
 * as libvirt's virStorageBackendUpdateVolInfo and its probe do.  Shared by
 * every pool backend. */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#include "drivers/storage/backends/backend.h"

typedef enum {
    /* what a pool listing skips quietly (FIFOs, sockets, character devices,
     * dangling links, files gone meanwhile) gives -2 instead of an error */
    VK_VOLUME_INFO_NOERROR = 1 << 0,
    /* decide the format from the header (pool refresh); without it a known
     * format is kept, and the header is believed only when it agrees */
    VK_VOLUME_INFO_PROBE = 1 << 1,
} VkVolumeInfoFlags;

/* Update VOL from vol->target_path.  0, -1 (reported), or -2 with NOERROR
 * for an entry to skip. */
int vk_volume_info_update(VkStorageVolDef *vol, unsigned int flags);

/* VOL's sizes, permissions and timestamps from SB, FD's (a device's size
 * is read through FD); what a volume we have just made needs, without the
 * header probe of vk_volume_info_update. */
void vk_volume_info_from_stat(VkStorageVolDef *vol, int fd, const struct stat *sb);

/* "SECONDS[.NANOSECONDS]" as libvirt formats <timestamps> */
char *vk_volume_info_timestamp(const struct timespec *ts);

/* Replace *DST with a copy of SRC (NULL allowed). */
void vk_volume_info_set_str(char **dst, const char *src);
