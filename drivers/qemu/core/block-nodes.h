/* QEMU's block nodes of one image, named as libvirt names them
 * (libvirt-N-storage under libvirt-N-format): added for a copy's target or
 * a snapshot's overlay, deleted once no disk uses the image.  OBJ locked,
 * its job taken. */
#pragma once

#include "common/conf/disk-chain.h"
#include "drivers/qemu/core/domain-obj.h"

/* blockdev-add of IMAGE's storage and format nodes (number IMAGE->index),
 * the format node backed by node BACKING (0: none).  -1 with an error and
 * nothing added. */
int vk_qemu_block_nodes_add(VkDomainObj *obj, const VkDiskLayer *image, guint backing);

/* A writable image QEMU no longer uses goes back to its owner (DAC), as
 * libvirt gives back what a block job takes out of a disk. */
void vk_qemu_block_image_release(VkDomainObj *obj, const VkDiskLayer *image);

/* blockdev-del of the format and storage nodes of image N (errors are
 * only logged: the graph change they follow has happened). */
void vk_qemu_block_nodes_delete(VkDomainObj *obj, guint n);
