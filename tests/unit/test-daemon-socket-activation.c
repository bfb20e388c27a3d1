#include "common/daemon/socket-activation.h"
#include "common/util/error.h"

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

/* Put FD at 3, where systemd puts the first socket, keeping what was there. */
static int
move_to_fd3(int fd)
{
    int saved;

    if (fd == 3)
        return -1;
    saved = fcntl(3, F_GETFD) >= 0 ? dup(3) : -1;
    g_assert_cmpint(dup2(fd, 3), ==, 3);
    close(fd);
    return saved;
}

static void
restore_fd3(int saved)
{
    close(3);
    if (saved >= 0) {
        g_assert_cmpint(dup2(saved, 3), ==, 3);
        close(saved);
    }
}

static void
set_listen_env(const char *n, const char *names)
{
    g_autofree char *pid = g_strdup_printf("%d", (int) getpid());

    g_setenv("LISTEN_PID", pid, TRUE);
    g_setenv("LISTEN_FDS", n, TRUE);
    if (names)
        g_setenv("LISTEN_FDNAMES", names, TRUE);
    else
        g_unsetenv("LISTEN_FDNAMES");
}

static void
test_activated(void)
{
    VkActivatedSockets s = { 0 };
    int listening = socket(AF_UNIX, SOCK_STREAM, 0);
    sa_family_t family = AF_UNIX;
    int saved;

    /* binding just the family picks a free abstract name */
    g_assert_cmpint(bind(listening, (struct sockaddr *) &family, sizeof(family)), ==, 0);
    g_assert_cmpint(listen(listening, 1), ==, 0);
    saved = move_to_fd3(listening);
    set_listen_env("1", "virtqemud-ro.socket");
    g_assert_cmpint(vk_socket_activation_take(&s), ==, 1);
    g_assert_null(g_getenv("LISTEN_PID"));
    g_assert_null(g_getenv("LISTEN_FDNAMES"));
    g_assert_cmpuint(s.fds[VK_SOCKET_RO]->len, ==, 1);
    g_assert_cmpint(g_array_index(s.fds[VK_SOCKET_RO], int, 0), ==, 3);
    g_assert_cmpint(fcntl(3, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
    g_array_set_size(s.fds[VK_SOCKET_RO], 0);   /* fd 3 goes back below */
    vk_activated_sockets_clear(&s);
    restore_fd3(saved);
}

static void
test_activated_bad(void)
{
    VkActivatedSockets s = { 0 };
    int pipe_fds[2];
    int saved;

    /* a name for each fd, or the passing is broken */
    set_listen_env("0", "one:two");
    vk_error_reset();
    g_assert_cmpint(vk_socket_activation_take(&s), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "sockets passed by systemd"));
    g_assert_null(g_getenv("LISTEN_FDS"));
    vk_activated_sockets_clear(&s);

    set_listen_env("many", NULL);
    g_assert_cmpint(vk_socket_activation_take(&s), ==, -1);
    vk_activated_sockets_clear(&s);

    /* a FIFO is not something we can serve on */
    g_assert_cmpint(pipe(pipe_fds), ==, 0);
    close(pipe_fds[1]);
    saved = move_to_fd3(pipe_fds[0]);
    set_listen_env("1", NULL);
    vk_error_reset();
    g_assert_cmpint(vk_socket_activation_take(&s), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "not a listening stream socket"));
    g_assert_cmpint(fcntl(3, F_GETFD), ==, -1);   /* closed: nobody else will */
    vk_activated_sockets_clear(&s);
    restore_fd3(saved);
}

/* Each state arrives as one datagram on NOTIFY_SOCKET, a path or '@' name. */
static void
test_notify(void)
{
    g_autofree char *dir = g_dir_make_tmp("virtkit-notify-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "notify", NULL);
    const char *abstract = "@virtkit-test-notify";
    const char *targets[] = { path, abstract };

    for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) {
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        socklen_t len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(targets[i]));
        int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
        char buf[64];
        ssize_t got;

        memcpy(addr.sun_path, targets[i], strlen(targets[i]));
        if (targets[i][0] == '@')
            addr.sun_path[0] = '\0';
        g_assert_cmpint(bind(fd, (struct sockaddr *) &addr, len), ==, 0);
        g_setenv("NOTIFY_SOCKET", targets[i], TRUE);
        vk_daemon_notify_ready();
        vk_daemon_notify_stopping();
        got = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        g_assert_cmpint(got, ==, 7);
        buf[got] = '\0';
        g_assert_cmpstr(buf, ==, "READY=1");
        got = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        g_assert_cmpint(got, ==, 10);
        buf[got] = '\0';
        g_assert_cmpstr(buf, ==, "STOPPING=1");
        close(fd);
    }
    g_unsetenv("NOTIFY_SOCKET");
    unlink(path);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/socket-activation/kind", test_kind);
    g_test_add_func("/socket-activation/sort", test_sort);
    g_test_add_func("/socket-activation/not-activated", test_not_activated);
    g_test_add_func("/socket-activation/activated", test_activated);
    g_test_add_func("/socket-activation/activated-bad", test_activated_bad);
    g_test_add_func("/socket-activation/notify", test_notify);
    return g_test_run();
}
