#include "common/driver/route-callbacks.h"

#include "common/util/error.h"
#include "qemu-procs.h"
#include "qemu-protocol.h"
#include "remote-procs.h"
#include "remote-protocol.h"

/* Where the callbackID sits: the first field of the body. */
#define ID_OFFSET (VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE)

typedef struct {
    int client_id;
    int daemon_id;
    VkRouteCbKind kind;
    VkProcOwner owner;
} VkRouteCallback;

struct _VkRouteCallbacks {
    GMutex lock;
    GArray *list;   /* VkRouteCallback: a client holds a handful */
};

/* How libvirtd names the kinds in "... event callback N not registered". */
static const char *const kind_names[] = {
    [VK_ROUTE_CB_DOMAIN] = "domain",
    [VK_ROUTE_CB_NETWORK] = "network",
    [VK_ROUTE_CB_POOL] = "storage pool",
    [VK_ROUTE_CB_NODEDEV] = "node device",
    [VK_ROUTE_CB_SECRET] = "secret",
    [VK_ROUTE_CB_QEMU_MONITOR] = "qemu monitor",
};

/* ---- which frames carry a callback id ---- */

static const struct {
    int register_proc;
    int deregister_proc;
    VkRouteCbKind kind;
    const char *event_prefix;   /* the names of its events */
} remote_kinds[] = {
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, VK_ROUTE_CB_DOMAIN,
      "DOMAIN_EVENT_" },
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, VK_ROUTE_CB_NETWORK, "NETWORK_EVENT_" },
    { REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, VK_ROUTE_CB_POOL,
      "STORAGE_POOL_EVENT_" },
    { REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY, VK_ROUTE_CB_NODEDEV,
      "NODE_DEVICE_EVENT_" },
    { REMOTE_PROC_CONNECT_SECRET_EVENT_REGISTER_ANY,
      REMOTE_PROC_CONNECT_SECRET_EVENT_DEREGISTER_ANY, VK_ROUTE_CB_SECRET, "SECRET_EVENT_" },
};

/* The domain events of the old registrations (by event id, not callback):
 * their bodies start with the domain. */
static bool
is_plain_domain_event(int proc)
{
    static const int plain[] = {
        REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE, REMOTE_PROC_DOMAIN_EVENT_REBOOT,
        REMOTE_PROC_DOMAIN_EVENT_RTC_CHANGE, REMOTE_PROC_DOMAIN_EVENT_WATCHDOG,
        REMOTE_PROC_DOMAIN_EVENT_IO_ERROR, REMOTE_PROC_DOMAIN_EVENT_GRAPHICS,
        REMOTE_PROC_DOMAIN_EVENT_IO_ERROR_REASON, REMOTE_PROC_DOMAIN_EVENT_CONTROL_ERROR,
        REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB, REMOTE_PROC_DOMAIN_EVENT_DISK_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_TRAY_CHANGE, REMOTE_PROC_DOMAIN_EVENT_PMWAKEUP,
        REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND, REMOTE_PROC_DOMAIN_EVENT_BALLOON_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND_DISK, REMOTE_PROC_DOMAIN_EVENT_DEVICE_REMOVED,
    };

    for (gsize i = 0; i < G_N_ELEMENTS(plain); i++)
        if (plain[i] == proc)
            return true;
    return false;
}

static VkRouteCbRole
remote_role(int proc, VkRouteCbKind *kind)
{
    const VkProcInfo *info;

    for (gsize i = 0; i < G_N_ELEMENTS(remote_kinds); i++) {
        *kind = remote_kinds[i].kind;
        if (proc == remote_kinds[i].register_proc)
            return VK_ROUTE_CB_REGISTER;
        if (proc == remote_kinds[i].deregister_proc)
            return VK_ROUTE_CB_DEREGISTER;
    }
    info = vk_remote_proc_lookup(proc);
    if (!info || !(info->flags & VK_PROC_EVENT) || is_plain_domain_event(proc))
        return VK_ROUTE_CB_NONE;
    for (gsize i = 0; i < G_N_ELEMENTS(remote_kinds); i++) {
        *kind = remote_kinds[i].kind;
        if (g_str_has_prefix(info->name, remote_kinds[i].event_prefix))
            return VK_ROUTE_CB_EVENT;
    }
    return VK_ROUTE_CB_NONE;
}

VkRouteCbRole
vk_route_callback_role(guint32 prog, int proc, VkRouteCbKind *kind)
{
    if (prog == REMOTE_PROGRAM)
        return remote_role(proc, kind);
    if (prog != QEMU_PROGRAM)
        return VK_ROUTE_CB_NONE;
    *kind = VK_ROUTE_CB_QEMU_MONITOR;
    switch (proc) {
    case QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER:
        return VK_ROUTE_CB_REGISTER;
    case QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER:
        return VK_ROUTE_CB_DEREGISTER;
    case QEMU_PROC_DOMAIN_MONITOR_EVENT:
        return VK_ROUTE_CB_EVENT;
    default:
        return VK_ROUTE_CB_NONE;
    }
}

/* ---- the id in a frame ---- */

static bool
get_id(const VkMessage *msg, int *id)
{
    if (msg->len < ID_OFFSET + 4)
        return false;
    *id = (int) vk_rpc_frame_get_length(msg->buf + ID_OFFSET);   /* a big-endian word */
    return true;
}

static void
put_id(VkMessage *msg, int id)
{
    vk_rpc_frame_put_length(msg->buf + ID_OFFSET, (guint32) id);
}

/* ---- the map ---- */

VkRouteCallbacks *
vk_route_callbacks_new(void)
{
    VkRouteCallbacks *cbs = g_new0(VkRouteCallbacks, 1);

    g_mutex_init(&cbs->lock);
    cbs->list = g_array_new(FALSE, FALSE, sizeof(VkRouteCallback));
    return cbs;
}

void
vk_route_callbacks_free(VkRouteCallbacks *cbs)
{
    if (!cbs)
        return;
    g_array_free(cbs->list, TRUE);
    g_mutex_clear(&cbs->lock);
    g_free(cbs);
}

void
vk_route_callbacks_registered(VkRouteCallbacks *cbs, VkServerClient *client,
                              VkProcOwner owner, VkRouteCbKind kind, VkMessage *reply)
{
    VkRouteCallback cb = { .kind = kind, .owner = owner };

    if (reply->header.status != VK_RPC_OK || !get_id(reply, &cb.daemon_id))
        return;
    cb.client_id = vk_server_client_new_callback_id(client);
    g_mutex_lock(&cbs->lock);
    g_array_append_val(cbs->list, cb);
    g_mutex_unlock(&cbs->lock);
    put_id(reply, cb.client_id);
}

/* The index of the entry whose client id (BY_CLIENT) or daemon id is ID,
 * of KIND (and OWNER, for a daemon id); -1 when none (lock held). */
static int
find_locked(VkRouteCallbacks *cbs, bool by_client, int id, VkRouteCbKind kind,
            VkProcOwner owner)
{
    for (guint i = 0; i < cbs->list->len; i++) {
        const VkRouteCallback *cb = &g_array_index(cbs->list, VkRouteCallback, i);

        if (cb->kind == kind && (by_client ? cb->client_id == id
                                           : cb->owner == owner && cb->daemon_id == id))
            return (int) i;
    }
    return -1;
}

int
vk_route_callbacks_deregistering(VkRouteCallbacks *cbs, VkRouteCbKind kind, VkMessage *call,
                                 int *client_id)
{
    int index = -1;

    if (get_id(call, client_id)) {
        g_mutex_lock(&cbs->lock);
        index = find_locked(cbs, true, *client_id, kind, VK_PROC_OWNER_NONE);
        if (index >= 0)
            put_id(call, g_array_index(cbs->list, VkRouteCallback, index).daemon_id);
        g_mutex_unlock(&cbs->lock);
    }
    if (index >= 0)
        return 0;
    vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s event callback %d not registered",
                    kind_names[kind], *client_id);
    return -1;
}

void
vk_route_callbacks_forget(VkRouteCallbacks *cbs, int client_id)
{
    g_mutex_lock(&cbs->lock);
    for (guint i = 0; i < cbs->list->len; i++)
        if (g_array_index(cbs->list, VkRouteCallback, i).client_id == client_id)
            g_array_remove_index(cbs->list, i--);
    g_mutex_unlock(&cbs->lock);
}

bool
vk_route_callbacks_event(VkRouteCallbacks *cbs, VkProcOwner owner, VkRouteCbKind kind,
                         VkMessage *event)
{
    int daemon_id, index = -1;

    if (!get_id(event, &daemon_id))
        return false;
    g_mutex_lock(&cbs->lock);
    index = find_locked(cbs, false, daemon_id, kind, owner);
    if (index >= 0)
        put_id(event, g_array_index(cbs->list, VkRouteCallback, index).client_id);
    g_mutex_unlock(&cbs->lock);
    return index >= 0;
}

void
vk_route_callbacks_forget_owner(VkRouteCallbacks *cbs, VkProcOwner owner)
{
    g_mutex_lock(&cbs->lock);
    for (guint i = 0; i < cbs->list->len; i++)
        if (g_array_index(cbs->list, VkRouteCallback, i).owner == owner)
            g_array_remove_index(cbs->list, i--);
    g_mutex_unlock(&cbs->lock);
}
