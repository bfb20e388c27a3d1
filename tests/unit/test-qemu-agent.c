/* The guest agent client (drivers/qemu/agent/agent.c) against a scripted
 * peer on a unix socket: the guest-sync handshake and its stale replies,
 * libvirt's errors, timeouts, commands without a reply, closing. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "common/util/error.h"
#include "drivers/qemu/agent/agent.h"

/* The peer: answers each line it reads with what SCRIPT says. */
typedef enum { ECHO_SYNC, STALE_THEN_SYNC, SILENT, REPLY } PeerStep;

typedef struct {
    char *dir, *path;
    int listen_fd;
    GThread *thread;
    const PeerStep *steps;
    const char *reply;      /* for REPLY */
    GString *seen;          /* the lines the peer read */
} Peer;

static char *
read_line(int fd)
{
    GString *s = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n')
        g_string_append_c(s, c);
    return g_string_free(s, FALSE);
}

static void
send_text(int fd, const char *text)
{
    g_assert_cmpint(write(fd, text, strlen(text)), ==, (ssize_t) strlen(text));
}

static gpointer
peer_main(gpointer data)
{
    Peer *p = data;
    int fd = accept(p->listen_fd, NULL, NULL);

    for (const PeerStep *s = p->steps; fd >= 0 && *s != REPLY + 1; s++) {
        g_autofree char *line = read_line(fd);
        g_string_append_printf(p->seen, "%s\n", line);
        const char *id = strstr(line, "\"id\":");
        g_autofree char *echo = id ? g_strdup_printf("{\"return\": %" G_GUINT64_FORMAT "}\n",
                                                     g_ascii_strtoull(id + 5, NULL, 10))
                                   : NULL;
        if (*s == STALE_THEN_SYNC)
            send_text(fd, "{\"return\": {}}\n{\"return\": 12}\n");
        if ((*s == ECHO_SYNC || *s == STALE_THEN_SYNC) && echo)
            send_text(fd, echo);
        if (*s == REPLY)
            send_text(fd, p->reply);
    }
    /* wait for the client to hang up */
    char c;
    while (fd >= 0 && read(fd, &c, 1) > 0)
        ;
    if (fd >= 0)
        close(fd);
    return NULL;
}

static VkAgent *
peer_start(Peer *p, const PeerStep *steps, const char *reply)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    p->dir = g_dir_make_tmp("virtkit-agent-XXXXXX", NULL);
    p->path = g_build_filename(p->dir, "agent.sock", NULL);
    p->steps = steps;
    p->reply = reply;
    p->seen = g_string_new(NULL);
    strcpy(addr.sun_path, p->path);
    p->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(bind(p->listen_fd, (struct sockaddr *) &addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(p->listen_fd, 1), ==, 0);
    p->thread = g_thread_new("peer", peer_main, p);
    VkAgent *agent = vk_agent_open(p->path, "test");
    g_assert_nonnull(agent);
    return agent;
}

static void
peer_stop(Peer *p, VkAgent *agent)
{
    vk_agent_close(agent);
    g_thread_join(p->thread);
    close(p->listen_fd);
    g_unlink(p->path);
    g_rmdir(p->dir);
    g_free(p->path);
    g_free(p->dir);
    g_string_free(p->seen, TRUE);
}

static VkJson *
command(const char *name)
{
    VkJson *cmd = vk_json_new_object();

    vk_json_object_set_string(cmd, "execute", name);
    return cmd;
}

#define END (REPLY + 1)

static void
test_sync_skips_stale_replies(void)
{
    static const PeerStep steps[] = { STALE_THEN_SYNC, REPLY, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps, "{\"return\": {\"host-name\": \"g\"}}\n");
    g_autoptr(VkJson) cmd = command("guest-get-host-name");
    g_autoptr(VkJson) reply = NULL;

    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_DEFAULT, VK_AGENT_AWAIT_NONE,
                                     true, &reply), ==, 0);
    g_assert_cmpstr(vk_json_object_get_string(vk_json_object_get_object(reply, "return"),
                                              "host-name", NULL), ==, "g");
    /* libvirt's guest-sync, then the command */
    g_assert_true(g_str_has_prefix(p.seen->str, "{\"execute\":\"guest-sync\", \"arguments\":{\"id\":"));
    g_assert_true(strstr(p.seen->str, "\n{\"execute\":\"guest-get-host-name\"}\n") != NULL);
    peer_stop(&p, agent);
}

static void
test_error_reply(void)
{
    static const PeerStep steps[] = { ECHO_SYNC, REPLY, REPLY, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps,
                                "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no such\"}}\n");
    g_autoptr(VkJson) cmd = command("guest-nonsense");

    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_DEFAULT, VK_AGENT_AWAIT_NONE,
                                     true, NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: unable to execute QEMU agent command 'guest-nonsense': no such");
    /* guestinfo's way: an unknown command is skipped, not an error */
    vk_error_reset();
    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_DEFAULT, VK_AGENT_AWAIT_NONE,
                                     false, NULL), ==, -2);
    peer_stop(&p, agent);
}

static void
test_silent_agent_times_out(void)
{
    static const PeerStep steps[] = { SILENT, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps, NULL);
    g_autoptr(VkJson) cmd = command("guest-get-time");
    gint64 start = g_get_monotonic_time();

    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_BLOCK, VK_AGENT_AWAIT_NONE,
                                     true, NULL), ==, -1);
    gint64 ms = (g_get_monotonic_time() - start) / 1000;
    /* the guest-sync's 5 s, even when the command may wait for ever */
    g_assert_cmpint(ms, >=, VK_AGENT_WAIT_SECONDS * 1000 - 50);
    g_assert_cmpint(ms, <, VK_AGENT_WAIT_SECONDS * 1000 + 3000);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_AGENT_UNRESPONSIVE);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "Guest agent is not responding: Guest agent not available for now");
    peer_stop(&p, agent);
}

static gpointer
notify_later(gpointer data)
{
    g_usleep(200 * 1000);
    vk_agent_notify_event(data, VK_AGENT_AWAIT_SHUTDOWN);
    return NULL;
}

static void
test_command_without_reply_ends_with_event(void)
{
    static const PeerStep steps[] = { ECHO_SYNC, SILENT, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps, NULL);
    g_autoptr(VkJson) cmd = command("guest-shutdown");

    /* an event that is not awaited changes nothing */
    vk_agent_notify_event(agent, VK_AGENT_AWAIT_RESET);
    GThread *t = g_thread_new("notify", notify_later, agent);
    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_SHUTDOWN_SECONDS,
                                     VK_AGENT_AWAIT_SHUTDOWN, true, NULL), ==, 0);
    g_thread_join(t);
    peer_stop(&p, agent);
}

static gpointer
close_later(gpointer data)
{
    g_usleep(200 * 1000);
    vk_agent_close(data);
    return NULL;
}

static void
test_close_wakes_a_waiting_command(void)
{
    static const PeerStep steps[] = { ECHO_SYNC, SILENT, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps, NULL);
    g_autoptr(VkJson) cmd = command("guest-fsfreeze-freeze");

    GThread *t = g_thread_new("close", close_later, vk_agent_ref(agent));
    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_BLOCK, VK_AGENT_AWAIT_NONE,
                                     true, NULL), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "Guest agent is not responding: Guest agent disappeared while executing command");
    g_thread_join(t);
    peer_stop(&p, agent);
}

static gpointer
cancel_later(gpointer data)
{
    g_usleep(200 * 1000);
    vk_agent_cancel(data);
    return NULL;
}

static void
test_cancel_keeps_the_connection(void)
{
    /* the cancelled command's reply comes late, after the next sync was
     * sent: that sync skips it */
    static const PeerStep steps[] = { ECHO_SYNC, SILENT, STALE_THEN_SYNC, REPLY, END };
    Peer p = { 0 };
    VkAgent *agent = peer_start(&p, steps, "{\"return\": 7}\n");
    g_autoptr(VkJson) cmd = command("guest-get-time");
    g_autoptr(VkJson) reply = NULL;

    GThread *t = g_thread_new("cancel", cancel_later, agent);
    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_BLOCK, VK_AGENT_AWAIT_NONE,
                                     true, NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_AGENT_UNRESPONSIVE);
    g_thread_join(t);
    g_assert_cmpint(vk_agent_command(agent, cmd, VK_AGENT_TIMEOUT_DEFAULT, VK_AGENT_AWAIT_NONE,
                                     true, &reply), ==, 0);
    g_assert_cmpint(vk_json_get_int(vk_json_object_get(reply, "return"), 0), ==, 7);
    peer_stop(&p, agent);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-agent/sync-skips-stale-replies", test_sync_skips_stale_replies);
    g_test_add_func("/qemu-agent/error-reply", test_error_reply);
    g_test_add_func("/qemu-agent/silent-agent-times-out", test_silent_agent_times_out);
    g_test_add_func("/qemu-agent/command-without-reply-ends-with-event",
                    test_command_without_reply_ends_with_event);
    g_test_add_func("/qemu-agent/close-wakes-a-waiting-command", test_close_wakes_a_waiting_command);
    g_test_add_func("/qemu-agent/cancel-keeps-the-connection", test_cancel_keeps_the_connection);
    return g_test_run();
}
