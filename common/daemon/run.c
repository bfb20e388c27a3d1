#include "common/daemon/run.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/daemon/config.h"
#include "common/daemon/daemonize.h"
#include "common/daemon/options.h"
#include "common/daemon/pidfile.h"
#include "common/daemon/admin-program.h"
#include "common/daemon/remote-connect.h"
#include "common/daemon/signals.h"
#include "common/daemon/socket-activation.h"
#include "common/driver/router.h"
#include "common/util/file.h"
#include "common/util/log.h"
#include "virtkit-config.h"

typedef struct {
    const VkDaemonSpec *spec;
    VkDaemonOptions opts;
    char *config_path;
    VkDaemonConfig *config;
    VkPaths *paths;
    VkServer *server;
    VkRpcProgram *remote;
    VkRpcProgram *private_program;   /* NULL: the driver has none */
    VkRpcProgram *admin;             /* virt-admin's, on the admin sockets */
    VkRouter *router;                /* NULL: the daemon routes nothing */
    gpointer driver;
    GMainLoop *loop;
    guint64 last_messages;   /* server message count at the last trim check */
    bool trimmed;            /* memory handed back since the last call */
} VkDaemon;

static void
on_quit(gpointer data)
{
    VkDaemon *daemon = data;

    g_info("%s: stopping", daemon->spec->name);
    vk_daemon_notify_stopping();
    g_main_loop_quit(daemon->loop);
}

/* SIGHUP: read the config file again.  What can change in a running daemon
 * (the log settings) takes effect; a bad file is reported and ignored. */
static void
on_reload(gpointer data)
{
    VkDaemon *daemon = data;
    g_autoptr(VkDaemonConfig) config = vk_daemon_config_new();

    g_info("%s: reloading", daemon->spec->name);
    if (vk_daemon_config_load(config, daemon->config_path) < 0 ||
        vk_daemon_config_setup_logging(config, daemon->opts.verbose) < 0) {
        g_warning("%s: keeping the old configuration: %s", daemon->spec->name,
                  vk_error_last_message());
        vk_error_reset();
    } else {
        vk_daemon_config_free(daemon->config);
        daemon->config = g_steal_pointer(&config);
    }
    if (daemon->spec->reload)
        daemon->spec->reload(daemon->driver);
}

/* Exit once the server has had no client for --timeout seconds, unless the
 * driver says it must stay (running guests). */
static gboolean
check_idle(gpointer data)
{
    VkDaemon *daemon = data;
    int timeout = g_atomic_int_get(&daemon->opts.timeout);

    if (timeout <= 0)
        return G_SOURCE_CONTINUE;   /* none now (virt-admin may set one) */
    if (daemon->spec->busy && daemon->spec->busy(daemon->driver))
        return G_SOURCE_CONTINUE;
    if (vk_server_idle_seconds(daemon->server) >= (guint) timeout) {
        g_info("%s: idle for %d seconds, exiting", daemon->spec->name, timeout);
        g_main_loop_quit(daemon->loop);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* virt-admin daemon-timeout, from a worker thread: check_idle reads it. */
static void
set_timeout(gpointer data, guint seconds)
{
    g_atomic_int_set(&((VkDaemon *) data)->opts.timeout, (int) seconds);
}

/* Hand freed heap back to the system once calls stop coming: an idle
 * daemon should be small, whatever its busiest moment needed. */
static gboolean
trim_when_idle(gpointer data)
{
    VkDaemon *daemon = data;
    guint64 messages = vk_server_message_count(daemon->server);

    if (messages != daemon->last_messages)
        daemon->trimmed = false;
    else if (!daemon->trimmed) {
        malloc_trim(0);
        daemon->trimmed = true;
    }
    daemon->last_messages = messages;
    return G_SOURCE_CONTINUE;
}

static int
listen_own_sockets(VkDaemon *daemon)
{
    static const struct { VkSocketKind socket; VkListenKind listen; } kinds[] = {
        { VK_SOCKET_RW, VK_LISTEN_READ_WRITE },
        { VK_SOCKET_RO, VK_LISTEN_READ_ONLY },
        { VK_SOCKET_ADMIN, VK_LISTEN_ADMIN },
    };
    const VkDaemonConfig *cfg = daemon->config;
    mode_t modes[] = { cfg->unix_sock_rw_perms, cfg->unix_sock_ro_perms,
                       cfg->unix_sock_admin_perms };
    const char *name = daemon->spec->socket_name ? daemon->spec->socket_name : daemon->spec->name;
    bool session = daemon->paths->session;

    /* A session daemon's directory is its user's alone, and it has no
     * read-only socket (libvirt's daemonUnixSocketPaths). */
    if (vk_file_make_dirs(daemon->paths->run_dir, session ? 0700 : 0755) < 0)
        return -1;
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        g_autofree char *path = NULL;

        if (session && kinds[i].socket == VK_SOCKET_RO)
            continue;
        path = vk_paths_socket(daemon->paths, name, kinds[i].socket);
        if (vk_server_listen_unix(daemon->server, path, modes[i], kinds[i].listen) < 0)
            return -1;
    }
    return 0;
}

static int
listen_activated_sockets(VkDaemon *daemon, VkActivatedSockets *sockets)
{
    static const VkListenKind listen_kinds[] = {
        [VK_SOCKET_RW] = VK_LISTEN_READ_WRITE,
        [VK_SOCKET_RO] = VK_LISTEN_READ_ONLY,
        [VK_SOCKET_ADMIN] = VK_LISTEN_ADMIN,
    };

    for (int kind = VK_SOCKET_RW; kind <= VK_SOCKET_ADMIN; kind++) {
        GArray *fds = sockets->fds[kind];
        for (guint i = 0; fds && i < fds->len; i++) {
            if (vk_server_listen_fd(daemon->server, g_array_index(fds, int, i),
                                    listen_kinds[kind]) < 0)
                return -1;
            g_array_index(fds, int, i) = -1;   /* the server owns it now */
        }
    }
    return 0;
}

/* "qemu:///system" becomes "qemu:///session" for a session daemon. */
static char *
daemon_uri(const VkDaemon *daemon)
{
    const char *uri = daemon->spec->uri;

    if (uri && daemon->paths->session && g_str_has_suffix(uri, ":///system"))
        return g_strdup_printf("%.*s:///session", (int) (strlen(uri) - strlen(":///system")),
                               uri);
    return g_strdup(uri);
}

static int
setup_server(VkDaemon *daemon)
{
    const VkDaemonConfig *cfg = daemon->config;
    VkServerConfig server_cfg = {
        .max_clients = cfg->max_clients,
        .max_queued_clients = cfg->max_queued_clients,
        .admin_max_clients = cfg->admin_max_clients,
        .admin_max_queued_clients = cfg->admin_max_queued_clients,
        .min_workers = cfg->min_workers,
        .max_workers = cfg->max_workers,
        .max_client_requests = cfg->max_client_requests,
        .keepalive_interval = cfg->keepalive_interval,
        .keepalive_count = cfg->keepalive_count,
    };
    VkActivatedSockets sockets = { 0 };
    g_autofree char *uri = daemon_uri(daemon);
    int taken;
    int rc;

    daemon->server = vk_server_new(&server_cfg, NULL);
    daemon->remote = vk_remote_program_new(uri);
    vk_server_add_program(daemon->server, daemon->remote, false);
    vk_remote_program_attach(daemon->server);
    if (daemon->spec->routes)
        daemon->router = vk_router_new(daemon->remote, daemon->paths, daemon->spec->routes);
    daemon->admin = vk_admin_program_new(daemon->server, daemon->spec->name,
                                         cfg->max_anonymous_clients, set_timeout, daemon);
    vk_server_add_program(daemon->server, daemon->admin, true);
    if (daemon->spec->private_program) {
        daemon->private_program = daemon->spec->private_program();
        vk_rpc_program_set_gate(daemon->private_program, vk_remote_require_open);
        vk_server_add_program(daemon->server, daemon->private_program, false);
        if (daemon->router)
            vk_router_add_program(daemon->router, daemon->private_program);
    }

    if ((taken = vk_socket_activation_take(&sockets)) < 0)
        return -1;
    rc = taken > 0 ? listen_activated_sockets(daemon, &sockets) : listen_own_sockets(daemon);
    vk_activated_sockets_clear(&sockets);
    return rc;
}

static void
report_startup_failure(const VkDaemon *daemon)
{
    g_autofree char *msg = g_strdup_printf("%s: %s", daemon->spec->name,
                                           vk_error_last_message());
    fprintf(stderr, "%s\n", msg);
    vk_daemonize_failed(msg);
}

int
vk_daemon_run(const VkDaemonSpec *spec, int argc, char **argv)
{
    VkDaemon daemon = { .spec = spec };
    g_autoptr(VkPidFile) pidfile = NULL;
    g_autoptr(VkSignalWatch) signals = NULL;
    g_autofree char *pid_path = NULL;
    int status = 1;

    /* GLib 2.74's slice allocator keeps freed blocks in per-thread caches
     * that never go back to the system (over a megabyte after a few hundred
     * defines); plain malloc lets an idle daemon shrink.  GLib reads G_SLICE
     * before main(), so the daemon starts itself once more with it set. */
    if (!getenv("G_SLICE")) {
        setenv("G_SLICE", "always-malloc", 1);
        execv("/proc/self/exe", argv);
        /* not fatal: the daemon only stays larger */
    }
    /* Worker threads would each get a malloc arena of their own; two are
     * plenty for a daemon whose calls are short, and keep it small. */
    mallopt(M_ARENA_MAX, 2);
    vk_log_init();
    if (vk_daemon_options_parse(&daemon.opts, spec->name, argc, argv) < 0) {
        fprintf(stderr, "%s: %s\n", spec->name, vk_error_last_message());
        return 2;
    }
    if (daemon.opts.version) {
        printf("%s (Virtkit) %s\n", spec->name, VIRTKIT_VERSION);
        vk_daemon_options_clear(&daemon.opts);
        return 0;
    }
    /* As libvirt's daemons do: an ordinary user's daemon runs in session
     * mode, with per-user paths; --root asks for the system layout under
     * DIR whoever runs it (containers). */
    daemon.paths = !daemon.opts.root && geteuid() != 0 ? vk_paths_new_session()
                                                       : vk_paths_new(daemon.opts.root);
    daemon.config_path = daemon.opts.config_file ? g_strdup(daemon.opts.config_file)
                                                 : vk_paths_config_file(daemon.paths, spec->name);
    daemon.config = vk_daemon_config_new();
    if (vk_daemon_config_load(daemon.config, daemon.config_path) < 0 ||
        vk_daemon_config_setup_logging(daemon.config, daemon.opts.verbose) < 0) {
        fprintf(stderr, "%s: %s\n", spec->name, vk_error_last_message());
        goto out;
    }
    if (daemon.opts.daemon && vk_daemonize() < 0) {
        fprintf(stderr, "%s: %s\n", spec->name, vk_error_last_message());
        goto out;
    }

    pid_path = daemon.opts.pid_file ? g_strdup(daemon.opts.pid_file)
                                    : vk_paths_pid_file(daemon.paths, spec->name);
    daemon.loop = g_main_loop_new(NULL, FALSE);
    /* the session pid file lives in the user's socket directory: make it 0700 first */
    if ((daemon.paths->session && vk_file_make_dirs(daemon.paths->run_dir, 0700) < 0) ||
        !(pidfile = vk_pidfile_acquire(pid_path)) || setup_server(&daemon) < 0 ||
        (spec->start && spec->start(daemon.remote, daemon.paths, &daemon.driver) < 0)) {
        report_startup_failure(&daemon);
        goto out;
    }
    signals = vk_signals_watch(NULL, on_quit, on_reload, &daemon);
    g_timeout_add_seconds(1, check_idle, &daemon);
    g_timeout_add_seconds(5, trim_when_idle, &daemon);

    g_info("%s: ready", spec->name);
    vk_daemon_notify_ready();
    vk_daemonize_ready();
    g_main_loop_run(daemon.loop);
    status = 0;

out:
    /* Clients go first (their state may point into the driver). */
    vk_server_free(daemon.server);
    vk_router_free(daemon.router);   /* after the clients: it closes their connections */
    if (daemon.driver && spec->stop)
        spec->stop(daemon.driver);
    vk_rpc_program_free(daemon.remote);
    if (daemon.private_program)
        vk_rpc_program_free(daemon.private_program);
    if (daemon.admin)
        vk_admin_program_free(daemon.admin);
    if (daemon.loop)
        g_main_loop_unref(daemon.loop);
    vk_daemon_config_free(daemon.config);
    g_free(daemon.config_path);
    vk_paths_free(daemon.paths);
    vk_daemon_options_clear(&daemon.opts);
    return status;
}
