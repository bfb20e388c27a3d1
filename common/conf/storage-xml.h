/* What the <pool> and <volume> parsers and formatters share (storage-*.c):
 * permissions, sizes with units, paths cleaned as libvirt cleans them, the
 * per-pool-type rules; not for use outside common/conf. */
#pragma once

#include <libxml/tree.h>

#include "common/conf/storage-pool-def.h"
#include "common/conf/storage-vol-def.h"

#define VK_STORAGE_ERR(code, ...) vk_error_report(VIR_FROM_STORAGE, code, __VA_ARGS__)

/* The parts of <source> a pool type uses (libvirt's per-type source flags). */
enum {
    VK_POOL_SOURCE_HOST = 1 << 0,
    VK_POOL_SOURCE_DEVICE = 1 << 1,
    VK_POOL_SOURCE_DIR = 1 << 2,
    VK_POOL_SOURCE_ADAPTER = 1 << 3,
    VK_POOL_SOURCE_NAME = 1 << 4,
    VK_POOL_SOURCE_INITIATOR = 1 << 5,
    VK_POOL_SOURCE_NETWORK = 1 << 6,   /* no local target */
};
unsigned int vk_storage_pool_source_flags(VkStoragePoolType type);
/* The names <source><format type=> may take for TYPE (NULL-terminated, the
 * default first) or NULL when the type has no source format. */
const char *const *vk_storage_pool_source_formats(VkStoragePoolType type);
/* The same for <target><format type=> of its volumes; NULL: none. */
const char *const *vk_storage_vol_formats(VkStoragePoolType type);

/* <permissions> under NODE (NULL: none) into PERMS; -1 with libvirt's error. */
int vk_storage_perms_parse(xmlNodePtr node, VkStoragePerms *perms);
/* <permissions> at INDENT, nothing when PERMS holds nothing. */
void vk_storage_perms_format(GString *buf, const VkStoragePerms *perms, int indent);
void vk_storage_perms_copy(VkStoragePerms *dst, const VkStoragePerms *src);

/* libvirt's virFileSanitizePath: '//' collapsed, no trailing '/' (a leading
 * "//" and URIs are kept). */
char *vk_storage_clean_path(const char *path);
/* TEXT (a size, decimal) times UNIT (libvirt's virScaleInteger: b, bytes,
 * k/KiB, KB, M/MiB, MB, ... E/EiB, EB), below 2^63.  -1 with the error. */
int vk_storage_parse_size(const char *text, const char *unit, unsigned long long *out);
/* " NAME='VALUE'" escaped, nothing for NULL. */
void vk_storage_attr(GString *buf, const char *name, const char *value);
/* NODE's text, NULL when absent or empty (libvirt's virXPathString). */
char *vk_storage_text(xmlNodePtr node);
/* An empty SOURCE with its arrays. */
void vk_storage_pool_source_init(VkStoragePoolSource *source);
/* XML (or the file PATH when XML is NULL), named NAME in errors, whose root
 * must be ROOT_NAME: NULL with libvirt's error otherwise. */
xmlDocPtr vk_storage_parse_doc(const char *xml, const char *path, const char *name,
                               const char *root_name);
