/* The admin program (virt-admin) on the daemon's -admin-sock: its servers
 * (the daemon's own, named after it, and "admin"), their worker pool and
 * clients, the logging settings and the idle timeout, as libvirt's daemons
 * show and change them. */
#include "common/daemon/admin-program.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "admin-procs.h"
#include "admin-protocol.h"
#include "virtkit-config.h"
#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/log.h"

#define ADMIN_SERVER "admin"
/* virClientTransport */
#define TRANSPORT_UNIX 0

typedef struct {
    VkServer *server;
    char *name;                     /* the daemon's server: "virtqemud" */
    guint max_anonymous_clients;    /* as configured (nclients_unauth_max) */
    VkAdminTimeoutFunc set_timeout;
    gpointer opaque;
} VkAdmin;

/* One instance per daemon: the handlers have no other way to it. */
static VkAdmin admin;

/* ---- servers and clients ---- */

static int
check_server(const admin_nonnull_server *srv)
{
    if (strcmp(srv->name, admin.name) == 0 || strcmp(srv->name, ADMIN_SERVER) == 0)
        return 0;
    vk_error_report(VIR_FROM_ADMIN, VIR_ERR_NO_SERVER, "No server named '%s'", srv->name);
    return -1;
}

static void
fill_server(admin_nonnull_server *srv, const char *name)
{
    srv->name = strdup(name);
}

/* Clients of the server named NAME: admin socket clients are "admin"'s. */
static bool
client_of(VkServerClient *client, const char *name)
{
    return vk_server_client_is_admin(client) == (strcmp(name, ADMIN_SERVER) == 0);
}

static guint
count_clients(const char *server_name)
{
    g_autoptr(GPtrArray) all = vk_server_clients(admin.server);
    guint n = 0;

    for (guint i = 0; i < all->len; i++)
        n += client_of(g_ptr_array_index(all, i), server_name);
    return n;
}

static void
fill_client(admin_nonnull_client *out, VkServerClient *client)
{
    fill_server(&out->srv, vk_server_client_is_admin(client) ? ADMIN_SERVER : admin.name);
    out->id = vk_server_client_id(client);
    out->timestamp = vk_server_client_connected_at(client);
    out->transport = TRANSPORT_UNIX;
}

/* The client of server SRV with ID, a new reference; NULL with libvirt's
 * error. */
static VkServerClient *
find_client(const admin_nonnull_server *srv, guint64 id)
{
    g_autoptr(GPtrArray) all = NULL;

    if (check_server(srv) < 0)
        return NULL;
    all = vk_server_clients(admin.server);
    for (guint i = 0; i < all->len; i++) {
        VkServerClient *c = g_ptr_array_index(all, i);
        if (vk_server_client_id(c) == id && client_of(c, srv->name))
            return vk_server_client_ref(c);
    }
    vk_error_report(VIR_FROM_ADMIN, VIR_ERR_NO_CLIENT, "No client with matching ID '%llu'",
                    (unsigned long long) id);
    return NULL;
}

/* ---- handlers ---- */

static int
connect_open(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_open_args *args = argsp;

    return vk_check_flags(VIR_FROM_ADMIN, args->flags, 0, "virAdmConnectOpen");
}

static int
connect_close(VkServerClient *client, void *argsp, void *retp)
{
    return 0;
}

static int
connect_get_lib_version(VkServerClient *client, void *argsp, void *retp)
{
    ((admin_connect_get_lib_version_ret *) retp)->libVer = VIRTKIT_LIBVIRT_API_VERSION;
    return 0;
}

static int
connect_list_servers(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_list_servers_args *args = argsp;
    admin_connect_list_servers_ret *ret = retp;

    ret->ret = 2;
    if (!args->need_results)
        return 0;
    ret->servers.servers_len = 2;
    ret->servers.servers_val = calloc(2, sizeof(admin_nonnull_server));
    fill_server(&ret->servers.servers_val[0], admin.name);
    fill_server(&ret->servers.servers_val[1], ADMIN_SERVER);
    return 0;
}

static int
connect_lookup_server(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_lookup_server_args *args = argsp;
    admin_nonnull_server srv = { .name = args->name };

    if (check_server(&srv) < 0)
        return -1;
    fill_server(&((admin_connect_lookup_server_ret *) retp)->srv, args->name);
    return 0;
}

static int
server_get_threadpool_parameters(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_get_threadpool_parameters_ret *ret = retp;
    g_autoptr(VkTypedParams) p = NULL;
    VkServerWorkers w;

    if (check_server(&((admin_server_get_threadpool_parameters_args *) argsp)->srv) < 0)
        return -1;
    vk_server_get_workers(admin.server, &w);
    p = vk_typed_params_new();
    vk_typed_params_add_uint(p, w.min, "minWorkers");
    vk_typed_params_add_uint(p, w.max, "maxWorkers");
    vk_typed_params_add_uint(p, w.current, "nWorkers");
    vk_typed_params_add_uint(p, w.free, "freeWorkers");
    /* libvirt's priority workers: our priority calls run on the main loop */
    vk_typed_params_add_uint(p, 0, "prioWorkers");
    vk_typed_params_add_uint(p, w.queued, "jobQueueDepth");
    vk_typed_params_steal_admin(p, &ret->params.params_val, &ret->params.params_len);
    return 0;
}

static int
server_set_threadpool_parameters(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_set_threadpool_parameters_args *args = argsp;
    const remote_typed_param *params = vk_typed_params_from_admin(args->params.params_val);
    u_int n = args->params.params_len;
    VkServerWorkers w;
    guint prio;

    if (check_server(&args->srv) < 0)
        return -1;
    vk_server_get_workers(admin.server, &w);
    if (vk_typed_params_get_uint(params, n, "minWorkers", &w.min, VIR_FROM_ADMIN) < 0 ||
        vk_typed_params_get_uint(params, n, "maxWorkers", &w.max, VIR_FROM_ADMIN) < 0)
        return -1;
    switch (vk_typed_params_get_uint(params, n, "prioWorkers", &prio, VIR_FROM_ADMIN)) {
    case -1:
        return -1;
    case 1:
        vk_error_report(VIR_FROM_ADMIN, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                        "prioWorkers: priority calls run on the daemon's main loop");
        return -1;
    }
    return vk_server_set_workers(admin.server, w.min, w.max);
}

static int
server_list_clients(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_list_clients_args *args = argsp;
    admin_server_list_clients_ret *ret = retp;
    g_autoptr(GPtrArray) all = NULL;

    if (check_server(&args->srv) < 0)
        return -1;
    all = vk_server_clients(admin.server);
    if (args->need_results)
        ret->clients.clients_val = calloc(MAX(all->len, 1), sizeof(admin_nonnull_client));
    for (guint i = 0; i < all->len; i++) {
        VkServerClient *c = g_ptr_array_index(all, i);
        if (!client_of(c, args->srv.name))
            continue;
        if (args->need_results)
            fill_client(&ret->clients.clients_val[ret->clients.clients_len++], c);
        ret->ret++;
    }
    return 0;
}

static int
server_lookup_client(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_lookup_client_args *args = argsp;
    VkServerClient *found = find_client(&args->srv, args->id);

    if (!found)
        return -1;
    fill_client(&((admin_server_lookup_client_ret *) retp)->clnt, found);
    vk_server_client_unref(found);
    return 0;
}

static int
client_get_info(VkServerClient *client, void *argsp, void *retp)
{
    admin_client_get_info_args *args = argsp;
    admin_client_get_info_ret *ret = retp;
    VkServerClient *found = find_client(&args->clnt.srv, args->clnt.id);
    g_autoptr(VkTypedParams) p = NULL;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    struct passwd *pw;
    struct group *gr;

    if (!found)
        return -1;
    vk_server_client_get_identity(found, &uid, &gid, &pid);
    p = vk_typed_params_new();
    vk_typed_params_add_bool(p, vk_server_client_is_readonly(found), "readonly");
    vk_typed_params_add_int(p, (int) uid, "unix_user_id");
    if ((pw = getpwuid(uid)))
        vk_typed_params_add_string(p, pw->pw_name, "unix_user_name");
    vk_typed_params_add_int(p, (int) gid, "unix_group_id");
    if ((gr = getgrgid(gid)))
        vk_typed_params_add_string(p, gr->gr_name, "unix_group_name");
    vk_typed_params_add_int(p, (int) pid, "unix_process_id");
    vk_typed_params_steal_admin(p, &ret->params.params_val, &ret->params.params_len);
    vk_server_client_unref(found);
    return 0;
}

static int
client_close(VkServerClient *client, void *argsp, void *retp)
{
    admin_client_close_args *args = argsp;
    VkServerClient *found = find_client(&args->clnt.srv, args->clnt.id);

    if (!found)
        return -1;
    vk_server_client_close(found);
    vk_server_client_unref(found);
    return 0;
}

static int
server_get_client_limits(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_get_client_limits_args *args = argsp;
    admin_server_get_client_limits_ret *ret = retp;
    g_autoptr(VkTypedParams) p = NULL;
    bool of_admin;

    if (check_server(&args->srv) < 0)
        return -1;
    of_admin = g_str_equal(args->srv.name, ADMIN_SERVER);
    p = vk_typed_params_new();
    vk_typed_params_add_uint(p, vk_server_get_max_clients(admin.server, of_admin), "nclients_max");
    vk_typed_params_add_uint(p, count_clients(args->srv.name), "nclients");
    vk_typed_params_add_uint(p, admin.max_anonymous_clients, "nclients_unauth_max");
    /* UNIX sockets need no authentication: nobody waits for it */
    vk_typed_params_add_uint(p, 0, "nclients_unauth");
    vk_typed_params_steal_admin(p, &ret->params.params_val, &ret->params.params_len);
    return 0;
}

static int
server_set_client_limits(VkServerClient *client, void *argsp, void *retp)
{
    admin_server_set_client_limits_args *args = argsp;
    guint max;
    int found;

    if (check_server(&args->srv) < 0)
        return -1;
    found = vk_typed_params_get_uint(vk_typed_params_from_admin(args->params.params_val),
                                     args->params.params_len, "nclients_max", &max,
                                     VIR_FROM_ADMIN);
    if (found == 1 && max > 0)
        vk_server_set_max_clients(admin.server, g_str_equal(args->srv.name, ADMIN_SERVER), max);
    if (found == 1 && max == 0) {
        vk_error_report(VIR_FROM_ADMIN, VIR_ERR_INVALID_ARG, "%s",
                        "The overall maximum number of clients must be greater than zero");
        return -1;
    }
    return found < 0 ? -1 : 0;
}

/* How many space-separated items TEXT has. */
static unsigned int
count_items(const char *text)
{
    g_auto(GStrv) items = g_strsplit_set(text ? text : "", " \t", -1);
    unsigned int n = 0;

    for (guint i = 0; items[i]; i++)
        n += items[i][0] != '\0';
    return n;
}

static int
connect_get_logging_outputs(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_get_logging_outputs_ret *ret = retp;
    g_autofree char *outputs = vk_log_get_outputs();

    ret->outputs = strdup(outputs ? outputs : "");
    ret->noutputs = count_items(outputs);
    return 0;
}

static int
connect_get_logging_filters(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_get_logging_filters_ret *ret = retp;
    g_autofree char *filters = vk_log_get_filters();

    ret->nfilters = count_items(filters);
    if (filters && *filters) {
        ret->filters = malloc(sizeof(char *));
        *ret->filters = strdup(filters);
    }
    return 0;
}

static int
connect_set_logging_outputs(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_set_logging_outputs_args *args = argsp;

    return vk_log_set_outputs(args->outputs ? *args->outputs : "");
}

static int
connect_set_logging_filters(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_set_logging_filters_args *args = argsp;

    return vk_log_set_filters(args->filters ? *args->filters : "");
}

static int
server_update_tls_files(VkServerClient *client, void *argsp, void *retp)
{
    if (check_server(&((admin_server_update_tls_files_args *) argsp)->srv) < 0)
        return -1;
    vk_error_report(VIR_FROM_ADMIN, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                    "this daemon has no TLS listener");
    return -1;
}

static int
connect_set_daemon_timeout(VkServerClient *client, void *argsp, void *retp)
{
    admin_connect_set_daemon_timeout_args *args = argsp;

    admin.set_timeout(admin.opaque, args->timeout);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { ADMIN_PROC_CONNECT_OPEN, connect_open },
    { ADMIN_PROC_CONNECT_CLOSE, connect_close },
    { ADMIN_PROC_CONNECT_GET_LIB_VERSION, connect_get_lib_version },
    { ADMIN_PROC_CONNECT_LIST_SERVERS, connect_list_servers },
    { ADMIN_PROC_CONNECT_LOOKUP_SERVER, connect_lookup_server },
    { ADMIN_PROC_SERVER_GET_THREADPOOL_PARAMETERS, server_get_threadpool_parameters },
    { ADMIN_PROC_SERVER_SET_THREADPOOL_PARAMETERS, server_set_threadpool_parameters },
    { ADMIN_PROC_SERVER_LIST_CLIENTS, server_list_clients },
    { ADMIN_PROC_SERVER_LOOKUP_CLIENT, server_lookup_client },
    { ADMIN_PROC_CLIENT_GET_INFO, client_get_info },
    { ADMIN_PROC_CLIENT_CLOSE, client_close },
    { ADMIN_PROC_SERVER_GET_CLIENT_LIMITS, server_get_client_limits },
    { ADMIN_PROC_SERVER_SET_CLIENT_LIMITS, server_set_client_limits },
    { ADMIN_PROC_CONNECT_GET_LOGGING_OUTPUTS, connect_get_logging_outputs },
    { ADMIN_PROC_CONNECT_GET_LOGGING_FILTERS, connect_get_logging_filters },
    { ADMIN_PROC_CONNECT_SET_LOGGING_OUTPUTS, connect_set_logging_outputs },
    { ADMIN_PROC_CONNECT_SET_LOGGING_FILTERS, connect_set_logging_filters },
    { ADMIN_PROC_SERVER_UPDATE_TLS_FILES, server_update_tls_files },
    { ADMIN_PROC_CONNECT_SET_DAEMON_TIMEOUT, connect_set_daemon_timeout },
};

VkRpcProgram *
vk_admin_program_new(VkServer *server, const char *name, guint max_anonymous_clients,
                     VkAdminTimeoutFunc set_timeout, gpointer opaque)
{
    VkRpcProgram *program = vk_rpc_program_new(ADMIN_PROGRAM, ADMIN_PROTOCOL_VERSION,
                                               vk_admin_proc_lookup);
    int inline_procs[G_N_ELEMENTS(handlers)];

    g_free(admin.name);
    admin = (VkAdmin) { server, g_strdup(name), max_anonymous_clients, set_timeout, opaque };
    vk_rpc_program_add_handlers(program, handlers, G_N_ELEMENTS(handlers));
    /* none of them waits for anything: on the main loop, they leave the
     * worker pool they describe as it is */
    for (gsize i = 0; i < G_N_ELEMENTS(handlers); i++)
        inline_procs[i] = handlers[i].proc;
    vk_rpc_program_set_inline(program, inline_procs, G_N_ELEMENTS(handlers));
    return program;
}

void
vk_admin_program_free(VkRpcProgram *program)
{
    vk_rpc_program_free(program);
    g_clear_pointer(&admin.name, g_free);
}
