/* Streams on a regular file or a block device (server-file-stream.h):
 * positioned reads and writes between OFFSET and OFFSET + LENGTH, and holes
 * both ways.  A download runs in the server's main loop, one frame per turn
 * of the loop; an upload's writes go to a thread of their own (file-writer.h). */
#include "common/rpc/server-file-stream.h"
#include "common/rpc/file-writer.h"
#include "common/rpc/server-stream-private.h"
#include "common/rpc/server-private.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/arg-checks.h"

/* Payload of one data frame.  libvirt's daemon sends at most its legacy
 * limit, because clients older than the enlarged message buffers close the
 * connection on anything bigger; newer ones take frames up to
 * VK_NET_MESSAGE_PAYLOAD_MAX, but the gain from bigger frames is small (a
 * turn of the main loop per frame) against keeping every client working. */
#define FRAME_PAYLOAD VK_NET_MESSAGE_LEGACY_PAYLOAD_MAX
#define NO_LIMIT G_MAXUINT64
/* Data frames a download keeps on their way to the client: reading the next
 * while the last ones are written keeps the socket busy (one at a time left
 * it idle between frames: 220 MB/s against libvirtd's 350 here). */
#define DOWNLOAD_WINDOW 4

struct _VkFileStream {
    VkStreamDirection dir;
    bool sparse;
    bool block;          /* a block device: no holes to find, zeros to write */
    char *name;          /* the file's path, for messages */
    guint64 pos;         /* where the next byte goes or comes from */
    guint64 end;         /* OFFSET + LENGTH, or NO_LIMIT */
    guint64 data_left;   /* sparse download: data before the next hole */
    GSource *pump;       /* download: the next frame, on the next turn */
    VkFileWriter *writer;   /* upload: the writes, on a thread of their own */
};

void
vk_server_file_stream_free(VkFileStream *file)
{
    if (!file)
        return;
    vk_file_writer_free(file->writer);
    g_free(file->name);
    g_free(file);
}

void
vk_server_file_stream_stop(VkServerStream *stream)
{
    VkFileStream *file = stream->file;

    if (file->pump) {
        g_source_destroy(file->pump);
        g_source_unref(file->pump);
        file->pump = NULL;
    }
    /* what arrived is written, but nothing after the stream let go (a
     * device must be free for lvremove); a finish waiting for it is over */
    vk_file_writer_free(g_steal_pointer(&file->writer));
    stream->ending = false;
}

/* The path behind FD for messages (as libvirt names the volume's file). */
static char *
fd_name(int fd)
{
    g_autofree char *link = g_strdup_printf("/proc/self/fd/%d", fd);
    char *target = g_file_read_link(link, NULL);

    return target ? target : g_strdup_printf("fd %d", fd);
}

/* Room in CLIENT's socket for the frames a download keeps on their way:
 * with the default (208 KiB, less than one frame) every frame took two
 * sends, the second after a poll.  The kernel caps it at wmem_max. */
static void
widen_send_buffer(VkServerClient *client)
{
    int size = DOWNLOAD_WINDOW * (FRAME_PAYLOAD + VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE);
    int now = 0;
    socklen_t len = sizeof(now);

    if (getsockopt(client->fd, SOL_SOCKET, SO_SNDBUF, &now, &len) == 0 && now < size)
        setsockopt(client->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

VkServerStream *
vk_server_stream_open_file(VkServerClient *client, int fd, VkStreamDirection dir,
                           guint64 offset, guint64 length, bool sparse)
{
    VkFileStream *file;
    VkServerStream *stream;
    struct stat st;

    if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
        g_autofree char *name = fd_name(fd);
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_INTERNAL_ERROR,
                        "%s is neither a regular file nor a block device", name);
        close(fd);
        return NULL;
    }
    file = g_new0(VkFileStream, 1);
    file->dir = dir;
    file->sparse = sparse;
    file->block = S_ISBLK(st.st_mode);
    file->name = fd_name(fd);
    file->pos = offset;
    file->end = length && length <= NO_LIMIT - offset ? offset + length : NO_LIMIT;
    if ((dir == VK_STREAM_UPLOAD && !(file->writer = vk_file_writer_new(fd, file->name,
                                                                         file->block))) ||
        !(stream = vk_server_stream_open(client, fd))) {
        vk_server_file_stream_free(file);
        close(fd);
        return NULL;
    }
    stream->file = file;
    if (dir == VK_STREAM_DOWNLOAD)
        widen_send_buffer(client);
    return stream;
}

/* ---- download ---- */

/* Where the file's data and holes are at POS, as libvirt's virFileInData:
 * IN_DATA and how long the section runs (a hole at the end runs to the
 * file's size; at the end itself the length is 0). */
static int
find_section(VkServerStream *stream, bool *in_data, guint64 *length)
{
    VkFileStream *file = stream->file;
    off_t data, hole;
    struct stat st;

    if (file->block) {
        *in_data = true;   /* a device has no holes: read until its end */
        *length = NO_LIMIT;
        return 0;
    }
    data = lseek(stream->fd, file->pos, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {
        if (fstat(stream->fd, &st) < 0)
            goto error;
        *in_data = false;
        *length = (guint64) st.st_size > file->pos ? st.st_size - file->pos : 0;
        return 0;
    }
    if (data < 0)
        goto error;
    if ((guint64) data > file->pos) {
        *in_data = false;
        *length = data - file->pos;
        return 0;
    }
    if ((hole = lseek(stream->fd, file->pos, SEEK_HOLE)) < 0)
        goto error;
    *in_data = true;
    *length = hole - file->pos;
    return 0;

error:
    vk_error_report_errno(VIR_FROM_STREAMS, errno, "unable to seek in %s", file->name);
    return -1;
}

static void
send_hole(VkServerStream *stream, guint64 length)
{
    VkRpcHeader hdr = vk_server_stream_header(stream, VK_RPC_STREAM_HOLE, VK_RPC_CONTINUE);
    VkNetStreamHole hole = { .length = length, .flags = 0 };
    VkMessage *msg = vk_message_new();

    vk_message_encode(msg, &hdr, (xdrproc_t) xdr_VkNetStreamHole, &hole);
    vk_server_stream_send_paced(stream, msg);
}

static void
send_eof(VkServerStream *stream)
{
    stream->eof_sent = true;
    vk_server_stream_send_empty(stream, VK_RPC_CONTINUE);
}

/* Read one frame's worth at the position, straight into the frame, and
 * send it. */
static int
send_data(VkServerStream *stream, gsize want)
{
    VkFileStream *file = stream->file;
    VkRpcHeader hdr = vk_server_stream_header(stream, VK_RPC_STREAM, VK_RPC_CONTINUE);
    VkMessage *msg = vk_message_new();
    ssize_t n;

    vk_message_encode_raw(msg, &hdr, NULL, want);
    do
        n = pread(stream->fd, vk_message_raw_payload(msg), want, file->pos);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        vk_error_report_errno(VIR_FROM_STREAMS, errno, "Unable to read %s", file->name);
    if (n <= 0) {
        vk_message_free(msg);
        if (n == 0)
            send_eof(stream);   /* the file is shorter than asked for */
        return n == 0 ? 0 : -1;
    }
    if ((gsize) n < want)
        vk_message_encode_raw(msg, &hdr, NULL, n);
    vk_server_stream_send_paced(stream, msg);
    file->pos += n;
    if (file->sparse)
        file->data_left -= MIN((guint64) n, file->data_left);
    return 0;
}

/* The next frame: data, a hole (sparse only, as libvirt's daemon sends them
 * only to clients that asked), or the end. */
static int
send_next(VkServerStream *stream)
{
    VkFileStream *file = stream->file;
    guint64 left = file->end - file->pos;
    guint64 want = MIN(left, FRAME_PAYLOAD);

    if (left == 0) {
        send_eof(stream);
        return 0;
    }
    if (file->sparse && file->data_left == 0) {
        bool in_data;
        guint64 length;

        if (find_section(stream, &in_data, &length) < 0)
            return -1;
        length = MIN(length, left);
        if (!in_data && length == 0) {
            send_eof(stream);
        } else if (!in_data) {
            send_hole(stream, length);
            file->pos += length;
        }
        if (!in_data)
            return 0;
        file->data_left = length;
    }
    if (file->sparse)
        want = MIN(want, file->data_left);
    return send_data(stream, want);
}

static gboolean
pump(gpointer data)
{
    VkServerStream *stream = data;
    VkFileStream *file = stream->file;

    g_source_unref(file->pump);
    file->pump = NULL;
    if (stream->fd >= 0 && stream->in_flight < DOWNLOAD_WINDOW && !stream->eof_sent) {
        if (send_next(stream) < 0)
            vk_server_stream_fail(stream);
        else
            vk_server_file_stream_resume(stream);   /* room for more: next turn */
    }
    return G_SOURCE_REMOVE;
}

/* Never in place: reading a file is never "would block", so each frame
 * waits for the next turn of the loop and other clients get theirs. */
void
vk_server_file_stream_resume(VkServerStream *stream)
{
    VkFileStream *file = stream->file;

    if (file->dir != VK_STREAM_DOWNLOAD || file->pump || stream->in_flight >= DOWNLOAD_WINDOW ||
        stream->eof_sent)
        return;
    file->pump = g_idle_source_new();
    g_source_set_priority(file->pump, G_PRIORITY_DEFAULT);
    g_source_set_callback(file->pump, pump, vk_server_stream_ref(stream),
                          (GDestroyNotify) vk_server_stream_unref);
    g_source_attach(file->pump, stream->context);
}

/* ---- upload ---- */

static bool
upload_only(VkServerStream *stream)
{
    if (stream->file->dir == VK_STREAM_UPLOAD)
        return true;
    vk_error_report(VIR_FROM_STREAMS, VIR_ERR_OPERATION_INVALID, "%s",
                    "this stream only sends data");
    vk_server_stream_fail(stream);
    return false;
}

void
vk_server_file_stream_write(VkServerStream *stream, VkMessage *msg)
{
    VkFileStream *file = stream->file;
    const guint8 *data = vk_message_raw_payload(msg);
    gsize len = msg->len - (data - msg->buf);
    gsize fits = MIN((guint64) len, file->end - file->pos);

    if (len == 0)
        return;   /* nothing to write, whichever way the stream goes */
    if (!upload_only(stream))
        return;
    if (fits > 0 &&
        vk_file_writer_write(file->writer, g_steal_pointer(&msg->buf), data, fits, file->pos) < 0) {
        vk_server_stream_fail(stream);
        return;
    }
    file->pos += fits;
    /* as libvirt's fd streams: what fits is written, the rest is an error */
    if (fits < len) {
        vk_error_report_errno(VIR_FROM_STREAMS, ENOSPC, "%s", "cannot write to stream");
        vk_server_stream_fail(stream);
    }
}

/* The hole's payload, checked as libvirt's fd streams check it. */
static int
decode_hole(const VkMessage *msg, VkNetStreamHole *hole)
{
    if (vk_message_decode_payload(msg, (xdrproc_t) xdr_VkNetStreamHole, hole) < 0 ||
        vk_check_flags(VIR_FROM_STREAMS, hole->flags, 0, "virFDStreamSendHole") < 0)
        return -1;
    if (hole->length <= 0)
        return vk_invalid_arg(VIR_FROM_STREAMS,
                              "length in virFDStreamSendHole must be greater than zero");
    return 0;
}

void
vk_server_file_stream_hole(VkServerStream *stream, const VkMessage *msg)
{
    VkFileStream *file = stream->file;
    VkNetStreamHole hole = { 0 };
    guint64 length;

    if (stream->fd < 0)
        return;   /* ended on our side: the client hears it soon */
    /* holes only where the client said upfront it would send them */
    if (!file || !file->sparse) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "Unexpected stream hole");
        vk_server_stream_fail(stream);
        return;
    }
    if (!upload_only(stream))
        return;
    if (decode_hole(msg, &hole) < 0) {
        vk_server_stream_fail(stream);
        return;
    }
    /* a hole past LENGTH is cut short, as libvirt does, not an error */
    length = MIN((guint64) hole.length, file->end - file->pos);
    if (vk_file_writer_zero(file->writer, file->pos, length) < 0) {
        vk_server_stream_fail(stream);
        return;
    }
    file->pos += length;
}

/* ---- the end ---- */

/* A file whose upload ended in a hole must reach the hole's end. */
static int
cover_last_hole(VkServerStream *stream)
{
    VkFileStream *file = stream->file;
    struct stat st;

    if (file->block)
        return 0;
    if (fstat(stream->fd, &st) == 0 &&
        ((guint64) st.st_size >= file->pos || ftruncate(stream->fd, file->pos) == 0))
        return 0;
    vk_error_report_errno(VIR_FROM_STREAMS, errno, "unable to truncate %s", file->name);
    return -1;
}

/* Main loop: the writer wrote all the client sent, or failed. */
static void
upload_written(VkError *error, gpointer data)
{
    VkServerStream *stream = data;

    if (stream->fd < 0)
        return;   /* over meanwhile (the client went) */
    stream->ending = false;
    if (error)
        vk_error_set(vk_error_copy(error));
    if (error || cover_last_hole(stream) < 0) {
        vk_server_stream_fail(stream);
        return;
    }
    vk_server_stream_confirm(stream, true);
}

/* The client's finish is confirmed once every byte it sent is written.
 * Like libvirt's, an upload is not synced: the data is in the page cache,
 * where every reader of the volume finds it, and the kernel writes it out
 * as it does any other file's. */
void
vk_server_file_stream_finish(VkServerStream *stream)
{
    if (stream->file->dir == VK_STREAM_DOWNLOAD) {
        vk_server_stream_confirm(stream, true);
        return;
    }
    stream->ending = true;
    vk_file_writer_drain(stream->file->writer, stream->context, upload_written,
                         vk_server_stream_ref(stream), (GDestroyNotify) vk_server_stream_unref);
}
