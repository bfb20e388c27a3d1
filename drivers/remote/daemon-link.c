/* A connection to a sibling daemon, opened on first use (daemon-link.h). */
#include "drivers/remote/daemon-link.h"

#include "common/util/error.h"

struct _VkDaemonLink {
    GMutex lock;               /* one call at a time on the connection */
    char *uri;                 /* SCHEME+unix:///system?socket=... */
    VkRemoteConnection *conn;  /* NULL until first use or after it died */
};

VkDaemonLink *
vk_daemon_link_new(const VkPaths *paths, const char *daemon, const char *scheme)
{
    VkDaemonLink *link = g_new0(VkDaemonLink, 1);
    g_autofree char *sock = vk_paths_socket(paths, daemon, VK_SOCKET_RW);

    g_mutex_init(&link->lock);
    link->uri = g_strdup_printf("%s+unix:///system?socket=%s", scheme, sock);
    return link;
}

static void
drop_connection(VkDaemonLink *link)
{
    if (vk_remote_connection_close(link->conn) < 0)
        vk_error_reset();
    link->conn = NULL;
}

void
vk_daemon_link_free(VkDaemonLink *link)
{
    if (!link)
        return;
    drop_connection(link);
    g_mutex_clear(&link->lock);
    g_free(link->uri);
    g_free(link);
}

/* The connection (LINK locked), opened anew when there is none or it died. */
static VkRemoteConnection *
connection(VkDaemonLink *link)
{
    if (link->conn && !vk_remote_connection_is_alive(link->conn))
        drop_connection(link);
    if (!link->conn)
        link->conn = vk_remote_connection_open(link->uri, 0);
    return link->conn;
}

int
vk_daemon_link_call(VkDaemonLink *link, int proc, xdrproc_t args_filter, void *args,
                    xdrproc_t ret_filter, void *ret)
{
    int rc = -1;

    g_mutex_lock(&link->lock);
    /* a second try when the sibling restarted since the last call */
    for (int attempt = 0; attempt < 2; attempt++) {
        VkRemoteConnection *conn = connection(link);
        if (!conn)
            break;
        rc = vk_remote_connection_call(conn, proc, args_filter, args, ret_filter, ret);
        if (rc == 0 || vk_remote_connection_is_alive(conn))
            break;
    }
    g_mutex_unlock(&link->lock);
    return rc;
}
