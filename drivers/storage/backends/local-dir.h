/* The pool steps the dir and fs pools share, on the pool's target
 * directory, as libvirt's storage_util.c does them: build (mkdir -p with the
 * pool's permissions), the start check, refresh (every entry a volume,
 * sizes from statvfs) and delete (rmdir). */
#pragma once

#include "drivers/storage/backends/backend.h"

/* Parents 0755, the target with its <permissions> (mode default 0711 when
 * it is made), owner and group; an existing target only gets them set. */
int vk_local_dir_build(const VkStoragePoolDef *def);
/* "cannot open directory 'TARGET': ..." unless the target is a directory */
int vk_local_dir_check(const VkStoragePoolDef *def);
/* capacity f_blocks*f_frsize, available f_bfree*f_frsize, allocation the
 * difference; the target's permissions; every regular file, directory and
 * block device a volume (key = path), probed; the rest skipped */
int vk_local_dir_refresh(VkStoragePoolDef *def, GPtrArray *vols);
/* rmdir: "failed to remove pool 'TARGET': Directory not empty" */
int vk_local_dir_delete(const VkStoragePoolDef *def, unsigned int flags);
