#include "common/util/paths.h"

#include <unistd.h>

static void
test_system_mode(void)
{
    g_autoptr(VkPaths) p = vk_paths_new(NULL);
    g_autofree char *rw = vk_paths_socket(p, "virtqemud", VK_SOCKET_RW);
    g_autofree char *ro = vk_paths_socket(p, "virtqemud", VK_SOCKET_RO);
    g_autofree char *admin = vk_paths_socket(p, "virtqemud", VK_SOCKET_ADMIN);
    g_autofree char *conf = vk_paths_config_file(p, "virtqemud");
    g_autofree char *pid = vk_paths_pid_file(p, "virtqemud");
    g_autofree char *qemu = vk_paths_prefix(p, "/etc/libvirt/qemu");

    g_assert_null(p->root);
    g_assert_cmpstr(p->run_dir, ==, "/run/libvirt");
    g_assert_cmpstr(p->config_dir, ==, "/etc/libvirt");
    g_assert_cmpstr(p->state_dir, ==, "/var/lib/libvirt");
    g_assert_cmpstr(p->log_dir, ==, "/var/log/libvirt");
    g_assert_cmpstr(rw, ==, "/run/libvirt/virtqemud-sock");
    g_assert_cmpstr(ro, ==, "/run/libvirt/virtqemud-sock-ro");
    g_assert_cmpstr(admin, ==, "/run/libvirt/virtqemud-admin-sock");
    g_assert_cmpstr(conf, ==, "/etc/libvirt/virtqemud.conf");
    g_assert_cmpstr(pid, ==, "/run/virtqemud.pid");
    g_assert_cmpstr(qemu, ==, "/etc/libvirt/qemu");

    g_autoptr(VkPaths) slash = vk_paths_new("/");
    g_assert_null(slash->root);
    g_assert_cmpstr(slash->run_dir, ==, "/run/libvirt");
}

static void
test_under_root(void)
{
    g_autoptr(VkPaths) p = vk_paths_new("/tmp/vkroot/");
    g_autofree char *rw = vk_paths_socket(p, "libvirt", VK_SOCKET_RW);
    g_autofree char *ro = vk_paths_socket(p, "virtnetworkd", VK_SOCKET_RO);
    g_autofree char *admin = vk_paths_socket(p, "virtqemud", VK_SOCKET_ADMIN);
    g_autofree char *conf = vk_paths_config_file(p, "virtqemud");
    g_autofree char *pid = vk_paths_pid_file(p, "virtqemud");
    g_autofree char *log = vk_paths_prefix(p, "/var/log/libvirt/qemu/web.log");

    g_assert_cmpstr(p->root, ==, "/tmp/vkroot");
    g_assert_cmpstr(p->run_dir, ==, "/tmp/vkroot/run/libvirt");
    g_assert_cmpstr(p->config_dir, ==, "/tmp/vkroot/etc/libvirt");
    g_assert_cmpstr(p->state_dir, ==, "/tmp/vkroot/var/lib/libvirt");
    g_assert_cmpstr(p->log_dir, ==, "/tmp/vkroot/var/log/libvirt");
    g_assert_cmpstr(rw, ==, "/tmp/vkroot/run/libvirt/libvirt-sock");
    g_assert_cmpstr(ro, ==, "/tmp/vkroot/run/libvirt/virtnetworkd-sock-ro");
    g_assert_cmpstr(admin, ==, "/tmp/vkroot/run/libvirt/virtqemud-admin-sock");
    g_assert_cmpstr(conf, ==, "/tmp/vkroot/etc/libvirt/virtqemud.conf");
    g_assert_cmpstr(pid, ==, "/tmp/vkroot/run/virtqemud.pid");
    g_assert_cmpstr(log, ==, "/tmp/vkroot/var/log/libvirt/qemu/web.log");
}

static void
test_relative_root(void)
{
    g_autofree char *cwd = g_get_current_dir();
    g_autoptr(VkPaths) p = vk_paths_new("some/dir/../root");
    g_autofree char *want = g_build_filename(cwd, "some", "root", NULL);
    g_autofree char *want_run = g_build_filename(want, "run", "libvirt", NULL);

    g_assert_cmpstr(p->root, ==, want);
    g_assert_cmpstr(p->run_dir, ==, want_run);
}

/* libvirt's per-user places (src/qemu/qemu_conf.c, unprivileged). */
static void
test_session_mode(void)
{
    static const struct { const char *system, *session; } places[] = {
        { "/etc/libvirt/qemu", "/tmp/u/config/libvirt/qemu" },
        { "/run/libvirt/qemu", "/tmp/u/run/libvirt/qemu/run" },
        { "/var/log/libvirt/qemu", "/tmp/u/cache/libvirt/qemu/log" },
        { "/var/lib/libvirt/qemu/domain-1-g", "/tmp/u/config/libvirt/qemu/lib/domain-1-g" },
        { "/var/lib/libvirt/qemu/snapshot", "/tmp/u/config/libvirt/qemu/snapshot" },
        { "/var/cache/libvirt/qemu/capabilities", "/tmp/u/cache/libvirt/qemu/cache/capabilities" },
    };
    g_autoptr(VkPaths) p = NULL;
    g_autoptr(VkPaths) copy = NULL;
    g_autofree char *rw = NULL, *admin = NULL, *conf = NULL, *pid = NULL;

    /* GLib reads the variables once per process: set them before anything asks */
    g_setenv("XDG_RUNTIME_DIR", "/tmp/u/run", TRUE);
    g_setenv("XDG_CONFIG_HOME", "/tmp/u/config", TRUE);
    g_setenv("XDG_CACHE_HOME", "/tmp/u/cache", TRUE);
    p = vk_paths_new_session();
    copy = vk_paths_copy(p);
    rw = vk_paths_socket(copy, "virtqemud", VK_SOCKET_RW);
    admin = vk_paths_socket(p, "virtqemud", VK_SOCKET_ADMIN);
    conf = vk_paths_config_file(p, "virtqemud");
    pid = vk_paths_pid_file(p, "virtqemud");

    g_assert_true(copy->session);
    g_assert_null(p->root);
    g_assert_cmpstr(rw, ==, "/tmp/u/run/libvirt/virtqemud-sock");
    g_assert_cmpstr(admin, ==, "/tmp/u/run/libvirt/virtqemud-admin-sock");
    g_assert_cmpstr(conf, ==, "/tmp/u/config/libvirt/virtqemud.conf");
    g_assert_cmpstr(pid, ==, "/tmp/u/run/libvirt/virtqemud.pid");
    for (gsize i = 0; i < G_N_ELEMENTS(places); i++) {
        g_autofree char *got = vk_paths_prefix(p, places[i].system);
        g_assert_cmpstr(got, ==, places[i].session);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/paths/system", test_system_mode);
    g_test_add_func("/paths/root", test_under_root);
    g_test_add_func("/paths/relative-root", test_relative_root);
    g_test_add_func("/paths/session", test_session_mode);
    return g_test_run();
}
