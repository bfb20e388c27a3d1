/* Streams between a client and a file descriptor: see server-stream.h for
 * the wire.  Everything but the reference count, vk_server_stream_open()
 * and vk_server_stream_close() runs in the server's main loop. */
#include "common/rpc/server-stream-private.h"
#include "common/rpc/server-private.h"
#include "common/rpc/server-relay.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

/* One STREAM frame's worth of data from the fd (libvirt sends at most its
 * legacy payload limit, 256 KiB; a console never fills even this). */
#define READ_CHUNK 65536
/* Client data the fd has not taken yet: beyond this the stream fails. */
#define PENDING_MAX (1024 * 1024)

static void watch_input(VkServerStream *stream);

VkServerStream *
vk_server_stream_ref(VkServerStream *stream)
{
    g_atomic_int_inc(&stream->refs);
    return stream;
}

void
vk_server_stream_unref(VkServerStream *stream)
{
    if (!stream || !g_atomic_int_dec_and_test(&stream->refs))
        return;
    if (stream->fd >= 0)
        close(stream->fd);
    vk_server_file_stream_free(stream->file);
    g_byte_array_unref(stream->pending);
    g_main_context_unref(stream->context);
    g_free(stream);
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

/* The outcome, once, unless an upload's last writes still decide it. */
static void
report_end(VkServerStream *stream)
{
    void (*fn)(bool, gpointer) = stream->on_finish;

    if (!fn || stream->ending)
        return;
    stream->on_finish = NULL;
    fn(stream->ok, stream->on_finish_data);
}

/* Let go of the fd (once), and tell whoever asked. */
static void
release(VkServerStream *stream)
{
    drop_source(&stream->in_source);
    drop_source(&stream->out_source);
    if (stream->file)
        vk_server_file_stream_stop(stream);
    if (stream->fd >= 0) {
        close(stream->fd);
        stream->fd = -1;
        if (stream->on_release)
            stream->on_release(stream->on_release_data);
    }
    report_end(stream);
}

/* Released and out of the client's list: frames for it are dropped now. */
void
vk_server_stream_forget(VkServerStream *stream)
{
    release(stream);
    if (stream->listed && stream->client) {
        stream->listed = false;
        g_ptr_array_remove_fast(stream->client->streams, stream);
        vk_server_stream_unref(stream);   /* the list's */
    }
}

/* The client's finish (OK) or abort is confirmed: the stream is over first,
 * so the driver hears of it and frees its object, and only then does the
 * client get its empty STREAM / OK; a call it sends right after never finds
 * the object still busy. */
void
vk_server_stream_confirm(VkServerStream *stream, bool ok)
{
    stream->ok = ok;
    release(stream);
    vk_server_stream_send_empty(stream, VK_RPC_OK);
    vk_server_stream_forget(stream);
}

VkRpcHeader
vk_server_stream_header(const VkServerStream *stream, VkRpcType type, int status)
{
    VkRpcHeader hdr = stream->call;

    hdr.type = type;
    hdr.status = status;
    return hdr;
}

static void
send_frame(VkServerStream *stream, VkMessage *msg)
{
    if (stream->client)
        vk_server_client_send(stream->client, msg);
    else
        vk_message_free(msg);
}

void
vk_server_stream_send_empty(VkServerStream *stream, int status)
{
    VkRpcHeader hdr = vk_server_stream_header(stream, VK_RPC_STREAM, status);
    VkMessage *msg = vk_message_new();

    vk_message_encode_raw(msg, &hdr, NULL, 0);
    send_frame(stream, msg);
}

/* The stream failed on our side: the client gets the error (taken from
 * this thread's last error) and the stream is gone. */
void
vk_server_stream_fail(VkServerStream *stream)
{
    g_autoptr(VkError) err = vk_error_steal();
    VkRpcHeader hdr = vk_server_stream_header(stream, VK_RPC_STREAM, VK_RPC_ERROR);
    VkMessage *msg = vk_message_new();

    g_info("stream for procedure %d serial %u failed: %s", stream->call.proc,
           stream->call.serial, err && err->message ? err->message : "?");
    if (err && vk_message_encode(msg, &hdr, (xdrproc_t) vk_xdr_error, err) == 0)
        send_frame(stream, msg);
    else
        vk_message_free(msg);
    vk_server_stream_forget(stream);
}

/* ---- from the fd to the client ---- */

static gboolean
resume_input(gpointer data)
{
    VkServerStream *stream = data;

    stream->in_flight--;
    if (stream->fd >= 0 && !stream->eof_sent)
        watch_input(stream);
    return G_SOURCE_REMOVE;
}

/* A data frame left (any thread, maybe under the client's lock): the next
 * read may go ahead, in the main loop. */
static void
data_frame_done(gpointer data, bool sent)
{
    VkServerStream *stream = data;

    g_main_context_invoke_full(stream->context, G_PRIORITY_DEFAULT, resume_input, stream,
                               (GDestroyNotify) vk_server_stream_unref);
}

void
vk_server_stream_send_paced(VkServerStream *stream, VkMessage *msg)
{
    msg->done = data_frame_done;
    msg->done_data = vk_server_stream_ref(stream);
    stream->in_flight++;
    send_frame(stream, msg);
}

static void
send_data(VkServerStream *stream, const void *data, gsize len)
{
    VkRpcHeader hdr = vk_server_stream_header(stream, VK_RPC_STREAM, VK_RPC_CONTINUE);
    VkMessage *msg = vk_message_new();

    vk_message_encode_raw(msg, &hdr, data, len);
    vk_server_stream_send_paced(stream, msg);
}

static gboolean
on_fd_readable(gint fd, GIOCondition cond, gpointer data)
{
    VkServerStream *stream = data;
    g_autofree char *buf = g_malloc(READ_CHUNK);
    ssize_t n = read(fd, buf, READ_CHUNK);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;
    g_source_unref(stream->in_source);
    stream->in_source = NULL;
    if (n > 0) {
        send_data(stream, buf, n);   /* input resumes once it is written */
    } else if (n == 0 || errno == EIO) {
        /* end of file; a pty whose other side closed says EIO */
        stream->eof_sent = true;
        vk_server_stream_send_empty(stream, VK_RPC_CONTINUE);
        release(stream);
    } else {
        vk_error_report_errno(VIR_FROM_STREAMS, errno, "%s", "cannot read stream data");
        vk_server_stream_fail(stream);
    }
    return G_SOURCE_REMOVE;
}

static void
watch_input(VkServerStream *stream)
{
    if (stream->file) {
        vk_server_file_stream_resume(stream);   /* a file is always readable */
        return;
    }
    if (stream->in_source || stream->in_flight > 0)
        return;
    stream->in_source = g_unix_fd_source_new(stream->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(stream->in_source, (GSourceFunc) (void (*)(void)) on_fd_readable,
                          stream, NULL);
    g_source_attach(stream->in_source, stream->context);
}

/* ---- from the client to the fd ---- */

static void watch_output(VkServerStream *stream);

/* Write what the fd takes now; 0, or -1 with an error. */
static int
flush_pending(VkServerStream *stream)
{
    while (stream->pending->len > 0) {
        ssize_t n = write(stream->fd, stream->pending->data, stream->pending->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            watch_output(stream);
            return 0;
        }
        if (n < 0) {
            vk_error_report_errno(VIR_FROM_STREAMS, errno, "%s", "cannot write stream data");
            return -1;
        }
        g_byte_array_remove_range(stream->pending, 0, n);
    }
    return 0;
}

static gboolean
on_fd_writable(gint fd, GIOCondition cond, gpointer data)
{
    VkServerStream *stream = data;

    g_source_unref(stream->out_source);
    stream->out_source = NULL;
    if (flush_pending(stream) < 0)
        vk_server_stream_fail(stream);
    return G_SOURCE_REMOVE;
}

static void
watch_output(VkServerStream *stream)
{
    if (stream->out_source)
        return;
    stream->out_source = g_unix_fd_source_new(stream->fd, G_IO_OUT | G_IO_ERR);
    g_source_set_callback(stream->out_source, (GSourceFunc) (void (*)(void)) on_fd_writable,
                          stream, NULL);
    g_source_attach(stream->out_source, stream->context);
}

static void
take_client_data(VkServerStream *stream, VkMessage *msg)
{
    gsize offset = VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE;

    if (stream->fd < 0)
        return;   /* ended on our side: the client hears it soon */
    if (stream->file) {
        vk_server_file_stream_write(stream, msg);   /* may take msg's buffer */
        return;
    }
    if (stream->pending->len + (msg->len - offset) > PENDING_MAX) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_OPERATION_FAILED, "%s",
                        "stream data arrives faster than it can be written");
        vk_server_stream_fail(stream);
        return;
    }
    g_byte_array_append(stream->pending, msg->buf + offset, msg->len - offset);
    if (!stream->out_source && flush_pending(stream) < 0)
        vk_server_stream_fail(stream);
}

void
vk_server_stream_receive(VkServerClient *client, VkMessage *msg)
{
    VkServerStream *stream = NULL;

    if (vk_server_relay_take(client, msg))
        return;
    for (guint i = 0; client->streams && i < client->streams->len && !stream; i++) {
        VkServerStream *s = g_ptr_array_index(client->streams, i);
        if (s->call.prog == msg->header.prog && s->call.vers == msg->header.vers &&
            s->call.proc == msg->header.proc && s->call.serial == msg->header.serial)
            stream = s;
    }
    /* data may still come after a stream ended: libvirt drops it too */
    if (!stream || stream->ending) {
        g_debug("dropping stream frame for procedure %d serial %u: no such stream",
                msg->header.proc, msg->header.serial);
    } else if (msg->header.type == VK_RPC_STREAM_HOLE) {
        vk_server_file_stream_hole(stream, msg);
    } else if (msg->header.status == VK_RPC_CONTINUE) {
        take_client_data(stream, msg);
    } else if (msg->header.status == VK_RPC_OK && stream->file && stream->fd >= 0) {
        vk_server_file_stream_finish(stream);
    } else {
        /* finish (OK) or abort (ERROR): either way, confirmed and gone */
        if (msg->header.status == VK_RPC_OK && stream->fd >= 0 && stream->pending->len > 0)
            flush_pending(stream);   /* best effort: the fd may not take it all */
        vk_server_stream_confirm(stream, msg->header.status == VK_RPC_OK);
    }
    vk_message_free(msg);
}

/* ---- life ---- */

typedef struct {
    VkServerClient *client;
    const VkRpcHeader *call;
    GPtrArray *opened;   /* VkServerStream*, one reference each */
} VkStreamCall;

static _Thread_local VkStreamCall current_call;

void
vk_server_stream_call_begin(VkServerClient *client, const VkRpcHeader *call)
{
    current_call.client = client;
    current_call.call = call;
}

VkServerStream *
vk_server_stream_open(VkServerClient *client, int fd)
{
    VkServerStream *stream = g_new0(VkServerStream, 1);

    g_return_val_if_fail(current_call.client == client, NULL);
    stream->refs = 2;   /* the caller's, and the call's (then the list's) */
    stream->call = *current_call.call;
    stream->context = g_main_context_ref(client->server->context);
    stream->fd = fd;
    stream->pending = g_byte_array_new();
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!current_call.opened)
        current_call.opened = g_ptr_array_new();
    g_ptr_array_add(current_call.opened, stream);
    return stream;
}

typedef struct {
    VkServerClient *client;
    VkMessage *reply;
    GPtrArray *streams;
} VkStreamStart;

/* Main loop: the reply first, then the streams' data. */
static gboolean
start_streams(gpointer data)
{
    VkStreamStart *start = data;
    VkServerClient *client = start->client;
    bool closed;

    vk_server_client_send(client, g_steal_pointer(&start->reply));
    g_mutex_lock(&client->lock);
    closed = client->closed;
    g_mutex_unlock(&client->lock);
    for (guint i = 0; i < start->streams->len; i++) {
        VkServerStream *stream = g_ptr_array_index(start->streams, i);
        if (closed || !client->read_source) {
            release(stream);   /* the client went meanwhile */
            vk_server_stream_unref(stream);
            continue;
        }
        stream->client = client;
        stream->listed = true;
        if (!client->streams)
            client->streams = g_ptr_array_new();
        g_ptr_array_add(client->streams, stream);   /* the call's reference */
        if (stream->fd >= 0) {
            watch_input(stream);
        } else {
            /* closed on our side before it started */
            stream->eof_sent = true;
            vk_server_stream_send_empty(stream, VK_RPC_CONTINUE);
        }
    }
    return G_SOURCE_REMOVE;
}

static void
free_start(gpointer data)
{
    VkStreamStart *start = data;

    vk_message_free(start->reply);
    g_ptr_array_unref(start->streams);
    vk_server_client_unref(start->client);
    g_free(start);
}

bool
vk_server_stream_call_end(bool ok, VkMessage *reply)
{
    GPtrArray *opened = g_steal_pointer(&current_call.opened);
    VkServerClient *client = current_call.client;
    VkStreamStart *start;

    current_call.client = NULL;
    current_call.call = NULL;
    if (!opened)
        return false;
    if (!ok) {
        for (guint i = 0; i < opened->len; i++) {
            VkServerStream *stream = g_ptr_array_index(opened, i);
            release(stream);
            vk_server_stream_unref(stream);
        }
        g_ptr_array_unref(opened);
        return false;
    }
    start = g_new0(VkStreamStart, 1);
    start->client = vk_server_client_ref(client);
    start->reply = reply;
    start->streams = opened;
    /* ahead of the client's next frames, which may already be for the stream */
    g_main_context_invoke_full(client->server->context, G_PRIORITY_HIGH, start_streams, start,
                               free_start);
    return true;
}

void
vk_server_stream_on_release(VkServerStream *stream, void (*fn)(gpointer), gpointer data)
{
    stream->on_release = fn;
    stream->on_release_data = data;
}

void
vk_server_stream_on_finish(VkServerStream *stream, void (*fn)(bool ok, gpointer data),
                           gpointer data)
{
    stream->on_finish = fn;
    stream->on_finish_data = data;
}

static gboolean
abort_in_main_loop(gpointer data)
{
    VkServerStream *stream = data;

    if (stream->fd < 0 && stream->eof_sent)
        return G_SOURCE_REMOVE;   /* over already */
    if (!stream->client) {
        release(stream);   /* not started: start_streams() sees it closed */
        return G_SOURCE_REMOVE;
    }
    vk_error_report(VIR_FROM_STREAMS, VIR_ERR_RPC, "%s", "stream had I/O failure");
    vk_server_stream_fail(stream);
    return G_SOURCE_REMOVE;
}

void
vk_server_stream_abort(VkServerStream *stream)
{
    g_main_context_invoke_full(stream->context, G_PRIORITY_DEFAULT, abort_in_main_loop,
                               vk_server_stream_ref(stream),
                               (GDestroyNotify) vk_server_stream_unref);
}

void
vk_server_stream_detach_all(VkServerClient *client)
{
    g_autoptr(GPtrArray) streams = g_steal_pointer(&client->streams);

    for (guint i = 0; streams && i < streams->len; i++) {
        VkServerStream *stream = g_ptr_array_index(streams, i);
        stream->listed = false;
        release(stream);
        stream->client = NULL;
        vk_server_stream_unref(stream);
    }
}
