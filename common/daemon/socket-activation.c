#define VK_LOG_MODULE "daemon.activation"
#include "common/daemon/socket-activation.h"
#include "common/util/error.h"
#include "common/util/log.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

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

int
vk_socket_activation_take(VkActivatedSockets *sockets)
{
    char **names = NULL;
    int n;

    ensure_arrays(sockets);
    n = sd_listen_fds_with_names(1, &names);
    if (n < 0) {
        vk_error_report_errno(VIR_FROM_NONE, -n, "cannot take the sockets passed by systemd");
        return -1;
    }
    int *fds = g_new(int, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        fds[i] = SD_LISTEN_FDS_START + i;
        /* a socket unit may also pass FIFOs or files: we only serve sockets */
        if (sd_is_socket(fds[i], AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                            "fd %d ('%s') passed by systemd is not a listening stream socket",
                            fds[i], names && names[i] ? names[i] : "");
            for (int j = 0; j < n; j++)
                close(SD_LISTEN_FDS_START + j);
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

void
vk_daemon_notify_ready(void)
{
    sd_notify(0, "READY=1");
}

void
vk_daemon_notify_stopping(void)
{
    sd_notify(0, "STOPPING=1");
}
