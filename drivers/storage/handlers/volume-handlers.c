/* Procedures on volumes: create (also from another volume), delete,
 * lookups by name, key and path, info, XML, path, wipe and resize. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/storage/core/pool-lookup.h"
#include "drivers/storage/core/volumes.h"
#include "drivers/storage/driver.h"
#include "drivers/storage/handlers/handlers.h"
#include "remote-protocol.h"

/* virStorageVolCreateFlags, virStorageVolDeleteFlags, virStorageVolResizeFlags */
#define CREATE_FLAGS ((1 << 0) | (1 << 1) | (1 << 2))
#define DELETE_FLAGS ((1 << 0) | (1 << 1))
#define RESIZE_FLAGS ((1 << 0) | (1 << 1) | (1 << 2))
#define GET_PHYSICAL (1 << 0)   /* virStorageVolInfoFlags */

static int
vol_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_create_xml_args *args = argsp;
    VkStoragePoolObj *obj;
    const VkStorageVolDef *vol;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, CREATE_FLAGS, "storageVolCreateXML") < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (!(vol = vk_storage_vol_create(obj, args->xml, NULL, NULL, args->flags)))
        return vk_object_release(&obj->parent, -1);
    vk_storage_vol_make_ref(&((remote_storage_vol_create_xml_ret *) retp)->vol, obj->def, vol);
    return vk_object_release(&obj->parent, 0);
}

/* Copies of the volume REF and its pool, taken under that pool's lock only
 * (the target pool is locked afterwards: no two pools at once). */
static int
copy_source(const remote_nonnull_storage_vol *ref, VkStoragePoolDef **pool, VkStorageVolDef **vol)
{
    VkStorageVolDef *found;
    VkStoragePoolObj *obj = vk_storage_vol_begin(ref, &found);

    if (!obj)
        return -1;
    *pool = vk_storage_pool_def_copy(obj->def);
    *vol = vk_storage_vol_def_copy(found);
    return vk_object_release(&obj->parent, 0);
}

static int
vol_create_xml_from(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_create_xml_from_args *args = argsp;
    g_autoptr(VkStoragePoolDef) src_pool = NULL;
    g_autoptr(VkStorageVolDef) src = NULL;
    VkStoragePoolObj *obj;
    const VkStorageVolDef *vol;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, CREATE_FLAGS,
                       "storageVolCreateXMLFrom") < 0 ||
        copy_source(&args->clonevol, &src_pool, &src) < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (!(vol = vk_storage_vol_create(obj, args->xml, src_pool, src, args->flags)))
        return vk_object_release(&obj->parent, -1);
    vk_storage_vol_make_ref(&((remote_storage_vol_create_xml_from_ret *) retp)->vol, obj->def,
                            vol);
    return vk_object_release(&obj->parent, 0);
}

static int
vol_delete(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_delete_args *args = argsp;
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, DELETE_FLAGS, "storageVolDelete") < 0 ||
        !(obj = vk_storage_vol_begin(&args->vol, &vol)))
        return -1;
    return vk_object_release(&obj->parent, vk_storage_vol_delete(obj, vol, args->flags));
}

static int
vol_lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_lookup_by_name_args *args = argsp;
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(&args->pool);
    VkStorageVolDef *vol;

    if (!obj)
        return -1;
    if (vk_storage_pool_check_active(obj) < 0)
        return vk_storage_pool_read_end(obj, -1);
    if (!(vol = vk_storage_pool_obj_find_volume(obj, args->name))) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_VOL,
                        "no storage vol with matching name '%s'", args->name);
        return vk_storage_pool_read_end(obj, -1);
    }
    vk_storage_vol_make_ref(&((remote_storage_vol_lookup_by_name_ret *) retp)->vol, obj->def, vol);
    return vk_storage_pool_read_end(obj, 0);
}

/* The volume with key or path VALUE in any active pool, into REF. */
static bool
find_in_pools(const char *value, bool by_path, remote_nonnull_storage_vol *ref)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_storage_driver()->pools);

    for (guint i = 0; i < all->len; i++) {
        VkStoragePoolObj *obj = g_ptr_array_index(all, i);
        VkStorageVolDef *vol;

        vk_storage_pool_obj_lock(obj);
        vol = obj->active ? vk_storage_pool_obj_find_volume_by(obj, value, by_path) : NULL;
        if (vol)
            vk_storage_vol_make_ref(ref, obj->def, vol);
        vk_storage_pool_obj_unlock(obj);
        if (vol)
            return true;
    }
    return false;
}

static int
vol_lookup_by_key(VkServerClient *client, void *argsp, void *retp)
{
    const char *key = ((remote_storage_vol_lookup_by_key_args *) argsp)->key;

    if (find_in_pools(key, false, &((remote_storage_vol_lookup_by_key_ret *) retp)->vol))
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_VOL,
                    "no storage vol with matching key %s", key);
    return -1;
}

static int
vol_lookup_by_path(VkServerClient *client, void *argsp, void *retp)
{
    const char *path = ((remote_storage_vol_lookup_by_path_args *) argsp)->path;
    g_autofree char *clean = g_canonicalize_filename(path, "/");

    if (find_in_pools(clean, true, &((remote_storage_vol_lookup_by_path_ret *) retp)->vol))
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_VOL,
                    "no storage vol with matching path '%s'", path);
    return -1;
}

static int
get_info(const remote_nonnull_storage_vol *ref, bool physical, remote_storage_vol_get_info_ret *ret)
{
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj = vk_storage_vol_read_begin(ref, &vol);

    if (!obj)
        return -1;
    ret->type = vol->type;
    ret->capacity = vol->capacity;
    ret->allocation = physical ? vol->physical : vol->allocation;
    return vk_storage_pool_read_end(obj, 0);
}

static int
vol_get_info(VkServerClient *client, void *argsp, void *retp)
{
    return get_info(&((remote_storage_vol_get_info_args *) argsp)->vol, false, retp);
}

static int
vol_get_info_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_get_info_flags_args *args = argsp;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, GET_PHYSICAL, "storageVolGetInfoFlags") < 0)
        return -1;
    /* the reply has the layout of virStorageVolGetInfo's */
    return get_info(&args->vol, args->flags & GET_PHYSICAL,
                    (remote_storage_vol_get_info_ret *) retp);
}

static int
vol_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_get_xml_desc_args *args = argsp;
    g_autofree char *xml = NULL;
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storageVolGetXMLDesc") < 0 ||
        !(obj = vk_storage_vol_read_begin(&args->vol, &vol)))
        return -1;
    if (!(xml = vk_storage_vol_def_format(vol, obj->def->type)))
        return vk_storage_pool_read_end(obj, -1);
    ((remote_storage_vol_get_xml_desc_ret *) retp)->xml = strdup(xml);
    return vk_storage_pool_read_end(obj, 0);
}

static int
vol_get_path(VkServerClient *client, void *argsp, void *retp)
{
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj = vk_storage_vol_read_begin(&((remote_storage_vol_get_path_args *) argsp)->vol,
                                           &vol);

    if (!obj)
        return -1;
    ((remote_storage_vol_get_path_ret *) retp)->name = strdup(vol->target_path);
    return vk_storage_pool_read_end(obj, 0);
}

static int
vol_wipe(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_wipe_args *args = argsp;
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storageVolWipe") < 0 ||
        !(obj = vk_storage_vol_begin(&args->vol, &vol)))
        return -1;
    return vk_object_release(&obj->parent, vk_storage_vol_wipe(obj, vol, 0, 0));
}

static int
vol_wipe_pattern(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_wipe_pattern_args *args = argsp;
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storageVolWipePattern") < 0 ||
        !(obj = vk_storage_vol_begin(&args->vol, &vol)))
        return -1;
    return vk_object_release(&obj->parent, vk_storage_vol_wipe(obj, vol, args->algorithm, 0));
}

static int
vol_resize(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_resize_args *args = argsp;
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, RESIZE_FLAGS, "storageVolResize") < 0 ||
        !(obj = vk_storage_vol_begin(&args->vol, &vol)))
        return -1;
    return vk_object_release(&obj->parent,
                             vk_storage_vol_resize(obj, vol, args->capacity, args->flags));
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_STORAGE_VOL_CREATE_XML, vol_create_xml },
    { REMOTE_PROC_STORAGE_VOL_CREATE_XML_FROM, vol_create_xml_from },
    { REMOTE_PROC_STORAGE_VOL_DELETE, vol_delete },
    { REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_NAME, vol_lookup_by_name },
    { REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_KEY, vol_lookup_by_key },
    { REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_PATH, vol_lookup_by_path },
    { REMOTE_PROC_STORAGE_VOL_GET_INFO, vol_get_info },
    { REMOTE_PROC_STORAGE_VOL_GET_INFO_FLAGS, vol_get_info_flags },
    { REMOTE_PROC_STORAGE_VOL_GET_XML_DESC, vol_get_xml_desc },
    { REMOTE_PROC_STORAGE_VOL_GET_PATH, vol_get_path },
    { REMOTE_PROC_STORAGE_VOL_WIPE, vol_wipe },
    { REMOTE_PROC_STORAGE_VOL_WIPE_PATTERN, vol_wipe_pattern },
    { REMOTE_PROC_STORAGE_VOL_RESIZE, vol_resize },
};

void
vk_storage_volume_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
