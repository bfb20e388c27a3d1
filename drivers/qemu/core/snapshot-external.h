/* External disk-only snapshots (snapshot-create --disk-only), as libvirt
 * 9.0 takes them: each disk gets a new qcow2 overlay backed by its current
 * image (named after the image, with the snapshot's name as extension) and
 * the disk moves onto it; qemu-img makes them for a shut-off guest, QEMU
 * (blockdev-add, then one transaction of blockdev-snapshot) for a running
 * one.  A block commit undoes them.  OBJ locked with its job taken. */
#pragma once

#include "common/conf/snapshot-def.h"
#include "drivers/qemu/core/domain-obj.h"

/* Fill in DEF (its disks aligned with OBJ's) for a disk-only snapshot:
 * state, memory, every writable disk with media external with its
 * overlay's file and format.  -1 with libvirt's error. */
int vk_qemu_snapshot_external_prepare(VkDomainObj *obj, VkSnapshotDef *def);

/* Make DEF's overlays and move OBJ's disks (live and config) onto them;
 * REUSE: the overlay files exist already.  Nothing changes on failure. */
int vk_qemu_snapshot_external_take(VkDomainObj *obj, const VkSnapshotDef *def, bool reuse);

/* Delete SNAP's data as libvirt 9.0 does: each overlay it made is
 * committed into the image below it (an active commit with pivot when the
 * disk still writes to it) and its file removed.  Only for a running
 * guest. */
int vk_qemu_snapshot_external_delete(VkDomainObj *obj, const VkSnapshotDef *snap);

/* Whether DEF keeps any disk externally (then it cannot be reverted to,
 * as in libvirt 9.0). */
bool vk_qemu_snapshot_is_external(const VkSnapshotDef *def);
