/* A storage pool backend: what one pool type (dir, fs, logical, disk) does
 * to the host for the storage driver.  The driver keeps the objects, jobs,
 * files and events; a backend only acts on the host and reports what it
 * finds.  Every function returns 0 or -1 with libvirt's error. */
#pragma once

#include <stdbool.h>

/* storage-pool-def.h uses VkTristate without including its header */
#include "common/pci/address.h"
#include "common/conf/storage-pool-def.h"
#include "common/conf/storage-vol-def.h"

/* libvirt's flag and enum values, as clients send them (libvirt-storage.h) */
enum {
    VK_STORAGE_POOL_BUILD_NO_OVERWRITE = 1 << 2,   /* virStoragePoolBuildFlags */
    VK_STORAGE_POOL_BUILD_OVERWRITE = 1 << 3,
};
enum {
    VK_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,       /* virStorageVolResizeFlags */
    VK_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
    VK_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
};
typedef enum {                                     /* virStorageVolWipeAlgorithm */
    VK_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VK_STORAGE_VOL_WIPE_ALG_NNSA,
    VK_STORAGE_VOL_WIPE_ALG_DOD,
    VK_STORAGE_VOL_WIPE_ALG_BSI,
    VK_STORAGE_VOL_WIPE_ALG_GUTMANN,
    VK_STORAGE_VOL_WIPE_ALG_SCHNEIER,
    VK_STORAGE_VOL_WIPE_ALG_PFITZNER7,
    VK_STORAGE_VOL_WIPE_ALG_PFITZNER33,
    VK_STORAGE_VOL_WIPE_ALG_RANDOM,
    VK_STORAGE_VOL_WIPE_ALG_TRIM,
    VK_STORAGE_VOL_WIPE_ALG_LAST,
} VkStorageVolWipeAlgorithm;

/* A member is NULL where libvirt's backend of the type has no such call
 * (disk: delete, vol_resize; logical: vol_resize); the driver then gives
 * libvirt's "... not supported" error. */
typedef struct {
    VkStoragePoolType type;
    /* pool-build (virStoragePoolBuildFlags: OVERWRITE, NO_OVERWRITE): the
     * target directory with its permissions, mkfs, pvcreate + vgcreate, a
     * partition table */
    int (*build)(const VkStoragePoolDef *def, unsigned int flags);
    /* make the pool usable: check the target (dir), mount (fs), activate
     * the volume group (logical), read the partition table (disk) */
    int (*start)(const VkStoragePoolDef *def);
    /* measure the pool (capacity/allocation/available into DEF, as libvirt
     * computes them) and list its volumes (VkStorageVolDef, with key, path,
     * type, format, sizes, permissions, timestamps) into VOLS; VOLS NULL:
     * the sizes only (after a volume changed) */
    int (*refresh)(VkStoragePoolDef *def, GPtrArray *vols);
    /* undo start: unmount, deactivate */
    int (*stop)(const VkStoragePoolDef *def);
    /* pool-delete: remove what build made (the target directory must be
     * empty, as libvirt checks) */
    int (*delete)(const VkStoragePoolDef *def, unsigned int flags);

    /* vol-create: VOL (parsed for this pool) is made; its key, path, type,
     * sizes and timestamps are filled in (read back: the driver does not
     * refresh it again; so does vol_create_from).  Raw files sparse or fully allocated as its
     * allocation says, qcow2 through qemu-img with its backing store. */
    int (*vol_create)(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int flags);
    /* vol-create-from: VOL made with SRC's content (SRC_POOL may be another
     * pool, of another type); formats converted through qemu-img */
    int (*vol_create_from)(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                           const VkStoragePoolDef *src_pool, const VkStorageVolDef *src,
                           unsigned int flags);
    int (*vol_delete)(const VkStoragePoolDef *pool, const VkStorageVolDef *vol,
                      unsigned int flags);
    /* vol-resize (virStorageVolResizeFlags: ALLOCATE, DELTA, SHRINK already
     * turned into an absolute CAPACITY by the driver) */
    int (*vol_resize)(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                      unsigned long long capacity, unsigned int flags);
    /* vol-wipe with virStorageVolWipeAlgorithm ALGORITHM (zero at least) */
    int (*vol_wipe)(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int algorithm,
                    unsigned int flags);
    /* read VOL's sizes, format and timestamps again after a change */
    int (*vol_refresh)(const VkStoragePoolDef *pool, VkStorageVolDef *vol);
} VkStorageBackend;

/* The backend of pool TYPE, or NULL (with libvirt's "missing backend for
 * pool type N (TYPE)" error) for the types Virtkit does not run. */
const VkStorageBackend *vk_storage_backend_for(VkStoragePoolType type);
/* Whether pool TYPE has a backend (nothing reported). */
bool vk_storage_backend_exists(VkStoragePoolType type);

/* libvirt's check of pool-build flags for the types Virtkit runs: only
 * OVERWRITE and NO_OVERWRITE, never both ("Flags ... are mutually
 * exclusive"). */
int vk_storage_check_build_flags(unsigned int flags);
