/* A disk's I/O throttling (<iotune>), as libvirt 9.0 models it: the
 * VIR_DOMAIN_BLOCK_IOTUNE_* values, in libvirt's order, plus a group name. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

/* In the order libvirt formats <iotune> and lists the typed parameters
 * (group_name goes between SIZE_IOPS_SEC and the *_max_length values). */
typedef enum {
    VK_IOTUNE_TOTAL_BYTES_SEC,
    VK_IOTUNE_READ_BYTES_SEC,
    VK_IOTUNE_WRITE_BYTES_SEC,
    VK_IOTUNE_TOTAL_IOPS_SEC,
    VK_IOTUNE_READ_IOPS_SEC,
    VK_IOTUNE_WRITE_IOPS_SEC,
    VK_IOTUNE_TOTAL_BYTES_SEC_MAX,
    VK_IOTUNE_READ_BYTES_SEC_MAX,
    VK_IOTUNE_WRITE_BYTES_SEC_MAX,
    VK_IOTUNE_TOTAL_IOPS_SEC_MAX,
    VK_IOTUNE_READ_IOPS_SEC_MAX,
    VK_IOTUNE_WRITE_IOPS_SEC_MAX,
    VK_IOTUNE_SIZE_IOPS_SEC,
    VK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH,
    VK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH,
    VK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH,
    VK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH,
    VK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH,
    VK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH,
    VK_IOTUNE_N
} VkIotuneField;

/* The first of the three fields of a total/read/write triple (TOTAL_*);
 * READ and WRITE follow it. */
#define VK_IOTUNE_TRIPLES { VK_IOTUNE_TOTAL_BYTES_SEC, VK_IOTUNE_TOTAL_IOPS_SEC, \
                            VK_IOTUNE_TOTAL_BYTES_SEC_MAX, VK_IOTUNE_TOTAL_IOPS_SEC_MAX }

/* libvirt's cap on any throttle value with QEMU */
#define VK_IOTUNE_QEMU_MAX 1000000000000000ULL

typedef struct {
    guint64 v[VK_IOTUNE_N];   /* 0 = not set */
    char *group_name;         /* NULL = none */
} VkDiskIotune;

/* The element name of F, which is also its typed parameter name. */
const char *vk_iotune_field_name(VkIotuneField f);

/* Any value set (the group name alone does not count, as for libvirt). */
bool vk_disk_iotune_has_any(const VkDiskIotune *t);

void vk_disk_iotune_clear(VkDiskIotune *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VkDiskIotune, vk_disk_iotune_clear)

/* DST (cleared first) gets SRC's values and group name. */
void vk_disk_iotune_copy(VkDiskIotune *dst, const VkDiskIotune *src);

/* Parse <iotune> NODE into T (zeroed), with libvirt's messages; -1 on error. */
int vk_disk_iotune_parse(xmlNodePtr node, VkDiskIotune *t);

/* The index of the first TOTAL_* field set together with its read or
 * write field, or -1 when there is none. */
int vk_disk_iotune_conflict(const VkDiskIotune *t);

/* libvirt's QEMU checks of a definition's values; -1 with its error. */
int vk_disk_iotune_validate_qemu(const VkDiskIotune *t);

/* Append <iotune> at INDENT to OUT, nothing when no value is set. */
void vk_disk_iotune_format(GString *out, int indent, const VkDiskIotune *t);
