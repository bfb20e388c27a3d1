/* Starting block jobs on a running guest's disk, with libvirt 9.0's checks
 * and errors: pull (block-stream), commit (block-commit, of the active
 * layer or below it) and copy (a new or existing target image opened as
 * nodes, then blockdev-mirror).  OBJ locked with its job taken. */
#pragma once

#include "drivers/qemu/core/block-job.h"

/* The disk NAME (target or image path) of the running OBJ, free of any
 * block job; NULL with libvirt's error. */
VkDomainDiskDef *vk_qemu_block_job_disk(VkDomainObj *obj, const char *name);

/* Merge the images above BASE (a path in the chain; NULL: all of them)
 * into DISK's top image.  BANDWIDTH in bytes/s, 0 unlimited. */
int vk_qemu_block_pull(VkDomainObj *obj, VkDomainDiskDef *disk, const char *base,
                       guint64 bandwidth);

/* Merge TOP (NULL: the active layer, which needs ACTIVE) and the images
 * below it down to BASE (NULL: the last image of the chain) into BASE. */
int vk_qemu_block_commit(VkDomainObj *obj, VkDomainDiskDef *disk, const char *top,
                         const char *base, bool active, guint64 bandwidth);

/* The target of virDomainBlockCopy's XML (<disk type='file|block'> with
 * <source file|dev=> and <driver type=>); NULL with libvirt's error. */
VkDiskLayer *vk_qemu_block_copy_dest_parse(const char *xml);

/* Copy DISK to DEST (path, format, block or file) as FLAGS
 * (virDomainBlockCopyFlags) say: a new image unless REUSE_EXT; SHALLOW
 * copies the top image only, DEST then backed by the chain;
 * SYNCHRONOUS_WRITES has the guest's writes reach both at once. */
int vk_qemu_block_copy(VkDomainObj *obj, VkDomainDiskDef *disk, const VkDiskLayer *dest,
                       unsigned int flags, guint64 bandwidth);
