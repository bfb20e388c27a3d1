/* The live parts of a disk's XML that follow its image chain: the
 * <backingStore> layers QEMU opened below the top image, and the <mirror>
 * of a block copy or active commit while it runs.  They appear only in the
 * live and status XML; domain-parse.c and domain-format.c call these. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <stdbool.h>

/* One image of a chain: <backingStore type='file' index='N'> with its
 * <format type=> and <source file=>; INDEX is QEMU's libvirt-N-format. */
typedef struct {
    bool block;          /* type='block' (<source dev=>) instead of a file */
    char *path;
    char *format;        /* qcow2, raw ... */
    unsigned int index;
} VkDiskLayer;

/* <mirror job=... ready=...>: where a running copy or active commit goes. */
typedef struct {
    char *job;           /* "copy" or "active-commit" */
    bool ready;          /* the job reached its synchronized phase */
    VkDiskLayer dest;    /* the copy's target, or the commit's base */
} VkDiskMirror;

void vk_disk_layer_free(VkDiskLayer *layer);
VkDiskLayer *vk_disk_layer_copy(const VkDiskLayer *layer);
void vk_disk_mirror_free(VkDiskMirror *mirror);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDiskLayer, vk_disk_layer_free)

/* A new, empty chain (an array of VkDiskLayer, top's backing first). */
GPtrArray *vk_disk_chain_new(void);

/* The <backingStore> elements below a disk's <source> (DISK_NODE: the
 * <disk>): appends the layers to CHAIN (with their indexes when LIVE), and
 * sets *ENDS when the innermost is the empty <backingStore/> (the chain is
 * known to end there). */
int vk_disk_chain_parse(xmlNodePtr disk_node, GPtrArray *chain, bool *ends, bool live);
/* The <mirror> of DISK_NODE, or NULL with no error when it has none;
 * *FAILED on a malformed one. */
VkDiskMirror *vk_disk_mirror_parse(xmlNodePtr disk_node, bool *failed);

/* Append CHAIN (may be NULL) at indent IND, closed by <backingStore/> when
 * ENDS; nothing when neither.  LIVE: with the layers' indexes. */
void vk_disk_chain_format(GString *out, int ind, const GPtrArray *chain, bool ends, bool live);
void vk_disk_mirror_format(GString *out, int ind, const VkDiskMirror *mirror);
