/* Image volumes through qemu-img, with libvirt's command lines
 * (storageBackendCreateQemuImg and storageBackendResizeQemuImg): create
 * with "-o backing_fmt=,nocow=on,compat=,lazy_refcounts" (compat=0.10 for
 * qcow2 unless asked otherwise), convert for clones, resize.  For
 * volume-file.c. */
#pragma once

#include "drivers/storage/backends/backend.h"

/* Make VOL (target_path and target_format set) with qemu-img: "create",
 * or "convert" from SRC when SRC is not NULL.  POOL anchors a relative
 * backing path.  Permissions are applied afterwards, as libvirt does. */
int vk_volume_qemu_img_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                              const VkStorageVolDef *src);

/* qemu-img resize [--shrink] PATH CAPACITY (rounded up to 512 bytes) */
int vk_volume_qemu_img_resize(const VkStorageVolDef *vol, unsigned long long capacity);

/* vol-create-from for block volumes (disk and logical pools): VOL made by
 * CREATE, then SRC's content written in as raw data with
 * qemu-img convert -n -f SRCFMT -O raw SRC DEV. */
typedef int (*VkVolumeCreateFunc)(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                                  unsigned int flags);
int vk_volume_block_create_from(VkVolumeCreateFunc create, const VkStoragePoolDef *pool,
                                VkStorageVolDef *vol, const VkStorageVolDef *src,
                                unsigned int flags);
