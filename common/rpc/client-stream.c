/* The client's end of streams: see client-stream.h for the wire.  The
 * reader thread queues the server's frames on the stream of their serial;
 * the stream's user takes them under the client's lock. */
#include "common/rpc/client-stream.h"
#include "common/rpc/client-private.h"

#include <string.h>

#define FRAME_PREFIX (VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE)

struct _VkRpcStream {
    VkRpcClient *client;
    VkRpcHeader call;       /* program, version, procedure and serial */
    GQueue frames;          /* VkMessage*, from the server, not yet taken */
    gsize offset;           /* bytes of the first data frame already taken */
    gint64 hole_left;       /* bytes of a hole being read as zeros */
    bool open;              /* in client->streams */
    bool eof;               /* the server's data ended */
    VkError *error;         /* the server gave up with this */
};

VkRpcStream *
vk_rpc_stream_new(VkRpcClient *client)
{
    VkRpcStream *stream = g_new0(VkRpcStream, 1);

    stream->client = client;
    g_queue_init(&stream->frames);
    return stream;
}

void
vk_rpc_stream_attach_locked(VkRpcStream *stream, const VkRpcHeader *hdr)
{
    stream->call = *hdr;
    stream->open = true;
    g_hash_table_insert(stream->client->streams, GUINT_TO_POINTER(hdr->serial), stream);
}

void
vk_rpc_stream_detach(VkRpcStream *stream)
{
    VkRpcClient *client = stream->client;

    g_mutex_lock(&client->lock);
    if (stream->open)
        g_hash_table_remove(client->streams, GUINT_TO_POINTER(stream->call.serial));
    stream->open = false;
    g_queue_clear_full(&stream->frames, (GDestroyNotify) vk_message_free);
    g_mutex_unlock(&client->lock);
}

void
vk_rpc_stream_free(VkRpcStream *stream)
{
    if (!stream)
        return;
    if (stream->open)
        vk_rpc_stream_abort(stream);
    vk_rpc_stream_detach(stream);
    vk_error_free(stream->error);
    g_free(stream);
}

bool
vk_rpc_stream_is_open(VkRpcStream *stream)
{
    return stream->open;
}

typedef struct {
    VkRpcRelayFunc func;
    gpointer opaque;
} VkRpcRelay;

int
vk_rpc_client_send_relayed_call(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                                gpointer opaque, VkRpcRelayFunc frames, gpointer frames_opaque,
                                guint32 *serial)
{
    VkRpcRelay *relay = g_new0(VkRpcRelay, 1);
    int rc;

    relay->func = frames;
    relay->opaque = frames_opaque;
    g_mutex_lock(&client->lock);
    /* registered first: the server's data may follow its reply at once */
    *serial = client->next_serial;
    g_hash_table_insert(client->relays, GUINT_TO_POINTER(*serial), relay);
    rc = vk_rpc_client_send_call_locked(client, call, func, opaque);
    if (rc < 0)
        g_hash_table_remove(client->relays, GUINT_TO_POINTER(*serial));
    g_mutex_unlock(&client->lock);
    return rc;
}

int
vk_rpc_client_send_relayed_frame(VkRpcClient *client, guint32 serial, VkMessage *frame)
{
    int rc = -1;

    g_mutex_lock(&client->lock);
    if (client->eof || !g_hash_table_contains(client->relays, GUINT_TO_POINTER(serial))) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream is closed");
    } else {
        frame->header.serial = serial;
        vk_rpc_header_encode(frame->buf + VK_RPC_LEN_SIZE, &frame->header);
        rc = vk_rpc_client_write_locked(client, frame);
    }
    g_mutex_unlock(&client->lock);
    return rc;
}

void
vk_rpc_client_end_relay(VkRpcClient *client, guint32 serial)
{
    g_mutex_lock(&client->lock);
    g_hash_table_remove(client->relays, GUINT_TO_POINTER(serial));
    g_mutex_unlock(&client->lock);
}

void
vk_rpc_relays_end_all(VkRpcClient *client)
{
    g_autoptr(GList) relays = NULL;

    g_mutex_lock(&client->lock);
    relays = g_hash_table_get_values(client->relays);
    g_hash_table_steal_all(client->relays);
    g_mutex_unlock(&client->lock);
    for (GList *l = relays; l; l = l->next) {
        VkRpcRelay *relay = l->data;
        relay->func(NULL, relay->opaque);
        g_free(relay);
    }
}

void
vk_rpc_stream_deliver(VkRpcClient *client, VkMessage *msg)
{
    VkRpcStream *stream;
    VkRpcRelay *relay;

    g_mutex_lock(&client->lock);
    relay = g_hash_table_lookup(client->relays, GUINT_TO_POINTER(msg->header.serial));
    if (relay) {
        /* only this thread ends a relay: it stays while FUNC runs */
        g_mutex_unlock(&client->lock);
        relay->func(msg, relay->opaque);
        return;
    }
    stream = g_hash_table_lookup(client->streams, GUINT_TO_POINTER(msg->header.serial));
    if (stream && stream->call.proc == msg->header.proc) {
        g_queue_push_tail(&stream->frames, msg);
        msg = NULL;
        g_cond_broadcast(&client->replied);
    }
    g_mutex_unlock(&client->lock);
    vk_message_free(msg);
}

static const guint8 *
payload(const VkMessage *msg, gsize *len)
{
    *len = msg->len - FRAME_PREFIX;
    return msg->buf + FRAME_PREFIX;
}

/* The error an ERROR frame carries becomes the stream's, and the thread's
 * last error. */
static void
take_error(VkRpcStream *stream, const VkMessage *msg)
{
    VkError *err = g_new0(VkError, 1);

    if (vk_message_decode_payload(msg, (xdrproc_t) vk_xdr_error, err) < 0) {
        g_free(err);
        err = vk_error_copy(vk_error_last());
    }
    vk_error_free(stream->error);
    stream->error = err;
}

static int
report_stream_error(VkRpcStream *stream)
{
    vk_error_set(vk_error_copy(stream->error));
    return -1;
}

/* The first frame from the server, waiting for one (lock held): NULL with
 * the error when the connection ended. */
static VkMessage *
peek_frame_locked(VkRpcStream *stream)
{
    VkRpcClient *client = stream->client;

    while (g_queue_is_empty(&stream->frames) && !client->eof)
        vk_rpc_client_wait_locked(client);
    if (g_queue_is_empty(&stream->frames)) {
        vk_rpc_client_report_lost_locked(client);
        return NULL;
    }
    return g_queue_peek_head(&stream->frames);
}

static void
drop_frame_locked(VkRpcStream *stream)
{
    vk_message_free(g_queue_pop_head(&stream->frames));
    stream->offset = 0;
}

/* Send one frame of TYPE and STATUS with LEN bytes of DATA. */
static int
send_frame(VkRpcStream *stream, VkRpcType type, VkRpcStatus status, const void *data,
           gsize len)
{
    VkRpcHeader hdr = stream->call;
    g_autoptr(VkMessage) msg = vk_message_new();
    VkRpcClient *client = stream->client;
    int rc;

    hdr.type = type;
    hdr.status = status;
    if (vk_message_encode_raw(msg, &hdr, data, len) < 0)
        return -1;
    g_mutex_lock(&client->lock);
    rc = vk_rpc_client_write_locked(client, msg);
    g_mutex_unlock(&client->lock);
    return rc;
}

/* Before sending: false with the error when the stream cannot take more
 * (not open, or the server sent its error meanwhile). */
static bool
check_sendable(VkRpcStream *stream)
{
    VkRpcClient *client = stream->client;
    VkMessage *head;

    if (!stream->error && !stream->open) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream is not open");
        return false;
    }
    g_mutex_lock(&client->lock);
    head = g_queue_peek_tail(&stream->frames);
    if (!stream->error && head && head->header.status == VK_RPC_ERROR)
        take_error(stream, head);
    g_mutex_unlock(&client->lock);
    if (stream->error) {
        report_stream_error(stream);
        return false;
    }
    return true;
}

int
vk_rpc_stream_send(VkRpcStream *stream, const void *data, gsize len)
{
    const guint8 *p = data;

    if (!check_sendable(stream))
        return -1;
    while (len > 0) {
        gsize n = MIN(len, (gsize) VK_NET_MESSAGE_LEGACY_PAYLOAD_MAX);

        if (send_frame(stream, VK_RPC_STREAM, VK_RPC_CONTINUE, p, n) < 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

int
vk_rpc_stream_send_hole(VkRpcStream *stream, gint64 length)
{
    VkNetStreamHole hole = { .length = length };
    VkRpcHeader hdr = stream->call;
    g_autoptr(VkMessage) msg = vk_message_new();
    int rc;

    if (!check_sendable(stream))
        return -1;
    hdr.type = VK_RPC_STREAM_HOLE;
    hdr.status = VK_RPC_CONTINUE;
    if (vk_message_encode(msg, &hdr, (xdrproc_t) xdr_VkNetStreamHole, &hole) < 0)
        return -1;
    g_mutex_lock(&stream->client->lock);
    rc = vk_rpc_client_write_locked(stream->client, msg);
    g_mutex_unlock(&stream->client->lock);
    return rc;
}

/* Take the hole frame first in line (lock held): its length. */
static gint64
take_hole_locked(VkRpcStream *stream, VkMessage *msg)
{
    VkNetStreamHole hole = { 0 };

    if (vk_message_decode_payload(msg, (xdrproc_t) xdr_VkNetStreamHole, &hole) < 0)
        hole.length = 0;
    drop_frame_locked(stream);
    return hole.length;
}

/* Receive from the first frame (lock held); see vk_rpc_stream_recv. */
static gssize
recv_locked(VkRpcStream *stream, guint8 *buf, gsize len, bool stop_at_hole)
{
    for (;;) {
        const guint8 *data;
        gsize avail;
        VkMessage *msg;

        if (stream->hole_left > 0) {
            gsize n = MIN(len, (guint64) stream->hole_left);

            memset(buf, 0, n);
            stream->hole_left -= n;
            return n;
        }
        if (stream->eof)
            return 0;
        if (!(msg = peek_frame_locked(stream)))
            return -1;
        if (msg->header.type == VK_RPC_STREAM_HOLE) {
            if (stop_at_hole)
                return -3;
            stream->hole_left = take_hole_locked(stream, msg);
            continue;
        }
        if (msg->header.status == VK_RPC_ERROR) {
            take_error(stream, msg);
            drop_frame_locked(stream);
            return report_stream_error(stream);
        }
        data = payload(msg, &avail);
        if (msg->header.status != VK_RPC_CONTINUE || avail == 0) {
            stream->eof = true;
            drop_frame_locked(stream);
            return 0;
        }
        avail -= stream->offset;
        avail = MIN(avail, len);
        memcpy(buf, data + stream->offset, avail);
        stream->offset += avail;
        if (stream->offset == msg->len - FRAME_PREFIX)
            drop_frame_locked(stream);
        return avail;
    }
}

gssize
vk_rpc_stream_recv(VkRpcStream *stream, void *buf, gsize len, bool stop_at_hole)
{
    gssize n;

    if (stream->error)
        return report_stream_error(stream);
    if (len == 0)
        return 0;
    g_mutex_lock(&stream->client->lock);
    n = recv_locked(stream, buf, len, stop_at_hole);
    g_mutex_unlock(&stream->client->lock);
    return n;
}

int
vk_rpc_stream_recv_hole(VkRpcStream *stream, gint64 *length)
{
    VkMessage *msg;
    int rc = 0;

    g_mutex_lock(&stream->client->lock);
    *length = stream->hole_left;
    stream->hole_left = 0;
    if (*length == 0 && !stream->eof) {
        if (!(msg = peek_frame_locked(stream)))
            rc = -1;
        else if (msg->header.type == VK_RPC_STREAM_HOLE)
            *length = take_hole_locked(stream, msg);
    }
    g_mutex_unlock(&stream->client->lock);
    return rc;
}

int
vk_rpc_stream_finish(VkRpcStream *stream)
{
    VkMessage *msg;
    int rc = -1;

    if (!check_sendable(stream))
        return -1;
    if (send_frame(stream, VK_RPC_STREAM, VK_RPC_OK, NULL, 0) < 0)
        return -1;
    g_mutex_lock(&stream->client->lock);
    /* data the caller did not read is dropped; the answer is OK or ERROR */
    while ((msg = peek_frame_locked(stream))) {
        if (msg->header.type == VK_RPC_STREAM && msg->header.status == VK_RPC_OK) {
            rc = 0;
            break;
        }
        if (msg->header.status == VK_RPC_ERROR) {
            take_error(stream, msg);
            vk_error_set(vk_error_copy(stream->error));
            break;
        }
        drop_frame_locked(stream);
    }
    g_mutex_unlock(&stream->client->lock);
    vk_rpc_stream_detach(stream);
    return rc;
}

int
vk_rpc_stream_abort(VkRpcStream *stream)
{
    /* Not waiting for the server's answer (libvirtd answers an abort with
     * an error of its own): a frame of a closed stream is dropped. */
    if (stream->open && !stream->error)
        send_frame(stream, VK_RPC_STREAM, VK_RPC_ERROR, NULL, 0);
    vk_rpc_stream_detach(stream);
    return 0;
}
