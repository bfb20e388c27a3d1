/* The volumes of the dir and fs pools: files (and directories) in the
 * pool's target directory, made, cloned, deleted, resized, wiped and read
 * back as libvirt's storage_util.c does for them.  The functions have the
 * shape of the VkStorageBackend volume calls so the two backends use them
 * directly. */
#pragma once

#include "drivers/storage/backends/backend.h"
#include "drivers/storage/backends/volume-wipe.h"

/* The volume members of a VkStorageBackend whose volumes are files */
#define VK_VOLUME_FILE_CALLS \
    .vol_create = vk_volume_file_create, \
    .vol_create_from = vk_volume_file_create_from, \
    .vol_delete = vk_volume_file_delete, \
    .vol_resize = vk_volume_file_resize, \
    .vol_wipe = vk_volume_wipe, \
    .vol_refresh = vk_volume_file_refresh

/* Name checked (no '/'), target path POOL/NAME (must not exist yet), key =
 * path, then made: raw by Virtkit, dir with mkdir, anything else through
 * qemu-img; sizes read back. */
int vk_volume_file_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                          unsigned int flags);
/* The same with SRC's content: byte copy for raw to raw, qemu-img convert
 * when either side is an image format. */
int vk_volume_file_create_from(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                               const VkStoragePoolDef *src_pool, const VkStorageVolDef *src,
                               unsigned int flags);
/* unlink (rmdir for a dir volume); a file already gone is no error */
int vk_volume_file_delete(const VkStoragePoolDef *pool, const VkStorageVolDef *vol,
                          unsigned int flags);
/* raw: truncate (ALLOCATE: allocated), else qemu-img resize; libvirt's
 * shrink checks first (vk_storage_vol_check_resize) */
int vk_volume_file_resize(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                          unsigned long long capacity, unsigned int flags);
/* sizes, permissions, timestamps and header of an existing volume */
int vk_volume_file_refresh(const VkStoragePoolDef *pool, VkStorageVolDef *vol);

/* libvirt's storageVolResize checks, in its order: "can't shrink capacity
 * below existing allocation", then "Can't shrink capacity below current
 * capacity unless shrink flag explicitly specified". */
int vk_storage_vol_check_resize(const VkStorageVolDef *vol, unsigned long long capacity,
                                unsigned int flags);
