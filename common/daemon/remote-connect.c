#include "common/daemon/remote-connect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote-procs.h"
#include "remote-protocol.h"
#include "virtkit-config.h"

/* libvirt's virDrvFeature numbers that a daemon answers itself. */
enum {
    FEATURE_REMOTE = 2,
    FEATURE_TYPED_PARAM_STRING = 9,
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
    FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
};

#define VIR_CONNECT_RO 1

static char *connection_uri;

VkRemoteClient *
vk_remote_client(VkServerClient *client)
{
    return vk_server_client_get_private(client);
}

typedef struct {
    GDestroyNotify func;
    gpointer data;
} VkCloseHook;

bool
vk_remote_client_on_close(VkServerClient *client, GDestroyNotify func, gpointer data)
{
    VkRemoteClient *rc = vk_remote_client(client);
    VkCloseHook hook = { func, data };
    bool added;

    g_mutex_lock(&rc->lock);
    added = !rc->closed;
    if (added)
        g_array_append_val(rc->close_hooks, hook);
    g_mutex_unlock(&rc->lock);
    return added;
}

/* Run the close hooks once, outside the lock (they take their own). */
static void
run_close_hooks(VkRemoteClient *rc)
{
    g_autoptr(GArray) hooks = NULL;

    g_mutex_lock(&rc->lock);
    rc->closed = true;
    hooks = g_steal_pointer(&rc->close_hooks);
    g_mutex_unlock(&rc->lock);
    for (guint i = 0; hooks && i < hooks->len; i++) {
        VkCloseHook *hook = &g_array_index(hooks, VkCloseHook, i);
        hook->func(hook->data);
    }
}

static void
remote_client_free(gpointer data)
{
    VkRemoteClient *rc = data;

    run_close_hooks(rc);
    g_mutex_clear(&rc->lock);
    g_free(rc->uri);
    g_free(rc);
}

static void
client_opened(VkServerClient *client, gpointer opaque)
{
    VkRemoteClient *rc = g_new0(VkRemoteClient, 1);

    g_mutex_init(&rc->lock);
    rc->close_hooks = g_array_new(FALSE, FALSE, sizeof(VkCloseHook));
    vk_server_client_set_private(client, rc, remote_client_free);
}

static void
client_closed(VkServerClient *client, gpointer opaque)
{
    VkRemoteClient *rc = vk_remote_client(client);

    if (rc)
        run_close_hooks(rc);
}

void
vk_remote_program_attach(VkServer *server)
{
    vk_server_set_client_hooks(server, client_opened, client_closed, NULL);
}

/* Until CONNECT_OPEN only authentication and feature probes may run. */
static int
require_open(VkServerClient *client, const VkProcInfo *info)
{
    switch (info->proc) {
    case REMOTE_PROC_CONNECT_OPEN:
    case REMOTE_PROC_CONNECT_SUPPORTS_FEATURE:
    case REMOTE_PROC_AUTH_LIST:
    case REMOTE_PROC_AUTH_SASL_INIT:
    case REMOTE_PROC_AUTH_SASL_START:
    case REMOTE_PROC_AUTH_SASL_STEP:
    case REMOTE_PROC_AUTH_POLKIT:
        return 0;
    default:
        break;
    }
    return vk_remote_require_open(client, info);
}

int
vk_remote_require_open(VkServerClient *client, const VkProcInfo *info)
{
    VkRemoteClient *rc = vk_remote_client(client);

    if (!rc || !rc->open) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s",
                        "hypervisor connection not open");
        return -1;
    }
    return 0;
}

static int
auth_list(VkServerClient *client, void *args, void *retp)
{
    remote_auth_list_ret *ret = retp;

    /* UNIX sockets need no authentication: access is the socket's mode. */
    ret->types.types_len = 1;
    ret->types.types_val = calloc(1, sizeof(remote_auth_type));
    ret->types.types_val[0] = REMOTE_AUTH_NONE;
    return 0;
}

static int
auth_polkit(VkServerClient *client, void *args, void *retp)
{
    remote_auth_polkit_ret *ret = retp;

    ret->complete = 1;
    return 0;
}

static int
connect_open(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_open_args *args = argsp;
    VkRemoteClient *rc = vk_remote_client(client);

    if (rc->open) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    if (args->flags & VIR_CONNECT_RO)
        vk_server_client_set_readonly(client);
    g_free(rc->uri);
    rc->uri = args->name && *args->name ? g_strdup(*args->name) : NULL;
    rc->open = true;
    return 0;
}

static int
connect_close(VkServerClient *client, void *args, void *ret)
{
    vk_remote_client(client)->open = false;
    return 0;
}

static int
connect_supports_feature(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_supports_feature_args *args = argsp;
    remote_connect_supports_feature_ret *ret = retp;

    switch (args->feature) {
    case FEATURE_PROGRAM_KEEPALIVE:
        /* Asking is how a client says it answers pings. */
        vk_server_client_enable_keepalive(client);
        ret->supported = 1;
        break;
    case FEATURE_REMOTE:
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_REMOTE_EVENT_CALLBACK:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
    case FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        ret->supported = 1;
        break;
    default:
        ret->supported = 0;
        break;
    }
    return 0;
}

static int
connect_get_hostname(VkServerClient *client, void *args, void *retp)
{
    remote_connect_get_hostname_ret *ret = retp;
    char name[256] = "";

    if (gethostname(name, sizeof(name) - 1) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "%s", "failed to determine host name");
        return -1;
    }
    ret->hostname = strdup(name);
    return 0;
}

static int
connect_get_lib_version(VkServerClient *client, void *args, void *retp)
{
    remote_connect_get_lib_version_ret *ret = retp;

    ret->lib_ver = VIRTKIT_LIBVIRT_API_VERSION;
    return 0;
}

static int
connect_get_uri(VkServerClient *client, void *args, void *retp)
{
    remote_connect_get_uri_ret *ret = retp;

    ret->uri = strdup(connection_uri);
    return 0;
}

static int
connect_is_secure(VkServerClient *client, void *args, void *retp)
{
    remote_connect_is_secure_ret *ret = retp;

    ret->secure = 1;   /* a local UNIX socket */
    return 0;
}

/* The callback fires when the daemon closes the connection, which the
 * client notices by itself on a UNIX socket, or when a daemon behind this
 * one goes (the router tells): only the latter needs remembering. */
static void
set_close_callback(VkServerClient *client, bool registered)
{
    VkRemoteClient *rc = vk_remote_client(client);

    g_mutex_lock(&rc->lock);
    rc->close_callback = registered;
    g_mutex_unlock(&rc->lock);
}

static int
connect_register_close_callback(VkServerClient *client, void *args, void *ret)
{
    set_close_callback(client, true);
    return 0;
}

static int
connect_unregister_close_callback(VkServerClient *client, void *args, void *ret)
{
    set_close_callback(client, false);
    return 0;
}

bool
vk_remote_client_wants_close_event(VkServerClient *client)
{
    VkRemoteClient *rc = vk_remote_client(client);
    bool wants;

    if (!rc)
        return false;
    g_mutex_lock(&rc->lock);
    wants = rc->close_callback && !rc->closed;
    g_mutex_unlock(&rc->lock);
    return wants;
}

static const VkRpcHandlerEntry connect_handlers[] = {
    { REMOTE_PROC_AUTH_LIST, auth_list },
    { REMOTE_PROC_AUTH_POLKIT, auth_polkit },
    { REMOTE_PROC_CONNECT_OPEN, connect_open },
    { REMOTE_PROC_CONNECT_CLOSE, connect_close },
    { REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, connect_supports_feature },
    { REMOTE_PROC_CONNECT_GET_HOSTNAME, connect_get_hostname },
    { REMOTE_PROC_CONNECT_GET_LIB_VERSION, connect_get_lib_version },
    { REMOTE_PROC_CONNECT_GET_URI, connect_get_uri },
    { REMOTE_PROC_CONNECT_IS_SECURE, connect_is_secure },
    { REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, connect_register_close_callback },
    { REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, connect_unregister_close_callback },
};

VkRpcProgram *
vk_remote_program_new(const char *uri)
{
    VkRpcProgram *program = vk_rpc_program_new(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                               vk_remote_proc_lookup);

    g_free(connection_uri);
    connection_uri = g_strdup(uri);
    vk_rpc_program_add_handlers(program, connect_handlers, G_N_ELEMENTS(connect_handlers));
    vk_rpc_program_set_gate(program, require_open);
    return program;
}
