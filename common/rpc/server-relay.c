/* Streams passed on: see server-relay.h. */
#include "common/rpc/server-relay.h"
#include "common/rpc/server-private.h"

struct _VkServerRelay {
    gint refs;
    VkServerClient *client;   /* a reference */
    VkRpcHeader call;
    VkServerRelayFunc func;
    gpointer opaque;
    GDestroyNotify destroy;
    GMutex lock;              /* guards the three below */
    GQueue frames;            /* VkMessage*, waiting for FUNC */
    bool writing;             /* a pool thread is draining FRAMES */
    bool ended;
};

static VkServerRelay *
relay_ref(VkServerRelay *relay)
{
    g_atomic_int_inc(&relay->refs);
    return relay;
}

static void
relay_unref(VkServerRelay *relay)
{
    if (!relay || !g_atomic_int_dec_and_test(&relay->refs))
        return;
    if (relay->destroy)
        relay->destroy(relay->opaque);
    g_queue_clear_full(&relay->frames, (GDestroyNotify) vk_message_free);
    g_mutex_clear(&relay->lock);
    vk_server_client_unref(relay->client);
    g_free(relay);
}

/* A pool thread: hand the waiting frames to FUNC in order; each one that
 * leaves lets the client's reading go on. */
static void
drain(gpointer data, gpointer user_data)
{
    VkServerRelay *relay = data;

    for (;;) {
        VkMessage *frame;
        bool ended;

        g_mutex_lock(&relay->lock);
        frame = g_queue_pop_head(&relay->frames);
        if (!frame)
            relay->writing = false;
        ended = relay->ended;
        g_mutex_unlock(&relay->lock);
        if (!frame)
            break;
        if (ended)
            vk_message_free(frame);
        else
            relay->func(frame, relay->opaque);
        vk_server_client_call_done(relay->client);
    }
    relay_unref(relay);
}

static GThreadPool *
writers(VkServer *server)
{
    g_mutex_lock(&server->lock);
    if (!server->relay_writers)
        server->relay_writers = g_thread_pool_new(drain, NULL, -1, FALSE, NULL);
    g_mutex_unlock(&server->lock);
    return server->relay_writers;
}

VkServerRelay *
vk_server_relay_new(VkServerClient *client, const VkRpcHeader *call, VkServerRelayFunc func,
                    gpointer opaque, GDestroyNotify destroy)
{
    VkServerRelay *relay = g_new0(VkServerRelay, 1);

    relay->refs = 2;   /* the caller's and the client's list's */
    relay->client = vk_server_client_ref(client);
    relay->call = *call;
    relay->func = func;
    relay->opaque = opaque;
    relay->destroy = destroy;
    g_mutex_init(&relay->lock);
    g_queue_init(&relay->frames);
    writers(client->server);
    g_mutex_lock(&client->lock);
    if (client->closed) {
        relay->ended = true;
        relay->refs--;
    } else {
        if (!client->relays)
            client->relays = g_ptr_array_new();
        g_ptr_array_add(client->relays, relay);
    }
    g_mutex_unlock(&client->lock);
    return relay;
}

/* Out of CLIENT's list (lock held): the list's reference, or NULL. */
static VkServerRelay *
unlist_locked(VkServerClient *client, VkServerRelay *relay)
{
    return client->relays && g_ptr_array_remove_fast(client->relays, relay) ? relay : NULL;
}

void
vk_server_relay_end(VkServerRelay *relay)
{
    VkServerRelay *listed;

    if (!relay)
        return;
    g_mutex_lock(&relay->client->lock);
    listed = unlist_locked(relay->client, relay);
    g_mutex_unlock(&relay->client->lock);
    g_mutex_lock(&relay->lock);
    relay->ended = true;
    g_mutex_unlock(&relay->lock);
    relay_unref(listed);
    relay_unref(relay);
}

bool
vk_server_relay_take(VkServerClient *client, VkMessage *msg)
{
    VkServerRelay *relay = NULL;
    bool start;

    g_mutex_lock(&client->lock);
    for (guint i = 0; client->relays && i < client->relays->len && !relay; i++) {
        VkServerRelay *r = g_ptr_array_index(client->relays, i);
        if (r->call.prog == msg->header.prog && r->call.vers == msg->header.vers &&
            r->call.proc == msg->header.proc && r->call.serial == msg->header.serial)
            relay = relay_ref(r);
    }
    g_mutex_unlock(&client->lock);
    if (!relay)
        return false;
    vk_server_client_count_call(client);   /* reading pauses at the limit */
    g_mutex_lock(&relay->lock);
    g_queue_push_tail(&relay->frames, msg);
    start = !relay->writing;
    relay->writing = true;
    g_mutex_unlock(&relay->lock);
    if (start)
        g_thread_pool_push(client->server->relay_writers, relay_ref(relay), NULL);
    relay_unref(relay);
    return true;
}

void
vk_server_relay_detach_all(VkServerClient *client)
{
    g_autoptr(GPtrArray) relays = NULL;

    g_mutex_lock(&client->lock);
    relays = g_steal_pointer(&client->relays);
    g_mutex_unlock(&client->lock);
    for (guint i = 0; relays && i < relays->len; i++) {
        VkServerRelay *relay = g_ptr_array_index(relays, i);
        g_mutex_lock(&relay->lock);
        relay->ended = true;
        g_mutex_unlock(&relay->lock);
        relay_unref(relay);
    }
}
