/* Raw file volumes made by Virtkit itself, as libvirt's storageBackendCreateRaw
 * does: created with the volume's mode and owner, sized to its capacity,
 * allocated up to its allocation (fallocate, else written zeros), and for a
 * clone filled with the source's bytes, holes kept when sparse.  For
 * volume-file.c. */
#pragma once

#include "drivers/storage/backends/backend.h"

/* Make VOL (target_path set) as a raw file; SRC (may be NULL) is copied
 * in; VOL's sizes, permissions and timestamps are then the file's.  On
 * failure nothing is left behind. */
int vk_volume_raw_create(VkStorageVolDef *vol, const VkStorageVolDef *src);

/* The allocation a new volume asks for: libvirt's parser makes an absent
 * <allocation> equal to the capacity. */
unsigned long long vk_volume_requested_allocation(const VkStorageVolDef *vol);

/* Give PATH the volume's permissions: owner and group when set, MODE or
 * libvirt's 0600 default (FD >= 0: through it). */
int vk_volume_apply_perms(const char *path, int fd, const VkStoragePerms *perms);
