/* A disk's backing chain as libvirt shows and opens it: probed from the
 * images when a guest starts, numbered as QEMU's libvirt-N nodes, and the
 * node names block jobs act on. */
#pragma once

#include "common/conf/domain.h"

/* Read the chain below DISK's image (qemu-img info --backing-chain) into
 * DISK->backing, unnumbered; src_no_backing then says the chain is known.
 * Disks without a local image are left alone.  -1 with an error. */
int vk_qemu_block_chain_probe(VkDomainDiskDef *disk);

/* The number of images below DISK's top one that QEMU opens. */
guint vk_qemu_block_chain_length(const VkDomainDiskDef *disk);

/* Number the backing layers of DEF's disks at start, as libvirt does: after
 * the top images (1 .. number of disks), the last disk's chain first, each
 * chain from the top down. */
void vk_qemu_block_chain_number(VkDomainDef *def);

/* The layer of DISK whose image is PATH (the top one included: its index
 * is then DISK->src_index), or -1: position 0 is the top, 1 the first
 * backing layer ... */
int vk_qemu_block_chain_find(const VkDomainDiskDef *disk, const char *path);
