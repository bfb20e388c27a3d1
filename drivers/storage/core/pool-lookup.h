/* From a client's pool or volume reference to our objects, and back. */
#pragma once

#include "drivers/storage/core/pool-obj.h"
#include "remote-protocol.h"

/* The pool REF names (by UUID, as libvirt looks it up), with a new
 * reference; NULL with libvirt's "no storage pool with matching uuid". */
VkStoragePoolObj *vk_storage_pool_from_ref(const remote_nonnull_storage_pool *ref);
/* The same, locked and with its job taken; give it back with
 * vk_object_release(&obj->parent, rc). */
VkStoragePoolObj *vk_storage_pool_begin(const remote_nonnull_storage_pool *ref);
/* The pool of the volume REF (by the pool's name), locked with its job
 * taken, and the volume in *VOL; NULL with libvirt's error (the pool must
 * be active, the volume must exist). */
VkStoragePoolObj *vk_storage_vol_begin(const remote_nonnull_storage_vol *ref,
                                       VkStorageVolDef **vol);

/* The same for a read: the pool locked, no job (reads do not queue); give
 * it back with vk_storage_pool_read_end(). */
VkStoragePoolObj *vk_storage_vol_read_begin(const remote_nonnull_storage_vol *ref,
                                            VkStorageVolDef **vol);
/* A pool looked up for a read (locked, no job), and let go again, passing
 * RC through. */
VkStoragePoolObj *vk_storage_pool_read_begin(const remote_nonnull_storage_pool *ref);
int vk_storage_pool_read_end(VkStoragePoolObj *obj, int rc);

void vk_storage_pool_make_ref(remote_nonnull_storage_pool *ref, const VkStoragePoolDef *def);
void vk_storage_vol_make_ref(remote_nonnull_storage_vol *ref, const VkStoragePoolDef *pool,
                             const VkStorageVolDef *vol);

/* libvirt's "storage pool 'NAME' is not active" (OBJ locked). */
int vk_storage_pool_check_active(VkStoragePoolObj *obj);
/* libvirt's "storage volume 'NAME' is still in use." while a transfer or a
 * wipe holds it (OBJ locked). */
int vk_storage_vol_check_idle(VkStoragePoolObj *obj, const VkStorageVolDef *vol);
/* libvirt's "pool 'NAME' has asynchronous jobs running." while any volume
 * is held (a refresh would lose track of it). */
int vk_storage_vol_busy_check(VkStoragePoolObj *obj);
