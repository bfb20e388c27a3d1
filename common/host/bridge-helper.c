#include "common/host/bridge-helper.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "common/util/error.h"

char *
vk_bridge_helper_find(void)
{
    static const char *const dirs[] = { "/usr/libexec", "/usr/lib/qemu", "/usr/lib" };

    for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
        char *path = g_build_filename(dirs[i], "qemu-bridge-helper", NULL);
        if (access(path, X_OK) == 0)
            return path;
        g_free(path);
    }
    return NULL;
}

/* One fd passed over SOCK; -1 with errno (ENOTCONN: the peer closed
 * without passing one). */
static int
receive_fd(int sock)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union { struct cmsghdr hdr; char buf[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cmsg;
    ssize_t n;
    int fd;

    do {
        n = recvmsg(sock, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    cmsg = CMSG_FIRSTHDR(&msg);
    if (n == 0 || !cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) {
        errno = ENOTCONN;
        return -1;
    }
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
    return fd;
}

/* Everything FD gives until EOF (the helper's stderr), then closed. */
static char *
read_all(int fd)
{
    GString *text = g_string_new(NULL);
    char buf[512];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            g_string_append_len(text, buf, n);
    close(fd);
    return g_string_free(text, FALSE);
}

static char *
tap_name(int fd)
{
    struct ifreq ifr = { 0 };

    if (ioctl(fd, TUNGETIFF, &ifr) < 0)
        return NULL;
    return g_strndup(ifr.ifr_name, IFNAMSIZ);
}

int
vk_bridge_helper_tap(const char *helper, const char *bridge, bool vnet_hdr, char **ifname)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *br_arg = g_strdup_printf("--br=%s", bridge);
    g_autofree char *fd_arg = NULL;
    g_autofree char *cmdline = NULL;
    g_autofree char *err_text = NULL;
    const char *argv[5];
    int n = 0, pair[2], err_fd = -1, fd, saved;
    GPid pid;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot create a socket pair");
        return -1;
    }
    fd_arg = g_strdup_printf("--fd=%d", pair[1]);
    argv[n++] = helper;
    if (vnet_hdr)
        argv[n++] = "--use-vnet";
    argv[n++] = br_arg;
    argv[n++] = fd_arg;
    argv[n] = NULL;
    cmdline = g_strjoinv(" ", (char **) argv);

    if (!g_spawn_async_with_pipes_and_fds(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                          NULL, -1, -1, -1, &pair[1], &pair[1], 1, &pid, NULL,
                                          NULL, &err_fd, &gerr)) {
        close(pair[0]);
        close(pair[1]);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s: %s", cmdline, gerr->message);
        return -1;
    }
    close(pair[1]);   /* the helper's end: EOF here once it is gone */
    fd = receive_fd(pair[0]);
    saved = errno;
    close(pair[0]);
    err_text = read_all(err_fd);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    if (fd < 0) {
        g_autofree char *what = *err_text ? g_strdup_printf("stderr=%s", err_text) : g_strdup("");
        vk_error_report_errno(VIR_FROM_QEMU, saved,
                              "%s: failed to communicate with bridge helper: %s", cmdline, what);
        return -1;
    }
    if (!(*ifname = tap_name(fd))) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot get the name of the tap on '%s'",
                              bridge);
        close(fd);
        return -1;
    }
    return fd;
}
