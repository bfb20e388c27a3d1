#include "common/driver/store.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "common/util/error.h"
#include "common/util/file.h"

VkStore *
vk_store_new(const char *config_dir, const char *status_dir, int error_domain)
{
    VkStore *store = g_new0(VkStore, 1);

    store->config_dir = g_strdup(config_dir);
    store->autostart_dir = g_build_filename(config_dir, "autostart", NULL);
    store->status_dir = g_strdup(status_dir);
    store->error_domain = error_domain;
    return store;
}

void
vk_store_free(VkStore *store)
{
    if (!store)
        return;
    g_free(store->config_dir);
    g_free(store->autostart_dir);
    g_free(store->status_dir);
    g_free(store);
}

static char *
xml_path(const char *dir, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(dir, file, NULL);
}

char *
vk_store_config_path(VkStore *store, const char *name)
{
    return xml_path(store->config_dir, name);
}

char *
vk_store_status_path(VkStore *store, const char *name)
{
    return xml_path(store->status_dir, name);
}

static int
save_in(const char *dir, const char *name, const char *xml)
{
    g_autofree char *path = xml_path(dir, name);

    if (vk_file_make_dirs(dir, 0755) < 0)
        return -1;
    return vk_file_write_atomic(path, xml, strlen(xml), 0600);
}

int
vk_store_save_config(VkStore *store, const char *name, const char *xml)
{
    return save_in(store->config_dir, name, xml);
}

int
vk_store_save_status(VkStore *store, const char *name, const char *xml)
{
    return save_in(store->status_dir, name, xml);
}

static int
remove_file(VkStore *store, const char *path)
{
    if (g_unlink(path) < 0 && errno != ENOENT) {
        vk_error_report_errno(store->error_domain, errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

int
vk_store_delete_config(VkStore *store, const char *name)
{
    g_autofree char *path = vk_store_config_path(store, name);
    g_autofree char *link = xml_path(store->autostart_dir, name);

    if (remove_file(store, link) < 0)
        return -1;
    return remove_file(store, path);
}

int
vk_store_delete_status(VkStore *store, const char *name)
{
    g_autofree char *path = vk_store_status_path(store, name);

    return remove_file(store, path);
}

int
vk_store_set_autostart(VkStore *store, const char *name, bool autostart)
{
    g_autofree char *link = xml_path(store->autostart_dir, name);
    g_autofree char *target = vk_store_config_path(store, name);

    if (!autostart)
        return remove_file(store, link);
    if (vk_file_make_dirs(store->autostart_dir, 0755) < 0)
        return -1;
    if (symlink(target, link) < 0 && errno != EEXIST) {
        vk_error_report_errno(store->error_domain, errno,
                              "Failed to create symlink '%s' to '%s'", link, target);
        return -1;
    }
    return 0;
}

bool
vk_store_get_autostart(VkStore *store, const char *name)
{
    g_autofree char *link = xml_path(store->autostart_dir, name);

    return g_file_test(link, G_FILE_TEST_IS_SYMLINK);
}

static GPtrArray *
xml_files(const char *dir_path)
{
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir)))
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(paths, g_build_filename(dir_path, entry, NULL));
    return paths;
}

GPtrArray *
vk_store_config_files(VkStore *store)
{
    return xml_files(store->config_dir);
}

GPtrArray *
vk_store_status_files(VkStore *store)
{
    return xml_files(store->status_dir);
}

void
vk_store_remove_stale_temps(VkStore *store)
{
    vk_file_remove_stale_temps(store->config_dir, ".xml", FALSE);
    vk_file_remove_stale_temps(store->status_dir, ".xml", FALSE);
}

GPtrArray *
vk_store_load_configs(VkStore *store, gpointer (*parse)(const char *path), GDestroyNotify free_def)
{
    GPtrArray *defs = g_ptr_array_new_with_free_func(free_def);
    g_autoptr(GPtrArray) paths = vk_store_config_files(store);

    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        gpointer def = parse(path);

        if (!def) {
            g_warning("skipping the unreadable definition '%s': %s", path,
                      vk_error_last_message());
            continue;
        }
        g_ptr_array_add(defs, def);
    }
    return defs;
}
