/* The server: listeners, the client list and the worker pool. */
#include "common/rpc/server-private.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
    VkServer *server;
    int fd;
    VkListenKind kind;
    char *path;      /* socket file we created (unlinked on free), or NULL */
    GSource *source; /* NULL while its kind of client is at the limit */
} VkServerListener;

typedef struct {
    VkServerClient *client;
    VkMessage *msg;
} VkServerJob;

static void run_job(gpointer data, gpointer user_data);
static gboolean on_connection(gint fd, GIOCondition cond, gpointer data);

VkServer *
vk_server_new(const VkServerConfig *config, GMainContext *context)
{
    VkServer *server = g_new0(VkServer, 1);

    server->config = *config;
    if (server->config.max_workers == 0)
        server->config.max_workers = 1;
    if (server->config.max_client_requests == 0)
        server->config.max_client_requests = 5;
    if (server->config.max_queued_clients == 0)
        server->config.max_queued_clients = 1000;
    if (server->config.admin_max_clients == 0)
        server->config.admin_max_clients = server->config.max_clients;
    if (server->config.admin_max_queued_clients == 0)
        server->config.admin_max_queued_clients = server->config.max_queued_clients;
    server->context = g_main_context_ref(context ? context : g_main_context_default());
    server->listeners = g_ptr_array_new();
    server->programs = g_ptr_array_new();
    server->admin_programs = g_ptr_array_new();
    server->clients = g_ptr_array_new();
    server->idle_since = g_get_monotonic_time();
    g_mutex_init(&server->lock);
    server->workers = g_thread_pool_new(run_job, server, server->config.max_workers,
                                        FALSE, NULL);
    server->min_workers = MIN(server->config.min_workers, server->config.max_workers);
    return server;
}

static void
listener_free(VkServerListener *listener)
{
    if (listener->source) {
        g_source_destroy(listener->source);
        g_source_unref(listener->source);
    }
    close(listener->fd);
    if (listener->path)
        unlink(listener->path);
    g_free(listener->path);
    g_free(listener);
}

void
vk_server_free(VkServer *server)
{
    if (!server)
        return;
    g_ptr_array_set_free_func(server->listeners, (GDestroyNotify) listener_free);
    g_ptr_array_free(server->listeners, TRUE);
    /* Stop taking new work, let running calls finish, then drop clients. */
    g_thread_pool_free(server->workers, FALSE, TRUE);
    if (server->relay_writers)
        g_thread_pool_free(server->relay_writers, FALSE, TRUE);
    for (guint i = 0; i < server->clients->len; i++) {
        VkServerClient *client = g_ptr_array_index(server->clients, i);
        vk_server_client_shutdown(client);
        if (server->client_closed)
            server->client_closed(client, server->hook_opaque);
        vk_server_client_unref(client);
    }
    g_ptr_array_free(server->clients, TRUE);
    g_ptr_array_free(server->programs, TRUE);
    g_ptr_array_free(server->admin_programs, TRUE);
    g_main_context_unref(server->context);
    g_mutex_clear(&server->lock);
    g_free(server);
}

void
vk_server_add_program(VkServer *server, VkRpcProgram *program, bool admin)
{
    g_ptr_array_add(admin ? server->admin_programs : server->programs, program);
}

void
vk_server_set_client_hooks(VkServer *server, VkServerClientHook opened,
                           VkServerClientHook closed, gpointer opaque)
{
    server->client_opened = opened;
    server->client_closed = closed;
    server->hook_opaque = opaque;
}

guint
vk_server_client_count(VkServer *server)
{
    guint n;

    g_mutex_lock(&server->lock);
    n = server->clients->len;
    g_mutex_unlock(&server->lock);
    return n;
}

GPtrArray *
vk_server_clients(VkServer *server)
{
    GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify) vk_server_client_unref);

    g_mutex_lock(&server->lock);
    for (guint i = 0; i < server->clients->len; i++)
        g_ptr_array_add(all, vk_server_client_ref(g_ptr_array_index(server->clients, i)));
    g_mutex_unlock(&server->lock);
    return all;
}

void
vk_server_get_workers(VkServer *server, VkServerWorkers *out)
{
    guint threads = g_thread_pool_get_num_threads(server->workers);
    guint busy = (guint) g_atomic_int_get(&server->busy_workers);

    g_mutex_lock(&server->lock);
    out->min = server->min_workers;
    g_mutex_unlock(&server->lock);
    out->max = (guint) g_thread_pool_get_max_threads(server->workers);
    /* GLib starts threads as calls come: the minimum counts as started */
    out->current = MAX(threads, out->min);
    out->free = out->current > busy ? out->current - busy : 0;
    out->queued = g_thread_pool_unprocessed(server->workers);
}

int
vk_server_set_workers(VkServer *server, guint min, guint max)
{
    if (max == 0 || min > max) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INVALID_ARG, "%s",
                        "maxWorkers must be greater than or equal to minWorkers");
        return -1;
    }
    if (!g_thread_pool_set_max_threads(server->workers, (gint) max, NULL)) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s",
                        "cannot resize the worker pool");
        return -1;
    }
    g_mutex_lock(&server->lock);
    server->min_workers = min;
    server->config.max_workers = max;
    g_mutex_unlock(&server->lock);
    return 0;
}

static guint *
max_clients_of(VkServer *server, bool admin)
{
    return admin ? &server->config.admin_max_clients : &server->config.max_clients;
}

guint
vk_server_get_max_clients(VkServer *server, bool admin)
{
    guint max;

    g_mutex_lock(&server->lock);
    max = *max_clients_of(server, admin);
    g_mutex_unlock(&server->lock);
    return max;
}

/* Main loop: listeners accept while their kind of client is below its
 * limit, and stop (leaving new connections queued) once it is reached. */
static void
update_listeners(VkServer *server)
{
    for (guint i = 0; i < server->listeners->len; i++) {
        VkServerListener *listener = g_ptr_array_index(server->listeners, i);
        bool admin = listener->kind == VK_LISTEN_ADMIN;
        bool full;

        g_mutex_lock(&server->lock);
        full = server->n_clients[admin] >= *max_clients_of(server, admin);
        g_mutex_unlock(&server->lock);
        if (full && listener->source) {
            g_info("%s clients at their limit (%u): not accepting more until one leaves",
                   admin ? "admin" : "ordinary", vk_server_get_max_clients(server, admin));
            g_source_destroy(listener->source);
            g_source_unref(listener->source);
            listener->source = NULL;
        } else if (!full && !listener->source) {
            listener->source = g_unix_fd_source_new(listener->fd, G_IO_IN);
            g_source_set_callback(listener->source,
                                  (GSourceFunc) (void (*)(void)) on_connection, listener, NULL);
            g_source_attach(listener->source, server->context);
        }
    }
}

static gboolean
update_listeners_in_loop(gpointer data)
{
    update_listeners(data);
    return G_SOURCE_REMOVE;
}

void
vk_server_set_max_clients(VkServer *server, bool admin, guint max)
{
    g_mutex_lock(&server->lock);
    *max_clients_of(server, admin) = max;
    g_mutex_unlock(&server->lock);
    /* listeners belong to the main loop; this may be a worker */
    g_main_context_invoke(server->context, update_listeners_in_loop, server);
}

guint
vk_server_idle_seconds(VkServer *server)
{
    guint idle = 0;

    g_mutex_lock(&server->lock);
    if (server->clients->len == 0)
        idle = (g_get_monotonic_time() - server->idle_since) / G_USEC_PER_SEC;
    g_mutex_unlock(&server->lock);
    return idle;
}

static gboolean
on_connection(gint fd, GIOCondition cond, gpointer data)
{
    VkServerListener *listener = data;
    VkServer *server = listener->server;
    VkServerClient *client;
    int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (cfd < 0) {
        if (errno != EAGAIN && errno != EINTR)
            g_warning("accept failed: %s", g_strerror(errno));
        return G_SOURCE_CONTINUE;
    }
    client = vk_server_client_new(server, cfd, listener->kind);
    /* the hook gives the client its state: before anyone can list it */
    if (server->client_opened)
        server->client_opened(client, server->hook_opaque);
    g_mutex_lock(&server->lock);
    g_ptr_array_add(server->clients, client);
    server->n_clients[client->admin]++;
    g_mutex_unlock(&server->lock);
    g_debug("client pid %d connected (%s)", (int) client->pid,
            listener->kind == VK_LISTEN_READ_ONLY ? "read-only" :
            listener->kind == VK_LISTEN_ADMIN ? "admin" : "read-write");
    vk_server_client_start(client);
    update_listeners(server);
    return G_SOURCE_CONTINUE;
}

int
vk_server_listen_fd(VkServer *server, int fd, VkListenKind kind)
{
    VkServerListener *listener = g_new0(VkServerListener, 1);

    if (!g_unix_set_fd_nonblocking(fd, TRUE, NULL)) {
        vk_error_report_errno(VIR_FROM_RPC, errno, "cannot make socket %d non-blocking", fd);
        g_free(listener);
        return -1;
    }
    listener->server = server;
    listener->fd = fd;
    listener->kind = kind;
    g_ptr_array_add(server->listeners, listener);
    update_listeners(server);
    return 0;
}

int
vk_server_listen_unix(VkServer *server, const char *path, mode_t mode, VkListenKind kind)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                        "UNIX socket path '%s' too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_RPC, errno, "cannot create socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0) {
        vk_error_report_errno(VIR_FROM_RPC, errno, "cannot bind socket to '%s'", path);
        close(fd);
        return -1;
    }
    if (chmod(path, mode) < 0 ||
        listen(fd, (int) MIN(kind == VK_LISTEN_ADMIN ? server->config.admin_max_queued_clients
                                                     : server->config.max_queued_clients,
                             G_MAXINT)) < 0) {
        vk_error_report_errno(VIR_FROM_RPC, errno, "cannot listen on '%s'", path);
        close(fd);
        unlink(path);
        return -1;
    }
    if (vk_server_listen_fd(server, fd, kind) < 0) {
        close(fd);
        unlink(path);
        return -1;
    }
    ((VkServerListener *) g_ptr_array_index(server->listeners,
                                            server->listeners->len - 1))->path = g_strdup(path);
    return 0;
}

void
vk_server_remove_client(VkServer *server, VkServerClient *client)
{
    bool found;

    g_mutex_lock(&server->lock);
    found = g_ptr_array_remove_fast(server->clients, client);
    if (found)
        server->n_clients[client->admin]--;
    if (server->clients->len == 0)
        server->idle_since = g_get_monotonic_time();
    g_mutex_unlock(&server->lock);
    if (!found)
        return;
    update_listeners(server);
    g_debug("client pid %d gone", (int) client->pid);
    if (server->client_closed)
        server->client_closed(client, server->hook_opaque);
    vk_server_client_unref(client);
}

static VkRpcProgram *
find_program(VkServer *server, VkServerClient *client, const VkRpcHeader *hdr)
{
    GPtrArray *programs = client->admin ? server->admin_programs : server->programs;

    for (guint i = 0; i < programs->len; i++) {
        VkRpcProgram *program = g_ptr_array_index(programs, i);
        if (vk_rpc_program_matches(program, hdr->prog, hdr->vers))
            return program;
    }
    return NULL;
}

/* A message for no program we serve: calls get libvirt's RPC error, other
 * types are dropped (nobody waits for an answer). */
static void
reply_unknown_program(VkServerClient *client, VkMessage *msg)
{
    g_autoptr(VkMessage) reply = vk_message_new();

    if (msg->header.type != VK_RPC_CALL && msg->header.type != VK_RPC_CALL_WITH_FDS) {
        g_info("dropping message of unknown program %u version %u type %u",
               msg->header.prog, msg->header.vers, msg->header.type);
        return;
    }
    vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "Cannot find program %d version %d",
                    (int) msg->header.prog, (int) msg->header.vers);
    g_autoptr(VkError) err = vk_error_steal();
    if (vk_message_encode_error(reply, &msg->header, err) == 0)
        vk_server_client_send(client, g_steal_pointer(&reply));
}

static void
process_message(VkRpcProgram *program, VkServerClient *client, VkMessage *msg)
{
    if (program)
        vk_rpc_program_dispatch(program, client, msg);
    else
        reply_unknown_program(client, msg);
    vk_error_reset();
    vk_message_free(msg);
}

static void
run_job(gpointer data, gpointer user_data)
{
    VkServerJob *job = data;
    VkServer *server = user_data;

    g_atomic_int_inc(&server->busy_workers);
    process_message(find_program(server, job->client, &job->msg->header), job->client, job->msg);
    vk_server_client_call_done(job->client);
    g_atomic_int_dec_and_test(&server->busy_workers);
    vk_server_client_unref(job->client);
    g_free(job);
}

guint64
vk_server_message_count(VkServer *server)
{
    return __atomic_load_n(&server->messages, __ATOMIC_RELAXED);
}

void
vk_server_handle_message(VkServer *server, VkServerClient *client, VkMessage *msg)
{
    VkRpcProgram *program = find_program(server, client, &msg->header);
    VkServerJob *job;

    __atomic_add_fetch(&server->messages, 1, __ATOMIC_RELAXED);
    /* Calls that never block run right here: handing them to a worker would
     * cost more than the call itself. */
    if (program && vk_rpc_program_runs_inline(program, &msg->header)) {
        process_message(program, client, msg);
        return;
    }
    if (program && vk_rpc_program_try_fallback_now(program, client, msg)) {
        vk_message_free(msg);
        return;
    }
    vk_server_client_count_call(client);
    job = g_new0(VkServerJob, 1);
    job->client = vk_server_client_ref(client);
    job->msg = msg;
    g_thread_pool_push(server->workers, job, NULL);
}
