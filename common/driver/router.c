#include "common/driver/router.h"

#include "common/daemon/remote-connect.h"
#include "common/driver/route-callbacks.h"
#include "common/driver/route-stream.h"
#include "common/driver/route-upstream.h"
#include "common/rpc/server.h"
#include "common/util/error.h"
#include "remote-protocol.h"

struct _VkRouter {
    VkPaths *paths;
    unsigned int owners;      /* VK_PROC_OWNER_BIT mask */
    GMutex lock;              /* guards clients */
    GHashTable *clients;      /* VkServerClient* -> VkRouteUpstreams* (a reference) */
    GThreadPool *closer;      /* closes a gone client's connections off the main loop */
};

/* A call on its way: whom to answer, and the call's header as it came. */
typedef struct {
    VkServerClient *client;   /* a reference */
    VkRpcHeader header;
    /* for an event (de)registration: the client's connections, a reference */
    VkRouteUpstreams *ups;
    VkRouteCbRole role;
    VkRouteCbKind kind;
    VkProcOwner owner;
    int client_id;            /* the callback id it deregisters */
} VkRoutedCall;

static VkRoutedCall *
routed_call_new(VkServerClient *client, const VkMessage *msg)
{
    VkRoutedCall *call = g_new0(VkRoutedCall, 1);

    call->client = vk_server_client_ref(client);
    call->header = msg->header;
    return call;
}

static void
routed_call_free(VkRoutedCall *call)
{
    vk_server_client_unref(call->client);
    if (call->ups)
        vk_route_upstreams_unref(call->ups);
    g_free(call);
}

/* The owner's reply, on its connection's reader thread: back to the client
 * under the client's serial, and under the client's callback id for a
 * registration.  NULL: that connection ended first. */
static void
on_reply(VkMessage *reply, gpointer data)
{
    VkRoutedCall *call = data;

    if (reply && call->role == VK_ROUTE_CB_REGISTER)
        vk_route_callbacks_registered(vk_route_upstreams_callbacks(call->ups), call->client,
                                      call->owner, call->kind, reply);
    else if (reply && call->role == VK_ROUTE_CB_DEREGISTER &&
             reply->header.status == VK_RPC_OK)
        vk_route_callbacks_forget(vk_route_upstreams_callbacks(call->ups), call->client_id);
    vk_route_reply(call->client, &call->header, reply);
    routed_call_free(call);
}

/* CALL (a copy of the client's) is an event (de)registration: note what
 * its reply must change, and name the daemon's callback id in a
 * deregistration.  -1 with an error when the client holds no such id. */
static int
prepare_callback_call(VkRoutedCall *call, VkRouteUpstreams *ups, VkProcOwner owner,
                      VkMessage *msg)
{
    call->role = vk_route_callback_role(msg->header.prog, msg->header.proc, &call->kind);
    if (call->role == VK_ROUTE_CB_NONE)
        return 0;
    call->ups = vk_route_upstreams_ref(ups);
    call->owner = owner;
    if (call->role != VK_ROUTE_CB_DEREGISTER)
        return 0;
    vk_route_upstreams_drop_ended(ups, owner);
    return vk_route_callbacks_deregistering(vk_route_upstreams_callbacks(ups), call->kind, msg,
                                            &call->client_id);
}

/* ---- the per-client connections ---- */

static void
on_client_gone(gpointer data)
{
    VkRouteUpstreams *ups = data;
    VkRouter *router = vk_route_upstreams_data(ups);

    g_mutex_lock(&router->lock);
    g_hash_table_remove(router->clients, vk_route_upstreams_client(ups));
    g_mutex_unlock(&router->lock);
    g_thread_pool_push(router->closer, ups, NULL);   /* with the close hook's reference */
}

static void
close_job(gpointer data, gpointer user_data)
{
    VkRouteUpstreams *ups = data;

    vk_route_upstreams_close(ups);
    vk_route_upstreams_unref(ups);
}

/* CLIENT's connections (a new reference), made at its first routed call;
 * NULL once it has gone. */
static VkRouteUpstreams *
upstreams_get(VkRouter *router, VkServerClient *client)
{
    VkRouteUpstreams *ups;

    g_mutex_lock(&router->lock);
    ups = g_hash_table_lookup(router->clients, client);
    if (!ups) {
        ups = vk_route_upstreams_new(router->paths, client, router);
        if (vk_remote_client_on_close(client, on_client_gone, vk_route_upstreams_ref(ups))) {
            g_hash_table_insert(router->clients, client, ups);
        } else {
            vk_route_upstreams_unref(ups);
            vk_route_upstreams_unref(ups);
            ups = NULL;
        }
    }
    if (ups)
        vk_route_upstreams_ref(ups);
    g_mutex_unlock(&router->lock);
    return ups;
}

/* ---- the program's fallback ---- */

const char *
vk_router_owner_daemon(VkProcOwner owner)
{
    static const char *const daemons[VK_PROC_OWNER_LAST] = {
        [VK_PROC_OWNER_HYPERVISOR] = "virtqemud",
        [VK_PROC_OWNER_NETWORK] = "virtnetworkd",
        [VK_PROC_OWNER_STORAGE] = "virtstoraged",
        [VK_PROC_OWNER_NODEDEV] = "virtnodedevd",
    };

    return owner > VK_PROC_OWNER_NONE && owner < VK_PROC_OWNER_LAST ? daemons[owner] : NULL;
}

/* The drivers a connection serves by the URI it opened, as libvirtd
 * serves them: "network:///system" only the network driver's calls (the
 * others are "not supported"), "qemu:///system" every driver's. */
static unsigned int
uri_owners(VkServerClient *client)
{
    static const struct { const char *scheme; VkProcOwner owner; } single[] = {
        { "network:", VK_PROC_OWNER_NETWORK },
        { "storage:", VK_PROC_OWNER_STORAGE },
        { "nodedev:", VK_PROC_OWNER_NODEDEV },
    };
    VkRemoteClient *rc = vk_remote_client(client);

    for (gsize i = 0; rc && rc->uri && i < G_N_ELEMENTS(single); i++)
        if (g_str_has_prefix(rc->uri, single[i].scheme))
            return VK_PROC_OWNER_BIT(single[i].owner);
    return ~0u;
}

static bool
forward(VkServerClient *client, const VkProcInfo *info, const VkMessage *msg, gpointer opaque)
{
    VkRouter *router = opaque;
    VkRouteUpstreams *ups;
    VkRoutedCall *call;
    VkMessage *copy;

    if (info->owner == VK_PROC_OWNER_NONE ||
        !(router->owners & uri_owners(client) & VK_PROC_OWNER_BIT(info->owner)))
        return false;
    if (!(ups = upstreams_get(router, client)))
        return true;   /* the client has gone: nobody to answer */
    if (info->flags & VK_PROC_STREAM) {
        vk_route_stream_forward(ups, info->owner, client, msg);
        vk_route_upstreams_unref(ups);
        return true;
    }
    call = routed_call_new(client, msg);
    copy = vk_message_copy(msg);
    if (prepare_callback_call(call, ups, info->owner, copy) < 0 ||
        vk_route_upstreams_send(ups, info->owner, g_steal_pointer(&copy), on_reply, call) < 0) {
        vk_route_answer_error(client, &msg->header);
        routed_call_free(call);
    }
    vk_message_free(copy);
    vk_route_upstreams_unref(ups);
    return true;
}

/* The same on the main loop, for a client whose connection to the owner
 * is open already: sent now, or left to a worker (forward).  Event
 * (de)registrations are rare: always the worker's. */
static bool
forward_now(VkServerClient *client, const VkProcInfo *info, const VkMessage *msg,
            gpointer opaque)
{
    VkRouter *router = opaque;
    VkRouteUpstreams *ups;
    VkRoutedCall *call;
    VkRouteCbKind kind;
    bool sent;

    if (info->owner == VK_PROC_OWNER_NONE || (info->flags & VK_PROC_STREAM) ||
        vk_route_callback_role(msg->header.prog, msg->header.proc, &kind) != VK_ROUTE_CB_NONE ||
        !(router->owners & uri_owners(client) & VK_PROC_OWNER_BIT(info->owner)))
        return false;
    g_mutex_lock(&router->lock);
    ups = g_hash_table_lookup(router->clients, client);
    if (ups)
        vk_route_upstreams_ref(ups);
    g_mutex_unlock(&router->lock);
    if (!ups)
        return false;
    call = routed_call_new(client, msg);
    sent = vk_route_upstreams_try_send(ups, info->owner, msg, on_reply, call) == 0;
    if (!sent)
        routed_call_free(call);
    vk_route_upstreams_unref(ups);
    return sent;
}

VkRouter *
vk_router_new(VkRpcProgram *remote, const VkPaths *paths, unsigned int owners)
{
    VkRouter *router = g_new0(VkRouter, 1);

    router->paths = vk_paths_copy(paths);
    router->owners = owners;
    g_mutex_init(&router->lock);
    router->clients = g_hash_table_new_full(NULL, NULL, NULL,
                                            (GDestroyNotify) vk_route_upstreams_unref);
    router->closer = g_thread_pool_new(close_job, router, 1, FALSE, NULL);
    vk_router_add_program(router, remote);
    return router;
}

void
vk_router_add_program(VkRouter *router, VkRpcProgram *program)
{
    vk_rpc_program_set_fallback(program, forward, router);
    vk_rpc_program_set_fallback_now(program, forward_now);
}

void
vk_router_free(VkRouter *router)
{
    if (!router)
        return;
    g_thread_pool_free(router->closer, FALSE, TRUE);
    g_hash_table_destroy(router->clients);
    g_mutex_clear(&router->lock);
    vk_paths_free(router->paths);
    g_free(router);
}
