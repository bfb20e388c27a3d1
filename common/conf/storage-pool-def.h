/* The storage pool definition: libvirt's <pool> XML as plain structs, with
 * libvirt's defaults and checks (src/conf/storage_conf.c's rules), for the
 * pool types Virtkit's storage driver runs: dir, fs, logical and disk (the
 * others parse and format, so their definitions survive, but cannot start).
 * Parse with vk_storage_pool_def_parse_string(), format with
 * vk_storage_pool_def_format().
 *
 * Conventions as in domain.h: a NULL string is "absent" (not formatted), an
 * enum's 0 is "absent/default" unless said, arrays keep document order,
 * sizes are bytes. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include <glib.h>

#include "common/conf/enum-table.h"
#include "common/pci/address.h"   /* VkTristate */

/* <pool type=> (libvirt's virStoragePoolType, in its order) */
typedef enum {
    VK_STORAGE_POOL_DIR = 0,
    VK_STORAGE_POOL_FS,
    VK_STORAGE_POOL_NETFS,
    VK_STORAGE_POOL_LOGICAL,
    VK_STORAGE_POOL_DISK,
    VK_STORAGE_POOL_ISCSI,
    VK_STORAGE_POOL_ISCSI_DIRECT,
    VK_STORAGE_POOL_SCSI,
    VK_STORAGE_POOL_MPATH,
    VK_STORAGE_POOL_RBD,
    VK_STORAGE_POOL_SHEEPDOG,
    VK_STORAGE_POOL_GLUSTER,
    VK_STORAGE_POOL_ZFS,
    VK_STORAGE_POOL_VSTORAGE,
} VkStoragePoolType;
VK_ENUM_DECL(vk_storage_pool_type);   /* "dir", "fs", "netfs", "logical", "disk", ... */

/* <permissions> of a pool's target or a volume's target */
typedef struct {
    bool has_mode, has_owner, has_group;
    mode_t mode;        /* <mode>, octal in the XML */
    uid_t owner;        /* <owner> */
    gid_t group;        /* <group> */
    char *label;        /* <label> */
} VkStoragePerms;

/* <source><device path= part_separator=> (fs, logical, disk: the block
 * devices; logical pools may list several) */
typedef struct {
    char *path;
    VkTristate part_separator;   /* disk pools: "p" between device and number */
    /* <freeExtent start= end=/> children of a running disk pool's source */
    GArray *free_extents;        /* of VkStorageExtent */
} VkStoragePoolSourceDevice;

typedef struct {
    unsigned long long start, end;
} VkStorageExtent;

typedef struct {
    GPtrArray *devices;   /* VkStoragePoolSourceDevice */
    char *dir;            /* <dir path=> (netfs) */
    GPtrArray *hosts;     /* char*, <host name=> (netfs, iscsi, ...) ... */
    char *name;           /* <name> (logical: the volume group, default the pool's name) */
    char *format;         /* <format type=>: fs: auto/ext4/xfs...; disk: dos/gpt/...;
                           * logical: lvm2; NULL when absent */
    char *raw_other;      /* <auth>: raw XML (the other elements have fields below) */
    /* added with the parser: */
    GArray *host_ports;   /* int, one per hosts entry: <host port=>, 0 when absent */
    char *raw_adapter;    /* <adapter> (scsi), raw XML */
    char *raw_initiator;  /* <initiator> (iscsi), raw XML */
    char *protocol_ver;   /* <protocol ver=> (netfs: NFS's version, kept as given) */
    char *vendor;         /* <vendor name=> */
    char *product;        /* <product name=> */
} VkStoragePoolSource;

typedef struct {
    VkStoragePoolType type;
    char *name;
    unsigned char uuid[16];
    /* live: what the backend measured at start/refresh; 0 when inactive */
    unsigned long long capacity, allocation, available;
    VkStoragePoolSource source;
    char *target_path;            /* <target><path>; NULL for pools without one */
    VkStoragePerms target_perms;  /* <target><permissions> */
    char *raw_features;           /* <features> (cow), raw XML */
    char *refresh_allocation;     /* <refresh><volume allocation=>: "default",
                                   * "capacity"; NULL when absent (added) */
} VkStoragePoolDef;

/* NULL with libvirt's error ("XML error: ...", "missing storage pool source
 * device path", ...).  <source><format> stays NULL when absent: the
 * formatter prints the type's default (fs, netfs: auto; logical: lvm2;
 * disk: unknown), see vk_storage_pool_source_format_name().  Sheepdog pools
 * are refused as libvirt 9.0 refuses them (it has no such backend). */
VkStoragePoolDef *vk_storage_pool_def_parse_string(const char *xml);
VkStoragePoolDef *vk_storage_pool_def_parse_file(const char *path);
/* The <pool> document as libvirt formats it (sizes with unit='bytes'). */
char *vk_storage_pool_def_format(const VkStoragePoolDef *def);
VkStoragePoolDef *vk_storage_pool_def_copy(const VkStoragePoolDef *def);
void vk_storage_pool_def_free(VkStoragePoolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkStoragePoolDef, vk_storage_pool_def_free)

/* <source> alone, as virConnectFindStoragePoolSources answers it inside
 * <sources>, and as the pool-source XML virsh find-storage-pool-sources
 * sends. */
char *vk_storage_pool_source_format(const VkStoragePoolSource *source, VkStoragePoolType type);

/* Added with the parser: */
/* The pool-source document of find-storage-pool-sources (root <source>)
 * for a pool of TYPE into OUT (cleared first); -1 with libvirt's error. */
int vk_storage_pool_source_parse_string(const char *xml, VkStoragePoolType type,
                                        VkStoragePoolSource *out);
void vk_storage_pool_source_clear(VkStoragePoolSource *source);
/* SOURCE's <format type=> or the default of pool TYPE; NULL for the types
 * without a source format. */
const char *vk_storage_pool_source_format_name(const VkStoragePoolSource *source,
                                               VkStoragePoolType type);
