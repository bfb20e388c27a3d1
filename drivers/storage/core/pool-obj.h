/* Storage pool objects: a definition plus its live state and its volumes,
 * on the common object core (common/driver/object.h). */
#pragma once

#include <stdbool.h>

#include "common/conf/storage-pool-def.h"
#include "common/conf/storage-vol-def.h"
#include "common/driver/object-list.h"

typedef struct {
    VkObject parent;          /* first: the object core and the list see this */
    /* guarded by parent.lock: */
    VkStoragePoolDef *def;    /* the live definition while active, else the config */
    VkStoragePoolDef *new_def;   /* active and persistent: the config for next start */
    bool active;
    bool persistent;
    bool autostart;
    GPtrArray *volumes;       /* VkStorageVolDef, as the last refresh found them */
    /* volume name -> how many transfers hold it, under a lock of its own:
     * a transfer's end lets go at once, from the main loop, even while a
     * long volume creation holds the pool */
    GMutex busy_lock;
    GHashTable *busy;
} VkStoragePoolObj;

static inline void
vk_storage_pool_obj_unref(VkStoragePoolObj *obj)
{
    vk_object_unref(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkStoragePoolObj, vk_storage_pool_obj_unref)

static inline void
vk_storage_pool_obj_lock(VkStoragePoolObj *obj)
{
    vk_object_lock(&obj->parent);
}

static inline void
vk_storage_pool_obj_unlock(VkStoragePoolObj *obj)
{
    vk_object_unlock(&obj->parent);
}

/* The persistent definition: new_def when there is one, else def. */
VkStoragePoolDef *vk_storage_pool_obj_config(VkStoragePoolObj *obj);

/* List a new pool for DEF (owned on success) unless one with its name or
 * UUID exists (see vk_object_list_add). */
VkStoragePoolObj *vk_storage_pool_list_add(VkObjectList *list, VkStoragePoolDef *def,
                                           bool *existed);

static inline VkStoragePoolObj *
vk_storage_pool_list_find_by_name(VkObjectList *list, const char *name)
{
    return (VkStoragePoolObj *) vk_object_list_find_by_name(list, name);
}

static inline VkStoragePoolObj *
vk_storage_pool_list_find_by_uuid(VkObjectList *list, const unsigned char *uuid)
{
    return (VkStoragePoolObj *) vk_object_list_find_by_uuid(list, uuid);
}

/* OBJ's (locked) volume NAME, or NULL. */
VkStorageVolDef *vk_storage_pool_obj_find_volume(VkStoragePoolObj *obj, const char *name);
/* OBJ's volume with the key or path VALUE, or NULL. */
VkStorageVolDef *vk_storage_pool_obj_find_volume_by(VkStoragePoolObj *obj, const char *value,
                                                    bool by_path);
/* Replace OBJ's volumes by VOLS (taken). */
void vk_storage_pool_obj_set_volumes(VkStoragePoolObj *obj, GPtrArray *vols);
bool vk_storage_pool_obj_remove_volume(VkStoragePoolObj *obj, const char *name);

/* A transfer (upload, download) holds volume NAME of OBJ from hold to
 * release (OBJ need not be locked); a held volume cannot be deleted, wiped
 * or resized.  Whether NAME (or, NAME NULL, any volume) is held. */
bool vk_storage_pool_obj_volume_held(VkStoragePoolObj *obj, const char *name);
void vk_storage_pool_obj_hold_volume(VkStoragePoolObj *obj, const char *name);
void vk_storage_pool_obj_release_volume(VkStoragePoolObj *obj, const char *name);
