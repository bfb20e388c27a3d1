#include "common/driver/route-upstream.h"

#include "common/daemon/remote-connect.h"
#include "common/driver/route-callbacks.h"
#include "common/driver/router.h"
#include "common/rpc/client-auth.h"
#include "common/rpc/client-stream.h"
#include "common/util/error.h"
#include "remote-protocol.h"

/* libvirt's VIR_CONNECT_RO and VIR_CONNECT_CLOSE_REASON_EOF. */
#define CONNECT_RO 1
#define CLOSE_REASON_EOF 1

/* Whose events a connection's reader thread passes on. */
typedef struct {
    VkRouteUpstreams *ups;
    VkProcOwner owner;
} VkUpstreamOwner;

struct _VkRouteUpstreams {
    VkPaths *paths;
    VkServerClient *client;   /* a reference */
    gpointer data;
    VkRouteCallbacks *callbacks;
    VkUpstreamOwner owners[VK_PROC_OWNER_LAST];
    gint closing;             /* atomic: the client went, we close the connections */
    GMutex lock;              /* guards the two below */
    bool closed;
    VkRpcClient *conns[VK_PROC_OWNER_LAST];
};

static const char *const owner_uris[VK_PROC_OWNER_LAST] = {
    [VK_PROC_OWNER_HYPERVISOR] = "qemu:///system",
    [VK_PROC_OWNER_NETWORK] = "network:///system",
    [VK_PROC_OWNER_STORAGE] = "storage:///system",
    [VK_PROC_OWNER_NODEDEV] = "nodedev:///system",
};

VkRouteUpstreams *
vk_route_upstreams_new(const VkPaths *paths, VkServerClient *client, gpointer data)
{
    VkRouteUpstreams *ups = g_atomic_rc_box_new0(VkRouteUpstreams);

    ups->paths = vk_paths_copy(paths);
    ups->client = vk_server_client_ref(client);
    ups->data = data;
    ups->callbacks = vk_route_callbacks_new();
    for (int i = 0; i < VK_PROC_OWNER_LAST; i++)
        ups->owners[i] = (VkUpstreamOwner) { ups, i };
    g_mutex_init(&ups->lock);
    return ups;
}

VkRouteUpstreams *
vk_route_upstreams_ref(VkRouteUpstreams *ups)
{
    return g_atomic_rc_box_acquire(ups);
}

static void
upstreams_clear(VkRouteUpstreams *ups)
{
    for (int i = 0; i < VK_PROC_OWNER_LAST; i++)
        vk_rpc_client_free(ups->conns[i]);
    vk_route_callbacks_free(ups->callbacks);
    g_mutex_clear(&ups->lock);
    vk_server_client_unref(ups->client);
    vk_paths_free(ups->paths);
}

void
vk_route_upstreams_unref(VkRouteUpstreams *ups)
{
    g_atomic_rc_box_release_full(ups, (GDestroyNotify) upstreams_clear);
}

VkServerClient *
vk_route_upstreams_client(VkRouteUpstreams *ups)
{
    return ups->client;
}

gpointer
vk_route_upstreams_data(VkRouteUpstreams *ups)
{
    return ups->data;
}

VkRouteCallbacks *
vk_route_upstreams_callbacks(VkRouteUpstreams *ups)
{
    return ups->callbacks;
}

/* A daemon's connection ended by itself (reader thread): a client that
 * registered a close callback hears of it, as libvirt's virtproxyd tells
 * of its lost hypervisor connection, so that it reconnects and registers
 * its callbacks again.  The daemon's ids go when the connection is
 * dropped (drop_conn_locked). */
static void
tell_connection_lost(VkRouteUpstreams *ups)
{
    remote_connect_event_connection_closed_msg msg = { .reason = CLOSE_REASON_EOF };

    if (g_atomic_int_get(&ups->closing) || !vk_remote_client_wants_close_event(ups->client))
        return;
    vk_server_client_send_event(ups->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
                                (xdrproc_t) xdr_remote_connect_event_connection_closed_msg, &msg);
}

/* An event from an owner's daemon: to the client as it is, but under the
 * client's callback id when it carries one (reader thread).  NULL: the
 * connection ended. */
static void
pass_event(VkRpcClient *conn, const VkMessage *event, gpointer opaque)
{
    VkUpstreamOwner *from = opaque;
    VkRouteUpstreams *ups = from->ups;
    VkMessage *copy;
    VkRouteCbKind kind;

    if (!event) {
        tell_connection_lost(ups);
        return;
    }
    copy = vk_message_copy(event);
    if (vk_route_callback_role(event->header.prog, event->header.proc, &kind) ==
            VK_ROUTE_CB_EVENT &&
        !vk_route_callbacks_event(ups->callbacks, from->owner, kind, copy)) {
        vk_message_free(copy);   /* deregistered meanwhile */
        return;
    }
    vk_server_client_send(ups->client, copy);
}

/* Connect to OWNER's daemon and open it as libvirt's daemons open their
 * secondary drivers: authenticated as it asks, "<driver>:///system",
 * read-only for a read-only client. */
static VkRpcClient *
connect_owner(VkRouteUpstreams *ups, VkProcOwner owner)
{
    bool readonly = vk_server_client_is_readonly(ups->client);
    g_autofree char *path = vk_paths_socket(ups->paths, vk_router_owner_daemon(owner),
                                            readonly ? VK_SOCKET_RO : VK_SOCKET_RW);
    char *uri = (char *) owner_uris[owner];
    remote_connect_open_args args = { .name = &uri, .flags = readonly ? CONNECT_RO : 0 };
    g_autoptr(VkRpcClient) conn = vk_rpc_client_connect_unix(path);

    if (!conn || vk_rpc_client_authenticate(conn, path) < 0)
        return NULL;
    vk_rpc_client_set_event_func(conn, pass_event, &ups->owners[owner]);
    if (vk_rpc_client_call(conn, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, REMOTE_PROC_CONNECT_OPEN,
                           (xdrproc_t) xdr_remote_connect_open_args, &args, NULL, NULL) < 0)
        return NULL;
    return g_steal_pointer(&conn);
}

/* What a call that opens a stream needs besides: see
 * vk_route_upstreams_send_stream. */
typedef struct {
    VkRpcRelayFunc frames;
    gpointer opaque;
    VkRpcClient **conn;
    guint32 *serial;
} VkStreamSend;

static int
send_on(VkRpcClient *conn, VkMessage *msg, VkRpcReplyFunc func, gpointer opaque,
        const VkStreamSend *stream)
{
    if (!stream)
        return vk_rpc_client_send_call(conn, msg, func, opaque);
    *stream->conn = conn;
    return vk_rpc_client_send_relayed_call(conn, msg, func, opaque, stream->frames,
                                           stream->opaque, stream->serial);
}

/* OWNER's connection is gone (its daemon went away): so are the client's
 * event registrations there; the client registers again, as libvirt's
 * clients do after a reconnection.  Lock held. */
static void
drop_conn_locked(VkRouteUpstreams *ups, VkProcOwner owner)
{
    g_clear_pointer(&ups->conns[owner], vk_rpc_client_free);
    vk_route_callbacks_forget_owner(ups->callbacks, owner);
}

void
vk_route_upstreams_drop_ended(VkRouteUpstreams *ups, VkProcOwner owner)
{
    g_mutex_lock(&ups->lock);
    if (ups->conns[owner] && !vk_rpc_client_is_open(ups->conns[owner]))
        drop_conn_locked(ups, owner);
    g_mutex_unlock(&ups->lock);
}

/* Send MSG on OWNER's connection, made now when there is none or it was
 * lost.  A connection kept from an earlier call may have lost its daemon
 * since (a restart): then once more on a new one. */
static int
send_locked(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *msg, VkRpcReplyFunc func,
            gpointer opaque, const VkStreamSend *stream)
{
    VkRpcClient **conn = &ups->conns[owner];
    bool fresh = false;

    if (ups->closed) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "client socket is closed");
        return -1;
    }
    if (*conn && !vk_rpc_client_is_open(*conn))
        drop_conn_locked(ups, owner);
    if (!*conn) {
        if (!(*conn = connect_owner(ups, owner)))
            return -1;
        fresh = true;
    }
    if (send_on(*conn, msg, func, opaque, stream) == 0)
        return 0;
    if (fresh)
        return -1;
    vk_error_reset();
    drop_conn_locked(ups, owner);
    return send_locked(ups, owner, msg, func, opaque, stream);
}

static int
send_call(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call, VkRpcReplyFunc func,
          gpointer opaque, const VkStreamSend *stream)
{
    g_autoptr(VkMessage) msg = call;
    int rc;

    g_return_val_if_fail(owner > VK_PROC_OWNER_NONE && owner < VK_PROC_OWNER_LAST, -1);
    g_mutex_lock(&ups->lock);
    rc = send_locked(ups, owner, msg, func, opaque, stream);
    g_mutex_unlock(&ups->lock);
    return rc;
}

int
vk_route_upstreams_send(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call,
                        VkRpcReplyFunc func, gpointer opaque)
{
    return send_call(ups, owner, call, func, opaque, NULL);
}

int
vk_route_upstreams_try_send(VkRouteUpstreams *ups, VkProcOwner owner, const VkMessage *call,
                            VkRpcReplyFunc func, gpointer opaque)
{
    VkRpcClient *conn;
    int rc = -1;

    if (!g_mutex_trylock(&ups->lock))
        return -1;   /* a connection is being made */
    conn = ups->conns[owner];
    if (!ups->closed && conn && vk_rpc_client_is_open(conn)) {
        g_autoptr(VkMessage) msg = vk_message_copy(call);
        rc = vk_rpc_client_send_call(conn, msg, func, opaque);
        if (rc < 0)
            vk_error_reset();   /* the slow way tries again */
    }
    g_mutex_unlock(&ups->lock);
    return rc;
}

int
vk_route_upstreams_send_stream(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call,
                               VkRpcReplyFunc func, gpointer opaque, VkRpcRelayFunc frames,
                               gpointer frames_opaque, VkRpcClient **conn, guint32 *serial)
{
    VkStreamSend stream = { frames, frames_opaque, conn, serial };

    return send_call(ups, owner, call, func, opaque, &stream);
}

int
vk_route_upstreams_send_frame(VkRouteUpstreams *ups, VkProcOwner owner,
                              VkRpcClient *const *conn, const guint32 *serial, VkMessage *frame)
{
    int rc = -1;

    g_mutex_lock(&ups->lock);
    /* the connection may have been replaced since: the stream died with it */
    if (*conn && ups->conns[owner] == *conn)
        rc = vk_rpc_client_send_relayed_frame(*conn, *serial, frame);
    else
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream is closed");
    g_mutex_unlock(&ups->lock);
    return rc;
}

void
vk_route_reply(VkServerClient *client, const VkRpcHeader *call, VkMessage *reply)
{
    if (!reply) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s",
                        "End of file while reading data: Input/output error");
        vk_route_answer_error(client, call);
        return;
    }
    reply->header.serial = call->serial;
    vk_rpc_header_encode(reply->buf + VK_RPC_LEN_SIZE, &reply->header);
    reply->offset = 0;
    vk_server_client_send(client, reply);
}

void
vk_route_answer_error(VkServerClient *client, const VkRpcHeader *call)
{
    g_autoptr(VkMessage) reply = vk_message_new();
    g_autoptr(VkError) err = vk_error_steal();

    if (vk_message_encode_error(reply, call, err) == 0)
        vk_server_client_send(client, g_steal_pointer(&reply));
}

static void
drop_reply(VkMessage *reply, gpointer opaque)
{
    vk_message_free(reply);
}

/* CONNECT_CLOSE goes out, but nobody waits for its answer: a daemon that
 * hangs must not hold up the closing of the others. */
static void
close_conn(VkRpcClient *conn)
{
    VkRpcHeader hdr = { .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION,
                        .proc = REMOTE_PROC_CONNECT_CLOSE, .type = VK_RPC_CALL,
                        .status = VK_RPC_OK };
    g_autoptr(VkMessage) msg = vk_message_new();

    if (vk_rpc_client_is_open(conn) && vk_message_encode(msg, &hdr, NULL, NULL) == 0 &&
        vk_rpc_client_send_call(conn, msg, drop_reply, NULL) < 0)
        vk_error_reset();
    vk_rpc_client_free(conn);
}

void
vk_route_upstreams_close(VkRouteUpstreams *ups)
{
    VkRpcClient *conns[VK_PROC_OWNER_LAST];

    g_atomic_int_set(&ups->closing, 1);
    g_mutex_lock(&ups->lock);
    ups->closed = true;
    for (int i = 0; i < VK_PROC_OWNER_LAST; i++)
        conns[i] = g_steal_pointer(&ups->conns[i]);
    g_mutex_unlock(&ups->lock);
    for (int i = 0; i < VK_PROC_OWNER_LAST; i++)
        if (conns[i])
            close_conn(conns[i]);
}
