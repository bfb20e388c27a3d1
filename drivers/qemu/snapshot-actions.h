/* Creating, reverting to and deleting internal snapshots of a domain, with
 * the checks, states and events of libvirt 9.0's qemu_snapshot.c.
 * External snapshots (disk-only, memory file) are refused. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/domain-obj.h"

/* virDomainSnapshotCreateFlags, virDomainSnapshotRevertFlags,
 * virDomainSnapshotDeleteFlags */
enum {
    VK_SNAPSHOT_CREATE_REDEFINE = 1 << 0,
    VK_SNAPSHOT_CREATE_CURRENT = 1 << 1,
    VK_SNAPSHOT_CREATE_NO_METADATA = 1 << 2,
    VK_SNAPSHOT_CREATE_HALT = 1 << 3,
    VK_SNAPSHOT_CREATE_DISK_ONLY = 1 << 4,
    VK_SNAPSHOT_CREATE_REUSE_EXT = 1 << 5,
    VK_SNAPSHOT_CREATE_QUIESCE = 1 << 6,
    VK_SNAPSHOT_CREATE_ATOMIC = 1 << 7,
    VK_SNAPSHOT_CREATE_LIVE = 1 << 8,
    VK_SNAPSHOT_CREATE_VALIDATE = 1 << 9,
};
enum {
    VK_SNAPSHOT_REVERT_RUNNING = 1 << 0,
    VK_SNAPSHOT_REVERT_PAUSED = 1 << 1,
    VK_SNAPSHOT_REVERT_FORCE = 1 << 2,
};
enum {
    VK_SNAPSHOT_DELETE_CHILDREN = 1 << 0,
    VK_SNAPSHOT_DELETE_METADATA_ONLY = 1 << 1,
    VK_SNAPSHOT_DELETE_CHILDREN_ONLY = 1 << 2,
};

/* Take (or redefine) the snapshot XML describes of OBJ (locked, with the
 * job); its name in *NAME (g_free). */
int vk_qemu_snapshot_create(VkDomainObj *obj, const char *xml, unsigned int flags, char **name);
/* Bring OBJ (locked, with the job) back to the snapshot NAME. */
int vk_qemu_snapshot_revert(VkDomainObj *obj, const char *name, unsigned int flags);
/* Delete the snapshot NAME of OBJ (locked, with the job). */
int vk_qemu_snapshot_delete(VkDomainObj *obj, const char *name, unsigned int flags);

/* Undefine of OBJ (locked): a shut-off domain with snapshots is refused as
 * libvirt does unless DISCARD (VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA),
 * which forgets their metadata (the images keep the snapshots). */
int vk_qemu_snapshot_check_undefine(VkDomainObj *obj, bool discard);
