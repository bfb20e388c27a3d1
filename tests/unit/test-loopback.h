/* A server with one test program, listening on a read-write and a
 * read-only socket in a temporary directory, served by a main loop on a
 * thread of its own: what the RPC tests talk to. */
#pragma once

#include <glib/gstdio.h>

#include "common/rpc/program.h"
#include "common/rpc/server.h"
#include "test-loop-thread.h"

typedef struct {
    TestLoopThread loop;
    VkServer *server;
    VkRpcProgram *program;
    char *dir;        /* the sockets', and the test's files */
    char *rw_path;
    char *ro_path;
} TestLoopback;

/* Program PROG version 1, its procedures as LOOKUP says, served by HANDLERS. */
static inline void
test_loopback_start(TestLoopback *lb, guint32 prog, const VkProcInfo *(*lookup)(int proc),
                    const VkRpcHandlerEntry *handlers, gsize n_handlers)
{
    VkServerConfig config = { .max_clients = 10, .max_workers = 4, .max_client_requests = 5,
                              .keepalive_interval = 5, .keepalive_count = 5 };

    lb->dir = g_dir_make_tmp("vk-rpc-XXXXXX", NULL);
    lb->rw_path = g_build_filename(lb->dir, "sock", NULL);
    lb->ro_path = g_build_filename(lb->dir, "sock-ro", NULL);
    test_loop_thread_init(&lb->loop);
    lb->server = vk_server_new(&config, lb->loop.context);
    lb->program = vk_rpc_program_new(prog, 1, lookup);
    vk_rpc_program_add_handlers(lb->program, handlers, n_handlers);
    vk_server_add_program(lb->server, lb->program, false);
    g_assert_cmpint(vk_server_listen_unix(lb->server, lb->rw_path, 0700, VK_LISTEN_READ_WRITE), ==, 0);
    g_assert_cmpint(vk_server_listen_unix(lb->server, lb->ro_path, 0777, VK_LISTEN_READ_ONLY), ==, 0);
    test_loop_thread_start(&lb->loop);
}

/* The server gone takes its sockets along; the test's files go here. */
static inline void
test_loopback_stop(TestLoopback *lb)
{
    GDir *dir;
    const char *name;

    test_loop_thread_stop(&lb->loop);
    vk_server_free(lb->server);
    vk_rpc_program_free(lb->program);
    test_loop_thread_clear(&lb->loop);
    g_assert_false(g_file_test(lb->rw_path, G_FILE_TEST_EXISTS));
    dir = g_dir_open(lb->dir, 0, NULL);
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(lb->dir, name, NULL);
        g_unlink(path);
    }
    g_dir_close(dir);
    g_rmdir(lb->dir);
    g_free(lb->dir);
    g_free(lb->rw_path);
    g_free(lb->ro_path);
}
