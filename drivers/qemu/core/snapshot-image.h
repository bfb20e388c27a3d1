/* Where internal snapshots live: inside the guest's qcow2 images.  A
 * shut-off guest's images are handled with qemu-img snapshot -c/-a/-d, a
 * running guest's through QEMU's HMP savevm/delvm (which also save the VM
 * state), as libvirt 9.0 does. */
#pragma once

#include "common/conf/snapshot-def.h"
#include "drivers/qemu/core/domain-obj.h"

typedef enum {
    VK_SNAPSHOT_IMAGE_CREATE,   /* qemu-img snapshot -c */
    VK_SNAPSHOT_IMAGE_APPLY,    /* -a */
    VK_SNAPSHOT_IMAGE_DELETE,   /* -d */
} VkSnapshotImageOp;

/* Run OP for the snapshot SNAP on each disk of DOM that SNAP takes
 * internally.  CREATE removes what it made when a later disk fails;
 * DELETE goes on past failures (a warning each), as libvirt does. */
int vk_qemu_snapshot_images(const VkDomainDef *dom, const VkSnapshotDef *snap,
                            VkSnapshotImageOp op);

/* HMP savevm / loadvm / delvm NAME on the running OBJ (locked, with the
 * job; the lock is dropped while QEMU works).  -1 with libvirt's error when
 * QEMU reports one. */
int vk_qemu_snapshot_savevm(VkDomainObj *obj, const char *name);
int vk_qemu_snapshot_delvm(VkDomainObj *obj, const char *name);
