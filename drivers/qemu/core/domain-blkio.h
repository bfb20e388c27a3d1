/* blkiotune on a running guest's group: the I/O weight and the per-device
 * weights and limits, in v1's blkio files or v2's io ones, with libvirt's
 * errors when the I/O scheduler offers no weight (none of bfq/cfq). */
#pragma once

#include <glib.h>

#include "drivers/qemu/core/domain-obj.h"

/* The group's weight; -1 with libvirt's error. */
int vk_qemu_blkio_get_weight(VkDomainObj *obj, unsigned int *weight);
int vk_qemu_blkio_set_weight(VkDomainObj *obj, unsigned int weight);
/* FIELD ("weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec",
 * "write_bytes_sec") of block device PATH; 0 lifts a limit. */
int vk_qemu_blkio_set_device(VkDomainObj *obj, const char *path, const char *field, guint64 value);
