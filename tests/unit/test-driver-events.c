/* The common event registry with a real server and a client on a UNIX
 * socket: callback ids, the plain forms and their errors, who gets which
 * event, and a client's registrations going with it. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/daemon/remote-connect.h"
#include "common/driver/event-registry.h"
#include "common/rpc/frame.h"
#include "common/util/error.h"
#include "common/util/uuid.h"
#include "test-loop-thread.h"

enum { PLAIN_PROC = 100, CALLBACK_PROC = 200, N_EVENTS = 3 };

typedef struct {
    int callback_id;
    int value;
} CallbackMsg;

static bool_t
xdr_callback_msg(XDR *xdrs, CallbackMsg *m)
{
    return xdr_int(xdrs, &m->callback_id) && xdr_int(xdrs, &m->value);
}

typedef struct {
    TestLoopThread loop;
    VkServer *server;
    char *dir, *path;
    int fd;                      /* the test's end of the connection */
    VkServerClient *client;      /* the server's end */
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
    VkServerConfig config = { .max_clients = 10, .max_workers = 1 };
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    GPtrArray *clients;

    f->dir = g_dir_make_tmp("vk-events-XXXXXX", NULL);
    f->path = g_build_filename(f->dir, "sock", NULL);
    test_loop_thread_init(&f->loop);
    f->server = vk_server_new(&config, f->loop.context);
    vk_remote_program_attach(f->server);   /* clients get their close hooks */
    g_assert_cmpint(vk_server_listen_unix(f->server, f->path, 0700, VK_LISTEN_READ_WRITE), ==, 0);
    test_loop_thread_start(&f->loop);

    f->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(addr.sun_path, f->path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(f->fd, (struct sockaddr *) &addr, sizeof(addr)), ==, 0);
    while (vk_server_client_count(f->server) == 0 && g_get_monotonic_time() < deadline)
        g_usleep(1000);
    clients = vk_server_clients(f->server);
    g_assert_cmpuint(clients->len, ==, 1);
    f->client = vk_server_client_ref(g_ptr_array_index(clients, 0));
    g_ptr_array_unref(clients);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    if (f->fd >= 0)
        close(f->fd);
    vk_server_client_unref(f->client);
    test_loop_thread_stop(&f->loop);
    vk_server_free(f->server);
    test_loop_thread_clear(&f->loop);
    g_rmdir(f->dir);
    g_free(f->dir);
    g_free(f->path);
}

/* The next frame from the server: its procedure and payload's two ints. */
static int
next_event(Fixture *f, int *first, int *second)
{
    guint8 buf[64];
    gsize got = 0;
    guint32 len;
    VkRpcHeader hdr;

    while (got < 4)
        got += (gsize) read(f->fd, buf + got, 4 - got);
    len = vk_rpc_frame_get_length(buf);
    g_assert_cmpuint(len, <=, sizeof(buf));
    while (got < len)
        got += (gsize) read(f->fd, buf + got, len - got);
    vk_rpc_header_decode(buf + 4, &hdr);
    *first = (int) GUINT32_FROM_BE(*(guint32 *) (buf + 28));
    *second = len >= 36 ? (int) GUINT32_FROM_BE(*(guint32 *) (buf + 32)) : 0;
    return hdr.proc;
}

static void
emit(VkEventRegistry *r, int event_id, guint8 uuid_byte, int value)
{
    unsigned char uuid[VK_UUID_BUFLEN];
    CallbackMsg cb = { .value = value };
    int plain = value;
    VkEventMessage m = {
        event_id, PLAIN_PROC, (xdrproc_t) xdr_int, &plain,
        CALLBACK_PROC, (xdrproc_t) xdr_callback_msg, &cb, &cb.callback_id, uuid,
    };

    memset(uuid, uuid_byte, sizeof(uuid));
    vk_event_registry_emit(r, &m);
}

static void
test_callbacks_and_filters(Fixture *f, gconstpointer data)
{
    VkEventRegistry *r = vk_event_registry_new("widget", N_EVENTS, VIR_FROM_NETWORK);
    unsigned char uuid_a[VK_UUID_BUFLEN];
    int first, second;

    memset(uuid_a, 0xa, sizeof(uuid_a));
    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, 0, uuid_a), ==, 1);
    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, 0, NULL), ==, 2);
    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, 1, NULL), ==, 3);

    /* an event about another object: only the unfiltered registration */
    emit(r, 0, 0xb, 7);
    g_assert_cmpint(next_event(f, &first, &second), ==, CALLBACK_PROC);
    g_assert_cmpint(first, ==, 2);
    g_assert_cmpint(second, ==, 7);
    /* about object A: both, in registration order */
    emit(r, 0, 0xa, 8);
    g_assert_cmpint(next_event(f, &first, &second), ==, CALLBACK_PROC);
    g_assert_cmpint(first, ==, 1);
    g_assert_cmpint(next_event(f, &first, &second), ==, CALLBACK_PROC);
    g_assert_cmpint(first, ==, 2);

    g_assert_cmpint(vk_event_registry_remove_callback(r, f->client, 2), ==, 0);
    g_assert_cmpint(vk_event_registry_remove_callback(r, f->client, 2), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(vk_error_last_message(), ==, "invalid argument: callback ID 2 not registered");
    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, N_EVENTS, NULL), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, "invalid argument: unsupported event ID 3");
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_NETWORK);

    /* event 1 goes to its own registration only */
    emit(r, 1, 0xa, 9);
    g_assert_cmpint(next_event(f, &first, &second), ==, CALLBACK_PROC);
    g_assert_cmpint(first, ==, 3);
    g_assert_cmpint(second, ==, 9);
    g_assert_cmpuint(vk_event_registry_count(r), ==, 2);
    vk_event_registry_free(r);
}

static void
test_plain_forms(Fixture *f, gconstpointer data)
{
    VkEventRegistry *r = vk_event_registry_new("widget", N_EVENTS, VIR_FROM_NETWORK);
    int first, second;

    g_assert_cmpint(vk_event_registry_add_plain(r, f->client, 0, false), ==, 0);
    g_assert_cmpint(vk_event_registry_add_plain(r, f->client, 0, false), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "Requested operation is not valid: widget event 0 already registered");
    /* the legacy form is a registration of its own */
    g_assert_cmpint(vk_event_registry_add_plain(r, f->client, 0, true), ==, 0);
    emit(r, 0, 1, 5);
    g_assert_cmpint(next_event(f, &first, &second), ==, PLAIN_PROC);
    g_assert_cmpint(first, ==, 5);
    g_assert_cmpint(next_event(f, &first, &second), ==, PLAIN_PROC);
    g_assert_cmpint(vk_event_registry_remove_plain(r, f->client, 0, true), ==, 0);
    g_assert_cmpint(vk_event_registry_remove_plain(r, f->client, 0, true), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, "invalid argument: widget event 0 not registered");
    g_assert_cmpuint(vk_event_registry_count(r), ==, 1);
    vk_event_registry_free(r);
}

/* A client that hangs up loses its registrations (they held references to
 * it), and one that has gone cannot register any more. */
static void
test_client_gone(Fixture *f, gconstpointer data)
{
    VkEventRegistry *r = vk_event_registry_new("widget", N_EVENTS, VIR_FROM_NETWORK);
    VkEventRegistry *r2 = vk_event_registry_new("gadget", N_EVENTS, VIR_FROM_STORAGE);
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, 0, NULL), >, 0);
    g_assert_cmpint(vk_event_registry_add_plain(r, f->client, 1, false), ==, 0);
    g_assert_cmpint(vk_event_registry_add_callback(r2, f->client, 2, NULL), >, 0);
    close(f->fd);
    f->fd = -1;
    while ((vk_event_registry_count(r) || vk_event_registry_count(r2)) &&
           g_get_monotonic_time() < deadline)
        g_usleep(1000);
    g_assert_cmpuint(vk_event_registry_count(r), ==, 0);
    g_assert_cmpuint(vk_event_registry_count(r2), ==, 0);
    g_assert_cmpint(vk_event_registry_add_callback(r, f->client, 0, NULL), ==, -1);
    g_assert_cmpuint(vk_event_registry_count(r), ==, 0);
    vk_event_registry_free(r);
    vk_event_registry_free(r2);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/driver-events/" path, Fixture, NULL, setup, fn, teardown)
    ADD("callbacks-and-filters", test_callbacks_and_filters);
    ADD("plain-forms", test_plain_forms);
    ADD("client-gone", test_client_gone);
#undef ADD
    return g_test_run();
}
