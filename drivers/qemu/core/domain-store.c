#include "drivers/qemu/core/domain-store.h"

#include "common/util/error.h"

VkStore *
vk_domain_store_new(const VkPaths *paths)
{
    g_autofree char *config_dir = g_build_filename(paths->config_dir, "qemu", NULL);
    g_autofree char *status_dir = g_build_filename(paths->run_dir, "qemu", NULL);

    return vk_store_new(config_dir, status_dir, VIR_FROM_QEMU);
}

int
vk_domain_store_save_config(VkStore *store, const VkDomainDef *def)
{
    g_autofree char *xml = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                                         VK_DOMAIN_FORMAT_SECURE);

    return xml ? vk_store_save_config(store, def->name, xml) : -1;
}

GPtrArray *
vk_domain_store_load_configs(VkStore *store)
{
    GPtrArray *defs = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_def_free);
    g_autoptr(GPtrArray) paths = vk_store_config_files(store);

    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        VkDomainDef *def = vk_domain_def_parse_file(path, VK_DOMAIN_PARSE_INACTIVE);

        if (!def) {
            g_warning("skipping the unreadable definition '%s': %s", path,
                      vk_error_last_message());
            continue;
        }
        g_ptr_array_add(defs, def);
    }
    return defs;
}
