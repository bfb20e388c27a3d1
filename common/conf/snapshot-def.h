/* Domain snapshot definitions: libvirt's <domainsnapshot> XML (parse and
 * format), as src/conf/snapshot_conf.c has it for snapshots of QEMU guests. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/domain.h"

/* <disks><disk name= snapshot=/>: one per disk of the domain once aligned */
typedef struct {
    char *name;       /* the disk's target dev */
    char *snapshot;   /* "internal", "external", "no"; NULL: not given */
    /* external: the overlay, <disk type='file'> <driver type=> <source file=> */
    char *file;
    char *driver_type;
} VkSnapshotDiskDef;

typedef struct {
    char *name;
    char *description;
    char *state;          /* libvirt's snapshot state name ("shutoff", "running"...) */
    char *parent;         /* the parent snapshot's name; NULL for a root */
    gint64 creation_time; /* seconds since the epoch */
    char *memory;         /* <memory snapshot=>: "no", "internal", "external"; NULL: not given */
    char *memory_file;    /* <memory file=> */
    GPtrArray *disks;     /* VkSnapshotDiskDef, in the domain's disk order */
    VkDomainDef *dom;          /* the domain when it was taken */
    VkDomainDef *inactive_dom; /* its config for the next boot, when it ran */
    bool current;         /* <active> of the saved metadata */
} VkSnapshotDef;

enum {
    /* an existing snapshot's XML (redefine, our metadata files): state,
     * parent, creationTime and the domain are taken as given */
    VK_SNAPSHOT_PARSE_REDEFINE = 1 << 0,
    /* our metadata file: <active> says whether it is the current one */
    VK_SNAPSHOT_PARSE_INTERNAL = 1 << 1,
};

enum {
    VK_SNAPSHOT_FORMAT_INTERNAL = 1 << 0,   /* with <active>, for the metadata file */
    VK_SNAPSHOT_FORMAT_SECURE = 1 << 1,     /* the domain's passwords too */
};

/* NULL with libvirt's error.  Without REDEFINE, a snapshot without a name
 * is named after its creation time (now, in seconds), as libvirt does. */
VkSnapshotDef *vk_snapshot_def_parse_string(const char *xml, unsigned int flags);
char *vk_snapshot_def_format(const VkSnapshotDef *def, unsigned int flags);
void vk_snapshot_def_free(VkSnapshotDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkSnapshotDef, vk_snapshot_def_free)

/* Add one disk to DEF. */
void vk_snapshot_def_add_disk(VkSnapshotDef *def, const char *name, const char *snapshot);
/* DEF's disk named NAME, or NULL. */
VkSnapshotDiskDef *vk_snapshot_def_disk(const VkSnapshotDef *def, const char *name);
