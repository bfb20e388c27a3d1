#include "drivers/storage/core/pool-store.h"

#include <string.h>

#include "common/util/error.h"

VkStore *
vk_storage_store_new(const VkPaths *paths)
{
    g_autofree char *config_dir = g_build_filename(paths->config_dir, "storage", NULL);
    g_autofree char *status_dir = g_build_filename(paths->run_dir, "storage", NULL);

    return vk_store_new(config_dir, status_dir, VIR_FROM_STORAGE);
}

/* The config keeps no live sizes: libvirt's inactive XML shows zeros. */
int
vk_storage_store_save_config(VkStore *store, const VkStoragePoolDef *def)
{
    g_autoptr(VkStoragePoolDef) copy = vk_storage_pool_def_copy(def);
    g_autofree char *xml = NULL;

    copy->capacity = copy->allocation = copy->available = 0;
    if (!(xml = vk_storage_pool_def_format(copy)))
        return -1;
    return vk_store_save_config(store, def->name, xml);
}

static gpointer
parse_config(const char *path)
{
    return vk_storage_pool_def_parse_file(path);
}

GPtrArray *
vk_storage_store_load_configs(VkStore *store)
{
    return vk_store_load_configs(store, parse_config, (GDestroyNotify) vk_storage_pool_def_free);
}

int
vk_storage_store_save_status(VkStore *store, const VkStoragePoolDef *def)
{
    g_autofree char *xml = vk_storage_pool_def_format(def);

    return xml ? vk_store_save_status(store, def->name, xml) : -1;
}
