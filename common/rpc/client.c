#include "common/rpc/client.h"
#include "common/rpc/client-private.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "keepalive-protocol.h"


int
vk_rpc_client_write_locked(VkRpcClient *client, const VkMessage *msg)
{
    gsize off = 0;
    int rc = 0;

    g_mutex_lock(&client->write_lock);
    while (off < msg->len) {
        ssize_t n = send(client->fd, msg->buf + off, msg->len - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            vk_error_report_errno(VIR_FROM_RPC, errno, "cannot send data");
            rc = -1;
            break;
        }
        off += n;
    }
    g_mutex_unlock(&client->write_lock);
    return rc;
}

/* LEN bytes from the connection: what the read buffer holds first, then
 * the socket (a large rest straight into BUF), so that a small message
 * costs one recv(). */
static bool
read_exact(VkRpcClient *client, guint8 *buf, gsize len)
{
    while (len > 0) {
        gsize have = client->rx_end - client->rx_start;
        ssize_t n;

        if (have > 0) {
            gsize take = MIN(have, len);
            memcpy(buf, client->rx_buf + client->rx_start, take);
            client->rx_start += take;
            buf += take;
            len -= take;
            continue;
        }
        if (len >= sizeof(client->rx_buf))
            n = recv(client->fd, buf, len, 0);
        else
            n = recv(client->fd, client->rx_buf, sizeof(client->rx_buf), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        if (len >= sizeof(client->rx_buf)) {
            buf += n;
            len -= n;
        } else {
            client->rx_start = 0;
            client->rx_end = n;
        }
    }
    return true;
}

/* One message, its buffer allocated once at its announced length. */
static VkMessage *
read_message(VkRpcClient *client)
{
    g_autoptr(VkMessage) msg = NULL;
    guint8 len[VK_RPC_LEN_SIZE];

    if (!read_exact(client, len, sizeof(len)) ||
        vk_rpc_frame_check_length(vk_rpc_frame_get_length(len)) < 0)
        return NULL;
    msg = vk_message_new();
    msg->len = msg->alloc = vk_rpc_frame_get_length(len);
    msg->buf = g_malloc(msg->len);
    memcpy(msg->buf, len, sizeof(len));
    if (!read_exact(client, msg->buf + VK_RPC_LEN_SIZE, msg->len - VK_RPC_LEN_SIZE))
        return NULL;
    vk_message_finish_header(msg);
    return g_steal_pointer(&msg);
}

static void
send_keepalive_locked(VkRpcClient *client, int proc)
{
    VkRpcHeader hdr = { .prog = KEEPALIVE_PROGRAM, .vers = KEEPALIVE_PROTOCOL_VERSION,
                        .proc = proc, .type = VK_RPC_MESSAGE };
    g_autoptr(VkMessage) msg = vk_message_new();

    if (vk_message_encode(msg, &hdr, NULL, NULL) == 0)
        vk_rpc_client_write_locked(client, msg);
}

static void
answer_ping(VkRpcClient *client)
{
    g_mutex_lock(&client->lock);
    send_keepalive_locked(client, KEEPALIVE_PROC_PONG);
    g_mutex_unlock(&client->lock);
}

/* A reply: wake the caller waiting for it, or hand it to its callback. */
static void
deliver_reply(VkRpcClient *client, VkMessage *msg)
{
    VkPendingCall *call;

    g_mutex_lock(&client->lock);
    call = g_hash_table_lookup(client->pending, GUINT_TO_POINTER(msg->header.serial));
    if (call && call->func) {
        g_hash_table_remove(client->pending, GUINT_TO_POINTER(call->serial));
        g_mutex_unlock(&client->lock);
        call->func(msg, call->opaque);
        g_free(call);
        return;
    }
    if (call && !call->done) {
        call->reply = msg;
        call->done = true;
        g_cond_broadcast(&client->replied);
        msg = NULL;
    }
    g_mutex_unlock(&client->lock);
    vk_message_free(msg);
}

/* Nothing more will come: wake the waiting callers and tell the callbacks
 * of the calls that will never get their reply. */
static void
end_of_connection(VkRpcClient *client)
{
    g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock(&client->lock);
    client->eof = true;
    g_hash_table_iter_init(&iter, client->pending);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        if (((VkPendingCall *) value)->func) {
            g_ptr_array_add(orphans, value);
            g_hash_table_iter_remove(&iter);
        }
    }
    g_cond_broadcast(&client->replied);
    g_mutex_unlock(&client->lock);
    for (guint i = 0; i < orphans->len; i++) {
        VkPendingCall *call = g_ptr_array_index(orphans, i);
        call->func(NULL, call->opaque);
    }
    vk_rpc_relays_end_all(client);
}

static gpointer
reader_main(gpointer data)
{
    VkRpcClient *client = data;
    VkMessage *msg;

    while ((msg = read_message(client))) {
        g_mutex_lock(&client->lock);
        client->last_rx = g_get_monotonic_time();
        g_mutex_unlock(&client->lock);
        if (msg->header.prog == KEEPALIVE_PROGRAM) {
            if (msg->header.proc == KEEPALIVE_PROC_PING)
                answer_ping(client);
            vk_message_free(msg);
        } else if (msg->header.type == VK_RPC_REPLY) {
            deliver_reply(client, msg);
        } else if (msg->header.type == VK_RPC_STREAM ||
                   msg->header.type == VK_RPC_STREAM_HOLE) {
            vk_rpc_stream_deliver(client, msg);
        } else {
            if (client->event_func && msg->header.type == VK_RPC_MESSAGE)
                client->event_func(client, msg, client->event_opaque);
            vk_message_free(msg);
        }
    }
    vk_error_reset();
    end_of_connection(client);
    if (client->event_func)
        client->event_func(client, NULL, client->event_opaque);
    return NULL;
}

VkRpcClient *
vk_rpc_client_connect_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    VkRpcClient *client;
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                        "UNIX socket path '%s' too long", path);
        return NULL;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0) {
        vk_error_report_errno(VIR_FROM_RPC, errno, "Failed to connect socket to '%s'", path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    client = g_new0(VkRpcClient, 1);
    client->fd = fd;
    client->next_serial = 1;
    g_mutex_init(&client->lock);
    g_mutex_init(&client->write_lock);
    g_cond_init(&client->replied);
    client->pending = g_hash_table_new(NULL, NULL);
    client->streams = g_hash_table_new(NULL, NULL);
    client->relays = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    client->reader = g_thread_new("vk-rpc-reader", reader_main, client);
    return client;
}

void
vk_rpc_client_free(VkRpcClient *client)
{
    if (!client)
        return;
    shutdown(client->fd, SHUT_RDWR);
    g_thread_join(client->reader);
    close(client->fd);
    g_hash_table_destroy(client->pending);
    g_hash_table_destroy(client->streams);
    g_hash_table_destroy(client->relays);
    g_cond_clear(&client->replied);
    g_mutex_clear(&client->write_lock);
    g_mutex_clear(&client->lock);
    g_free(client);
}

void
vk_rpc_client_set_keepalive(VkRpcClient *client, int interval, guint count)
{
    g_mutex_lock(&client->lock);
    client->keepalive_interval = interval;
    client->keepalive_count = count;
    client->last_rx = g_get_monotonic_time();
    g_mutex_unlock(&client->lock);
}

void
vk_rpc_client_wait_locked(VkRpcClient *client)
{
    gint64 now, silent, interval;

    if (client->keepalive_interval <= 0) {
        g_cond_wait(&client->replied, &client->lock);
        return;
    }
    interval = (gint64) client->keepalive_interval * G_USEC_PER_SEC;
    if (g_cond_wait_until(&client->replied, &client->lock, g_get_monotonic_time() + interval))
        return;
    now = g_get_monotonic_time();
    silent = now - client->last_rx;
    if (silent >= interval * (gint64) (client->keepalive_count + 1)) {
        client->keepalive_dead = true;
        shutdown(client->fd, SHUT_RDWR);   /* the reader sees EOF and wakes us */
    } else if (silent >= interval) {
        send_keepalive_locked(client, KEEPALIVE_PROC_PING);
    }
}

/* Wait for CALL's reply (lock held). */
static void
wait_reply_locked(VkRpcClient *client, VkPendingCall *call)
{
    while (!call->done && !client->eof)
        vk_rpc_client_wait_locked(client);
}

void
vk_rpc_client_set_event_func(VkRpcClient *client, VkRpcEventFunc func, gpointer opaque)
{
    g_mutex_lock(&client->lock);
    client->event_func = func;
    client->event_opaque = opaque;
    g_mutex_unlock(&client->lock);
}

bool
vk_rpc_client_is_open(VkRpcClient *client)
{
    bool open;

    g_mutex_lock(&client->lock);
    open = !client->eof;
    g_mutex_unlock(&client->lock);
    return open;
}

static void
report_closed(void)
{
    vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "client socket is closed");
}

/* Note CALL as pending under a new serial (lock held): NULL when the
 * connection has ended. */
static VkPendingCall *
add_pending_locked(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func, gpointer opaque)
{
    VkPendingCall *pending;

    if (client->eof) {
        report_closed();
        return NULL;
    }
    pending = g_new0(VkPendingCall, 1);
    pending->func = func;
    pending->opaque = opaque;
    call->header.serial = pending->serial = client->next_serial++;
    vk_rpc_header_encode(call->buf + VK_RPC_LEN_SIZE, &call->header);
    g_hash_table_insert(client->pending, GUINT_TO_POINTER(pending->serial), pending);
    return pending;
}

int
vk_rpc_client_send_call_locked(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                               gpointer opaque)
{
    VkPendingCall *pending = add_pending_locked(client, call, func, opaque);

    if (!pending)
        return -1;
    if (vk_rpc_client_write_locked(client, call) < 0) {
        g_hash_table_remove(client->pending, GUINT_TO_POINTER(pending->serial));
        g_free(pending);
        return -1;
    }
    return 0;
}

/* The write happens outside the lock: the reader thread, woken by a quick
 * reply, never waits for this thread to come back from send(). */
int
vk_rpc_client_send_call(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                        gpointer opaque)
{
    VkPendingCall *pending;
    guint32 serial;

    g_mutex_lock(&client->lock);
    pending = add_pending_locked(client, call, func, opaque);
    g_mutex_unlock(&client->lock);
    if (!pending)
        return -1;
    serial = pending->serial;
    if (vk_rpc_client_write_locked(client, call) == 0)
        return 0;
    /* unless the end of the connection has told FUNC already */
    g_mutex_lock(&client->lock);
    pending = g_hash_table_lookup(client->pending, GUINT_TO_POINTER(serial));
    if (pending) {
        g_hash_table_remove(client->pending, GUINT_TO_POINTER(serial));
        g_free(pending);
    }
    g_mutex_unlock(&client->lock);
    if (!pending)
        vk_error_reset();
    return pending ? -1 : 0;
}

/* Turn a reply into the caller's result or the daemon's error. */
static int
take_reply(VkMessage *reply, xdrproc_t ret_filter, void *ret)
{
    if (reply->header.status == VK_RPC_OK) {
        if (!ret_filter)
            return 0;
        return vk_message_decode_payload(reply, ret_filter, ret);
    }
    VkError *err = g_new0(VkError, 1);
    if (vk_message_decode_payload(reply, (xdrproc_t) vk_xdr_error, err) < 0) {
        g_free(err);
        return -1;
    }
    vk_error_set(err);
    return -1;
}

int
vk_rpc_client_call(VkRpcClient *client, guint32 prog, guint32 vers, int proc,
                   xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    return vk_rpc_client_call_stream(client, prog, vers, proc, args_filter, args, ret_filter,
                                     ret, NULL);
}

void
vk_rpc_client_report_lost_locked(VkRpcClient *client)
{
    if (client->keepalive_dead)
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s",
                        "connection closed due to keepalive timeout");
    else
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s",
                        "End of file while reading data: Input/output error");
}

int
vk_rpc_client_call_stream(VkRpcClient *client, guint32 prog, guint32 vers, int proc,
                          xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret,
                          VkRpcStream *stream)
{
    VkRpcHeader hdr = { .prog = prog, .vers = vers, .proc = proc,
                        .type = VK_RPC_CALL, .status = VK_RPC_OK };
    g_autoptr(VkMessage) msg = vk_message_new();
    VkPendingCall call = { 0 };
    int rc = -1;

    g_mutex_lock(&client->lock);
    hdr.serial = call.serial = client->next_serial++;
    g_mutex_unlock(&client->lock);
    if (vk_message_encode(msg, &hdr, args_filter, args) < 0)
        return -1;

    g_mutex_lock(&client->lock);
    if (client->eof) {
        report_closed();
        goto out;
    }
    g_hash_table_insert(client->pending, GUINT_TO_POINTER(call.serial), &call);
    /* the data may follow the reply at once: the stream takes it from the
     * start */
    if (stream)
        vk_rpc_stream_attach_locked(stream, &hdr);
    if (vk_rpc_client_write_locked(client, msg) < 0)
        goto remove;
    wait_reply_locked(client, &call);
    if (!call.done) {
        vk_rpc_client_report_lost_locked(client);
        goto remove;
    }
    rc = 0;
remove:
    g_hash_table_remove(client->pending, GUINT_TO_POINTER(call.serial));
out:
    g_mutex_unlock(&client->lock);
    if (rc == 0) {
        rc = take_reply(call.reply, ret_filter, ret);
        vk_message_free(call.reply);
    }
    if (rc < 0 && stream)
        vk_rpc_stream_detach(stream);
    return rc;
}
