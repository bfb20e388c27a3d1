/* Procedures on pool definitions: define, undefine, lookups, listing, XML,
 * info, autostart and state, and the listing of a pool's volumes. */
#include <stdlib.h>
#include <string.h>

#include "common/conf/storage-pool-caps.h"
#include "common/driver/object-listing.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/uuid.h"
#include "drivers/storage/backends/backend.h"
#include "drivers/storage/core/pool-events.h"
#include "drivers/storage/core/pool-lookup.h"
#include "drivers/storage/core/pool-store.h"
#include "drivers/storage/driver.h"
#include "drivers/storage/handlers/handlers.h"
#include "remote-protocol.h"

#define DEFINE_VALIDATE (1 << 0)   /* virStoragePoolDefineFlags */
#define XML_INACTIVE (1 << 0)      /* virStorageXMLFlags */

/* virConnectListAllStoragePoolsFlags: state groups, then one bit a type
 * from 1 << 6 in libvirt's order of those types */
enum {
    LIST_INACTIVE = 1 << 0, LIST_ACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2, LIST_TRANSIENT = 1 << 3,
    LIST_AUTOSTART = 1 << 4, LIST_NO_AUTOSTART = 1 << 5,
    LIST_TYPES = 0xfffc0,
};
/* virStoragePoolState */
enum { POOL_INACTIVE = 0, POOL_RUNNING = 2 };

/* The list flag of pool TYPE. */
static unsigned int
type_flag(VkStoragePoolType type)
{
    static const VkStoragePoolType order[] = {
        VK_STORAGE_POOL_DIR, VK_STORAGE_POOL_FS, VK_STORAGE_POOL_NETFS, VK_STORAGE_POOL_LOGICAL,
        VK_STORAGE_POOL_DISK, VK_STORAGE_POOL_ISCSI, VK_STORAGE_POOL_SCSI, VK_STORAGE_POOL_MPATH,
        VK_STORAGE_POOL_RBD, VK_STORAGE_POOL_SHEEPDOG, VK_STORAGE_POOL_GLUSTER,
        VK_STORAGE_POOL_ZFS, VK_STORAGE_POOL_VSTORAGE, VK_STORAGE_POOL_ISCSI_DIRECT,
    };
    for (guint i = 0; i < G_N_ELEMENTS(order); i++)
        if (order[i] == type)
            return 1u << (6 + i);
    return 0;
}

static int
define_xml(const char *xml, unsigned int flags, remote_nonnull_storage_pool *result)
{
    VkStorageDriver *driver = vk_storage_driver();
    VkObjectPlacing p;
    VkStoragePoolObj *obj;
    VkEventSubject subject;
    VkStoragePoolDef **slot = NULL;

    if (vk_check_flags(VIR_FROM_STORAGE, flags, DEFINE_VALIDATE, "storagePoolDefineXML") < 0 ||
        vk_object_place_begin(&driver->placer, xml, &p) < 0)
        return -1;
    obj = (VkStoragePoolObj *) p.obj;
    if (p.existed) {
        /* an active pool keeps its live definition until restarted */
        slot = obj->active ? &obj->new_def : &obj->def;
        VkStoragePoolDef *old = *slot;
        *slot = p.def;
        p.def = old;
    }
    if (vk_storage_store_save_config(driver->store, vk_storage_pool_obj_config(obj)) < 0) {
        if (p.existed) {
            VkStoragePoolDef *new = *slot;
            *slot = p.def;
            p.def = new;
        }
        return vk_object_place_end(&driver->placer, &p, -1);
    }
    obj->persistent = true;
    vk_storage_pool_make_ref(result, obj->def);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_place_end(&driver->placer, &p, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_DEFINED);
    return 0;
}

static int
pool_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_define_xml_args *args = argsp;

    return define_xml(args->xml, args->flags, &((remote_storage_pool_define_xml_ret *) retp)->pool);
}

static int
pool_undefine(VkServerClient *client, void *argsp, void *retp)
{
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj = vk_storage_pool_begin(&((remote_storage_pool_undefine_args *) argsp)->pool);
    VkEventSubject subject;

    if (!obj)
        return -1;
    if (obj->active) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "storage pool '%s' is still active", obj->def->name);
        return vk_object_release(&obj->parent, -1);
    }
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "storage pool '%s' is not persistent", obj->def->name);
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_store_delete_config(driver->store, obj->def->name) < 0)
        return vk_object_release(&obj->parent, -1);
    obj->persistent = false;
    obj->autostart = false;
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_list_remove(driver->pools, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_UNDEFINED);
    return 0;
}

static int
reply_ref(VkStoragePoolObj *obj, remote_nonnull_storage_pool *ref)
{
    if (!obj)
        return -1;
    vk_storage_pool_obj_lock(obj);
    vk_storage_pool_make_ref(ref, obj->def);
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    const char *name = ((remote_storage_pool_lookup_by_name_args *) argsp)->name;
    VkStoragePoolObj *obj = vk_storage_pool_list_find_by_name(vk_storage_driver()->pools, name);

    if (!obj)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                        "no storage pool with matching name '%s'", name);
    return reply_ref(obj, &((remote_storage_pool_lookup_by_name_ret *) retp)->pool);
}

static int
pool_lookup_by_uuid(VkServerClient *client, void *argsp, void *retp)
{
    const unsigned char *uuid =
        (const unsigned char *) ((remote_storage_pool_lookup_by_uuid_args *) argsp)->uuid;
    VkStoragePoolObj *obj = vk_storage_pool_list_find_by_uuid(vk_storage_driver()->pools, uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!obj)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                        "no storage pool with matching uuid '%s'", vk_uuid_format(uuid, uuidstr));
    return reply_ref(obj, &((remote_storage_pool_lookup_by_uuid_ret *) retp)->pool);
}

static int
pool_lookup_by_volume(VkServerClient *client, void *argsp, void *retp)
{
    remote_nonnull_storage_vol *vol = &((remote_storage_pool_lookup_by_volume_args *) argsp)->vol;
    VkStoragePoolObj *obj = vk_storage_pool_list_find_by_name(vk_storage_driver()->pools,
                                                              vol->pool);

    if (!obj)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                        "no storage pool with matching name '%s'", vol->pool);
    return reply_ref(obj, &((remote_storage_pool_lookup_by_volume_ret *) retp)->pool);
}

static bool
matches_list_flags(VkObject *parent, unsigned int flags)
{
    VkStoragePoolObj *obj = (VkStoragePoolObj *) parent;

    return vk_list_flags_group(flags, LIST_ACTIVE, LIST_INACTIVE, obj->active) &&
           vk_list_flags_group(flags, LIST_PERSISTENT, LIST_TRANSIENT, obj->persistent) &&
           vk_list_flags_group(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART, obj->autostart) &&
           (!(flags & LIST_TYPES) || (flags & type_flag(obj->def->type)));
}

/* A pool with target path PATH (OBJ locked): libvirt's lookup by target. */
static bool
has_target(VkStoragePoolObj *obj, const char *path)
{
    g_autofree char *mine = obj->def->target_path ? g_canonicalize_filename(obj->def->target_path, "/") : NULL;
    g_autofree char *wanted = g_canonicalize_filename(path, "/");

    return mine && strcmp(mine, wanted) == 0;
}

static int
pool_lookup_by_target_path(VkServerClient *client, void *argsp, void *retp)
{
    const char *path = ((remote_storage_pool_lookup_by_target_path_args *) argsp)->path;
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_storage_driver()->pools);

    for (guint i = 0; i < all->len; i++) {
        VkStoragePoolObj *obj = g_ptr_array_index(all, i);
        bool found;

        vk_storage_pool_obj_lock(obj);
        found = obj->active && has_target(obj, path);
        if (found)
            vk_storage_pool_make_ref(&((remote_storage_pool_lookup_by_target_path_ret *) retp)->pool,
                                     obj->def);
        vk_storage_pool_obj_unlock(obj);
        if (found)
            return 0;
    }
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                    "no storage pool with matching target path '%s'", path);
    return -1;
}

static int
connect_list_all_storage_pools(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_all_storage_pools_args *args = argsp;
    remote_connect_list_all_storage_pools_ret *ret = retp;
    g_autoptr(GPtrArray) listed = NULL;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, LIST_TYPES | 0x3f,
                       "storageConnectListAllStoragePools") < 0)
        return -1;
    listed = vk_object_list_matching(vk_storage_driver()->pools, matches_list_flags, args->flags);
    if (args->need_results) {
        ret->pools.pools_val = calloc(MAX(listed->len, 1), sizeof(remote_nonnull_storage_pool));
        for (guint i = 0; i < listed->len; i++) {
            VkStoragePoolObj *obj = g_ptr_array_index(listed, i);
            vk_storage_pool_obj_lock(obj);
            vk_storage_pool_make_ref(&ret->pools.pools_val[i], obj->def);
            vk_storage_pool_obj_unlock(obj);
        }
        ret->pools.pools_len = listed->len;
    }
    ret->ret = listed->len;
    return 0;
}

static int
connect_num_of_storage_pools(VkServerClient *client, void *args, void *retp)
{
    g_autoptr(GPtrArray) listed = vk_object_list_matching(vk_storage_driver()->pools,
                                                          matches_list_flags, LIST_ACTIVE);

    ((remote_connect_num_of_storage_pools_ret *) retp)->num = listed->len;
    return 0;
}

static int
connect_num_of_defined_storage_pools(VkServerClient *client, void *args, void *retp)
{
    g_autoptr(GPtrArray) listed = vk_object_list_matching(vk_storage_driver()->pools,
                                                          matches_list_flags, LIST_INACTIVE);

    ((remote_connect_num_of_defined_storage_pools_ret *) retp)->num = listed->len;
    return 0;
}

static int
connect_list_storage_pools(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_storage_pools_ret *ret = retp;

    vk_object_list_names_matching(vk_storage_driver()->pools, matches_list_flags, LIST_ACTIVE,
                                  ((remote_connect_list_storage_pools_args *) argsp)->maxnames,
                                  &ret->names.names_val, &ret->names.names_len);
    return 0;
}

static int
connect_list_defined_storage_pools(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_defined_storage_pools_ret *ret = retp;

    vk_object_list_names_matching(
        vk_storage_driver()->pools, matches_list_flags, LIST_INACTIVE,
        ((remote_connect_list_defined_storage_pools_args *) argsp)->maxnames,
        &ret->names.names_val, &ret->names.names_len);
    return 0;
}

static int
pool_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_get_xml_desc_args *args = argsp;
    VkStoragePoolObj *obj;
    const VkStoragePoolDef *def;
    g_autofree char *xml = NULL;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, XML_INACTIVE, "storagePoolGetXMLDesc") < 0 ||
        !(obj = vk_storage_pool_read_begin(&args->pool)))
        return -1;
    def = (args->flags & XML_INACTIVE) && obj->new_def ? obj->new_def : obj->def;
    if (!(xml = vk_storage_pool_def_format(def)))
        return vk_storage_pool_read_end(obj, -1);
    ((remote_storage_pool_get_xml_desc_ret *) retp)->xml = strdup(xml);
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_get_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_get_info_ret *ret = retp;
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(&((remote_storage_pool_get_info_args *) argsp)->pool);

    if (!obj)
        return -1;
    ret->state = obj->active ? POOL_RUNNING : POOL_INACTIVE;
    ret->capacity = obj->def->capacity;
    ret->allocation = obj->def->allocation;
    ret->available = obj->def->available;
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_get_autostart(VkServerClient *client, void *argsp, void *retp)
{
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(
        &((remote_storage_pool_get_autostart_args *) argsp)->pool);

    if (!obj)
        return -1;
    ((remote_storage_pool_get_autostart_ret *) retp)->autostart = obj->autostart;
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_set_autostart(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_set_autostart_args *args = argsp;
    VkStoragePoolObj *obj = vk_storage_pool_begin(&args->pool);

    if (!obj)
        return -1;
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "cannot set autostart for transient pool");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_store_set_autostart(vk_storage_driver()->store, obj->def->name, args->autostart) < 0)
        return vk_object_release(&obj->parent, -1);
    obj->autostart = args->autostart != 0;
    return vk_object_release(&obj->parent, 0);
}

static int
pool_is_active(VkServerClient *client, void *argsp, void *retp)
{
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(
        &((remote_storage_pool_is_active_args *) argsp)->pool);

    if (!obj)
        return -1;
    ((remote_storage_pool_is_active_ret *) retp)->active = obj->active;
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_is_persistent(VkServerClient *client, void *argsp, void *retp)
{
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(
        &((remote_storage_pool_is_persistent_args *) argsp)->pool);

    if (!obj)
        return -1;
    ((remote_storage_pool_is_persistent_ret *) retp)->persistent = obj->persistent;
    return vk_storage_pool_read_end(obj, 0);
}

/* A pool's volumes are listed only while it runs. */
static VkStoragePoolObj *
active_read_begin(const remote_nonnull_storage_pool *ref)
{
    VkStoragePoolObj *obj = vk_storage_pool_read_begin(ref);

    if (obj && vk_storage_pool_check_active(obj) < 0) {
        vk_storage_pool_read_end(obj, -1);
        return NULL;
    }
    return obj;
}

static int
pool_num_of_volumes(VkServerClient *client, void *argsp, void *retp)
{
    VkStoragePoolObj *obj = active_read_begin(
        &((remote_storage_pool_num_of_volumes_args *) argsp)->pool);

    if (!obj)
        return -1;
    ((remote_storage_pool_num_of_volumes_ret *) retp)->num = obj->volumes->len;
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_list_volumes(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_list_volumes_args *args = argsp;
    remote_storage_pool_list_volumes_ret *ret = retp;
    VkStoragePoolObj *obj = active_read_begin(&args->pool);

    if (!obj)
        return -1;
    ret->names.names_val = calloc(MAX(obj->volumes->len, 1), sizeof(char *));
    for (guint i = 0; i < obj->volumes->len && (int) i < args->maxnames; i++) {
        ret->names.names_val[i] = strdup(((VkStorageVolDef *) obj->volumes->pdata[i])->name);
        ret->names.names_len++;
    }
    return vk_storage_pool_read_end(obj, 0);
}

static int
pool_list_all_volumes(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_list_all_volumes_args *args = argsp;
    remote_storage_pool_list_all_volumes_ret *ret = retp;
    VkStoragePoolObj *obj;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storagePoolListAllVolumes") < 0 ||
        !(obj = active_read_begin(&args->pool)))
        return -1;
    if (args->need_results) {
        ret->vols.vols_val = calloc(MAX(obj->volumes->len, 1), sizeof(remote_nonnull_storage_vol));
        for (guint i = 0; i < obj->volumes->len; i++)
            vk_storage_vol_make_ref(&ret->vols.vols_val[i], obj->def, obj->volumes->pdata[i]);
        ret->vols.vols_len = obj->volumes->len;
    }
    ret->ret = obj->volumes->len;
    return vk_storage_pool_read_end(obj, 0);
}

static int
connect_get_storage_pool_capabilities(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_get_storage_pool_capabilities_args *args = argsp;
    g_autofree char *xml = NULL;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storageConnectGetStoragePoolCapabilities") < 0)
        return -1;
    xml = vk_storage_pool_caps_format(vk_storage_backend_exists);
    ((remote_connect_get_storage_pool_capabilities_ret *) retp)->capabilities = strdup(xml);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_GET_STORAGE_POOL_CAPABILITIES, connect_get_storage_pool_capabilities },
    { REMOTE_PROC_STORAGE_POOL_DEFINE_XML, pool_define_xml },
    { REMOTE_PROC_STORAGE_POOL_UNDEFINE, pool_undefine },
    { REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_NAME, pool_lookup_by_name },
    { REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_UUID, pool_lookup_by_uuid },
    { REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_VOLUME, pool_lookup_by_volume },
    { REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_TARGET_PATH, pool_lookup_by_target_path },
    { REMOTE_PROC_CONNECT_LIST_ALL_STORAGE_POOLS, connect_list_all_storage_pools },
    { REMOTE_PROC_CONNECT_NUM_OF_STORAGE_POOLS, connect_num_of_storage_pools },
    { REMOTE_PROC_CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, connect_num_of_defined_storage_pools },
    { REMOTE_PROC_CONNECT_LIST_STORAGE_POOLS, connect_list_storage_pools },
    { REMOTE_PROC_CONNECT_LIST_DEFINED_STORAGE_POOLS, connect_list_defined_storage_pools },
    { REMOTE_PROC_STORAGE_POOL_GET_XML_DESC, pool_get_xml_desc },
    { REMOTE_PROC_STORAGE_POOL_GET_INFO, pool_get_info },
    { REMOTE_PROC_STORAGE_POOL_GET_AUTOSTART, pool_get_autostart },
    { REMOTE_PROC_STORAGE_POOL_SET_AUTOSTART, pool_set_autostart },
    { REMOTE_PROC_STORAGE_POOL_IS_ACTIVE, pool_is_active },
    { REMOTE_PROC_STORAGE_POOL_IS_PERSISTENT, pool_is_persistent },
    { REMOTE_PROC_STORAGE_POOL_NUM_OF_VOLUMES, pool_num_of_volumes },
    { REMOTE_PROC_STORAGE_POOL_LIST_VOLUMES, pool_list_volumes },
    { REMOTE_PROC_STORAGE_POOL_LIST_ALL_VOLUMES, pool_list_all_volumes },
};

void
vk_storage_pool_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
