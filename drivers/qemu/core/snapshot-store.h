/* The snapshots of each domain: their definitions, how they form a tree
 * (each names its parent), which one is current, and their metadata files
 * ROOT/var/lib/libvirt/qemu/snapshot/DOMAIN/NAME.xml, which libvirt keeps
 * in the same place and format.  A domain's list is read from its
 * directory the first time it is needed (so after a daemon restart too). */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/snapshot-def.h"
#include "drivers/qemu/core/domain-obj.h"


/* The snapshots of OBJ (locked), read from their files on first use and
 * kept on OBJ; never NULL.  Callers keep OBJ locked while they use it. */
VkSnapshotList *vk_qemu_snapshots(VkDomainObj *obj);
void vk_snapshot_list_free(VkSnapshotList *list);

guint vk_snapshot_list_count(VkSnapshotList *list);
/* The snapshot NAME, or NULL (no error). */
VkSnapshotDef *vk_snapshot_list_find(VkSnapshotList *list, const char *name);
/* The same, NULL with libvirt's "no domain snapshot with matching name". */
VkSnapshotDef *vk_snapshot_list_get(VkSnapshotList *list, const char *name);
/* The current snapshot, or NULL. */
VkSnapshotDef *vk_snapshot_list_current(VkSnapshotList *list);

/* All snapshots (borrowed), parents before their children, siblings by
 * creation time then name. */
GPtrArray *vk_snapshot_list_all(VkSnapshotList *list);
/* The children of PARENT (all its descendants when DESCENDANTS), in the
 * same order. */
GPtrArray *vk_snapshot_list_children(VkSnapshotList *list, const VkSnapshotDef *parent,
                                     bool descendants);

/* Add DEF (owned), or replace the snapshot of the same name (redefine),
 * and save its metadata.  -1 with an error (DEF is freed). */
int vk_snapshot_list_add(VkSnapshotList *list, VkSnapshotDef *def);
/* Save DEF's metadata file again (after a change of it). */
int vk_snapshot_list_save(VkSnapshotList *list, const VkSnapshotDef *def);
/* Make DEF (or none) the current snapshot; both changed files are saved. */
int vk_snapshot_list_set_current(VkSnapshotList *list, VkSnapshotDef *def);
/* Forget DEF and remove its file; its children get DEF's parent (saved). */
int vk_snapshot_list_remove(VkSnapshotList *list, VkSnapshotDef *def);

/* OBJ (locked) is about to be called NEW_NAME: its snapshots' metadata
 * directory follows; they are read again from there when next needed. */
int vk_qemu_snapshots_rename(VkDomainObj *obj, const char *new_name);

/* Forget every snapshot of OBJ (locked) and remove its metadata directory
 * (undefine --snapshots-metadata). */
void vk_qemu_snapshots_discard(VkDomainObj *obj);
