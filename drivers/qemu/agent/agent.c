/* QEMU guest agent client (agent.h): one command at a time, on the
 * caller's thread, with a poll() deadline. */
#include "drivers/qemu/agent/agent.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>

#include "common/util/error.h"

/* libvirt's bound on a reply it buffers */
#define AGENT_MAX_REPLY (10 * 1024 * 1024)

struct _VkAgent {
    gatomicrefcount refs;
    GMutex command_lock;    /* one command on the wire at a time */
    GMutex lock;            /* guards the flags below */
    int fd;
    int wake[2];            /* written to end a wait: close or an event */
    char *vm_name;
    bool in_sync;           /* a guest-sync was answered on this connection */
    bool closed;
    bool cancelled;         /* the running command is to give up */
    VkAgentAwait awaiting;  /* the event the running command waits for */
    bool event_seen;
    GString *inbuf;
};

VkAgent *
vk_agent_ref(VkAgent *agent)
{
    g_atomic_ref_count_inc(&agent->refs);
    return agent;
}

void
vk_agent_unref(VkAgent *agent)
{
    if (!agent || !g_atomic_ref_count_dec(&agent->refs))
        return;
    if (agent->fd >= 0)
        close(agent->fd);
    for (int i = 0; i < 2; i++)
        if (agent->wake[i] >= 0)
            close(agent->wake[i]);
    g_mutex_clear(&agent->command_lock);
    g_mutex_clear(&agent->lock);
    g_string_free(agent->inbuf, TRUE);
    g_free(agent->vm_name);
    g_free(agent);
}

static int
agent_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Socket path %s too big for destination", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "failed to create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "failed to connect to agent socket");
        close(fd);
        return -1;
    }
    return fd;
}

VkAgent *
vk_agent_open(const char *path, const char *vm_name)
{
    g_autoptr(GError) gerr = NULL;
    int fd = agent_connect(path);

    if (fd < 0)
        return NULL;
    VkAgent *agent = g_new0(VkAgent, 1);
    g_atomic_ref_count_init(&agent->refs);
    g_mutex_init(&agent->command_lock);
    g_mutex_init(&agent->lock);
    agent->fd = fd;
    agent->vm_name = g_strdup(vm_name);
    agent->inbuf = g_string_new(NULL);
    agent->wake[0] = agent->wake[1] = -1;
    if (!g_unix_open_pipe(agent->wake, FD_CLOEXEC, &gerr) ||
        !g_unix_set_fd_nonblocking(agent->wake[0], TRUE, NULL)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot create agent wake-up pipe: %s", gerr ? gerr->message : "");
        vk_agent_unref(agent);
        return NULL;
    }
    return agent;
}

static void
agent_wake(VkAgent *agent)
{
    ssize_t ignored = write(agent->wake[1], "x", 1);
    (void) ignored;
}

void
vk_agent_close(VkAgent *agent)
{
    if (!agent)
        return;
    g_mutex_lock(&agent->lock);
    agent->closed = true;
    g_mutex_unlock(&agent->lock);
    agent_wake(agent);
    vk_agent_unref(agent);
}

void
vk_agent_cancel(VkAgent *agent)
{
    g_mutex_lock(&agent->lock);
    agent->cancelled = true;
    g_mutex_unlock(&agent->lock);
    agent_wake(agent);
}

void
vk_agent_notify_event(VkAgent *agent, VkAgentAwait event)
{
    g_mutex_lock(&agent->lock);
    bool wanted = agent->awaiting != VK_AGENT_AWAIT_NONE && agent->awaiting == event;
    if (wanted)
        agent->event_seen = true;
    g_mutex_unlock(&agent->lock);
    if (wanted)
        agent_wake(agent);
}

static int
agent_write(VkAgent *agent, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = send(agent->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "Unable to write to agent");
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

static int
agent_unresponsive(const char *why)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_AGENT_UNRESPONSIVE, "%s", why);
    return -1;
}

/* The first complete line in the buffer, taken out of it; NULL if none. */
static char *
agent_take_line(VkAgent *agent)
{
    const char *nl = memchr(agent->inbuf->str, '\n', agent->inbuf->len);

    if (!nl)
        return NULL;
    gsize len = nl - agent->inbuf->str;
    char *line = g_strndup(agent->inbuf->str, len);
    g_string_erase(agent->inbuf, 0, len + 1);
    return line;
}

/* Why a wait ended without a line: 1 the awaited event came (or, as
 * libvirt counts it, the agent went away while one was awaited: the guest
 * is suspending or going down), -1 closed (error set), 0 go on. */
static int
agent_check_wake(VkAgent *agent)
{
    char buf[64];

    while (read(agent->wake[0], buf, sizeof(buf)) > 0)
        ;
    g_mutex_lock(&agent->lock);
    bool closed = agent->closed, seen = agent->event_seen;
    bool awaiting = agent->awaiting != VK_AGENT_AWAIT_NONE;
    bool cancelled = agent->cancelled;
    g_mutex_unlock(&agent->lock);
    if (closed && awaiting)
        return 1;
    if (closed || cancelled)
        return agent_unresponsive("Guest agent disappeared while executing command");
    return seen ? 1 : 0;
}

/* Read more into the buffer, waiting until DEADLINE (monotonic µs, 0: for
 * ever).  0 data came, 1 the awaited event came, -1 error (set). */
static int
agent_read_more(VkAgent *agent, gint64 deadline)
{
    char buf[4096];

    for (;;) {
        int wait_ms = -1;
        if (deadline) {
            gint64 left = deadline - g_get_monotonic_time();
            if (left <= 0)
                return agent_unresponsive("Guest agent not available for now");
            wait_ms = (int) MIN((left + 999) / 1000, G_MAXINT);
        }
        struct pollfd fds[2] = { { .fd = agent->fd, .events = POLLIN },
                                 { .fd = agent->wake[0], .events = POLLIN } };
        if (poll(fds, 2, wait_ms) < 0 && errno != EINTR) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "Unable to wait on agent socket");
            return -1;
        }
        int woke = fds[1].revents ? agent_check_wake(agent) : 0;
        if (woke != 0)
            return woke;
        if (!fds[0].revents)
            continue;
        ssize_t n = read(agent->fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "Unable to read from agent");
            return -1;
        }
        if (n == 0) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "End of file from agent socket");
            return -1;
        }
        if (agent->inbuf->len + n > AGENT_MAX_REPLY) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                            "No complete agent response found in %d bytes", AGENT_MAX_REPLY);
            return -1;
        }
        g_string_append_len(agent->inbuf, buf, n);
        return 0;
    }
}

/* The next reply (an object with "return" or "error") before DEADLINE;
 * events and garbage are skipped.  GARBAGE_ENDS: a line that is not JSON
 * ends the wait with no reply (*REPLY NULL), as on the first guest-sync,
 * when the agent may still be chewing on a half-sent command.  0, 1 (the
 * awaited event came), -1. */
static int
agent_next_reply(VkAgent *agent, gint64 deadline, bool garbage_ends, VkJson **reply)
{
    *reply = NULL;
    for (;;) {
        g_autofree char *line = agent_take_line(agent);
        if (!line) {
            int r = agent_read_more(agent, deadline);
            if (r != 0)
                return r;
            continue;
        }
        g_strstrip(line);
        if (!*line)
            continue;
        g_autoptr(VkJson) msg = vk_json_parse(line, -1);
        if (!msg) {
            vk_error_reset();
            g_debug("agent %s: not JSON: %s", agent->vm_name, line);
            if (garbage_ends)
                return 0;
            continue;
        }
        if (vk_json_is_object(msg) &&
            (vk_json_object_has(msg, "return") || vk_json_object_has(msg, "error"))) {
            *reply = g_steal_pointer(&msg);
            return 0;
        }
    }
}

static gint64
agent_deadline(int seconds)
{
    if (seconds == VK_AGENT_TIMEOUT_BLOCK)
        return 0;
    if (seconds == VK_AGENT_TIMEOUT_DEFAULT)
        seconds = VK_AGENT_WAIT_SECONDS;
    /* NOWAIT still gets the reply that is there already */
    return g_get_monotonic_time() + (gint64) MAX(seconds, 0) * G_USEC_PER_SEC + 1;
}

/* guest-sync with the time in ms as its id, until the agent echoes it;
 * replies to older commands (a timed-out one) are dropped on the way. */
static int
agent_sync(VkAgent *agent)
{
    gint64 deadline = agent_deadline(VK_AGENT_TIMEOUT_DEFAULT);
    bool first = true;

    if (agent->in_sync)
        return 0;
    for (;;) {
        guint64 id = (guint64) (g_get_real_time() / 1000);
        g_autofree char *cmd = g_strdup_printf(
            "{\"execute\":\"guest-sync\", \"arguments\":{\"id\":%" G_GUINT64_FORMAT "}}\n", id);
        g_debug("agent %s: guest-sync %" G_GUINT64_FORMAT, agent->vm_name, id);
        if (agent_write(agent, cmd, strlen(cmd)) < 0)
            return -1;
        for (;;) {
            g_autoptr(VkJson) reply = NULL;
            if (agent_next_reply(agent, deadline, first, &reply) < 0)
                return -1;
            if (!reply)
                break;      /* garbage on the first sync: send a new one */
            VkJson *ret = vk_json_object_get(reply, "return");
            if (ret && vk_json_type(ret) == VK_JSON_NUMBER && vk_json_get_uint64(ret, 0) == id) {
                agent->in_sync = true;
                return 0;
            }
            g_debug("agent %s: dropping a delayed reply", agent->vm_name);
        }
        first = false;
    }
}

static const char *
agent_error_text(const VkJson *error)
{
    static const struct { const char *klass, *text; } texts[] = {
        { "BufferOverrun", "Buffer overrun" },
        { "CommandDisabled", "The command has been disabled for this instance" },
        { "CommandNotFound", "The command has not been found" },
        { "FdNotFound", "File descriptor not found" },
        { "InvalidParameter", "Invalid parameter" },
        { "InvalidParameterType", "Invalid parameter type" },
        { "InvalidParameterValue", "Invalid parameter value" },
        { "OpenFileFailed", "Cannot open file" },
        { "QgaCommandFailed", "Guest agent command failed" },
        { "QMPBadInputObjectMember", "Bad QMP input object member" },
        { "QMPExtraInputObjectMember", "Unexpected extra object member" },
        { "UndefinedError", "An undefined error has occurred" },
        { "Unsupported", "this feature or command is not currently supported" },
    };
    const char *desc = vk_json_object_get_string(error, "desc", NULL);
    const char *klass = vk_json_object_get_string(error, "class", NULL);

    if (desc)
        return desc;
    for (guint i = 0; klass && i < G_N_ELEMENTS(texts); i++)
        if (g_str_equal(klass, texts[i].klass))
            return texts[i].text;
    return klass ? klass : "unknown QEMU command error";
}

/* -1 with libvirt's error for an error reply (-2 without one for an
 * unknown command when !REPORT_UNSUPPORTED), else 0. */
static int
agent_check_reply(const char *name, const VkJson *reply, bool report_unsupported)
{
    VkJson *error = vk_json_object_get_object(reply, "error");

    if (!error && !vk_json_object_has(reply, "error"))
        return 0;
    if (!error) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "unable to execute QEMU agent command '%s'", name);
        return -1;
    }
    const char *klass = vk_json_object_get_string(error, "class", "");
    if (!report_unsupported &&
        (g_str_equal(klass, "CommandNotFound") || g_str_equal(klass, "CommandDisabled")))
        return -2;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                    "unable to execute QEMU agent command '%s': %s", name,
                    agent_error_text(error));
    return -1;
}

static int
agent_command_locked(VkAgent *agent, const VkJson *cmd, int seconds, bool report_unsupported,
                     VkJson **reply)
{
    const char *name = vk_json_object_get_string(cmd, "execute", "<unknown>");
    g_autoptr(VkJson) got = NULL;

    if (agent_sync(agent) < 0)
        return -1;
    g_autoptr(GString) line = g_string_new(NULL);
    vk_json_append(line, cmd);
    g_debug("agent %s: send %s", agent->vm_name, line->str);
    g_string_append_c(line, '\n');
    if (agent_write(agent, line->str, line->len) < 0)
        return -1;
    int r = agent_next_reply(agent, agent_deadline(seconds), false, &got);
    if (r < 0)
        return -1;
    if (r == 1)
        return 0;       /* the awaited event: the command did its job */
    if ((r = agent_check_reply(name, got, report_unsupported)) < 0)
        return r;
    if (reply)
        *reply = g_steal_pointer(&got);
    return 0;
}

int
vk_agent_command(VkAgent *agent, const VkJson *cmd, int seconds, VkAgentAwait await,
                 bool report_unsupported, VkJson **reply)
{
    int ret;

    if (reply)
        *reply = NULL;
    vk_agent_ref(agent);
    g_mutex_lock(&agent->command_lock);
    g_mutex_lock(&agent->lock);
    bool closed = agent->closed;
    agent->awaiting = await;
    agent->event_seen = false;
    agent->cancelled = false;
    g_mutex_unlock(&agent->lock);
    if (closed)
        ret = agent_unresponsive("Guest agent disappeared while executing command");
    else
        ret = agent_command_locked(agent, cmd, seconds, report_unsupported, reply);
    /* after a timeout a late reply may still come: sync again next time */
    if (ret == -1 && vk_error_last_code() == VIR_ERR_AGENT_UNRESPONSIVE)
        agent->in_sync = false;
    g_mutex_lock(&agent->lock);
    agent->awaiting = VK_AGENT_AWAIT_NONE;
    g_mutex_unlock(&agent->lock);
    g_mutex_unlock(&agent->command_lock);
    vk_agent_unref(agent);
    return ret;
}
