/* Disk I/O throttling in a running QEMU: block_set_io_throttle and the
 * values query-block reports, as libvirt 9.0 drives them. */
#pragma once

#include "common/conf/disk-iotune.h"
#include "drivers/qemu/core/domain-obj.h"

/* Give DISK of OBJ (locked, running) the values T through
 * block_set_io_throttle; every value is sent, so T must be complete. */
int vk_qemu_iotune_set(VkDomainObj *obj, const VkDomainDiskDef *disk, const VkDiskIotune *t);

/* At guest start, before the CPUs run: the disks with <iotune> values
 * get them (empty drives and SD cards cannot be throttled: skipped). */
int vk_qemu_iotune_apply_all(VkDomainObj *obj);

/* DISK's values as QEMU reports them (query-block) into OUT (cleared). */
int vk_qemu_iotune_query(VkDomainObj *obj, const VkDomainDiskDef *disk, VkDiskIotune *out);
