/* The floor under a forwarding hop's CPU per call (bench/proxy): the
 * cheapest relay there is between two UNIX sockets.  For each connection
 * to LISTEN it connects to TARGET and runs two threads, each a blocking
 * read() into one buffer and a write() of what came, nothing else: a call
 * through it costs two wakeups and four system calls, which any process
 * between a client and a daemon pays.  No framing, no routing, no
 * errors worth reporting, and a finished connection keeps its sockets: a
 * benchmark's yardstick, not a daemon.
 *
 * usage: relay-floor LISTEN TARGET */
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
    int from, to;
} Pipe;

static int
unix_socket(const char *path, bool listening)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if (listening) {
        unlink(path);
        if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0 || listen(fd, 16) < 0)
            return -1;
    } else if (connect(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0) {
        return -1;
    }
    return fd;
}

static gpointer
pump(gpointer data)
{
    Pipe *pipe = data;
    static _Thread_local char buf[65536];
    ssize_t n;

    while ((n = read(pipe->from, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(pipe->to, buf + off, n - off);
            if (w <= 0)
                goto out;
            off += w;
        }
    }
out:
    shutdown(pipe->from, SHUT_RDWR);
    shutdown(pipe->to, SHUT_RDWR);
    return NULL;
}

int
main(int argc, char **argv)
{
    int listener;

    if (argc != 3) {
        fprintf(stderr, "usage: relay-floor LISTEN TARGET\n");
        return EXIT_FAILURE;
    }
    if ((listener = unix_socket(argv[1], true)) < 0) {
        perror(argv[1]);
        return EXIT_FAILURE;
    }
    for (;;) {
        int client = accept(listener, NULL, NULL);
        int upstream = client < 0 ? -1 : unix_socket(argv[2], false);
        Pipe *ways = g_new(Pipe, 2);

        if (upstream < 0) {
            perror(argv[2]);
            return EXIT_FAILURE;
        }
        ways[0] = (Pipe) { client, upstream };
        ways[1] = (Pipe) { upstream, client };
        g_thread_unref(g_thread_new("up", pump, &ways[0]));
        g_thread_unref(g_thread_new("down", pump, &ways[1]));
    }
}
