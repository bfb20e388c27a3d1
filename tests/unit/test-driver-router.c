/* The router with two servers on UNIX sockets under a temporary root: an
 * "upstream" network daemon (virtnetworkd's sockets) and a "front" one
 * (virtqemud's) that routes network calls to it, driven by the RPC client:
 * replies, errors, serials with several calls in flight, events, the
 * upstream going away and coming back, read-only clients, a client's
 * going closing its upstream connection, and streams: a volume's upload
 * and download passed through both ways (the upstream also serves
 * virtstoraged's sockets). */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "common/daemon/remote-connect.h"
#include "common/driver/router.h"
#include "common/rpc/client.h"
#include "common/rpc/client-stream.h"
#include "common/rpc/server-file-stream.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "remote-protocol.h"
#include "test-loop-thread.h"

#define CALLBACK_ID 42
#define SLOW_PREFIX "slow-"

typedef struct {
    TestLoopThread loop;
    VkServer *server;
    VkRpcProgram *remote;
} Daemon;

typedef struct {
    char *root;
    VkPaths *paths;
    Daemon upstream;
    Daemon front;
    VkRouter *router;
    gint closes;             /* CONNECT_CLOSE calls the upstream got */
    char *volume;            /* the file the upstream's volume "vol" is */
} Fixture;

static Fixture *current;     /* for the upstream's handlers */

/* ---- the upstream's handlers ---- */

static int
num_of_networks(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_networks_ret *) retp)->num = 7;
    return 0;
}

/* Tells the test how the client came: 1 read-only, 0 read-write. */
static int
num_of_defined_networks(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_defined_networks_ret *) retp)->num =
        vk_server_client_is_readonly(client);
    return 0;
}

static int
lookup_by_uuid(VkServerClient *client, void *args, void *ret)
{
    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK, "%s",
                    "no network with matching uuid 'test'");
    return -1;
}

/* XML "slow-N" answers after N milliseconds with a network of that name
 * (a call libvirt runs on a worker, unlike the lookups). */
static int
create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_create_xml_args *args = argsp;
    remote_network_create_xml_ret *ret = retp;

    if (g_str_has_prefix(args->xml, SLOW_PREFIX))
        g_usleep(atoi(args->xml + strlen(SLOW_PREFIX)) * 1000);
    ret->net.name = strdup(args->xml);
    return 0;
}

/* The event that follows a registration, and one for an id nobody holds
 * (the router drops it), once the reply has gone. */
static gpointer
send_events(gpointer data)
{
    VkServerClient *client = data;
    remote_network_event_lifecycle_msg msg = {
        .callbackID = CALLBACK_ID + 1, .net.name = (char *) "other", .event = 1,
    };

    g_usleep(100 * 1000);
    vk_server_client_send_event(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
                                (xdrproc_t) xdr_remote_network_event_lifecycle_msg, &msg);
    msg.callbackID = CALLBACK_ID;
    msg.net.name = (char *) "default";
    msg.event = 2;
    vk_server_client_send_event(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
                                (xdrproc_t) xdr_remote_network_event_lifecycle_msg, &msg);
    vk_server_client_unref(client);
    return NULL;
}

/* Registering answers the daemon's id CALLBACK_ID, then sends events. */
static int
event_register(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_network_event_register_any_ret *) retp)->callbackID = CALLBACK_ID;
    g_thread_unref(g_thread_new("events", send_events, vk_server_client_ref(client)));
    return 0;
}

static int
connect_close(VkServerClient *client, void *args, void *ret)
{
    g_atomic_int_inc(&current->closes);
    return 0;
}

/* The volume "vol" is the fixture's file; any other is missing. */
static int
open_volume(VkServerClient *client, const remote_nonnull_storage_vol *vol, VkStreamDirection dir)
{
    int fd;

    if (strcmp(vol->name, "vol") != 0) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_VOL,
                        "Storage volume not found: no storage vol with matching name '%s'",
                        vol->name);
        return -1;
    }
    fd = open(current->volume, dir == VK_STREAM_UPLOAD ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY,
              0600);
    g_assert_cmpint(fd, >=, 0);
    vk_server_stream_unref(vk_server_stream_open_file(client, fd, dir, 0, 0, false));
    return 0;
}

static int
vol_upload(VkServerClient *client, void *argsp, void *ret)
{
    return open_volume(client, &((remote_storage_vol_upload_args *) argsp)->vol,
                       VK_STREAM_UPLOAD);
}

static int
vol_download(VkServerClient *client, void *argsp, void *ret)
{
    return open_volume(client, &((remote_storage_vol_download_args *) argsp)->vol,
                       VK_STREAM_DOWNLOAD);
}

static const VkRpcHandlerEntry upstream_handlers[] = {
    { REMOTE_PROC_STORAGE_VOL_UPLOAD, vol_upload },
    { REMOTE_PROC_STORAGE_VOL_DOWNLOAD, vol_download },
    { REMOTE_PROC_CONNECT_NUM_OF_NETWORKS, num_of_networks },
    { REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS, num_of_defined_networks },
    { REMOTE_PROC_NETWORK_LOOKUP_BY_UUID, lookup_by_uuid },
    { REMOTE_PROC_NETWORK_CREATE_XML, create_xml },
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, event_register },
    { REMOTE_PROC_CONNECT_CLOSE, connect_close },
};

/* ---- the two daemons ---- */

static void
daemon_start(Daemon *d, const VkPaths *paths, const char *name, const char *uri)
{
    VkServerConfig config = { .max_clients = 10, .max_workers = 8, .max_client_requests = 10 };
    g_autofree char *rw = vk_paths_socket(paths, name, VK_SOCKET_RW);
    g_autofree char *ro = vk_paths_socket(paths, name, VK_SOCKET_RO);

    test_loop_thread_init(&d->loop);
    d->server = vk_server_new(&config, d->loop.context);
    d->remote = vk_remote_program_new(uri);
    vk_server_add_program(d->server, d->remote, false);
    vk_remote_program_attach(d->server);
    g_assert_cmpint(vk_server_listen_unix(d->server, rw, 0700, VK_LISTEN_READ_WRITE), ==, 0);
    g_assert_cmpint(vk_server_listen_unix(d->server, ro, 0777, VK_LISTEN_READ_ONLY), ==, 0);
    test_loop_thread_start(&d->loop);
}

static void
daemon_stop(Daemon *d)
{
    test_loop_thread_stop(&d->loop);
    vk_server_free(d->server);
    vk_rpc_program_free(d->remote);
    test_loop_thread_clear(&d->loop);
    memset(d, 0, sizeof(*d));
}

static void
upstream_start(Fixture *f)
{
    g_autofree char *storage = vk_paths_socket(f->paths, "virtstoraged", VK_SOCKET_RW);

    daemon_start(&f->upstream, f->paths, "virtnetworkd", "network:///system");
    g_assert_cmpint(vk_server_listen_unix(f->upstream.server, storage, 0700,
                                          VK_LISTEN_READ_WRITE), ==, 0);
    vk_rpc_program_add_handlers(f->upstream.remote, upstream_handlers,
                                G_N_ELEMENTS(upstream_handlers));
}

static void
setup(Fixture *f, gconstpointer data)
{
    f->root = g_dir_make_tmp("vk-router-XXXXXX", NULL);
    f->paths = vk_paths_new(f->root);
    g_assert_cmpint(vk_file_make_dirs(f->paths->run_dir, 0755), ==, 0);
    current = f;
    upstream_start(f);
    daemon_start(&f->front, f->paths, "virtqemud", "qemu:///system");
    f->router = vk_router_new(f->front.remote, f->paths,
                              VK_PROC_OWNER_BIT(VK_PROC_OWNER_NETWORK) |
                              VK_PROC_OWNER_BIT(VK_PROC_OWNER_STORAGE));
    f->volume = g_build_filename(f->root, "volume", NULL);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    daemon_stop(&f->front);
    vk_router_free(f->router);
    if (f->upstream.server)
        daemon_stop(&f->upstream);
    g_unlink(f->volume);
    g_free(f->volume);
    /* the servers removed their sockets */
    g_assert_cmpint(g_rmdir(f->paths->run_dir), ==, 0);
    g_autofree char *run = g_path_get_dirname(f->paths->run_dir);
    g_assert_cmpint(g_rmdir(run), ==, 0);
    g_assert_cmpint(g_rmdir(f->root), ==, 0);
    vk_paths_free(f->paths);
    g_free(f->root);
    current = NULL;
}

/* ---- the client's side ---- */

static VkRpcClient *
open_front(Fixture *f, VkSocketKind kind)
{
    g_autofree char *path = vk_paths_socket(f->paths, "virtqemud", kind);
    VkRpcClient *client = vk_rpc_client_connect_unix(path);
    char *uri = (char *) "qemu:///system";
    remote_connect_open_args args = { .name = &uri };

    g_assert_nonnull(client);
    g_assert_cmpint(vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                       REMOTE_PROC_CONNECT_OPEN,
                                       (xdrproc_t) xdr_remote_connect_open_args, &args,
                                       NULL, NULL), ==, 0);
    return client;
}

/* A call whose reply is one int (NUM_OF_*): the int, or -1 with the error. */
static int
call_num(VkRpcClient *client, int proc)
{
    remote_connect_num_of_networks_ret ret = { 0 };

    if (vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc, NULL, NULL,
                           (xdrproc_t) xdr_remote_connect_num_of_networks_ret, &ret) < 0)
        return -1;
    return ret.num;
}

static void
assert_error(int code, int domain, const char *message)
{
    const VkError *err = vk_error_last();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    if (message)
        g_assert_nonnull(strstr(err->message, message));
    vk_error_reset();
}

/* The first call after its daemon went: the old connection's end, when its
 * reader had not seen it yet, else the connect error every later call gets. */
static void
assert_ended_or_unreachable(const char *connect_message)
{
    const VkError *err = vk_error_last();

    g_assert_nonnull(err);
    if (err->code == VIR_ERR_RPC)
        assert_error(VIR_ERR_RPC, VIR_FROM_RPC, NULL);
    else
        assert_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, connect_message);
}

static guint
wait_clients(VkServer *server, guint want)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (vk_server_client_count(server) != want && g_get_monotonic_time() < deadline)
        g_usleep(2000);
    return vk_server_client_count(server);
}

/* ---- the tests ---- */

static void
test_replies_and_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    remote_network_lookup_by_uuid_args uuid_args = { 0 };
    remote_connect_get_uri_ret uri = { 0 };

    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
    g_assert_cmpint(vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                       REMOTE_PROC_NETWORK_LOOKUP_BY_UUID,
                                       (xdrproc_t) xdr_remote_network_lookup_by_uuid_args,
                                       &uuid_args, NULL, NULL), ==, -1);
    assert_error(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK, "no network with matching uuid 'test'");

    /* connection-level calls stay local */
    g_assert_cmpint(vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                       REMOTE_PROC_CONNECT_GET_URI, NULL, NULL,
                                       (xdrproc_t) xdr_remote_connect_get_uri_ret, &uri), ==, 0);
    g_assert_cmpstr(uri.uri, ==, "qemu:///system");
    xdr_free((xdrproc_t) xdr_remote_connect_get_uri_ret, (char *) &uri);

    /* node devices are not routed by this front: not supported, as before */
    g_assert_cmpint(call_num(client, REMOTE_PROC_NODE_NUM_OF_DEVICES), ==, -1);
    assert_error(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, "virNodeNumOfDevices");
    g_assert_cmpuint(vk_server_client_count(f->upstream.server), ==, 1);
}

typedef struct {
    VkRpcClient *client;
    int delay_ms;
    char *got;
} SlowCall;

static gpointer
slow_create(gpointer data)
{
    SlowCall *call = data;
    g_autofree char *xml = g_strdup_printf(SLOW_PREFIX "%d", call->delay_ms);
    remote_network_create_xml_args args = { .xml = xml };
    remote_network_create_xml_ret ret = { 0 };

    if (vk_rpc_client_call(call->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                           REMOTE_PROC_NETWORK_CREATE_XML,
                           (xdrproc_t) xdr_remote_network_create_xml_args, &args,
                           (xdrproc_t) xdr_remote_network_create_xml_ret, &ret) == 0) {
        call->got = g_strdup(ret.net.name);
        xdr_free((xdrproc_t) xdr_remote_network_create_xml_ret, (char *) &ret);
    }
    return NULL;
}

/* Replies come back out of order, each under its own call's serial, and
 * the calls ran side by side upstream. */
static void
test_calls_in_flight(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    static const int delays[] = { 400, 300, 200, 100, 0 };
    SlowCall calls[G_N_ELEMENTS(delays)] = { 0 };
    GThread *threads[G_N_ELEMENTS(delays)];
    gint64 start;

    /* local calls first, so that the client's serials are not the upstream's */
    for (int i = 0; i < 3; i++)
        g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_IS_SECURE), ==, 1);
    start = g_get_monotonic_time();
    for (gsize i = 0; i < G_N_ELEMENTS(delays); i++) {
        calls[i] = (SlowCall) { .client = client, .delay_ms = delays[i] };
        threads[i] = g_thread_new("call", slow_create, &calls[i]);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(delays); i++) {
        g_autofree char *want = g_strdup_printf(SLOW_PREFIX "%d", delays[i]);
        g_thread_join(threads[i]);
        g_assert_cmpstr(calls[i].got, ==, want);
        g_free(calls[i].got);
    }
    g_assert_cmpint(g_get_monotonic_time() - start, <, 900 * 1000);
    g_assert_cmpuint(vk_server_client_count(f->upstream.server), ==, 1);
}

typedef struct {
    GMutex lock;
    GCond cond;
    int proc;
    remote_network_event_lifecycle_msg msg;
} EventSeen;

static void
on_event(VkRpcClient *client, const VkMessage *msg, gpointer opaque)
{
    EventSeen *seen = opaque;

    g_mutex_lock(&seen->lock);
    seen->proc = msg->header.proc;
    g_assert_cmpint(vk_message_decode_payload(msg,
                                              (xdrproc_t) xdr_remote_network_event_lifecycle_msg,
                                              &seen->msg), ==, 0);
    g_cond_signal(&seen->cond);
    g_mutex_unlock(&seen->lock);
}

static void
test_events_pass_through(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    remote_connect_network_event_register_any_args args = { .eventID = 0 };
    remote_connect_network_event_register_any_ret ret = { 0 };
    EventSeen seen = { 0 };
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    g_mutex_init(&seen.lock);
    g_cond_init(&seen.cond);
    vk_rpc_client_set_event_func(client, on_event, &seen);
    g_assert_cmpint(vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                       REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
                                       (xdrproc_t) xdr_remote_connect_network_event_register_any_args,
                                       &args,
                                       (xdrproc_t) xdr_remote_connect_network_event_register_any_ret,
                                       &ret), ==, 0);
    /* the client's first id, not the daemon's */
    g_assert_cmpint(ret.callbackID, ==, 1);

    g_mutex_lock(&seen.lock);
    while (!seen.proc && g_cond_wait_until(&seen.cond, &seen.lock, deadline))
        ;
    g_mutex_unlock(&seen.lock);
    vk_rpc_client_set_event_func(client, NULL, NULL);
    g_assert_cmpint(seen.proc, ==, REMOTE_PROC_NETWORK_EVENT_LIFECYCLE);
    g_assert_cmpint(seen.msg.callbackID, ==, 1);
    g_assert_cmpstr(seen.msg.net.name, ==, "default");
    g_assert_cmpint(seen.msg.event, ==, 2);
    xdr_free((xdrproc_t) xdr_remote_network_event_lifecycle_msg, (char *) &seen.msg);
    g_cond_clear(&seen.cond);
    g_mutex_clear(&seen.lock);
}

/* The upstream stops: its calls fail with the socket's error while the
 * local ones go on; it comes back: the next call reconnects.  The first
 * call may still reach the old connection before its reader has seen the
 * end (it then fails with that connection's end, as libvirt's proxy
 * does); from the second on, the router has to connect again. */
static void
test_upstream_down_and_back(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    g_autofree char *sock = vk_paths_socket(f->paths, "virtnetworkd", VK_SOCKET_RW);
    g_autofree char *message = g_strdup_printf(
        "Failed to connect socket to '%s': No such file or directory", sock);

    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
    daemon_stop(&f->upstream);

    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, -1);
    assert_ended_or_unreachable(message);
    for (int i = 0; i < 2; i++) {
        g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, -1);
        assert_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, message);
    }
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_IS_SECURE), ==, 1);

    upstream_start(f);
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
}

/* A read-only client reaches the upstream's read-only socket only. */
static void
test_readonly_client(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) ro = open_front(f, VK_SOCKET_RO);
    g_autoptr(VkRpcClient) rw = open_front(f, VK_SOCKET_RW);

    g_assert_cmpint(call_num(ro, REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS), ==, 1);
    g_assert_cmpint(call_num(rw, REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS), ==, 0);
}

static void
test_client_gone_closes_upstream(Fixture *f, gconstpointer data)
{
    VkRpcClient *client = open_front(f, VK_SOCKET_RW);

    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
    g_assert_cmpuint(vk_server_client_count(f->upstream.server), ==, 1);
    vk_rpc_client_free(client);
    g_assert_cmpuint(wait_clients(f->upstream.server, 0), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&f->closes), ==, 1);
}

/* ---- streams ---- */

#define STREAM_BYTES (6 * 1024 * 1024 + 12345)

static GBytes *
random_bytes(gsize len)
{
    guint8 *data = g_malloc(len);

    for (gsize i = 0; i < len; i++)
        data[i] = g_random_int_range(0, 256);
    return g_bytes_new_take(data, len);
}

/* Open a transfer of volume NAME; the stream, or NULL with the error. */
static VkRpcStream *
open_transfer(VkRpcClient *client, int proc, const char *name)
{
    remote_storage_vol_upload_args args = {
        .vol = { .pool = (char *) "pool", .name = (char *) name, .key = (char *) "key" },
    };
    g_autoptr(VkRpcStream) stream = vk_rpc_stream_new(client);

    /* local calls first, so that the client's serials are not the upstream's */
    for (int i = 0; i < 3; i++)
        g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_IS_SECURE), ==, 1);
    if (vk_rpc_client_call_stream(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                                  (xdrproc_t) xdr_remote_storage_vol_upload_args, &args, NULL,
                                  NULL, stream) < 0)
        return NULL;
    return g_steal_pointer(&stream);
}

static void
test_stream_upload(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    g_autoptr(GBytes) sent = random_bytes(STREAM_BYTES);
    g_autoptr(VkRpcStream) stream = open_transfer(client, REMOTE_PROC_STORAGE_VOL_UPLOAD, "vol");
    g_autofree char *written = NULL;
    gsize len = 0;

    g_assert_nonnull(stream);
    g_assert_cmpint(vk_rpc_stream_send(stream, g_bytes_get_data(sent, NULL),
                                       g_bytes_get_size(sent)), ==, 0);
    g_assert_cmpint(vk_rpc_stream_finish(stream), ==, 0);
    g_assert_true(g_file_get_contents(f->volume, &written, &len, NULL));
    g_assert_cmpmem(written, len, g_bytes_get_data(sent, NULL), g_bytes_get_size(sent));
    /* the connection goes on */
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
}

/* A download read slowly at first: the router holds the upstream back
 * instead of queueing the file, and every byte arrives in order. */
static void
test_stream_download(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    g_autoptr(GBytes) file = random_bytes(STREAM_BYTES);
    g_autoptr(GByteArray) got = g_byte_array_new();
    g_autoptr(VkRpcStream) stream = NULL;
    char buf[65536];
    gssize n;

    g_assert_true(g_file_set_contents(f->volume, g_bytes_get_data(file, NULL),
                                      g_bytes_get_size(file), NULL));
    stream = open_transfer(client, REMOTE_PROC_STORAGE_VOL_DOWNLOAD, "vol");
    g_assert_nonnull(stream);
    while ((n = vk_rpc_stream_recv(stream, buf, sizeof(buf), false)) > 0) {
        if (got->len < 1024 * 1024)
            g_usleep(2000);
        g_byte_array_append(got, (guint8 *) buf, n);
    }
    g_assert_cmpint(n, ==, 0);
    g_assert_cmpint(vk_rpc_stream_finish(stream), ==, 0);
    g_assert_cmpmem(got->data, got->len, g_bytes_get_data(file, NULL), g_bytes_get_size(file));
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
}

/* A stream the upstream refuses: its error, and no stream. */
static void
test_stream_refused(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);

    g_assert_null(open_transfer(client, REMOTE_PROC_STORAGE_VOL_UPLOAD, "missing"));
    assert_error(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_STORAGE, "'missing'");
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);
}

/* The client aborts an upload half way: confirmed, and the connection goes
 * on; the upstream daemon goes in the middle of another: the client's
 * stream fails with libvirt's end-of-file error. */
static void
test_stream_abort_and_upstream_gone(Fixture *f, gconstpointer data)
{
    g_autoptr(VkRpcClient) client = open_front(f, VK_SOCKET_RW);
    g_autoptr(GBytes) sent = random_bytes(1024 * 1024);
    g_autoptr(VkRpcStream) aborted = open_transfer(client, REMOTE_PROC_STORAGE_VOL_UPLOAD, "vol");
    g_autoptr(VkRpcStream) cut = NULL;
    char buf[4096];

    g_assert_nonnull(aborted);
    g_assert_cmpint(vk_rpc_stream_send(aborted, g_bytes_get_data(sent, NULL),
                                       g_bytes_get_size(sent)), ==, 0);
    g_assert_cmpint(vk_rpc_stream_abort(aborted), ==, 0);
    g_assert_cmpint(call_num(client, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS), ==, 7);

    /* far more than the sockets and the router's four frames hold, so the
     * download is still going when its daemon goes */
    g_autofree char *big = g_malloc0(32 * 1024 * 1024);
    g_assert_true(g_file_set_contents(f->volume, big, 32 * 1024 * 1024, NULL));
    cut = open_transfer(client, REMOTE_PROC_STORAGE_VOL_DOWNLOAD, "vol");
    g_assert_nonnull(cut);
    g_assert_cmpint(vk_rpc_stream_recv(cut, buf, sizeof(buf), false), >, 0);
    daemon_stop(&f->upstream);
    gssize n;
    while ((n = vk_rpc_stream_recv(cut, buf, sizeof(buf), false)) > 0)
        ;
    g_assert_cmpint(n, ==, -1);
    assert_error(VIR_ERR_RPC, VIR_FROM_RPC, "End of file while reading data");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/router/replies-and-errors", test_replies_and_errors);
    ADD("/router/calls-in-flight", test_calls_in_flight);
    ADD("/router/events", test_events_pass_through);
    ADD("/router/upstream-down-and-back", test_upstream_down_and_back);
    ADD("/router/readonly", test_readonly_client);
    ADD("/router/client-gone", test_client_gone_closes_upstream);
    ADD("/router/stream/upload", test_stream_upload);
    ADD("/router/stream/download", test_stream_download);
    ADD("/router/stream/refused", test_stream_refused);
    ADD("/router/stream/abort-and-upstream-gone", test_stream_abort_and_upstream_gone);
#undef ADD
    return g_test_run();
}
