/* QMP client: one reader thread per monitor, commands matched by "id". */
#include "drivers/qemu/monitor/qmp.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>

#include "common/util/error.h"

/* One command waiting for its reply.  It lives on the waiter's stack and is
 * in mon->pending only while the waiter holds or waits on mon->lock. */
typedef struct {
    gboolean finished;
    gboolean whole;         /* wants the whole reply, errors included */
    VkJson *reply;          /* the "return" member on success (WHOLE: all) */
    char *error_class;      /* QMP error class on an error reply */
    char *error_desc;       /* QMP error description */
    int fail_code;          /* set when no reply will come (EOF, close) */
    char *fail_message;
} VkQmpPending;

struct _VkQmp {
    gatomicrefcount refs;
    GMutex lock;            /* guards everything below that changes */
    GCond cond;             /* waiters sleep here */
    GMutex write_lock;      /* one command on the wire at a time */
    int fd;
    int wake[2];            /* pipe that tells the reader to stop */
    GThread *reader;
    GPid pid;
    char *vm_name;
    int timeout_ms;
    guint64 next_id;
    GHashTable *pending;    /* id -> VkQmpPending* */
    gboolean eof;
    gboolean closing;
    unsigned long greeting_version;
    VkQmpCallbacks callbacks;
    gpointer opaque;
    GString *inbuf;
};

static VkQmp *
qmp_ref(VkQmp *mon)
{
    g_atomic_ref_count_inc(&mon->refs);
    return mon;
}

static void
qmp_unref(VkQmp *mon)
{
    if (!g_atomic_ref_count_dec(&mon->refs))
        return;
    if (mon->callbacks.dispose)
        mon->callbacks.dispose(mon->opaque);
    if (mon->fd >= 0)
        close(mon->fd);
    if (mon->wake[0] >= 0)
        close(mon->wake[0]);
    if (mon->wake[1] >= 0)
        close(mon->wake[1]);
    g_hash_table_unref(mon->pending);
    g_string_free(mon->inbuf, TRUE);
    g_mutex_clear(&mon->lock);
    g_mutex_clear(&mon->write_lock);
    g_cond_clear(&mon->cond);
    g_free(mon->vm_name);
    g_free(mon);
}

/* The text libvirt uses once the monitor hit end of file. */
static char *
qmp_eof_message(VkQmp *mon)
{
    if (mon->vm_name)
        return g_strdup_printf("End of file from qemu monitor (vm='%s')", mon->vm_name);
    return g_strdup("End of file from qemu monitor");
}

/* Wake every waiter with an error; called with mon->lock held. */
static void
qmp_fail_pending_locked(VkQmp *mon, int code, const char *message)
{
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, mon->pending);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        VkQmpPending *p = value;
        if (p->finished)
            continue;
        p->finished = TRUE;
        p->fail_code = code;
        p->fail_message = g_strdup(message);
    }
    g_cond_broadcast(&mon->cond);
}

static gboolean
qmp_process_alive(GPid pid)
{
    if (pid <= 0)
        return TRUE;
    if (kill(pid, 0) < 0 && errno == ESRCH)
        return FALSE;
    /* An exited child that nobody reaped yet still answers kill(). */
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = NULL;
    if (g_file_get_contents(path, &stat, NULL, NULL)) {
        const char *end = strrchr(stat, ')');
        if (end && end[1] == ' ' && (end[2] == 'Z' || end[2] == 'X'))
            return FALSE;
    }
    return TRUE;
}

/* LINE parsed, when it is a JSON object; the callers report their own
 * error, so the parser's is only logged. */
static VkJson *
qmp_parse_object(const char *line, gsize len)
{
    g_autoptr(VkJson) v = vk_json_parse(line, len);

    if (!v) {
        g_debug("QMP: cannot parse '%.*s': %s", (int)len, line, vk_error_last_message());
        vk_error_reset();
        return NULL;
    }
    if (!vk_json_is_object(v)) {
        g_debug("QMP: message is not a JSON object: '%.*s'", (int)len, line);
        return NULL;
    }
    return g_steal_pointer(&v);
}

static void
qmp_dispatch_event(VkQmp *mon, VkJson *msg)
{
    const char *name = vk_json_object_get_string(msg, "event", NULL);
    g_autoptr(VkJson) empty = NULL;
    gint64 ts = 0;
    gboolean guest = FALSE;

    if (!name)
        return;
    const VkJson *data = vk_json_object_get_object(msg, "data");
    if (!data)
        data = empty = vk_json_new_object();
    guest = vk_json_object_get_bool(data, "guest", FALSE);
    VkJson *t = vk_json_object_get_object(msg, "timestamp");
    if (t) {
        ts = vk_json_object_get_int(t, "seconds", 0) * G_USEC_PER_SEC +
             vk_json_object_get_int(t, "microseconds", 0);
    }
    g_debug("QMP event %s (guest=%d) on %s", name, guest, mon->vm_name ? mon->vm_name : "probe");

    g_mutex_lock(&mon->lock);
    gboolean closing = mon->closing;
    g_mutex_unlock(&mon->lock);
    if (!closing && mon->callbacks.event)
        mon->callbacks.event(mon, name, data, guest, ts, mon->opaque);
}

static void
qmp_dispatch_reply(VkQmp *mon, VkJson *msg)
{
    const char *id = vk_json_get_string(vk_json_object_get(msg, "id"));
    if (!id) {
        g_debug("QMP: reply without an id ignored");
        return;
    }

    g_mutex_lock(&mon->lock);
    VkQmpPending *p = g_hash_table_lookup(mon->pending, id);
    if (!p || p->finished) {
        g_mutex_unlock(&mon->lock);
        g_debug("QMP: reply for %s nobody waits for (timed out?)", id);
        return;
    }
    if (p->whole) {
        p->reply = vk_json_copy(msg);
    } else if (vk_json_object_has(msg, "error")) {
        VkJson *e = vk_json_object_get_object(msg, "error");
        p->error_class = g_strdup(vk_json_object_get_string(e, "class", "GenericError"));
        p->error_desc = g_strdup(vk_json_object_get_string(e, "desc", "unknown error"));
    } else if (vk_json_object_has(msg, "return")) {
        /* The message is ours (and not used after this): no copy. */
        p->reply = vk_json_object_steal(msg, "return");
    } else {
        p->error_class = g_strdup("GenericError");
        p->error_desc = g_strdup("reply has neither 'return' nor 'error'");
    }
    p->finished = TRUE;
    g_cond_broadcast(&mon->cond);
    g_mutex_unlock(&mon->lock);
}

static void
qmp_handle_line(VkQmp *mon, const char *line, gsize len)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    if (len == 0)
        return;
    g_autoptr(VkJson) msg = qmp_parse_object(line, len);
    if (!msg) {
        g_warning("QMP: ignoring a message that is not a JSON object: '%.*s'", (int)len, line);
        return;
    }
    if (vk_json_object_has(msg, "event"))
        qmp_dispatch_event(mon, msg);
    else if (vk_json_object_has(msg, "return") || vk_json_object_has(msg, "error"))
        qmp_dispatch_reply(mon, msg);
    else
        g_debug("QMP: unexpected message '%.*s'", (int)len, line);
}

/* Handle every complete line in mon->inbuf. */
static void
qmp_consume_lines(VkQmp *mon)
{
    gsize start = 0;
    for (gsize i = 0; i < mon->inbuf->len; i++) {
        if (mon->inbuf->str[i] != '\n')
            continue;
        qmp_handle_line(mon, mon->inbuf->str + start, i - start);
        start = i + 1;
    }
    g_string_erase(mon->inbuf, 0, start);
}

static gpointer
qmp_reader_main(gpointer data)
{
    VkQmp *mon = data;
    char buf[65536];
    gboolean woken = FALSE;

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = mon->fd, .events = POLLIN },
            { .fd = mon->wake[0], .events = POLLIN },
        };
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            g_warning("QMP: poll failed: %s", g_strerror(errno));
            break;
        }
        if (fds[1].revents) {
            woken = TRUE;
            break;
        }
        ssize_t n = read(mon->fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            if (n < 0)
                g_debug("QMP: read failed: %s", g_strerror(errno));
            break;
        }
        g_string_append_len(mon->inbuf, buf, n);
        qmp_consume_lines(mon);

        g_mutex_lock(&mon->lock);
        gboolean closing = mon->closing;
        g_mutex_unlock(&mon->lock);
        if (closing) {
            woken = TRUE;
            break;
        }
    }

    g_mutex_lock(&mon->lock);
    gboolean notify = !mon->closing && !woken;
    mon->eof = TRUE;
    g_autofree char *msg = qmp_eof_message(mon);
    qmp_fail_pending_locked(mon, VIR_ERR_INTERNAL_ERROR, msg);
    g_mutex_unlock(&mon->lock);

    if (notify && mon->callbacks.eof)
        mon->callbacks.eof(mon, mon->opaque);
    qmp_unref(mon);
    return NULL;
}

/* Send DATA with PASS_FD (when >= 0) attached as SCM_RIGHTS: the kernel
 * hands QEMU a copy with the bytes, and QEMU's monitor keeps it for the
 * command they carry (getfd). */
static ssize_t
qmp_send_with_fd(int fd, const char *data, gsize len, int pass_fd)
{
    struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control = { 0 };
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof(control.buf),
    };
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &pass_fd, sizeof(int));
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/* Write all of DATA, PASS_FD (when >= 0) with its first bytes; MSG_NOSIGNAL
 * so a dead QEMU gives EPIPE, not SIGPIPE. */
static int
qmp_write_all(int fd, const char *data, gsize len, int pass_fd)
{
    while (len > 0) {
        ssize_t n = pass_fd >= 0 ? qmp_send_with_fd(fd, data, len, pass_fd)
                                 : send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        pass_fd = -1;   /* sent along with the first bytes that went */
        data += n;
        len -= n;
    }
    return 0;
}

/* Read the greeting line before the reader thread exists. */
static int
qmp_read_greeting(VkQmp *mon, gint64 deadline)
{
    char buf[4096];

    for (;;) {
        const char *nl = memchr(mon->inbuf->str, '\n', mon->inbuf->len);
        if (nl) {
            gsize len = nl - mon->inbuf->str;
            g_autoptr(VkJson) msg = qmp_parse_object(mon->inbuf->str, len);
            g_string_erase(mon->inbuf, 0, len + 1);
            if (!msg || !vk_json_object_has(msg, "QMP")) {
                vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                                "QEMU monitor socket did not send a QMP greeting");
                return -1;
            }
            VkJson *q = vk_json_object_get_object(
                vk_json_object_get_object(vk_json_object_get_object(msg, "QMP"), "version"),
                "qemu");
            if (q)
                mon->greeting_version = vk_json_object_get_int(q, "major", 0) * 1000000 +
                                        vk_json_object_get_int(q, "minor", 0) * 1000 +
                                        vk_json_object_get_int(q, "micro", 0);
            return 0;
        }
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                            "no QMP greeting from QEMU monitor");
            return -1;
        }
        struct pollfd pfd = { .fd = mon->fd, .events = POLLIN };
        int r = poll(&pfd, 1, (int)MIN(left, 100));
        if (r < 0 && errno != EINTR) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot wait for the QEMU monitor");
            return -1;
        }
        if (r <= 0)
            continue;
        ssize_t n = read(mon->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_autofree char *msg = qmp_eof_message(mon);
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s", msg);
            return -1;
        }
        g_string_append_len(mon->inbuf, buf, n);
    }
}

static int
qmp_connect(const char *path, GPid pid, gint64 deadline)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "monitor socket path '%s' is too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);

    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "failed to create socket");
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
            return fd;
        int err = errno;
        close(fd);
        if (err != ENOENT && err != ECONNREFUSED && err != EAGAIN && err != EINTR) {
            vk_error_report_errno(VIR_FROM_QEMU, err,
                                  "failed to connect to monitor socket %s", path);
            return -1;
        }
        if (!qmp_process_alive(pid)) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                            "process exited while connecting to monitor");
            return -1;
        }
        if (g_get_monotonic_time() >= deadline) {
            vk_error_report_errno(VIR_FROM_QEMU, err,
                                  "monitor socket did not show up: %s", path);
            return -1;
        }
        g_usleep(10 * 1000);
    }
}

VkQmp *
vk_qmp_open(const char *path, GPid pid, const char *vm_name, int timeout_ms,
            const VkQmpCallbacks *callbacks, gpointer opaque)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_autoptr(GError) gerr = NULL;

    int fd = qmp_connect(path, pid, deadline);
    if (fd < 0)
        return NULL;

    VkQmp *mon = g_new0(VkQmp, 1);
    g_atomic_ref_count_init(&mon->refs);
    g_mutex_init(&mon->lock);
    g_mutex_init(&mon->write_lock);
    g_cond_init(&mon->cond);
    mon->fd = fd;
    mon->wake[0] = mon->wake[1] = -1;
    mon->pid = pid;
    mon->vm_name = g_strdup(vm_name);
    mon->timeout_ms = VK_QMP_DEFAULT_TIMEOUT_MS;
    mon->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    mon->inbuf = g_string_new(NULL);
    mon->opaque = opaque;

    if (!g_unix_open_pipe(mon->wake, FD_CLOEXEC, &gerr)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot create monitor wake-up pipe: %s", gerr->message);
        qmp_unref(mon);
        return NULL;
    }
    if (qmp_read_greeting(mon, deadline) < 0) {
        qmp_unref(mon);
        return NULL;
    }
    /* Callbacks only from here on: dispose must not run for a failed open. */
    if (callbacks)
        mon->callbacks = *callbacks;

    g_autofree char *tname = g_strdup_printf("qmp-%s", vm_name ? vm_name : "probe");
    mon->reader = g_thread_try_new(tname, qmp_reader_main, qmp_ref(mon), &gerr);
    if (!mon->reader) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot start monitor thread: %s", gerr->message);
        mon->callbacks.dispose = NULL;
        qmp_unref(mon);
        qmp_unref(mon);
        return NULL;
    }
    if (vk_qmp_execute(mon, "qmp_capabilities", NULL, NULL) < 0) {
        VkError *err = vk_error_steal();
        g_mutex_lock(&mon->lock);
        mon->callbacks.dispose = NULL;
        g_mutex_unlock(&mon->lock);
        vk_qmp_close(mon);
        vk_error_set(err);
        return NULL;
    }
    return mon;
}

void
vk_qmp_close(VkQmp *mon)
{
    if (!mon)
        return;
    g_mutex_lock(&mon->lock);
    mon->closing = TRUE;
    qmp_fail_pending_locked(mon, VIR_ERR_OPERATION_FAILED, "QEMU monitor was closed");
    GThread *reader = mon->reader;
    mon->reader = NULL;
    g_mutex_unlock(&mon->lock);

    if (reader) {
        ssize_t ignored = write(mon->wake[1], "x", 1);
        (void)ignored;
        /* Do not join: a callback running on the reader may be waiting for a
         * lock our caller holds.  The reader keeps its own reference. */
        g_thread_unref(reader);
    }
    qmp_unref(mon);
}

void
vk_qmp_set_timeout(VkQmp *mon, int timeout_ms)
{
    g_mutex_lock(&mon->lock);
    mon->timeout_ms = timeout_ms;
    g_mutex_unlock(&mon->lock);
}

unsigned long
vk_qmp_get_greeting_version(VkQmp *mon)
{
    return mon->greeting_version;
}

gboolean
vk_qmp_is_eof(VkQmp *mon)
{
    g_mutex_lock(&mon->lock);
    gboolean eof = mon->eof;
    g_mutex_unlock(&mon->lock);
    return eof;
}

/* Send MSG, a command object without an id, for COMMAND (with PASS_FD
 * when >= 0) and wait for its reply; the caller holds a reference.  WHOLE:
 * *REPLY gets the whole reply, an error reply being an answer too. */
static int
send_and_wait(VkQmp *mon, const char *command, VkJson *msg, int pass_fd, gboolean whole,
              VkJson **reply, char **error_class)
{
    VkQmpPending p = { .whole = whole };
    int ret = -1;

    g_mutex_lock(&mon->lock);
    if (mon->reader && g_thread_self() == mon->reader) {
        g_mutex_unlock(&mon->lock);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "QEMU command '%s' issued from a monitor callback", command);
        return -1;
    }
    if (mon->closing) {
        g_mutex_unlock(&mon->lock);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "QEMU monitor was closed");
        return -1;
    }
    if (mon->eof) {
        g_mutex_unlock(&mon->lock);
        g_autofree char *why = qmp_eof_message(mon);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s", why);
        return -1;
    }
    char *id = g_strdup_printf("virtkit-%" G_GUINT64_FORMAT, ++mon->next_id);
    g_hash_table_insert(mon->pending, id, &p);
    int timeout_ms = mon->timeout_ms;
    g_mutex_unlock(&mon->lock);

    vk_json_object_set_string(msg, "id", id);
    g_autoptr(GString) line = g_string_new(NULL);
    vk_json_append(line, msg);
    g_debug("QMP send: %s", line->str);
    g_string_append(line, "\r\n");

    g_mutex_lock(&mon->write_lock);
    int werr = qmp_write_all(mon->fd, line->str, line->len, pass_fd) < 0 ? errno : 0;
    g_mutex_unlock(&mon->write_lock);

    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_mutex_lock(&mon->lock);
    gboolean timed_out = FALSE;
    /* After a failed write the reader sees the EOF soon; the write error is
     * the news, so do not wait. */
    while (!werr && !p.finished) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline) && !p.finished) {
            timed_out = TRUE;
            break;
        }
    }
    g_hash_table_remove(mon->pending, id);
    g_mutex_unlock(&mon->lock);

    if (timed_out) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                        "no reply from QEMU to command '%s' within %d ms", command, timeout_ms);
    } else if (werr) {
        vk_error_report_errno(VIR_FROM_QEMU, werr,
                              "cannot send QEMU command '%s'", command);
    } else if (p.fail_code) {
        vk_error_report(VIR_FROM_QEMU, p.fail_code, "%s", p.fail_message);
    } else if (p.error_class) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "unable to execute QEMU command '%s': %s", command, p.error_desc);
        if (error_class)
            *error_class = g_steal_pointer(&p.error_class);
    } else {
        if (reply)
            *reply = g_steal_pointer(&p.reply);
        ret = 0;
    }
    vk_json_free(p.reply);
    g_free(p.error_class);
    g_free(p.error_desc);
    g_free(p.fail_message);
    return ret;
}

static int
execute_command(VkQmp *mon, const char *command, const VkJson *args, int pass_fd,
                VkJson **reply, char **error_class)
{
    g_autoptr(VkJson) msg = vk_json_new_object();

    vk_json_object_set_string(msg, "execute", command);
    if (args)
        vk_json_object_set(msg, "arguments", vk_json_copy(args));
    return send_and_wait(mon, command, msg, pass_fd, FALSE, reply, error_class);
}

int
vk_qmp_execute_with_fd(VkQmp *mon, const char *command, const VkJson *args, int fd,
                       VkJson **reply, char **error_class)
{
    int ret;

    if (reply)
        *reply = NULL;
    if (error_class)
        *error_class = NULL;
    /* A close from another thread must not free the monitor under us. */
    qmp_ref(mon);
    ret = execute_command(mon, command, args, fd, reply, error_class);
    qmp_unref(mon);
    return ret;
}

int
vk_qmp_execute_node(VkQmp *mon, const char *command, const VkJson *args,
                    VkJson **reply, char **error_class)
{
    return vk_qmp_execute_with_fd(mon, command, args, -1, reply, error_class);
}

int
vk_qmp_execute_text(VkQmp *mon, const char *command_json, char **reply_json)
{
    g_autoptr(VkJson) msg = vk_json_parse(command_json, -1);
    VkJson *reply = NULL;
    int ret;

    if (!vk_json_is_object(msg)) {
        g_autofree char *why = g_strdup(msg ? "not a JSON object" : vk_error_last_message());
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "cannot parse json %s: %s",
                        command_json, why);
        return -1;
    }
    /* whatever it lacks, QEMU says so in its reply */
    qmp_ref(mon);
    ret = send_and_wait(mon, vk_json_object_get_string(msg, "execute", "(none)"), msg, -1, TRUE,
                        &reply, NULL);
    qmp_unref(mon);
    if (ret == 0) {
        *reply_json = vk_json_to_string(reply);
        vk_json_free(reply);
    }
    return ret;
}

int
vk_qmp_execute(VkQmp *mon, const char *command, const char *args_json,
               char **reply_json)
{
    g_autoptr(VkJson) args = NULL;
    g_autoptr(VkJson) reply = NULL;

    if (reply_json)
        *reply_json = NULL;
    if (args_json) {
        args = qmp_parse_object(args_json, strlen(args_json));
        if (!args) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                            "arguments of QEMU command '%s' are not a JSON object: %s",
                            command, args_json);
            return -1;
        }
    }
    if (vk_qmp_execute_node(mon, command, args, reply_json ? &reply : NULL, NULL) < 0)
        return -1;
    if (reply_json)
        *reply_json = reply ? vk_json_to_string(reply) : g_strdup("{}");
    return 0;
}
