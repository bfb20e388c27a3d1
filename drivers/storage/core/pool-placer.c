#include "drivers/storage/core/pool-placer.h"

#include "common/util/error.h"
#include "drivers/storage/core/pool-obj.h"

/* The first source device path of DEF, or NULL. */
static const char *
first_device(const VkStoragePoolDef *def)
{
    if (!def->source.devices || def->source.devices->len == 0)
        return NULL;
    return ((VkStoragePoolSourceDevice *) g_ptr_array_index(def->source.devices, 0))->path;
}

/* Whether A and B would use the same storage: libvirt compares the target
 * directory of dir pools, the devices of fs and disk pools and the volume
 * group of logical ones. */
static bool
same_source(const VkStoragePoolDef *a, const VkStoragePoolDef *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case VK_STORAGE_POOL_DIR:
        return g_strcmp0(a->target_path, b->target_path) == 0;
    case VK_STORAGE_POOL_FS:
    case VK_STORAGE_POOL_DISK:
        return first_device(a) && g_strcmp0(first_device(a), first_device(b)) == 0;
    case VK_STORAGE_POOL_LOGICAL:
        return g_strcmp0(a->source.name, b->source.name) == 0;
    default:
        return false;
    }
}

/* -1 with libvirt's error when a pool other than DEF's own (by name) uses
 * DEF's source. */
static int
check_source_free(VkObjectList *pools, const VkStoragePoolDef *def)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(pools);
    g_autofree char *user = NULL;

    for (guint i = 0; i < all->len && !user; i++) {
        VkStoragePoolObj *obj = g_ptr_array_index(all, i);

        vk_storage_pool_obj_lock(obj);
        if (g_strcmp0(obj->def->name, def->name) != 0 && same_source(obj->def, def))
            user = g_strdup(obj->def->name);
        vk_storage_pool_obj_unlock(obj);
    }
    if (!user)
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_FAILED,
                    "Storage source conflict with pool: '%s'", user);
    return -1;
}

static gpointer
parse(VkObjectList *pools, const char *xml)
{
    g_autoptr(VkStoragePoolDef) def = vk_storage_pool_def_parse_string(xml);

    if (!def || check_source_free(pools, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

static VkObject *
list_add(VkObjectList *list, gpointer def, bool *existed)
{
    return (VkObject *) vk_storage_pool_list_add(list, def, existed);
}

void
vk_storage_placer_init(VkObjectPlacer *placer, VkStorageDriver *driver)
{
    *placer = (VkObjectPlacer) {
        .list = driver->pools,
        .define_lock = &driver->define_lock,
        .parse = parse,
        .list_add = list_add,
        .free_def = (GDestroyNotify) vk_storage_pool_def_free,
    };
}
