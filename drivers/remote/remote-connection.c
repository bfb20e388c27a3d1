#include "drivers/remote/remote-connection.h"

#include "common/rpc/client.h"
#include "common/rpc/client-auth.h"
#include "common/util/error.h"
#include "remote-protocol.h"

/* libvirt's VIR_DRV_FEATURE_PROGRAM_KEEPALIVE. */
#define VK_FEATURE_PROGRAM_KEEPALIVE 10

struct _VkRemoteConnection {
    VkUri *uri;
    char *socket;
    VkRpcClient *client;
    bool readonly;
    bool keepalive;
};

static void
connection_free(VkRemoteConnection *conn)
{
    vk_rpc_client_free(conn->client);
    vk_uri_free(conn->uri);
    g_free(conn->socket);
    g_free(conn);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkRemoteConnection, connection_free)

int
vk_remote_connection_call(VkRemoteConnection *conn, int proc,
                          xdrproc_t args_filter, void *args,
                          xdrproc_t ret_filter, void *ret)
{
    return vk_rpc_client_call(conn->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                              args_filter, args, ret_filter, ret);
}

int
vk_remote_connection_call_stream(VkRemoteConnection *conn, int proc,
                                 xdrproc_t args_filter, void *args,
                                 xdrproc_t ret_filter, void *ret, VkRpcStream *stream)
{
    return vk_rpc_client_call_stream(conn->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                     proc, args_filter, args, ret_filter, ret, stream);
}

static bool
supports_keepalive(VkRemoteConnection *conn)
{
    remote_connect_supports_feature_args args = { .feature = VK_FEATURE_PROGRAM_KEEPALIVE };
    remote_connect_supports_feature_ret ret = { 0 };

    if (vk_remote_connection_call(conn, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
                                  (xdrproc_t) xdr_remote_connect_supports_feature_args, &args,
                                  (xdrproc_t) xdr_remote_connect_supports_feature_ret,
                                  &ret) < 0) {
        /* A daemon without keepalive still serves us. */
        vk_error_reset();
        return false;
    }
    return ret.supported != 0;
}

VkRemoteConnection *
vk_remote_connection_open(const char *uri, unsigned int flags)
{
    g_autoptr(VkRemoteConnection) conn = g_new0(VkRemoteConnection, 1);
    remote_connect_open_args args = { 0 };
    char *name;

    if (!(conn->uri = vk_uri_parse(uri)))
        return NULL;
    conn->readonly = (flags & VK_REMOTE_OPEN_RO) != 0;
    conn->socket = vk_uri_socket_path(conn->uri, conn->readonly, NULL);
    g_debug("connecting to '%s' for URI '%s'", conn->socket, uri);
    if (!(conn->client = vk_rpc_client_connect_unix(conn->socket)))
        return NULL;

    if (vk_rpc_client_authenticate(conn->client, conn->socket) < 0)
        return NULL;
    conn->keepalive = supports_keepalive(conn);
    /* virsh's defaults: a ping after 5 s of silence, give up after 6. */
    if (conn->keepalive)
        vk_rpc_client_set_keepalive(conn->client, 5, 6);

    name = conn->uri->name;
    args.name = &name;
    args.flags = flags & VK_REMOTE_OPEN_RO;
    if (vk_remote_connection_call(conn, REMOTE_PROC_CONNECT_OPEN,
                                  (xdrproc_t) xdr_remote_connect_open_args, &args,
                                  NULL, NULL) < 0)
        return NULL;
    return g_steal_pointer(&conn);
}

int
vk_remote_connection_close(VkRemoteConnection *conn)
{
    int rc = 0;

    if (!conn)
        return 0;
    if (vk_rpc_client_is_open(conn->client))
        rc = vk_remote_connection_call(conn, REMOTE_PROC_CONNECT_CLOSE, NULL, NULL, NULL, NULL);
    connection_free(conn);
    return rc;
}

const VkUri *
vk_remote_connection_get_uri(VkRemoteConnection *conn)
{
    return conn->uri;
}

const char *
vk_remote_connection_get_socket(VkRemoteConnection *conn)
{
    return conn->socket;
}

bool
vk_remote_connection_is_readonly(VkRemoteConnection *conn)
{
    return conn->readonly;
}

bool
vk_remote_connection_is_alive(VkRemoteConnection *conn)
{
    return vk_rpc_client_is_open(conn->client);
}

bool
vk_remote_connection_has_keepalive(VkRemoteConnection *conn)
{
    return conn->keepalive;
}

VkRpcClient *
vk_remote_connection_get_client(VkRemoteConnection *conn)
{
    return conn->client;
}
