#include "drivers/qemu/domain-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"

VkDomainStore *
vk_domain_store_new(const VkPaths *paths)
{
    VkDomainStore *store = g_new0(VkDomainStore, 1);

    store->config_dir = g_build_filename(paths->config_dir, "qemu", NULL);
    store->autostart_dir = g_build_filename(store->config_dir, "autostart", NULL);
    store->status_dir = g_build_filename(paths->run_dir, "qemu", NULL);
    return store;
}

void
vk_domain_store_free(VkDomainStore *store)
{
    if (!store)
        return;
    g_free(store->config_dir);
    g_free(store->autostart_dir);
    g_free(store->status_dir);
    g_free(store);
}

static char *
config_path(VkDomainStore *store, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(store->config_dir, file, NULL);
}

static char *
autostart_path(VkDomainStore *store, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(store->autostart_dir, file, NULL);
}

char *
vk_domain_store_status_path(VkDomainStore *store, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(store->status_dir, file, NULL);
}

int
vk_domain_store_save_config(VkDomainStore *store, const VkDomainDef *def)
{
    g_autofree char *xml = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE);
    g_autofree char *path = config_path(store, def->name);

    if (!xml || vk_file_make_dirs(store->config_dir, 0755) < 0)
        return -1;
    return vk_file_write_atomic(path, xml, strlen(xml), 0600);
}

static int
remove_file(const char *path)
{
    if (g_unlink(path) < 0 && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

int
vk_domain_store_delete_config(VkDomainStore *store, const char *name)
{
    g_autofree char *path = config_path(store, name);
    g_autofree char *link = autostart_path(store, name);

    if (remove_file(link) < 0)
        return -1;
    return remove_file(path);
}

int
vk_domain_store_set_autostart(VkDomainStore *store, const char *name, bool autostart)
{
    g_autofree char *link = autostart_path(store, name);
    g_autofree char *target = config_path(store, name);

    if (!autostart)
        return remove_file(link);
    if (vk_file_make_dirs(store->autostart_dir, 0755) < 0)
        return -1;
    if (symlink(target, link) < 0 && errno != EEXIST) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "Failed to create symlink '%s' to '%s'",
                              link, target);
        return -1;
    }
    return 0;
}

bool
vk_domain_store_get_autostart(VkDomainStore *store, const char *name)
{
    g_autofree char *link = autostart_path(store, name);
    return g_file_test(link, G_FILE_TEST_IS_SYMLINK);
}

GPtrArray *
vk_domain_store_load_configs(VkDomainStore *store)
{
    GPtrArray *defs = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_def_free);
    g_autoptr(GDir) dir = g_dir_open(store->config_dir, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        VkDomainDef *def;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(store->config_dir, entry, NULL);
        if (!(def = vk_domain_def_parse_file(path, VK_DOMAIN_PARSE_INACTIVE))) {
            g_warning("skipping the unreadable definition '%s': %s", path,
                      vk_error_last_message());
            continue;
        }
        g_ptr_array_add(defs, def);
    }
    return defs;
}
