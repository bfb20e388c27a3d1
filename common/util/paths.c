#include "common/util/paths.h"

#include <string.h>

typedef enum { BASE_RUNTIME, BASE_CONFIG, BASE_CACHE } SessionBase;

/* Where a session daemon keeps what a system one keeps at SYSTEM: the
 * first entry whose SYSTEM is the path or a parent of it wins, so the
 * specific ones come first.  The QEMU entries are libvirt's
 * (virQEMUDriverConfigNew, unprivileged); the rest keep the system layout
 * under the three per-user bases. */
static const struct {
    const char *system;
    SessionBase base;
    const char *sub;
} session_places[] = {
    { "/run/libvirt/qemu", BASE_RUNTIME, "qemu/run" },
    { "/var/log/libvirt/qemu", BASE_CACHE, "qemu/log" },
    { "/var/cache/libvirt/qemu", BASE_CACHE, "qemu/cache" },
    { "/var/lib/libvirt/qemu/save", BASE_CONFIG, "qemu/save" },
    { "/var/lib/libvirt/qemu/snapshot", BASE_CONFIG, "qemu/snapshot" },
    { "/var/lib/libvirt/qemu/checkpoint", BASE_CONFIG, "qemu/checkpoint" },
    { "/var/lib/libvirt/qemu/dump", BASE_CONFIG, "qemu/dump" },
    { "/var/lib/libvirt/qemu/nvram", BASE_CONFIG, "qemu/nvram" },
    { "/var/lib/libvirt/qemu/ram", BASE_CONFIG, "qemu/ram" },
    { "/var/lib/libvirt/qemu", BASE_CONFIG, "qemu/lib" },
    { "/run/libvirt", BASE_RUNTIME, "" },
    { "/run", BASE_RUNTIME, "" },   /* pid files */
    { "/etc/libvirt", BASE_CONFIG, "" },
    { "/var/cache/libvirt", BASE_CACHE, "" },
    { "/var/log/libvirt", BASE_CACHE, "log" },
    { "/var/lib/libvirt", BASE_CACHE, "lib" },
};

static void
fill_dirs(VkPaths *paths)
{
    paths->run_dir = vk_paths_prefix(paths, "/run/libvirt");
    paths->config_dir = vk_paths_prefix(paths, "/etc/libvirt");
    paths->state_dir = vk_paths_prefix(paths, "/var/lib/libvirt");
    paths->log_dir = vk_paths_prefix(paths, "/var/log/libvirt");
}

VkPaths *
vk_paths_new(const char *root)
{
    VkPaths *paths = g_new0(VkPaths, 1);

    if (root && *root) {
        g_autofree char *abs = g_canonicalize_filename(root, NULL);
        if (!g_str_equal(abs, "/"))
            paths->root = g_steal_pointer(&abs);
    }
    fill_dirs(paths);
    return paths;
}

VkPaths *
vk_paths_new_session(void)
{
    VkPaths *paths = g_new0(VkPaths, 1);

    /* libvirt's virGetUserRuntimeDirectory() & co: GLib's XDG lookups */
    paths->session = TRUE;
    paths->runtime_base = g_build_filename(g_get_user_runtime_dir(), "libvirt", NULL);
    paths->config_base = g_build_filename(g_get_user_config_dir(), "libvirt", NULL);
    paths->cache_base = g_build_filename(g_get_user_cache_dir(), "libvirt", NULL);
    fill_dirs(paths);
    return paths;
}

VkPaths *
vk_paths_copy(const VkPaths *paths)
{
    VkPaths *copy;

    if (!paths->session)
        return vk_paths_new(paths->root);
    copy = g_new0(VkPaths, 1);
    copy->session = TRUE;
    copy->runtime_base = g_strdup(paths->runtime_base);
    copy->config_base = g_strdup(paths->config_base);
    copy->cache_base = g_strdup(paths->cache_base);
    fill_dirs(copy);
    return copy;
}

void
vk_paths_free(VkPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->root);
    g_free(paths->runtime_base);
    g_free(paths->config_base);
    g_free(paths->cache_base);
    g_free(paths->run_dir);
    g_free(paths->config_dir);
    g_free(paths->state_dir);
    g_free(paths->log_dir);
    g_free(paths);
}

static char *
session_place(const VkPaths *paths, const char *system_path)
{
    for (gsize i = 0; i < G_N_ELEMENTS(session_places); i++) {
        const char *sys = session_places[i].system;
        size_t len = strlen(sys);
        const char *bases[] = { paths->runtime_base, paths->config_base, paths->cache_base };

        if (strncmp(system_path, sys, len) != 0 ||
            (system_path[len] != '\0' && system_path[len] != '/'))
            continue;
        return g_build_filename(bases[session_places[i].base], session_places[i].sub,
                                system_path + len, NULL);
    }
    return g_build_filename(paths->cache_base, system_path, NULL);
}

char *
vk_paths_prefix(const VkPaths *paths, const char *system_path)
{
    if (paths->session)
        return session_place(paths, system_path);
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
