#include "common/daemon/daemonize.h"
#include "common/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>

/* Protocol on the pipe: one byte, 0 for ready or 1 for failure followed by
 * the message.  EOF without a byte means the daemon died. */
#define VK_DAEMONIZE_READY 0
#define VK_DAEMONIZE_FAILED 1

static int status_fd = -1;

static void
write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        buf += n;
        len -= (size_t) n;
    }
}

/* The original process: report what the daemon said and exit. */
static _Noreturn void
wait_for_daemon(int fd, pid_t child)
{
    GString *msg = g_string_new(NULL);
    unsigned char status = VK_DAEMONIZE_FAILED;
    gboolean got_status = FALSE;
    char buf[512];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (!got_status) {
            status = (unsigned char) buf[0];
            got_status = TRUE;
            g_string_append_len(msg, buf + 1, n - 1);
        } else {
            g_string_append_len(msg, buf, n);
        }
        if (status == VK_DAEMONIZE_READY)
            break;
    }
    /* the intermediate child exits right after the second fork */
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
    if (got_status && status == VK_DAEMONIZE_READY)
        _exit(0);
    fprintf(stderr, "%s: %s\n", g_get_prgname() ? g_get_prgname() : "daemon",
            msg->len ? msg->str : "the daemon exited before it was ready");
    fflush(stderr);
    _exit(1);
}

int
vk_daemonize(void)
{
    g_autoptr(GError) gerr = NULL;
    int fds[2];
    pid_t pid;
    int null_fd;

    if (!g_unix_open_pipe(fds, FD_CLOEXEC, &gerr)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "cannot create a pipe to daemonize: %s", gerr->message);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot fork into the background");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid > 0) {
        close(fds[1]);
        wait_for_daemon(fds[0], pid);
    }

    /* intermediate child: leave the terminal's session, then fork again so
     * the daemon is not a session leader and never regains a terminal */
    close(fds[0]);
    status_fd = fds[1];
    if (setsid() < 0) {
        vk_daemonize_failed("cannot start a new session");
        _exit(1);
    }
    pid = fork();
    if (pid < 0) {
        vk_daemonize_failed("cannot fork the daemon process");
        _exit(1);
    }
    if (pid > 0)
        _exit(0);

    if (chdir("/") < 0) {
        vk_daemonize_failed("cannot change directory to '/'");
        _exit(1);
    }
    null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(null_fd, STDOUT_FILENO) < 0 || dup2(null_fd, STDERR_FILENO) < 0) {
        vk_daemonize_failed("cannot redirect standard input and output to /dev/null");
        _exit(1);
    }
    if (null_fd > STDERR_FILENO)
        close(null_fd);
    return 0;
}

void
vk_daemonize_ready(void)
{
    char byte = VK_DAEMONIZE_READY;

    if (status_fd < 0)
        return;
    write_all(status_fd, &byte, 1);
    close(status_fd);
    status_fd = -1;
}

void
vk_daemonize_failed(const char *message)
{
    char byte = VK_DAEMONIZE_FAILED;

    if (status_fd < 0)
        return;
    write_all(status_fd, &byte, 1);
    if (message)
        write_all(status_fd, message, strlen(message));
    close(status_fd);
    status_fd = -1;
}
