/* The RPC layer on its own: frame codec, message encoding, the error record,
 * and a server and client talking over a real UNIX socket. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/rpc/client.h"
#include "common/rpc/frame.h"
#include "common/rpc/message.h"
#include "common/rpc/program.h"
#include "common/rpc/server.h"
#include "test-loopback.h"

static void
test_header_round_trip(void)
{
    VkRpcHeader in = { .prog = 0x20008086, .vers = 1, .proc = -7, .type = VK_RPC_REPLY,
                       .serial = 0xdeadbeef, .status = VK_RPC_ERROR };
    VkRpcHeader out;
    guint8 buf[VK_RPC_HEADER_SIZE];
    static const guint8 expected[] = {
        0x20, 0x00, 0x80, 0x86, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xf9,
        0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1,
    };

    vk_rpc_header_encode(buf, &in);
    g_assert_cmpmem(buf, sizeof(buf), expected, sizeof(expected));
    vk_rpc_header_decode(buf, &out);
    g_assert_cmpmem(&in, sizeof(in), &out, sizeof(out));
}

static void
test_length_limits(void)
{
    g_assert_cmpint(vk_rpc_frame_check_length(27), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_RPC);
    g_assert_cmpint(vk_rpc_frame_check_length(28), ==, 0);
    g_assert_cmpint(vk_rpc_frame_check_length(VK_RPC_MAX_SIZE + 4), ==, 0);
    g_assert_cmpint(vk_rpc_frame_check_length(VK_RPC_MAX_SIZE + 5), ==, -1);
}

static void
test_message_encode_decode(void)
{
    g_autoptr(VkMessage) msg = vk_message_new();
    VkRpcHeader hdr = { .prog = 1, .vers = 2, .proc = 3, .serial = 4 };
    int value = 0x01020304, back = 0;

    g_assert_cmpint(vk_message_encode(msg, &hdr, (xdrproc_t) xdr_int, &value), ==, 0);
    g_assert_cmpuint(msg->len, ==, 4 + 24 + 4);
    g_assert_cmpuint(vk_rpc_frame_get_length(msg->buf), ==, msg->len);
    g_assert_cmpint(vk_message_decode_payload(msg, (xdrproc_t) xdr_int, &back), ==, 0);
    g_assert_cmpint(back, ==, value);

    /* Bytes left over after the arguments are an error, not ignored. */
    msg->len += 4;
    g_assert_cmpint(vk_message_decode_payload(msg, (xdrproc_t) xdr_int, &back), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, "Unable to decode message payload");
}

static void
test_error_record(void)
{
    VkError in = { .code = VIR_ERR_NO_DOMAIN, .domain = VIR_FROM_QEMU,
                   .message = (char *) "Domain not found: x", .level = VIR_ERR_ERROR,
                   .str2 = (char *) "x", .int1 = -1, .int2 = 5 };
    VkError out = { 0 };
    g_autoptr(VkMessage) msg = vk_message_new();
    VkRpcHeader call = { .prog = 9, .vers = 1, .proc = 23, .serial = 77 };

    g_assert_cmpint(vk_message_encode_error(msg, &call, &in), ==, 0);
    g_assert_cmpuint(msg->header.type, ==, VK_RPC_REPLY);
    g_assert_cmpuint(msg->header.status, ==, VK_RPC_ERROR);
    g_assert_cmpuint(msg->header.serial, ==, 77);
    g_assert_cmpint(vk_message_decode_payload(msg, (xdrproc_t) vk_xdr_error, &out), ==, 0);
    g_assert_cmpint(out.code, ==, in.code);
    g_assert_cmpint(out.domain, ==, in.domain);
    g_assert_cmpstr(out.message, ==, in.message);
    g_assert_null(out.str1);
    g_assert_cmpstr(out.str2, ==, "x");
    g_assert_cmpint(out.int2, ==, 5);
    xdr_free((xdrproc_t) vk_xdr_error, &out);

    /* No message: clients still get one. */
    g_autoptr(VkMessage) msg2 = vk_message_new();
    g_assert_cmpint(vk_message_encode_error(msg2, &call, NULL), ==, 0);
    g_assert_cmpint(vk_message_decode_payload(msg2, (xdrproc_t) vk_xdr_error, &out), ==, 0);
    g_assert_nonnull(out.message);
    xdr_free((xdrproc_t) vk_xdr_error, &out);
}

/* A tiny program for the loopback tests: ECHO returns its int doubled,
 * WRITE is refused on read-only sockets, MISSING has no handler. */
#define TEST_PROG 0x7e57
enum { PROC_ECHO = 1, PROC_WRITE = 2, PROC_MISSING = 3, PROC_SLOW = 4 };

static const VkProcInfo test_procs[] = {
    { 0 },
    { PROC_ECHO, "ECHO", "virTestEcho", (xdrproc_t) xdr_int, sizeof(int),
      (xdrproc_t) xdr_int, sizeof(int), VK_PROC_READONLY_OK },
    { PROC_WRITE, "WRITE", "virDomainWrite", NULL, 0, NULL, 0, 0 },
    { PROC_MISSING, "MISSING", "virTestMissing", NULL, 0, NULL, 0, VK_PROC_READONLY_OK },
    { PROC_SLOW, "SLOW", "virTestSlow", (xdrproc_t) xdr_int, sizeof(int),
      (xdrproc_t) xdr_int, sizeof(int), VK_PROC_READONLY_OK },
};

static const VkProcInfo *
test_lookup(int proc)
{
    return proc > 0 && proc < (int) G_N_ELEMENTS(test_procs) ? &test_procs[proc] : NULL;
}

static int
echo(VkServerClient *client, void *args, void *ret)
{
    /* a job taken here would name its holder by this call */
    g_assert_cmpstr(vk_rpc_current_api(), ==, "virTestEcho");
    *(int *) ret = *(int *) args * 2;
    return 0;
}

static int
slow(VkServerClient *client, void *args, void *ret)
{
    g_usleep(*(int *) args * 1000);
    *(int *) ret = *(int *) args;
    return 0;
}

static int
write_call(VkServerClient *client, void *args, void *ret)
{
    return 0;
}

typedef TestLoopback Loopback;

static void
loopback_start(Loopback *lb)
{
    static const VkRpcHandlerEntry handlers[] = {
        { PROC_ECHO, echo }, { PROC_WRITE, write_call }, { PROC_SLOW, slow },
    };

    test_loopback_start(lb, TEST_PROG, test_lookup, handlers, G_N_ELEMENTS(handlers));
}

static void
test_loopback_calls(void)
{
    Loopback lb = { 0 };
    int in = 21, out = 0;

    loopback_start(&lb);
    g_assert_null(vk_rpc_current_api());   /* outside any call */
    g_autoptr(VkRpcClient) client = vk_rpc_client_connect_unix(lb.rw_path);
    g_assert_nonnull(client);
    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, PROC_ECHO, (xdrproc_t) xdr_int, &in,
                                       (xdrproc_t) xdr_int, &out), ==, 0);
    g_assert_cmpint(out, ==, 42);

    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, PROC_MISSING, NULL, NULL, NULL, NULL),
                    ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "this function is not supported by the connection driver: virTestMissing");

    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, 99, NULL, NULL, NULL, NULL), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, "unknown procedure: 99");

    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 2, PROC_ECHO, (xdrproc_t) xdr_int, &in,
                                       (xdrproc_t) xdr_int, &out), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_RPC);
    g_assert_cmpstr(vk_error_last_message(), ==, "Cannot find program 32343 version 2");

    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, PROC_WRITE, NULL, NULL, NULL, NULL),
                    ==, 0);
    g_clear_pointer(&client, vk_rpc_client_free);

    g_autoptr(VkRpcClient) ro = vk_rpc_client_connect_unix(lb.ro_path);
    g_assert_cmpint(vk_rpc_client_call(ro, TEST_PROG, 1, PROC_WRITE, NULL, NULL, NULL, NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_DENIED);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "operation forbidden: read only access prevents virDomainWrite");
    g_assert_cmpint(vk_rpc_client_call(ro, TEST_PROG, 1, PROC_ECHO, (xdrproc_t) xdr_int, &in,
                                       (xdrproc_t) xdr_int, &out), ==, 0);
    g_clear_pointer(&ro, vk_rpc_client_free);
    test_loopback_stop(&lb);
}

typedef struct {
    VkRpcClient *client;
    int delay_ms;
} SlowCall;

static gpointer
slow_call_thread(gpointer data)
{
    SlowCall *call = data;
    int out = -1;

    if (vk_rpc_client_call(call->client, TEST_PROG, 1, PROC_SLOW, (xdrproc_t) xdr_int,
                           &call->delay_ms, (xdrproc_t) xdr_int, &out) < 0)
        return GINT_TO_POINTER(-1);
    return GINT_TO_POINTER(out);
}

/* Several calls in flight on one connection finish out of order; each
 * caller still gets its own reply (matched by serial). */
static void
test_loopback_concurrent_calls(void)
{
    Loopback lb = { 0 };
    SlowCall calls[4];
    GThread *threads[4];
    static const int delays[] = { 300, 10, 150, 50 };

    loopback_start(&lb);
    g_autoptr(VkRpcClient) client = vk_rpc_client_connect_unix(lb.rw_path);
    for (int i = 0; i < 4; i++) {
        calls[i] = (SlowCall) { client, delays[i] };
        threads[i] = g_thread_new("call", slow_call_thread, &calls[i]);
    }
    for (int i = 0; i < 4; i++)
        g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, delays[i]);
    g_clear_pointer(&client, vk_rpc_client_free);
    test_loopback_stop(&lb);
}

/* A daemon that accepts and then never answers: with keepalive the call
 * gives up instead of hanging. */
static void
test_keepalive_gives_up_on_silent_server(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-rpc-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    gint64 start;

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *) &addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    g_autoptr(VkRpcClient) client = vk_rpc_client_connect_unix(path);
    g_assert_nonnull(client);
    vk_rpc_client_set_keepalive(client, 1, 1);
    start = g_get_monotonic_time();
    g_assert_cmpint(vk_rpc_client_call(client, TEST_PROG, 1, PROC_MISSING, NULL, NULL, NULL, NULL),
                    ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: connection closed due to keepalive timeout");
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 2 * G_USEC_PER_SEC);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 6 * G_USEC_PER_SEC);
    g_clear_pointer(&client, vk_rpc_client_free);
    close(lfd);
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_connect_missing_socket(void)
{
    g_assert_null(vk_rpc_client_connect_unix("/nonexistent/sock"));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_true(g_str_has_prefix(vk_error_last_message(),
                                   "Failed to connect socket to '/nonexistent/sock'"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/header-round-trip", test_header_round_trip);
    g_test_add_func("/rpc/length-limits", test_length_limits);
    g_test_add_func("/rpc/message-encode-decode", test_message_encode_decode);
    g_test_add_func("/rpc/error-record", test_error_record);
    g_test_add_func("/rpc/loopback-calls", test_loopback_calls);
    g_test_add_func("/rpc/loopback-concurrent-calls", test_loopback_concurrent_calls);
    g_test_add_func("/rpc/connect-missing-socket", test_connect_missing_socket);
    g_test_add_func("/rpc/keepalive-gives-up", test_keepalive_gives_up_on_silent_server);
    return g_test_run();
}
