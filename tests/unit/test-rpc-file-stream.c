/* Streams on files (server-file-stream.h) driven by a raw client that
 * writes and reads the frames itself, as virsh vol-upload / vol-download
 * put them on the wire: uploads dense, sparse, aborted, cut off and too
 * long; downloads dense and sparse, with offset and length; 64 MiB each
 * way while the same server keeps answering calls. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/rpc/client.h"
#include "common/rpc/frame.h"
#include "common/rpc/message.h"
#include "common/rpc/program.h"
#include "common/rpc/server-file-stream.h"
#include "common/rpc/server.h"
#include "test-loopback.h"

#define MiB (1024 * 1024)
#define TEST_PROG 0x7e58
enum { PROC_ECHO = 1, PROC_OPEN = 2 };

static const VkProcInfo test_procs[] = {
    { 0 },
    { PROC_ECHO, "ECHO", "virTestEcho", (xdrproc_t) xdr_int, sizeof(int),
      (xdrproc_t) xdr_int, sizeof(int), VK_PROC_READONLY_OK },
    { PROC_OPEN, "OPEN", "virStorageVolUpload", NULL, 0, NULL, 0, 0 },
};

static const VkProcInfo *
test_lookup(int proc)
{
    return proc > 0 && proc < (int) G_N_ELEMENTS(test_procs) ? &test_procs[proc] : NULL;
}

/* What the next OPEN opens, and what became of it (on_finish). */
typedef struct {
    char *path;
    VkStreamDirection dir;
    guint64 offset;
    guint64 length;
    bool sparse;
    GMutex lock;
    GCond cond;
    int outcome;   /* 0 while it runs, 1 finished, -1 failed */
} Transfer;

static Transfer transfer;

static void
transfer_finished(bool ok, gpointer data)
{
    g_mutex_lock(&transfer.lock);
    g_assert_cmpint(transfer.outcome, ==, 0);   /* once */
    transfer.outcome = ok ? 1 : -1;
    g_cond_signal(&transfer.cond);
    g_mutex_unlock(&transfer.lock);
}

static int
outcome_now(void)
{
    int outcome;

    g_mutex_lock(&transfer.lock);
    outcome = transfer.outcome;
    g_mutex_unlock(&transfer.lock);
    return outcome;
}

static int
wait_outcome(void)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    int outcome;

    g_mutex_lock(&transfer.lock);
    while (transfer.outcome == 0 && g_cond_wait_until(&transfer.cond, &transfer.lock, deadline))
        ;
    outcome = transfer.outcome;
    g_mutex_unlock(&transfer.lock);
    return outcome;
}

static void
transfer_set(const char *path, VkStreamDirection dir, guint64 offset, guint64 length,
             bool sparse)
{
    g_free(transfer.path);
    transfer.path = g_strdup(path);
    transfer.dir = dir;
    transfer.offset = offset;
    transfer.length = length;
    transfer.sparse = sparse;
    transfer.outcome = 0;
}

static int
echo(VkServerClient *client, void *args, void *ret)
{
    *(int *) ret = *(int *) args * 2;
    return 0;
}

static int
open_call(VkServerClient *client, void *args, void *ret)
{
    int flags = transfer.dir == VK_STREAM_UPLOAD ? O_WRONLY : O_RDONLY;
    int fd = open(transfer.path, flags | O_CLOEXEC);
    VkServerStream *stream;

    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot open %s", transfer.path);
        return -1;
    }
    stream = vk_server_stream_open_file(client, fd, transfer.dir, transfer.offset,
                                        transfer.length, transfer.sparse);
    if (!stream)
        return -1;
    vk_server_stream_on_finish(stream, transfer_finished, NULL);
    vk_server_stream_unref(stream);
    return 0;
}

typedef TestLoopback Loopback;

static void
loopback_start(Loopback *lb)
{
    static const VkRpcHandlerEntry handlers[] = { { PROC_ECHO, echo }, { PROC_OPEN, open_call } };

    test_loopback_start(lb, TEST_PROG, test_lookup, handlers, G_N_ELEMENTS(handlers));
}

static char *
test_file(Loopback *lb, const char *name)
{
    return g_build_filename(lb->dir, name, NULL);
}

/* ---- the raw client ---- */

static int
raw_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct timeval timeout = { .tv_sec = 30 };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *) &addr, sizeof(addr)), ==, 0);
    /* a server that stops answering fails the test instead of hanging it */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    return fd;
}

static void
raw_write(int fd, const guint8 *buf, gsize len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        buf += n;
        len -= n;
    }
}

static void
raw_read(int fd, guint8 *buf, gsize len)
{
    while (len > 0) {
        ssize_t n = recv(fd, buf, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        buf += n;
        len -= n;
    }
}

static void
raw_send(int fd, int proc, guint32 serial, VkRpcType type, int status, const void *data, gsize len)
{
    VkRpcHeader hdr = { .prog = TEST_PROG, .vers = 1, .proc = proc, .type = type,
                        .serial = serial, .status = status };
    g_autoptr(VkMessage) msg = vk_message_new();

    g_assert_cmpint(vk_message_encode_raw(msg, &hdr, data, len), ==, 0);
    raw_write(fd, msg->buf, msg->len);
}

static void
raw_send_hole(int fd, guint32 serial, gint64 length)
{
    VkRpcHeader hdr = { .prog = TEST_PROG, .vers = 1, .proc = PROC_OPEN,
                        .type = VK_RPC_STREAM_HOLE, .serial = serial, .status = VK_RPC_CONTINUE };
    VkNetStreamHole hole = { .length = length, .flags = 0 };
    g_autoptr(VkMessage) msg = vk_message_new();

    g_assert_cmpint(vk_message_encode(msg, &hdr, (xdrproc_t) xdr_VkNetStreamHole, &hole), ==, 0);
    raw_write(fd, msg->buf, msg->len);
}

/* The next whole frame from the server. */
static VkMessage *
raw_recv(int fd)
{
    VkMessage *msg = vk_message_new();
    guint8 word[VK_RPC_LEN_SIZE];

    raw_read(fd, word, sizeof(word));
    msg->len = msg->alloc = vk_rpc_frame_get_length(word);
    g_assert_cmpint(vk_rpc_frame_check_length(msg->len), ==, 0);
    msg->buf = g_malloc(msg->len);
    memcpy(msg->buf, word, sizeof(word));
    raw_read(fd, msg->buf + sizeof(word), msg->len - sizeof(word));
    msg->offset = msg->len;
    vk_message_finish_header(msg);
    return msg;
}

static gsize
payload_len(const VkMessage *msg)
{
    return msg->len - VK_RPC_LEN_SIZE - VK_RPC_HEADER_SIZE;
}

static const guint8 *
payload(const VkMessage *msg)
{
    return msg->buf + VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE;
}

static void
expect_frame(int fd, guint32 serial, VkRpcType type, int status)
{
    g_autoptr(VkMessage) msg = raw_recv(fd);

    g_assert_cmpuint(msg->header.serial, ==, serial);
    g_assert_cmpuint(msg->header.type, ==, type);
    g_assert_cmpuint(msg->header.status, ==, status);
    g_assert_cmpuint(payload_len(msg), ==, 0);
}

/* A STREAM / ERROR frame: its error record. */
static VkError *
expect_stream_error(int fd, guint32 serial)
{
    g_autoptr(VkMessage) msg = raw_recv(fd);
    VkError *err = g_new0(VkError, 1);

    g_assert_cmpuint(msg->header.serial, ==, serial);
    g_assert_cmpuint(msg->header.type, ==, VK_RPC_STREAM);
    g_assert_cmpuint(msg->header.status, ==, VK_RPC_ERROR);
    g_assert_cmpint(vk_message_decode_payload(msg, (xdrproc_t) vk_xdr_error, err), ==, 0);
    return err;
}

/* The call that opens the stream, and its reply. */
static void
raw_open(int fd, guint32 serial)
{
    g_autoptr(VkMessage) reply = NULL;

    raw_send(fd, PROC_OPEN, serial, VK_RPC_CALL, VK_RPC_OK, NULL, 0);
    reply = raw_recv(fd);
    g_assert_cmpuint(reply->header.serial, ==, serial);
    g_assert_cmpuint(reply->header.type, ==, VK_RPC_REPLY);
    g_assert_cmpuint(reply->header.status, ==, VK_RPC_OK);
}

/* Data as frames of at most CHUNK bytes (virsh sends 256 KiB ones). */
static void
raw_send_data(int fd, guint32 serial, const guint8 *data, gsize len, gsize chunk)
{
    for (gsize done = 0; done < len; done += MIN(chunk, len - done))
        raw_send(fd, PROC_OPEN, serial, VK_RPC_STREAM, VK_RPC_CONTINUE, data + done,
                 MIN(chunk, len - done));
}

static void
raw_send_echo(int fd, guint32 serial)
{
    VkRpcHeader hdr = { .prog = TEST_PROG, .vers = 1, .proc = PROC_ECHO, .type = VK_RPC_CALL,
                        .serial = serial, .status = VK_RPC_OK };
    g_autoptr(VkMessage) msg = vk_message_new();
    int in = 21;

    g_assert_cmpint(vk_message_encode(msg, &hdr, (xdrproc_t) xdr_int, &in), ==, 0);
    raw_write(fd, msg->buf, msg->len);
}

/* Finish (STREAM / OK) and its confirmation. */
static void
raw_finish(int fd, guint32 serial)
{
    raw_send(fd, PROC_OPEN, serial, VK_RPC_STREAM, VK_RPC_OK, NULL, 0);
    expect_frame(fd, serial, VK_RPC_STREAM, VK_RPC_OK);
    /* over before it is confirmed: the client's next call finds the
     * volume free (bench/storage downloads, then uploads at once) */
    g_assert_cmpint(outcome_now(), !=, 0);
}

typedef struct {
    GByteArray *data;     /* holes filled with zeros */
    guint holes;
    guint frames;
    gsize max_frame;
    bool echo_answered;   /* the ECHO sent after the first frame, before the end */
} Received;

static void
received_clear(Received *r)
{
    g_byte_array_unref(r->data);
}

/* Everything up to the end of data, then the finish. */
static void
raw_download(int fd, guint32 serial, Received *r, bool ask_echo)
{
    r->data = g_byte_array_new();
    for (;;) {
        g_autoptr(VkMessage) msg = raw_recv(fd);

        if (msg->header.type == VK_RPC_REPLY && msg->header.proc == PROC_ECHO) {
            r->echo_answered = true;
            continue;
        }
        g_assert_cmpuint(msg->header.serial, ==, serial);
        g_assert_cmpuint(msg->header.status, ==, VK_RPC_CONTINUE);
        if (msg->header.type == VK_RPC_STREAM_HOLE) {
            VkNetStreamHole hole = { 0 };
            guint old = r->data->len;
            g_assert_cmpint(vk_message_decode_payload(msg, (xdrproc_t) xdr_VkNetStreamHole,
                                                      &hole), ==, 0);
            g_assert_cmpint(hole.length, >, 0);
            g_assert_cmpuint(hole.flags, ==, 0);
            g_byte_array_set_size(r->data, old + hole.length);
            memset(r->data->data + old, 0, hole.length);
            r->holes++;
            continue;
        }
        g_assert_cmpuint(msg->header.type, ==, VK_RPC_STREAM);
        if (payload_len(msg) == 0)
            break;   /* the end of the data */
        g_byte_array_append(r->data, payload(msg), payload_len(msg));
        r->frames++;
        r->max_frame = MAX(r->max_frame, payload_len(msg));
        if (ask_echo && r->frames == 1)
            raw_send_echo(fd, serial + 1000);
    }
    raw_finish(fd, serial);
}

/* ---- files ---- */

static guint8 *
random_bytes(gsize len, guint32 seed)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
    guint8 *buf = g_malloc(len);

    for (gsize i = 0; i < len; i += 4) {
        guint32 v = g_rand_int(rand);
        memcpy(buf + i, &v, MIN(4, len - i));
    }
    return buf;
}

static void
make_file(const char *path, const void *data, gsize len)
{
    g_assert_true(g_file_set_contents(path, data, len, NULL));
}

/* DATA at OFFSET of a file of SIZE bytes, holes elsewhere. */
static void
write_at(const char *path, guint64 offset, const void *data, gsize len)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0600);

    g_assert_cmpint(pwrite(fd, data, len, offset), ==, (ssize_t) len);
    close(fd);
}

static void
resize(const char *path, guint64 size)
{
    g_assert_cmpint(truncate(path, size), ==, 0);
}

static GBytes *
read_file(const char *path)
{
    char *contents;
    gsize len;

    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    return g_bytes_new_take(contents, len);
}

/* How many of our fds are open on PATH. */
static int
fds_open_on(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
    const char *name;
    int count = 0;

    while ((name = g_dir_read_name(dir))) {
        g_autofree char *link = g_build_filename("/proc/self/fd", name, NULL);
        g_autofree char *target = g_file_read_link(link, NULL);
        count += g_strcmp0(target, path) == 0;
    }
    return count;
}

static bool
holes_supported(const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "probe", NULL);
    int fd;
    off_t hole;

    write_at(path, 4 * MiB, "x", 1);
    fd = open(path, O_RDONLY);
    hole = lseek(fd, 0, SEEK_HOLE);
    close(fd);
    g_unlink(path);
    return hole == 0;
}

/* The transfer ended with OUTCOME and let go of PATH. */
static void
expect_end(int outcome, const char *path)
{
    g_assert_cmpint(wait_outcome(), ==, outcome);
    g_assert_cmpint(fds_open_on(path), ==, 0);
}

/* PATH made with CONTENTS, and a new connection on which call SERIAL has
 * opened an upload to it. */
static int
open_upload(Loopback *lb, const char *path, const void *contents, gsize len, guint64 offset,
            guint64 length, bool sparse, guint32 serial)
{
    int fd;

    make_file(path, contents, len);
    transfer_set(path, VK_STREAM_UPLOAD, offset, length, sparse);
    fd = raw_connect(lb->rw_path);
    raw_open(fd, serial);
    return fd;
}

/* ---- upload ---- */

/* LEN bytes up in frames of FRAME, finished: all of it arrives, and once
 * the finish is confirmed nothing holds the file open any more. */
static void
upload_and_check(gsize len, guint32 seed, gsize frame)
{
    Loopback lb = { 0 };
    g_autofree guint8 *data = random_bytes(len, seed);
    g_autofree char *path = NULL;
    g_autoptr(GBytes) got = NULL;
    int fd;

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    fd = open_upload(&lb, path, "", 0, 0, 0, false, 1);
    raw_send_data(fd, 1, data, len, frame);
    raw_finish(fd, 1);
    g_assert_cmpint(fds_open_on(path), ==, 0);
    expect_end(1, path);
    got = read_file(path);
    g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), data, len);
    close(fd);
    test_loopback_stop(&lb);
}

static void
test_upload_dense(void)
{
    upload_and_check(3 * MiB + 5, 1, 100000);
}

/* Many frames of the size python3-libvirt sends (20 MiB): every byte lands
 * where it belongs, and nothing holds the file once the finish is
 * confirmed. */
static void
test_upload_writeback(void)
{
    upload_and_check(20 * MiB + 3, 12, 262120);
}

/* virsh vol-upload --sparse: holes stay holes, and a hole over old data
 * reads as zeros while what lies past the upload stays. */
static void
test_upload_sparse(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *a = random_bytes(MiB, 2);
    g_autofree guint8 *b = random_bytes(MiB + 3, 3);
    g_autofree guint8 *ones = g_malloc(20 * MiB);
    g_autofree char *path = NULL;
    g_autofree char *old = NULL;
    g_autoptr(GBytes) got = NULL;
    g_autoptr(GBytes) got_old = NULL;
    const guint8 *bytes;
    struct stat st;
    int fd;

    loopback_start(&lb);
    if (!holes_supported(lb.dir)) {
        g_test_skip("no SEEK_HOLE on the temporary directory's filesystem");
        test_loopback_stop(&lb);
        return;
    }
    path = test_file(&lb, "vol");
    fd = open_upload(&lb, path, "", 0, 0, 0, true, 1);
    raw_send_data(fd, 1, a, MiB, 262120);
    raw_send_hole(fd, 1, 8 * MiB);
    raw_send_data(fd, 1, b, MiB + 3, 262120);
    raw_send_hole(fd, 1, 4 * MiB);   /* the file ends in a hole */
    raw_finish(fd, 1);
    expect_end(1, path);
    close(fd);

    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 14 * MiB + 3);
    g_assert_cmpint(st.st_blocks * 512, <, 3 * MiB);   /* 2 MiB of data, no more */
    got = read_file(path);
    bytes = g_bytes_get_data(got, NULL);
    g_assert_cmpmem(bytes, MiB, a, MiB);
    for (gsize i = MiB; i < 9 * MiB; i++)
        g_assert_cmpuint(bytes[i], ==, 0);
    g_assert_cmpmem(bytes + 9 * MiB, MiB + 3, b, MiB + 3);
    for (gsize i = 10 * MiB + 3; i < 14 * MiB + 3; i++)
        g_assert_cmpuint(bytes[i], ==, 0);

    /* over a volume full of old data */
    old = test_file(&lb, "old");
    memset(ones, 0xff, 20 * MiB);
    fd = open_upload(&lb, old, ones, 20 * MiB, 0, 0, true, 7);
    raw_send_data(fd, 7, a, 65536, 262120);
    raw_send_hole(fd, 7, MiB);
    raw_send_data(fd, 7, b, 65536, 262120);
    raw_finish(fd, 7);
    expect_end(1, old);
    close(fd);
    got_old = read_file(old);
    bytes = g_bytes_get_data(got_old, NULL);
    g_assert_cmpuint(g_bytes_get_size(got_old), ==, 20 * MiB);
    g_assert_cmpmem(bytes, 65536, a, 65536);
    for (gsize i = 65536; i < 65536 + MiB; i++)
        g_assert_cmpuint(bytes[i], ==, 0);
    g_assert_cmpmem(bytes + 65536 + MiB, 65536, b, 65536);
    g_assert_cmpuint(bytes[2 * 65536 + MiB], ==, 0xff);
    g_assert_cmpuint(bytes[20 * MiB - 1], ==, 0xff);
    test_loopback_stop(&lb);
}

/* virStreamAbort: confirmed, and the driver hears of a failure. */
static void
test_upload_abort(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *data = random_bytes(MiB, 4);
    g_autofree char *path = NULL;
    int fd;

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    fd = open_upload(&lb, path, "", 0, 0, 0, false, 3);
    raw_send_data(fd, 3, data, MiB, 262120);
    raw_send(fd, PROC_OPEN, 3, VK_RPC_STREAM, VK_RPC_ERROR, NULL, 0);
    expect_frame(fd, 3, VK_RPC_STREAM, VK_RPC_OK);
    g_assert_cmpint(outcome_now(), ==, -1);
    expect_end(-1, path);
    close(fd);
    test_loopback_stop(&lb);
}

/* The client goes in the middle of a frame: a failure, the file let go,
 * the server fine. */
static void
test_upload_disconnect(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *data = random_bytes(MiB, 5);
    g_autofree char *path = NULL;
    VkRpcHeader hdr = { .prog = TEST_PROG, .vers = 1, .proc = PROC_OPEN, .type = VK_RPC_STREAM,
                        .serial = 4, .status = VK_RPC_CONTINUE };
    g_autoptr(VkMessage) frame = vk_message_new();
    int fd, in = 5, out = 0;

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    fd = open_upload(&lb, path, "", 0, 0, 0, false, 4);
    raw_send_data(fd, 4, data, MiB / 2, 65536);
    vk_message_encode_raw(frame, &hdr, data, 262120);
    raw_write(fd, frame->buf, frame->len / 2);
    close(fd);
    expect_end(-1, path);

    g_autoptr(VkRpcClient) client = vk_rpc_client_connect_unix(lb.rw_path);
    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, PROC_ECHO, (xdrproc_t) xdr_int, &in,
                                       (xdrproc_t) xdr_int, &out), ==, 0);
    g_assert_cmpint(out, ==, 10);
    g_clear_pointer(&client, vk_rpc_client_free);
    test_loopback_stop(&lb);
}

/* More than LENGTH: what fits is written, then libvirt's error. */
static void
test_upload_too_long(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *data = random_bytes(1500, 6);
    g_autofree char *xs = g_malloc(8192);
    g_autofree char *path = NULL;
    g_autoptr(VkError) err = NULL;
    g_autoptr(VkError) hole_err = NULL;
    g_autoptr(GBytes) got = NULL;
    const guint8 *bytes;
    int fd;

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    memset(xs, 'x', 8192);
    fd = open_upload(&lb, path, xs, 8192, 4096, 1000, false, 5);
    raw_send_data(fd, 5, data, 1500, 65536);
    err = expect_stream_error(fd, 5);
    g_assert_cmpint(err->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(err->domain, ==, VIR_FROM_STREAMS);
    g_assert_cmpstr(err->message, ==, "cannot write to stream: No space left on device");
    expect_end(-1, path);
    got = read_file(path);
    bytes = g_bytes_get_data(got, NULL);
    g_assert_cmpuint(g_bytes_get_size(got), ==, 8192);
    g_assert_cmpmem(bytes + 4096, 1000, data, 1000);
    g_assert_cmpuint(bytes[4095], ==, 'x');
    g_assert_cmpuint(bytes[5096], ==, 'x');

    /* a hole where the client did not ask for a sparse stream */
    transfer_set(path, VK_STREAM_UPLOAD, 0, 0, false);
    raw_open(fd, 6);
    raw_send_hole(fd, 6, 4096);
    hole_err = expect_stream_error(fd, 6);
    g_assert_cmpint(hole_err->code, ==, VIR_ERR_RPC);
    g_assert_nonnull(strstr(hole_err->message, "Unexpected stream hole"));
    g_assert_cmpint(wait_outcome(), ==, -1);
    close(fd);
    test_loopback_stop(&lb);
}

/* ---- download ---- */

static void
download_file(Loopback *lb, const char *path, guint64 offset, guint64 length, bool sparse,
              Received *r)
{
    int fd = raw_connect(lb->rw_path);

    transfer_set(path, VK_STREAM_DOWNLOAD, offset, length, sparse);
    raw_open(fd, 9);
    raw_download(fd, 9, r, false);
    expect_end(1, path);
    close(fd);
}

static void
test_download_dense(void)
{
    Loopback lb = { 0 };
    gsize len = 3 * MiB + 7;
    g_autofree guint8 *data = random_bytes(len, 7);
    g_autofree char *path = NULL;
    Received r = { 0 };

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    make_file(path, data, len);
    download_file(&lb, path, 0, 0, false, &r);
    g_assert_cmpmem(r.data->data, r.data->len, data, len);
    g_assert_cmpuint(r.holes, ==, 0);
    g_assert_cmpuint(r.max_frame, ==, VK_NET_MESSAGE_LEGACY_PAYLOAD_MAX);
    received_clear(&r);
    test_loopback_stop(&lb);
}

/* A 10 MiB file: 1 MiB of data, a 5 MiB hole, 1 MiB of data, a 3 MiB hole. */
static char *
make_sparse(Loopback *lb, guint8 **a, guint8 **b)
{
    char *path = test_file(lb, "sparse");

    *a = random_bytes(MiB, 8);
    *b = random_bytes(MiB, 9);
    write_at(path, 0, *a, MiB);
    write_at(path, 6 * MiB, *b, MiB);
    resize(path, 10 * MiB);
    return path;
}

static void
test_download_sparse(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *a = NULL;
    g_autofree guint8 *b = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GBytes) want = NULL;
    Received sparse = { 0 }, dense = { 0 };

    loopback_start(&lb);
    if (!holes_supported(lb.dir)) {
        g_test_skip("no SEEK_HOLE on the temporary directory's filesystem");
        test_loopback_stop(&lb);
        return;
    }
    path = make_sparse(&lb, &a, &b);
    want = read_file(path);

    download_file(&lb, path, 0, 0, true, &sparse);
    g_assert_cmpuint(sparse.holes, ==, 2);   /* the one inside, the one at the end */
    g_assert_cmpmem(sparse.data->data, sparse.data->len, g_bytes_get_data(want, NULL),
                    g_bytes_get_size(want));

    /* holes only for a client that asked for them */
    download_file(&lb, path, 0, 0, false, &dense);
    g_assert_cmpuint(dense.holes, ==, 0);
    g_assert_cmpmem(dense.data->data, dense.data->len, g_bytes_get_data(want, NULL),
                    g_bytes_get_size(want));
    received_clear(&sparse);
    received_clear(&dense);
    test_loopback_stop(&lb);
}

static void
test_download_range(void)
{
    Loopback lb = { 0 };
    gsize len = 3 * MiB;
    g_autofree guint8 *data = random_bytes(len, 10);
    g_autofree guint8 *a = NULL;
    g_autofree guint8 *b = NULL;
    g_autofree char *path = NULL;
    g_autofree char *sparse_path = NULL;
    g_autoptr(GBytes) want = NULL;
    const guint8 *whole;
    Received r = { 0 }, across = { 0 }, tail = { 0 };

    loopback_start(&lb);
    path = test_file(&lb, "vol");
    make_file(path, data, len);
    download_file(&lb, path, MiB + 5, 100000, false, &r);
    g_assert_cmpmem(r.data->data, r.data->len, data + MiB + 5, 100000);

    if (holes_supported(lb.dir)) {
        sparse_path = make_sparse(&lb, &a, &b);
        want = read_file(sparse_path);
        whole = g_bytes_get_data(want, NULL);
        /* 10 bytes of data, then a hole cut short by LENGTH */
        download_file(&lb, sparse_path, MiB - 10, 5 * MiB, true, &across);
        g_assert_cmpuint(across.holes, ==, 1);
        g_assert_cmpmem(across.data->data, across.data->len, whole + MiB - 10, 5 * MiB);
        /* LENGTH past the end: the file's end ends it */
        download_file(&lb, sparse_path, 9 * MiB, 4 * MiB, true, &tail);
        g_assert_cmpmem(tail.data->data, tail.data->len, whole + 9 * MiB, MiB);
        received_clear(&across);
        received_clear(&tail);
    }
    received_clear(&r);
    test_loopback_stop(&lb);
}

/* ---- block devices ---- */

/* A loop device on a file of 8 MiB of 0xff, or NULL (not root, no loop
 * devices in this container). */
static char *
attach_loop(Loopback *lb, char **backing)
{
    g_autofree char *out = NULL;
    g_autofree char *cmd = NULL;
    g_autofree guint8 *ones = g_malloc(8 * MiB);
    int status = -1;

    *backing = test_file(lb, "backing");
    memset(ones, 0xff, 8 * MiB);
    make_file(*backing, ones, 8 * MiB);
    cmd = g_strdup_printf("losetup --find --show %s", *backing);
    if (geteuid() != 0 || !g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL))
        return NULL;
    return g_strstrip(g_steal_pointer(&out));
}

static void
detach_loop(const char *dev)
{
    g_autofree char *cmd = g_strdup_printf("losetup -d %s", dev);

    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
}

/* A device has no holes to find and gets zeros for the client's holes. */
static void
test_block_device(void)
{
    Loopback lb = { 0 };
    g_autofree guint8 *a = random_bytes(65536, 12);
    g_autofree char *backing = NULL;
    g_autofree char *dev = NULL;
    g_autoptr(GBytes) got = NULL;
    const guint8 *bytes;
    Received r = { 0 };
    int fd;

    loopback_start(&lb);
    if (!(dev = attach_loop(&lb, &backing))) {
        g_test_skip("no loop device (needs root)");
        test_loopback_stop(&lb);
        return;
    }
    transfer_set(dev, VK_STREAM_UPLOAD, 0, 0, true);
    fd = raw_connect(lb.rw_path);
    raw_open(fd, 40);
    raw_send_data(fd, 40, a, 65536, 262120);
    raw_send_hole(fd, 40, 3 * MiB);
    raw_send_data(fd, 40, a, 65536, 262120);
    raw_finish(fd, 40);
    expect_end(1, dev);
    close(fd);

    download_file(&lb, dev, 0, 0, true, &r);
    g_assert_cmpuint(r.holes, ==, 0);
    g_assert_cmpuint(r.data->len, ==, 8 * MiB);
    bytes = r.data->data;
    g_assert_cmpmem(bytes, 65536, a, 65536);
    for (gsize i = 65536; i < 65536 + 3 * MiB; i++)
        g_assert_cmpuint(bytes[i], ==, 0);
    g_assert_cmpmem(bytes + 65536 + 3 * MiB, 65536, a, 65536);
    g_assert_cmpuint(bytes[8 * MiB - 1], ==, 0xff);
    received_clear(&r);
    detach_loop(dev);
    test_loopback_stop(&lb);
}

/* ---- 64 MiB each way, other calls answered meanwhile ---- */

typedef struct {
    VkRpcClient *client;
    gint stop;
    guint calls;
    gint64 max_wait;   /* usec */
} Pinger;

static gpointer
pinger_thread(gpointer data)
{
    Pinger *p = data;

    while (!g_atomic_int_get(&p->stop)) {
        int in = 1, out = 0;
        gint64 start = g_get_monotonic_time();
        g_assert_cmpint(vk_rpc_client_call(p->client, TEST_PROG, 1, PROC_ECHO, (xdrproc_t) xdr_int,
                                           &in, (xdrproc_t) xdr_int, &out), ==, 0);
        p->max_wait = MAX(p->max_wait, g_get_monotonic_time() - start);
        p->calls++;
        g_usleep(2000);
    }
    return NULL;
}

static void
test_big_both_ways(void)
{
    Loopback lb = { 0 };
    gsize len = 64 * MiB;
    g_autofree guint8 *data = random_bytes(len, 11);
    g_autofree char *src = NULL;
    g_autofree char *dst = NULL;
    g_autoptr(GBytes) got = NULL;
    Received r = { 0 };
    Pinger pinger = { 0 };
    GThread *thread;
    gint64 start;
    int fd;

    loopback_start(&lb);
    src = test_file(&lb, "big");
    dst = test_file(&lb, "copy");
    make_file(src, data, len);
    make_file(dst, "", 0);
    pinger.client = vk_rpc_client_connect_unix(lb.rw_path);
    thread = g_thread_new("pinger", pinger_thread, &pinger);

    start = g_get_monotonic_time();
    fd = raw_connect(lb.rw_path);
    transfer_set(src, VK_STREAM_DOWNLOAD, 0, 0, false);
    raw_open(fd, 20);
    raw_download(fd, 20, &r, true);
    g_assert_cmpint(wait_outcome(), ==, 1);
    g_assert_true(r.echo_answered);   /* same connection, in the middle */
    g_assert_cmpmem(r.data->data, r.data->len, data, len);
    g_test_message("64 MiB download: %.0f ms", (g_get_monotonic_time() - start) / 1000.0);

    start = g_get_monotonic_time();
    transfer_set(dst, VK_STREAM_UPLOAD, 0, 0, false);
    raw_open(fd, 21);
    raw_send_data(fd, 21, data, len, 262120);
    raw_finish(fd, 21);
    g_assert_cmpint(wait_outcome(), ==, 1);
    g_test_message("64 MiB upload: %.0f ms", (g_get_monotonic_time() - start) / 1000.0);
    close(fd);

    g_atomic_int_set(&pinger.stop, 1);
    g_thread_join(thread);
    g_test_message("%u calls meanwhile, the slowest %.1f ms", pinger.calls,
                   pinger.max_wait / 1000.0);
    g_assert_cmpuint(pinger.calls, >, 5);
    g_assert_cmpint(pinger.max_wait, <, 2 * G_USEC_PER_SEC);
    got = read_file(dst);
    g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), data, len);
    g_clear_pointer(&pinger.client, vk_rpc_client_free);
    received_clear(&r);
    test_loopback_stop(&lb);
}

/* Neither a file nor a block device: the call fails, nothing to report. */
static void
test_open_refuses_char_device(void)
{
    Loopback lb = { 0 };
    g_autoptr(VkMessage) reply = NULL;
    g_autoptr(VkError) err = g_new0(VkError, 1);
    int fd;

    loopback_start(&lb);
    transfer_set("/dev/null", VK_STREAM_DOWNLOAD, 0, 0, false);
    fd = raw_connect(lb.rw_path);
    raw_send(fd, PROC_OPEN, 30, VK_RPC_CALL, VK_RPC_OK, NULL, 0);
    reply = raw_recv(fd);
    g_assert_cmpuint(reply->header.type, ==, VK_RPC_REPLY);
    g_assert_cmpuint(reply->header.status, ==, VK_RPC_ERROR);
    g_assert_cmpint(vk_message_decode_payload(reply, (xdrproc_t) vk_xdr_error, err), ==, 0);
    g_assert_cmpstr(err->message, ==,
                    "internal error: /dev/null is neither a regular file nor a block device");
    g_assert_cmpint(transfer.outcome, ==, 0);   /* never opened: nothing to report */
    close(fd);
    test_loopback_stop(&lb);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_mutex_init(&transfer.lock);
    g_cond_init(&transfer.cond);
    g_test_add_func("/rpc-file-stream/upload-dense", test_upload_dense);
    g_test_add_func("/rpc-file-stream/upload-writeback", test_upload_writeback);
    g_test_add_func("/rpc-file-stream/upload-sparse", test_upload_sparse);
    g_test_add_func("/rpc-file-stream/upload-abort", test_upload_abort);
    g_test_add_func("/rpc-file-stream/upload-disconnect", test_upload_disconnect);
    g_test_add_func("/rpc-file-stream/upload-too-long", test_upload_too_long);
    g_test_add_func("/rpc-file-stream/download-dense", test_download_dense);
    g_test_add_func("/rpc-file-stream/download-sparse", test_download_sparse);
    g_test_add_func("/rpc-file-stream/download-range", test_download_range);
    g_test_add_func("/rpc-file-stream/open-refuses-char-device", test_open_refuses_char_device);
    g_test_add_func("/rpc-file-stream/block-device", test_block_device);
    g_test_add_func("/rpc-file-stream/big-both-ways", test_big_both_ways);
    return g_test_run();
}
