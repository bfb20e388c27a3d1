/* One connected client: reading frames in the main loop, writing replies in
 * order from any thread, flow control and keepalive pings. */
#include "common/rpc/server-private.h"

#include <errno.h>
#include <string.h>
#include <glib-unix.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/rpc/server-relay.h"
#include "common/rpc/server-stream.h"
#include "keepalive-protocol.h"


static gboolean on_readable(gint fd, GIOCondition cond, gpointer data);
static bool take_staged_frames(VkServerClient *client);

VkServerClient *
vk_server_client_new(VkServer *server, int fd, VkListenKind kind)
{
    VkServerClient *client = g_new0(VkServerClient, 1);
    struct ucred cred = { .pid = -1, .uid = (uid_t) -1, .gid = (gid_t) -1 };
    socklen_t len = sizeof(cred);

    client->refs = 1;
    client->server = server;
    client->fd = fd;
    client->readonly = kind == VK_LISTEN_READ_ONLY;
    client->admin = kind == VK_LISTEN_ADMIN;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
        client->uid = cred.uid;
        client->gid = cred.gid;
        client->pid = cred.pid;
    }
    g_mutex_init(&client->lock);
    g_queue_init(&client->tx);
    client->last_rx = g_get_monotonic_time();
    client->connected_at = g_get_real_time() / G_USEC_PER_SEC;
    g_mutex_lock(&server->lock);
    client->id = ++server->next_client_id;
    g_mutex_unlock(&server->lock);
    return client;
}

guint64
vk_server_client_id(VkServerClient *client)
{
    return client->id;
}

gint64
vk_server_client_connected_at(VkServerClient *client)
{
    return client->connected_at;
}

bool
vk_server_client_is_admin(VkServerClient *client)
{
    return client->admin;
}

VkServerClient *
vk_server_client_ref(VkServerClient *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}

void
vk_server_client_unref(VkServerClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;
    if (client->priv_destroy)
        client->priv_destroy(client->priv);
    g_queue_clear_full(&client->tx, (GDestroyNotify) vk_message_free);
    vk_message_free(client->rx);
    if (client->fd >= 0)
        close(client->fd);
    g_mutex_clear(&client->lock);
    g_free(client);
}

bool
vk_server_client_is_readonly(VkServerClient *client)
{
    bool readonly;

    g_mutex_lock(&client->lock);
    readonly = client->readonly;
    g_mutex_unlock(&client->lock);
    return readonly;
}

void
vk_server_client_set_readonly(VkServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->readonly = true;
    g_mutex_unlock(&client->lock);
}

int
vk_server_client_new_callback_id(VkServerClient *client)
{
    return g_atomic_int_add(&client->last_callback_id, 1) + 1;
}

void
vk_server_client_get_identity(VkServerClient *client, uid_t *uid, gid_t *gid, pid_t *pid)
{
    if (uid)
        *uid = client->uid;
    if (gid)
        *gid = client->gid;
    if (pid)
        *pid = client->pid;
}

gpointer
vk_server_client_get_private(VkServerClient *client)
{
    return client->priv;
}

void
vk_server_client_set_private(VkServerClient *client, gpointer data, GDestroyNotify destroy)
{
    g_mutex_lock(&client->lock);
    client->priv = data;
    client->priv_destroy = destroy;
    g_mutex_unlock(&client->lock);
}

static GSource *
attach_fd_source(VkServerClient *client, GIOCondition cond, GSourceFunc func)
{
    GSource *source = g_unix_fd_source_new(client->fd, cond);

    /* GLib blocks a source that cannot recurse while it is dispatched,
     * taking its fd out of the poll set and back in, and signals its own
     * wakeup each time: two writes, a read and an extra poll() for every
     * message.  Our callbacks never run the loop again, so none of that. */
    g_source_set_can_recurse(source, TRUE);
    g_source_set_callback(source, func, vk_server_client_ref(client),
                          (GDestroyNotify) vk_server_client_unref);
    g_source_attach(source, client->server->context);
    return source;
}

static void
drop_source(GSource **source)
{
    if (*source) {
        g_source_destroy(*source);
        g_source_unref(*source);
        *source = NULL;
    }
}

void
vk_server_client_start(VkServerClient *client)
{
    client->read_source = attach_fd_source(client, G_IO_IN, (GSourceFunc) (void (*)(void)) on_readable);
}

/* Write what the socket takes now.  Called with the lock held.  Returns -1
 * when the connection broke. */
static int
flush_tx_locked(VkServerClient *client)
{
    VkMessage *msg;

    while ((msg = g_queue_peek_head(&client->tx))) {
        ssize_t n = send(client->fd, msg->buf + msg->offset, msg->len - msg->offset,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            if (errno == EINTR)
                continue;
            return -1;
        }
        msg->offset += n;
        if (msg->offset == msg->len)
            vk_message_free(g_queue_pop_head(&client->tx));
    }
    return 0;
}

static gboolean
on_writable(gint fd, GIOCondition cond, gpointer data)
{
    VkServerClient *client = data;
    gboolean keep = G_SOURCE_CONTINUE;

    g_mutex_lock(&client->lock);
    if (client->closed || flush_tx_locked(client) < 0) {
        client->closed = true;
        shutdown(client->fd, SHUT_RDWR);
    }
    if (client->closed || g_queue_is_empty(&client->tx)) {
        /* The source is released here; the callback owner ref goes with it. */
        g_source_unref(client->write_source);
        client->write_source = NULL;
        keep = G_SOURCE_REMOVE;
    }
    g_mutex_unlock(&client->lock);
    return keep;
}

/* Write MSG (popped off the queue, so owned here) without the lock, so
 * that the main loop never waits for a send(): 1 when all of it left, 0
 * when the socket is full, -1 when the connection broke. */
static int
write_unlocked(VkServerClient *client, VkMessage *msg)
{
    while (msg->offset < msg->len) {
        ssize_t n = send(client->fd, msg->buf + msg->offset, msg->len - msg->offset,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        msg->offset += n;
    }
    return 1;
}

/* Fast path (lock held, no write source, nobody else writing): write what
 * is queued straight from this thread, dropping the lock around each
 * send(); others queue meanwhile and this loop takes theirs too.  The
 * main loop only gets involved when the socket is full.  -1 when the
 * connection broke. */
static int
write_queue_locked(VkServerClient *client)
{
    VkMessage *msg;
    int rc = 1;

    client->writing = true;
    while (rc == 1 && !client->closed && (msg = g_queue_pop_head(&client->tx))) {
        g_mutex_unlock(&client->lock);
        rc = write_unlocked(client, msg);
        g_mutex_lock(&client->lock);
        if (rc == 0 && !client->closed)
            g_queue_push_head(&client->tx, msg);
        else
            vk_message_free(msg);   /* sent, or never will be */
    }
    client->writing = false;
    if (rc < 0) {
        client->closed = true;
        shutdown(client->fd, SHUT_RDWR);
        return -1;
    }
    if (!client->closed && !g_queue_is_empty(&client->tx))
        client->write_source = attach_fd_source(client, G_IO_OUT,
                                                (GSourceFunc) (void (*)(void)) on_writable);
    return 0;
}

int
vk_server_client_send(VkServerClient *client, VkMessage *msg)
{
    int ret = 0;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        vk_message_free(msg);
        ret = -1;
    } else {
        g_queue_push_tail(&client->tx, msg);
        if (!client->write_source && !client->writing)
            ret = write_queue_locked(client);
    }
    g_mutex_unlock(&client->lock);
    return ret;
}

int
vk_server_client_send_event(VkServerClient *client, guint32 prog, guint32 vers, int proc,
                            xdrproc_t filter, void *data)
{
    VkRpcHeader hdr = { .prog = prog, .vers = vers, .proc = proc,
                        .type = VK_RPC_MESSAGE, .serial = 0, .status = VK_RPC_OK };
    VkMessage *msg = vk_message_new();

    if (vk_message_encode(msg, &hdr, filter, data) < 0) {
        vk_message_free(msg);
        return -1;
    }
    return vk_server_client_send(client, msg);
}

void
vk_server_client_close(VkServerClient *client)
{
    g_mutex_lock(&client->lock);
    if (!client->closed) {
        client->closed = true;
        /* The main loop sees the hang-up and tears the client down there. */
        shutdown(client->fd, SHUT_RDWR);
    }
    g_mutex_unlock(&client->lock);
}

void
vk_server_client_shutdown(VkServerClient *client)
{
    drop_source(&client->read_source);
    drop_source(&client->keepalive_timer);
    vk_server_stream_detach_all(client);
    vk_server_relay_detach_all(client);
    g_mutex_lock(&client->lock);
    client->closed = true;
    drop_source(&client->write_source);
    shutdown(client->fd, SHUT_RDWR);
    /* what is still queued will never leave: say so now (a relayed stream
     * waits for its frames to leave) rather than at the last reference */
    g_queue_clear_full(&client->tx, (GDestroyNotify) vk_message_free);
    g_mutex_unlock(&client->lock);
}

static void
send_keepalive(VkServerClient *client, int proc)
{
    vk_server_client_send_event(client, KEEPALIVE_PROGRAM, KEEPALIVE_PROTOCOL_VERSION, proc,
                                NULL, NULL);
}

static gboolean
on_keepalive_timer(gpointer data)
{
    VkServerClient *client = data;
    const VkServerConfig *config = &client->server->config;
    gint64 silent;

    g_mutex_lock(&client->lock);
    silent = g_get_monotonic_time() - client->last_rx;
    g_mutex_unlock(&client->lock);

    if (silent < (gint64) config->keepalive_interval * G_USEC_PER_SEC) {
        client->pings_unanswered = 0;
        return G_SOURCE_CONTINUE;
    }
    if (client->pings_unanswered >= config->keepalive_count) {
        g_info("client pid %d did not answer %u keepalive pings: closing",
               (int) client->pid, client->pings_unanswered);
        vk_server_client_close(client);
        return G_SOURCE_CONTINUE;
    }
    client->pings_unanswered++;
    send_keepalive(client, KEEPALIVE_PROC_PING);
    return G_SOURCE_CONTINUE;
}

static gboolean
start_keepalive_timer(gpointer data)
{
    VkServerClient *client = data;
    int interval = client->server->config.keepalive_interval;

    if (interval > 0 && !client->keepalive_timer && client->read_source) {
        client->keepalive_timer = g_timeout_source_new_seconds(interval);
        g_source_set_callback(client->keepalive_timer, on_keepalive_timer,
                              vk_server_client_ref(client),
                              (GDestroyNotify) vk_server_client_unref);
        g_source_attach(client->keepalive_timer, client->server->context);
    }
    return G_SOURCE_REMOVE;
}

void
vk_server_client_enable_keepalive(VkServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->keepalive = true;
    g_mutex_unlock(&client->lock);
    g_main_context_invoke_full(client->server->context, G_PRIORITY_DEFAULT,
                               start_keepalive_timer, vk_server_client_ref(client),
                               (GDestroyNotify) vk_server_client_unref);
}

static gboolean
resume_reading(gpointer data)
{
    VkServerClient *client = data;
    bool resume;

    g_mutex_lock(&client->lock);
    resume = client->reading_paused && !client->closed;
    if (resume)
        client->reading_paused = false;
    g_mutex_unlock(&client->lock);
    if (resume && !client->read_source) {
        vk_server_client_start(client);
        /* Frames that arrived together with the last one are already here. */
        if (!client->rx && !take_staged_frames(client))
            vk_server_client_close(client);
    }
    return G_SOURCE_REMOVE;
}

void
vk_server_client_call_done(VkServerClient *client)
{
    bool resume;

    g_mutex_lock(&client->lock);
    client->in_flight--;
    resume = client->reading_paused &&
             client->in_flight < client->server->config.max_client_requests;
    g_mutex_unlock(&client->lock);
    if (resume) {
        /* Always through the main loop's queue, never called in place: the
         * frame loop that paused reading may be further up this stack. */
        GSource *idle = g_idle_source_new();

        g_source_set_callback(idle, resume_reading, vk_server_client_ref(client),
                              (GDestroyNotify) vk_server_client_unref);
        g_source_attach(idle, client->server->context);
        g_source_unref(idle);
    }
}

/* Keepalive messages are answered right here in the main loop, so a busy
 * worker pool never makes a client think the daemon is dead. */
static bool
handle_keepalive(VkServerClient *client, VkMessage *msg)
{
    if (msg->header.prog != KEEPALIVE_PROGRAM)
        return false;
    if (msg->header.vers == KEEPALIVE_PROTOCOL_VERSION && msg->header.type == VK_RPC_MESSAGE &&
        msg->header.proc == KEEPALIVE_PROC_PING)
        send_keepalive(client, KEEPALIVE_PROC_PONG);
    /* PONG, or anything else on this program: the traffic itself is the answer. */
    return true;
}

/* A call is going to a worker: stop reading once the client has too many.
 * Calls that run on the main loop are over before the next frame is read,
 * so they never count. */
void
vk_server_client_count_call(VkServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->in_flight++;
    if (client->in_flight >= client->server->config.max_client_requests &&
        !client->reading_paused) {
        client->reading_paused = true;
        drop_source(&client->read_source);
    }
    g_mutex_unlock(&client->lock);
}

static void
message_received(VkServerClient *client, VkMessage *msg)
{
    client->pings_unanswered = 0;
    if (handle_keepalive(client, msg)) {
        vk_message_free(msg);
        return;
    }
    /* stream data is no call: it goes to its stream, not to a worker */
    if (msg->header.type == VK_RPC_STREAM || msg->header.type == VK_RPC_STREAM_HOLE) {
        vk_server_stream_receive(client, msg);
        return;
    }
    vk_server_handle_message(client->server, client, msg);
}

/* Take every complete frame out of the staging buffer; a frame that is only
 * partly there moves into its own message, which then fills straight from
 * the socket.  Returns false when the client must go. */
static bool
take_staged_frames(VkServerClient *client)
{
    gsize used = 0;

    while (client->staged - used >= VK_RPC_LEN_SIZE && client->read_source) {
        const guint8 *at = client->stage + used;
        guint32 len = vk_rpc_frame_get_length(at);
        VkMessage *msg;

        if (vk_rpc_frame_check_length(len) < 0) {
            g_info("dropping client pid %d: %s", (int) client->pid, vk_error_last_message());
            return false;
        }
        msg = vk_message_new();
        msg->len = msg->alloc = len;
        msg->buf = g_malloc(len);
        if (client->staged - used < len) {
            msg->offset = client->staged - used;
            memcpy(msg->buf, at, msg->offset);
            client->rx = msg;
            used = client->staged;
            break;
        }
        memcpy(msg->buf, at, len);
        used += len;
        vk_message_finish_header(msg);
        message_received(client, msg);
    }
    memmove(client->stage, client->stage + used, client->staged - used);
    client->staged -= used;
    return true;
}

/* Read what is there; returns false when the client must go.  Small frames
 * arrive through a staging buffer, so a call costs one recv(). */
static bool
read_available(VkServerClient *client)
{
    for (;;) {
        guint8 *dest;
        gsize want;
        ssize_t n;

        if (client->rx) {
            dest = client->rx->buf + client->rx->offset;
            want = client->rx->len - client->rx->offset;
        } else {
            dest = client->stage + client->staged;
            want = sizeof(client->stage) - client->staged;
        }
        n = recv(client->fd, dest, want, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        if (n == 0)
            return false;
        g_mutex_lock(&client->lock);
        client->last_rx = g_get_monotonic_time();
        g_mutex_unlock(&client->lock);

        if (client->rx) {
            client->rx->offset += n;
            if (client->rx->offset == client->rx->len) {
                VkMessage *msg = g_steal_pointer(&client->rx);
                vk_message_finish_header(msg);
                message_received(client, msg);
            }
        } else {
            client->staged += n;
            if (!take_staged_frames(client))
                return false;
        }
        /* A short read means the socket is drained: back to poll() without
         * another recv() that would only say EAGAIN. */
        if ((gsize) n < want || !client->read_source)
            return true;
    }
}

static gboolean
on_readable(gint fd, GIOCondition cond, gpointer data)
{
    VkServerClient *client = data;
    bool closed;

    g_mutex_lock(&client->lock);
    closed = client->closed;
    g_mutex_unlock(&client->lock);

    if (closed || (cond & (G_IO_ERR | G_IO_NVAL)) || !read_available(client)) {
        /* The read source owns a reference: keep one while tearing down. */
        vk_server_client_ref(client);
        vk_server_client_shutdown(client);
        vk_server_remove_client(client->server, client);
        vk_server_client_unref(client);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}
