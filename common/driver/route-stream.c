#include "common/driver/route-stream.h"

#include "common/rpc/server-relay.h"
#include "common/util/error.h"

/* Frames of the daemon's on their way to the client at most. */
#define TO_CLIENT_MAX 4

typedef struct {
    gint refs;
    VkServerClient *client;   /* a reference */
    VkRpcHeader call;         /* the client's call */
    VkRouteUpstreams *ups;    /* a reference */
    VkProcOwner owner;
    VkRpcClient *conn;        /* where the call went, and its serial there */
    guint32 serial;           /* (both written under the connections' lock) */
    GMutex lock;              /* guards the four below */
    GCond left;               /* a frame reached the client, or the end came */
    VkServerRelay *relay;     /* the client's frames; NULL once over */
    guint to_client;
    bool over;
} VkRouteStream;

static VkRouteStream *
stream_ref(VkRouteStream *rs)
{
    g_atomic_int_inc(&rs->refs);
    return rs;
}

static void
stream_unref(gpointer data)
{
    VkRouteStream *rs = data;

    if (!g_atomic_int_dec_and_test(&rs->refs))
        return;
    vk_server_client_unref(rs->client);
    vk_route_upstreams_unref(rs->ups);
    g_cond_clear(&rs->left);
    g_mutex_clear(&rs->lock);
    g_free(rs);
}

/* Over (once, any thread): the client's frames are dropped from now on,
 * and a reader waiting for the client lets go. */
static void
end_stream(VkRouteStream *rs)
{
    VkServerRelay *relay;

    g_mutex_lock(&rs->lock);
    rs->over = true;
    relay = g_steal_pointer(&rs->relay);
    g_cond_broadcast(&rs->left);
    g_mutex_unlock(&rs->lock);
    vk_server_relay_end(relay);
}

/* ---- from the client to the daemon (a relay thread) ---- */

static void
to_daemon(VkMessage *frame, gpointer opaque)
{
    VkRouteStream *rs = opaque;

    /* failing, the stream is over there: the daemon's side or the end of
     * its connection tells the client */
    if (vk_route_upstreams_send_frame(rs->ups, rs->owner, &rs->conn, &rs->serial, frame) < 0)
        vk_error_reset();
    vk_message_free(frame);
}

/* ---- from the daemon to the client (the connection's reader thread) ---- */

/* A frame of the daemon's reached the client, or was dropped with it (any
 * thread, maybe under the client's lock). */
static void
frame_left(gpointer data, bool sent)
{
    VkRouteStream *rs = data;

    g_mutex_lock(&rs->lock);
    rs->to_client--;
    g_cond_broadcast(&rs->left);
    g_mutex_unlock(&rs->lock);
    stream_unref(rs);
}

static void
send_to_client(VkRouteStream *rs, VkMessage *frame)
{
    frame->header.serial = rs->call.serial;
    vk_rpc_header_encode(frame->buf + VK_RPC_LEN_SIZE, &frame->header);
    frame->offset = 0;
    vk_server_client_send(rs->client, frame);
}

/* The daemon's connection ended while the stream was open: the client
 * gets the error libvirt's client reports for a lost connection. */
static void
fail_to_client(VkRouteStream *rs)
{
    g_autoptr(VkError) err = NULL;
    VkRpcHeader hdr = rs->call;
    VkMessage *msg = vk_message_new();

    vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s",
                    "End of file while reading data: Input/output error");
    err = vk_error_steal();
    hdr.type = VK_RPC_STREAM;
    hdr.status = VK_RPC_ERROR;
    if (vk_message_encode(msg, &hdr, (xdrproc_t) vk_xdr_error, err) == 0)
        vk_server_client_send(rs->client, msg);
    else
        vk_message_free(msg);
}

static void
from_daemon(VkMessage *frame, gpointer opaque)
{
    VkRouteStream *rs = opaque;
    bool over;

    if (!frame) {   /* the connection ended: the relay's reference goes */
        g_mutex_lock(&rs->lock);
        over = rs->over;
        g_mutex_unlock(&rs->lock);
        if (!over)
            fail_to_client(rs);
        end_stream(rs);
        stream_unref(rs);
        return;
    }
    if (frame->header.type == VK_RPC_STREAM && frame->header.status != VK_RPC_CONTINUE) {
        /* a finish or abort confirmed, or the daemon's error: the end */
        end_stream(rs);
        vk_rpc_client_end_relay(rs->conn, rs->serial);
        send_to_client(rs, frame);
        stream_unref(rs);
        return;
    }
    frame->done = frame_left;
    frame->done_data = stream_ref(rs);
    g_mutex_lock(&rs->lock);
    rs->to_client++;
    g_mutex_unlock(&rs->lock);
    send_to_client(rs, frame);
    g_mutex_lock(&rs->lock);
    while (rs->to_client >= TO_CLIENT_MAX && !rs->over)
        g_cond_wait(&rs->left, &rs->lock);
    g_mutex_unlock(&rs->lock);
}

/* The daemon's answer to the call (its reader thread): a stream that did
 * not open is over. */
static void
on_reply(VkMessage *reply, gpointer opaque)
{
    VkRouteStream *rs = opaque;

    if (!reply || reply->header.status != VK_RPC_OK) {
        end_stream(rs);
        if (reply) {   /* else the connection's end takes the relay's reference */
            vk_rpc_client_end_relay(rs->conn, rs->serial);
            stream_unref(rs);
        }
    }
    vk_route_reply(rs->client, &rs->call, reply);
    stream_unref(rs);
}

void
vk_route_stream_forward(VkRouteUpstreams *ups, VkProcOwner owner, VkServerClient *client,
                        const VkMessage *msg)
{
    VkRouteStream *rs = g_new0(VkRouteStream, 1);

    rs->refs = 1;
    rs->client = vk_server_client_ref(client);
    rs->call = msg->header;
    rs->ups = vk_route_upstreams_ref(ups);
    rs->owner = owner;
    g_mutex_init(&rs->lock);
    g_cond_init(&rs->left);
    /* before the call goes: the client's data may follow our answer at once */
    rs->relay = vk_server_relay_new(client, &msg->header, to_daemon, stream_ref(rs),
                                    stream_unref);
    stream_ref(rs);   /* the reply's */
    stream_ref(rs);   /* the daemon's frames' */
    if (vk_route_upstreams_send_stream(ups, owner, vk_message_copy(msg), on_reply, rs,
                                       from_daemon, rs, &rs->conn, &rs->serial) < 0) {
        vk_route_answer_error(client, &msg->header);
        end_stream(rs);
        stream_unref(rs);
        stream_unref(rs);
    }
    stream_unref(rs);
}
