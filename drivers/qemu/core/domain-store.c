#include "drivers/qemu/core/domain-store.h"

#include "common/util/error.h"

VkStore *
vk_domain_store_new(const VkPaths *paths)
{
    g_autofree char *config_dir = vk_paths_prefix(paths, "/etc/libvirt/qemu");
    g_autofree char *status_dir = vk_paths_prefix(paths, "/run/libvirt/qemu");

    return vk_store_new(config_dir, status_dir, VIR_FROM_QEMU);
}

int
vk_domain_store_save_config(VkStore *store, const VkDomainDef *def)
{
    g_autofree char *xml = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                                         VK_DOMAIN_FORMAT_SECURE |
                                                         VK_DOMAIN_FORMAT_PRIVATE);

    return xml ? vk_store_save_config(store, def->name, xml) : -1;
}

static gpointer
parse_config(const char *path)
{
    return vk_domain_def_parse_file(path, VK_DOMAIN_PARSE_INACTIVE);
}

GPtrArray *
vk_domain_store_load_configs(VkStore *store)
{
    return vk_store_load_configs(store, parse_config, (GDestroyNotify) vk_domain_def_free);
}
