/* The storage volume definition: libvirt's <volume> XML as plain structs,
 * with libvirt's defaults and checks (src/conf/storage_conf.c's volume
 * rules: name, capacity with units and its overflow, allocation, target
 * format per pool type, permissions, backing store).  A volume is always
 * parsed for a pool (its type decides the default and allowed formats).
 *
 * Conventions as in storage-pool-def.h: sizes are bytes. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/storage-pool-def.h"

/* <volume type=> (virStorageVolType) */
typedef enum {
    VK_STORAGE_VOL_FILE = 0,
    VK_STORAGE_VOL_BLOCK,
    VK_STORAGE_VOL_DIR,
    VK_STORAGE_VOL_NETWORK,
    VK_STORAGE_VOL_NETDIR,
    VK_STORAGE_VOL_PLOOP,
} VkStorageVolType;
VK_ENUM_DECL(vk_storage_vol_type);   /* "file", "block", "dir", "network", "netdir", "ploop" */

typedef struct {
    char *path;
    char *format;           /* <format type=>, NULL when absent */
    VkStoragePerms perms;
    char *atime, *mtime, *ctime, *btime;   /* <timestamps> (live; added) */
} VkStorageVolBacking;

typedef struct {
    char *name;
    char *key;              /* <key>: the path, for file based pools */
    VkStorageVolType type;
    bool has_type;          /* type= was given (or filled in by the driver) */
    unsigned long long capacity;
    bool has_capacity;
    unsigned long long allocation;
    bool has_allocation;    /* libvirt: absent = fully allocated at create */
    unsigned long long physical;   /* live only (virsh vol-info --physical) */
    /* <source><device path=><extent start= end=/></device> of a partition
     * or a logical volume */
    char *source_device;
    GArray *source_extents; /* VkStorageExtent */
    char *target_path;
    char *target_format;    /* <target><format type=>: raw, qcow2, ... (file
                             * pools; "none", "linux"... for disk pools) */
    VkStoragePerms target_perms;
    char *compat;           /* <compat> (qcow2: "0.10", "1.1") */
    bool nocow;
    bool lazy_refcounts;    /* <features><lazy_refcounts/> */
    /* <timestamps> (live only), "SECONDS.NANOSECONDS" strings */
    char *atime, *mtime, *ctime, *btime;
    VkStorageVolBacking backing;   /* <backingStore>; path NULL when none */
    /* added with the parser: */
    bool has_features;      /* <features> given (possibly empty: <features/>);
                             * libvirt then defaults compat to "1.1" */
    unsigned long long cluster_size;   /* <clusterSize>, bytes; 0 when absent */
    char *raw_encryption;   /* <target><encryption>, raw XML */
} VkStorageVolDef;

enum {
    /* parse: a volume of an existing file read back (refresh), not a
     * request to create one: no capacity needed */
    VK_STORAGE_VOL_PARSE_EXISTING = 1 << 0,
};
/* Without it the document is a create request, as libvirt's storage driver
 * reads one: capacity may be left out only with a <backingStore>, and a
 * name with '/' is refused ("Requested operation is not valid: volume name
 * 'x' cannot contain '/'": libvirt's driver check, made here).  With it,
 * the live elements a dump carries (<physical>, <timestamps>) are read
 * back too, so a volume's XML survives a round trip. */

/* Parse XML as a volume of a pool of POOL_TYPE.  NULL with libvirt's error
 * ("XML error: missing capacity element", "volume name 'x' cannot contain '/'",
 * "numerical overflow: value too large: N", ...). */
VkStorageVolDef *vk_storage_vol_def_parse_string(const char *xml, VkStoragePoolType pool_type,
                                                 unsigned int flags);
/* The <volume> document as libvirt formats it. */
char *vk_storage_vol_def_format(const VkStorageVolDef *def, VkStoragePoolType pool_type);
VkStorageVolDef *vk_storage_vol_def_copy(const VkStorageVolDef *def);
void vk_storage_vol_def_free(VkStorageVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkStorageVolDef, vk_storage_vol_def_free)
