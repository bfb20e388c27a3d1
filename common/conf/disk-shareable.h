/* <shareable/> disks, libvirt's QEMU rules: only raw images may be written
 * by several guests at once, and such a disk has no host cache unless the
 * guest names one (QEMU's share-rw is on its -device). */
#pragma once

#include "common/conf/domain.h"

/* libvirt's "shared access for disk 'vda' requires use of supported storage format" */
int vk_disk_shareable_validate(const VkDomainDiskDef *disk);

/* cache='none' for each writable shareable disk without a cache mode, as a
 * start puts it in the live definition */
void vk_disk_shareable_set_cache(VkDomainDef *def);
/* the same for one disk (a live attach) */
void vk_disk_shareable_set_disk_cache(VkDomainDiskDef *disk);
