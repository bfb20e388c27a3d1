/* Creating, reverting to and deleting internal snapshots of a domain, with
 * the checks, states and events of libvirt 9.0's qemu_snapshot.c.
 * External snapshots (disk-only, memory file) are refused. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"
/* FLAGS: virDomainSnapshotCreateFlags, virDomainSnapshotRevertFlags,
 * virDomainSnapshotDeleteFlags */
#include "virtkit/virtkit.h"

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
