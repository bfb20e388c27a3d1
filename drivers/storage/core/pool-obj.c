#include "drivers/storage/core/pool-obj.h"

#include <string.h>

#include "common/util/error.h"

static void
dispose(VkObject *parent)
{
    VkStoragePoolObj *obj = (VkStoragePoolObj *) parent;

    vk_storage_pool_def_free(obj->def);
    vk_storage_pool_def_free(obj->new_def);
    g_ptr_array_unref(obj->volumes);
    g_hash_table_destroy(obj->busy);
    g_mutex_clear(&obj->busy_lock);
}

static const VkObjectClass pool_class = {
    .name = "pool",
    .error_domain = VIR_FROM_STORAGE,
    .job_wait_ms = 30 * 1000,
    .dispose = dispose,
};

VkStoragePoolDef *
vk_storage_pool_obj_config(VkStoragePoolObj *obj)
{
    return obj->new_def ? obj->new_def : obj->def;
}

static GPtrArray *
new_volume_array(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify) vk_storage_vol_def_free);
}

VkStoragePoolObj *
vk_storage_pool_list_add(VkObjectList *list, VkStoragePoolDef *def, bool *existed)
{
    VkStoragePoolObj *fresh = g_new0(VkStoragePoolObj, 1);
    VkStoragePoolObj *listed;

    vk_object_init(&fresh->parent, &pool_class, def->name, def->uuid);
    fresh->def = def;
    fresh->volumes = new_volume_array();
    fresh->busy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_mutex_init(&fresh->busy_lock);
    listed = (VkStoragePoolObj *) vk_object_list_add(list, &fresh->parent, existed);
    if (listed != fresh)
        fresh->def = NULL;   /* not taken: the caller keeps it */
    vk_storage_pool_obj_unref(fresh);
    return listed;
}

VkStorageVolDef *
vk_storage_pool_obj_find_volume(VkStoragePoolObj *obj, const char *name)
{
    for (guint i = 0; i < obj->volumes->len; i++) {
        VkStorageVolDef *vol = g_ptr_array_index(obj->volumes, i);
        if (strcmp(vol->name, name) == 0)
            return vol;
    }
    return NULL;
}

VkStorageVolDef *
vk_storage_pool_obj_find_volume_by(VkStoragePoolObj *obj, const char *value, bool by_path)
{
    for (guint i = 0; i < obj->volumes->len; i++) {
        VkStorageVolDef *vol = g_ptr_array_index(obj->volumes, i);
        if (g_strcmp0(by_path ? vol->target_path : vol->key, value) == 0)
            return vol;
    }
    return NULL;
}

void
vk_storage_pool_obj_set_volumes(VkStoragePoolObj *obj, GPtrArray *vols)
{
    g_ptr_array_unref(obj->volumes);
    obj->volumes = vols ? vols : new_volume_array();
}

bool
vk_storage_pool_obj_remove_volume(VkStoragePoolObj *obj, const char *name)
{
    VkStorageVolDef *vol = vk_storage_pool_obj_find_volume(obj, name);

    return vol && g_ptr_array_remove(obj->volumes, vol);
}

void
vk_storage_pool_obj_hold_volume(VkStoragePoolObj *obj, const char *name)
{
    g_mutex_lock(&obj->busy_lock);
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(obj->busy, name));
    g_hash_table_replace(obj->busy, g_strdup(name), GUINT_TO_POINTER(n + 1));
    g_mutex_unlock(&obj->busy_lock);
}

void
vk_storage_pool_obj_release_volume(VkStoragePoolObj *obj, const char *name)
{
    g_mutex_lock(&obj->busy_lock);
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(obj->busy, name));
    if (n > 1)
        g_hash_table_replace(obj->busy, g_strdup(name), GUINT_TO_POINTER(n - 1));
    else
        g_hash_table_remove(obj->busy, name);
    g_mutex_unlock(&obj->busy_lock);
}

bool
vk_storage_pool_obj_volume_held(VkStoragePoolObj *obj, const char *name)
{
    bool held;

    g_mutex_lock(&obj->busy_lock);
    held = name ? g_hash_table_contains(obj->busy, name) : g_hash_table_size(obj->busy) > 0;
    g_mutex_unlock(&obj->busy_lock);
    return held;
}
