#include "common/daemon/socket-activation.h"

static void
test_kind(void)
{
    g_assert_cmpint(vk_socket_activation_kind("virtqemud.socket"), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind("virtqemud-ro.socket"), ==, VK_SOCKET_RO);
    g_assert_cmpint(vk_socket_activation_kind("virtqemud-admin.socket"), ==, VK_SOCKET_ADMIN);
    g_assert_cmpint(vk_socket_activation_kind("virtqemud-ro"), ==, VK_SOCKET_RO);
    g_assert_cmpint(vk_socket_activation_kind("virtqemud-admin"), ==, VK_SOCKET_ADMIN);
    g_assert_cmpint(vk_socket_activation_kind("libvirtd-tcp.socket"), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind("unknown"), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind(""), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind(NULL), ==, VK_SOCKET_RW);
    /* only the suffix counts */
    g_assert_cmpint(vk_socket_activation_kind("virt-ro-qemud.socket"), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind("admin.socket"), ==, VK_SOCKET_RW);
    g_assert_cmpint(vk_socket_activation_kind("virtqemud-ro.socket.socket"), ==, VK_SOCKET_RW);
}

static void
test_sort(void)
{
    VkActivatedSockets s = { 0 };
    const int fds[] = { 3, 4, 5, 6 };
    const char *names[] = { "virtqemud-admin.socket", "virtqemud.socket",
                            "virtqemud-ro.socket", "virtproxyd.socket" };

    vk_socket_activation_sort(&s, fds, names, 4);
    g_assert_cmpuint(s.fds[VK_SOCKET_RW]->len, ==, 2);
    g_assert_cmpint(g_array_index(s.fds[VK_SOCKET_RW], int, 0), ==, 4);
    g_assert_cmpint(g_array_index(s.fds[VK_SOCKET_RW], int, 1), ==, 6);
    g_assert_cmpuint(s.fds[VK_SOCKET_RO]->len, ==, 1);
    g_assert_cmpint(g_array_index(s.fds[VK_SOCKET_RO], int, 0), ==, 5);
    g_assert_cmpuint(s.fds[VK_SOCKET_ADMIN]->len, ==, 1);
    g_assert_cmpint(g_array_index(s.fds[VK_SOCKET_ADMIN], int, 0), ==, 3);
    /* these fds are not ours to close: drop the arrays by hand */
    for (int i = 0; i < 3; i++)
        g_clear_pointer(&s.fds[i], g_array_unref);

    /* no names at all: everything is read-write */
    vk_socket_activation_sort(&s, fds, NULL, 2);
    g_assert_cmpuint(s.fds[VK_SOCKET_RW]->len, ==, 2);
    g_assert_cmpuint(s.fds[VK_SOCKET_RO]->len, ==, 0);
    for (int i = 0; i < 3; i++)
        g_clear_pointer(&s.fds[i], g_array_unref);
}

static void
test_not_activated(void)
{
    VkActivatedSockets s = { 0 };

    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_PID");
    g_assert_cmpint(vk_socket_activation_take(&s), ==, 0);
    for (int i = 0; i < 3; i++)
        g_assert_cmpuint(s.fds[i]->len, ==, 0);
    vk_activated_sockets_clear(&s);
    g_assert_null(s.fds[0]);

    /* variables meant for another process are not ours */
    g_setenv("LISTEN_FDS", "2", TRUE);
    g_setenv("LISTEN_PID", "1", TRUE);
    g_assert_cmpint(vk_socket_activation_take(&s), ==, 0);
    g_assert_null(g_getenv("LISTEN_FDS"));   /* and are cleared for children */
    vk_activated_sockets_clear(&s);

    vk_daemon_notify_ready();   /* no NOTIFY_SOCKET: harmless */
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/socket-activation/kind", test_kind);
    g_test_add_func("/socket-activation/sort", test_sort);
    g_test_add_func("/socket-activation/not-activated", test_not_activated);
    return g_test_run();
}
