#define VK_LOG_MODULE "daemon.activation"
#include "common/daemon/socket-activation.h"
#include "common/util/error.h"
#include "common/util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* systemd's protocols are a few environment variables and one datagram, so
 * we speak them ourselves, as libvirt does: libsystemd would bring six more
 * libraries (libgcrypt, liblz4, libzstd...) and about 1 MB of RSS into every
 * daemon. */

/* The first fd systemd passes (sd_listen_fds(3)). */
#define LISTEN_FDS_START 3

VkSocketKind
vk_socket_activation_kind(const char *name)
{
    g_autofree char *base = NULL;

    if (!name)
        return VK_SOCKET_RW;
    base = g_str_has_suffix(name, ".socket")
        ? g_strndup(name, strlen(name) - strlen(".socket"))
        : g_strdup(name);
    if (g_str_has_suffix(base, "-ro"))
        return VK_SOCKET_RO;
    if (g_str_has_suffix(base, "-admin"))
        return VK_SOCKET_ADMIN;
    return VK_SOCKET_RW;
}

static void
ensure_arrays(VkActivatedSockets *sockets)
{
    for (gsize i = 0; i < G_N_ELEMENTS(sockets->fds); i++) {
        if (!sockets->fds[i])
            sockets->fds[i] = g_array_new(FALSE, FALSE, sizeof(int));
    }
}

void
vk_socket_activation_sort(VkActivatedSockets *sockets, const int *fds,
                          const char *const *names, int n)
{
    ensure_arrays(sockets);
    for (int i = 0; i < n; i++) {
        const char *name = names ? names[i] : NULL;
        VkSocketKind kind = vk_socket_activation_kind(name);
        g_debug("activation fd %d named '%s' is kind %d", fds[i], name ? name : "", kind);
        g_array_append_val(sockets->fds[kind], fds[i]);
    }
}

/* The number of fds passed to this very process (LISTEN_PID is ours), with
 * their names when systemd gave them; the variables are cleared either way so
 * children do not take them too. */
static int
listen_fds_with_names(char ***names)
{
    const char *pid_text = g_getenv("LISTEN_PID");
    const char *n_text = g_getenv("LISTEN_FDS");
    const char *names_text = g_getenv("LISTEN_FDNAMES");
    gint64 pid = 0, n = 0;
    int rc = 0;

    *names = NULL;
    if (!pid_text || !n_text)
        goto out;
    if (!g_ascii_string_to_signed(pid_text, 10, 1, G_MAXINT, &pid, NULL) ||
        !g_ascii_string_to_signed(n_text, 10, 0, 1024, &n, NULL)) {
        rc = -EINVAL;
        goto out;
    }
    if (pid != getpid())
        goto out;
    for (int fd = LISTEN_FDS_START; fd < LISTEN_FDS_START + n; fd++) {
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
            rc = -errno;
            goto out;
        }
    }
    if (names_text) {
        *names = g_strsplit(names_text, ":", -1);
        if (g_strv_length(*names) != (guint) n) {
            g_clear_pointer(names, g_strfreev);
            rc = -EINVAL;
            goto out;
        }
    }
    rc = (int) n;
out:
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    return rc;
}

static bool
is_listening_stream_socket(int fd)
{
    struct stat st;
    int type = 0, listening = 0;
    socklen_t len = sizeof(int);

    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
        return false;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
        return false;
    len = sizeof(int);
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening;
}

int
vk_socket_activation_take(VkActivatedSockets *sockets)
{
    char **names = NULL;
    int n;

    ensure_arrays(sockets);
    n = listen_fds_with_names(&names);
    if (n < 0) {
        vk_error_report_errno(VIR_FROM_NONE, -n, "cannot take the sockets passed by systemd");
        return -1;
    }
    int *fds = g_new(int, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        fds[i] = LISTEN_FDS_START + i;
        /* a socket unit may also pass FIFOs or files: we only serve sockets */
        if (!is_listening_stream_socket(fds[i])) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                            "fd %d ('%s') passed by systemd is not a listening stream socket",
                            fds[i], names && names[i] ? names[i] : "");
            for (int j = 0; j < n; j++)
                close(LISTEN_FDS_START + j);
            g_free(fds);
            g_strfreev(names);
            return -1;
        }
    }
    vk_socket_activation_sort(sockets, fds, (const char *const *) names, n);
    g_free(fds);
    g_strfreev(names);
    return n;
}

void
vk_activated_sockets_clear(VkActivatedSockets *sockets)
{
    for (gsize i = 0; i < G_N_ELEMENTS(sockets->fds); i++) {
        if (!sockets->fds[i])
            continue;
        for (guint j = 0; j < sockets->fds[i]->len; j++)
            close(g_array_index(sockets->fds[i], int, j));
        g_clear_pointer(&sockets->fds[i], g_array_unref);
    }
}

/* sd_notify(3): one datagram to $NOTIFY_SOCKET, a path or, with a leading
 * '@', an abstract socket name. */
static void
notify(const char *state)
{
    const char *path = g_getenv("NOTIFY_SOCKET");
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    socklen_t addr_len;
    size_t path_len;
    int fd;

    if (!path || (path[0] != '/' && path[0] != '@'))
        return;
    path_len = strlen(path);
    if (path_len >= sizeof(addr.sun_path)) {
        g_warning("NOTIFY_SOCKET is too long: %s", path);
        return;
    }
    memcpy(addr.sun_path, path, path_len);
    if (path[0] == '@')
        addr.sun_path[0] = '\0';
    addr_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + path_len);
    if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *) &addr, addr_len) < 0)
        g_warning("cannot tell systemd '%s' through %s: %s", state, path, g_strerror(errno));
    if (fd >= 0)
        close(fd);
}

void
vk_daemon_notify_ready(void)
{
    notify("READY=1");
}

void
vk_daemon_notify_stopping(void)
{
    notify("STOPPING=1");
}
