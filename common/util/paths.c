#include "common/util/paths.h"

VkPaths *
vk_paths_new(const char *root)
{
    VkPaths *paths = g_new0(VkPaths, 1);

    if (root && *root) {
        g_autofree char *abs = g_canonicalize_filename(root, NULL);
        if (!g_str_equal(abs, "/"))
            paths->root = g_steal_pointer(&abs);
    }
    paths->run_dir = vk_paths_prefix(paths, "/run/libvirt");
    paths->config_dir = vk_paths_prefix(paths, "/etc/libvirt");
    paths->state_dir = vk_paths_prefix(paths, "/var/lib/libvirt");
    paths->log_dir = vk_paths_prefix(paths, "/var/log/libvirt");
    return paths;
}

void
vk_paths_free(VkPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->root);
    g_free(paths->run_dir);
    g_free(paths->config_dir);
    g_free(paths->state_dir);
    g_free(paths->log_dir);
    g_free(paths);
}

char *
vk_paths_prefix(const VkPaths *paths, const char *system_path)
{
    if (!paths->root)
        return g_strdup(system_path);
    return g_build_filename(paths->root, system_path, NULL);
}

char *
vk_paths_socket(const VkPaths *paths, const char *daemon, VkSocketKind kind)
{
    const char *suffix = "-sock";

    if (kind == VK_SOCKET_RO)
        suffix = "-sock-ro";
    else if (kind == VK_SOCKET_ADMIN)
        suffix = "-admin-sock";
    return g_strdup_printf("%s/%s%s", paths->run_dir, daemon, suffix);
}

char *
vk_paths_config_file(const VkPaths *paths, const char *daemon)
{
    return g_strdup_printf("%s/%s.conf", paths->config_dir, daemon);
}

char *
vk_paths_pid_file(const VkPaths *paths, const char *daemon)
{
    g_autofree char *run = vk_paths_prefix(paths, "/run");
    return g_strdup_printf("%s/%s.pid", run, daemon);
}
