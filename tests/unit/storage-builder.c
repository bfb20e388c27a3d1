/* Test-only storage definitions (storage-builder.h). */
#include "storage-builder.h"

#include <stdlib.h>

#include "common/util/error.h"

VkStoragePoolDef *
sb_pool(VkStoragePoolType type, const char *name, const char *target,
        const char *source_device, const char *format)
{
    VkStoragePoolDef *def = g_new0(VkStoragePoolDef, 1);

    def->type = type;
    def->name = g_strdup(name);
    def->target_path = g_strdup(target);
    def->source.devices = g_ptr_array_new();
    def->source.format = g_strdup(format);
    if (source_device) {
        VkStoragePoolSourceDevice *dev = g_new0(VkStoragePoolSourceDevice, 1);
        dev->path = g_strdup(source_device);
        g_ptr_array_add(def->source.devices, dev);
    }
    return def;
}

VkStorageVolDef *
sb_vol(const char *name, const char *format, unsigned long long capacity, long long allocation)
{
    VkStorageVolDef *vol = g_new0(VkStorageVolDef, 1);

    vol->name = g_strdup(name);
    vol->target_format = g_strdup(format);
    vol->capacity = capacity;
    vol->has_capacity = true;
    if (allocation >= 0) {
        vol->allocation = allocation;
        vol->has_allocation = true;
    }
    return vol;
}

void
sb_remove_tree(char *dir)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);

    g_assert_cmpint(system(cmd), ==, 0);
    g_free(dir);
}

void
sb_assert_error(const char *expected)
{
    g_assert_cmpstr(vk_error_last_message(), ==, expected);
    vk_error_reset();
}

static void
free_perms(VkStoragePerms *perms)
{
    g_free(perms->label);
}

__attribute__((weak)) void
vk_storage_vol_def_free(VkStorageVolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->key);
    g_free(def->source_device);
    if (def->source_extents)
        g_array_unref(def->source_extents);
    g_free(def->target_path);
    g_free(def->target_format);
    free_perms(&def->target_perms);
    g_free(def->compat);
    g_free(def->atime);
    g_free(def->mtime);
    g_free(def->ctime);
    g_free(def->btime);
    g_free(def->backing.path);
    g_free(def->backing.format);
    free_perms(&def->backing.perms);
    g_free(def);
}

static void
free_device(VkStoragePoolSourceDevice *dev)
{
    g_free(dev->path);
    if (dev->free_extents)
        g_array_unref(dev->free_extents);
    g_free(dev);
}

__attribute__((weak)) void
vk_storage_pool_def_free(VkStoragePoolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    for (guint i = 0; def->source.devices && i < def->source.devices->len; i++)
        free_device(g_ptr_array_index(def->source.devices, i));
    if (def->source.devices)
        g_ptr_array_unref(def->source.devices);
    g_free(def->source.dir);
    if (def->source.hosts)
        g_ptr_array_unref(def->source.hosts);
    g_free(def->source.name);
    g_free(def->source.format);
    g_free(def->source.raw_other);
    g_free(def->target_path);
    free_perms(&def->target_perms);
    g_free(def->raw_features);
    g_free(def);
}
