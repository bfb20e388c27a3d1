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

