#include "common/driver/event-registry.h"

#include <string.h>

#include "common/daemon/remote-connect.h"
#include "common/util/error.h"
#include "common/util/uuid.h"
#include "remote-protocol.h"

typedef struct {
    VkServerClient *client;   /* a reference */
    int callback_id;          /* -1: a plain registration */
    int event_id;
    bool legacy;              /* virConnectDomainEventRegister (lifecycle only) */
    bool has_uuid;
    unsigned char uuid[VK_UUID_BUFLEN];
} VkEventRegistration;

struct _VkEventRegistry {
    gint refs;                  /* the driver's, and one per watched client */
    char *kind;
    int n_event_ids;
    int error_domain;
    GMutex lock;
    GPtrArray *registrations;   /* VkEventRegistration* */
    GHashTable *tracked;        /* clients whose departure we watch */
};

static void
registration_free(VkEventRegistration *reg)
{
    vk_server_client_unref(reg->client);
    g_free(reg);
}

VkEventRegistry *
vk_event_registry_new(const char *kind, int n_event_ids, int error_domain)
{
    VkEventRegistry *registry = g_new0(VkEventRegistry, 1);

    registry->refs = 1;
    registry->kind = g_strdup(kind);
    registry->n_event_ids = n_event_ids;
    registry->error_domain = error_domain;
    g_mutex_init(&registry->lock);
    registry->registrations =
        g_ptr_array_new_with_free_func((GDestroyNotify) registration_free);
    registry->tracked = g_hash_table_new(NULL, NULL);
    return registry;
}

static void
registry_unref(VkEventRegistry *registry)
{
    if (!g_atomic_int_dec_and_test(&registry->refs))
        return;
    g_ptr_array_free(registry->registrations, TRUE);
    g_hash_table_destroy(registry->tracked);
    g_mutex_clear(&registry->lock);
    g_free(registry->kind);
    g_free(registry);
}

/* The registrations go now; the registry itself when the last watched
 * client has gone too. */
void
vk_event_registry_free(VkEventRegistry *registry)
{
    GPtrArray *old;

    if (!registry)
        return;
    /* freed outside the lock: dropping a client may run its close hooks */
    g_mutex_lock(&registry->lock);
    old = registry->registrations;
    registry->registrations =
        g_ptr_array_new_with_free_func((GDestroyNotify) registration_free);
    g_mutex_unlock(&registry->lock);
    g_ptr_array_free(old, TRUE);
    registry_unref(registry);
}

/* When a client goes, its registrations go too (they hold references to
 * the client: this also lets it be freed). */
typedef struct {
    VkEventRegistry *registry;
    VkServerClient *client;   /* not a reference: only compared */
} VkClientWatch;

static void
client_gone(gpointer data)
{
    VkClientWatch *watch = data;
    VkEventRegistry *registry = watch->registry;
    GPtrArray *regs = registry->registrations;

    g_mutex_lock(&registry->lock);
    for (guint i = regs->len; i > 0; i--)
        if (((VkEventRegistration *) g_ptr_array_index(regs, i - 1))->client == watch->client)
            g_ptr_array_remove_index(regs, i - 1);
    g_hash_table_remove(registry->tracked, watch->client);
    g_mutex_unlock(&registry->lock);
    registry_unref(registry);
    g_free(watch);
}

/* Called with the registry locked.  False when the client is already gone:
 * a registration now would never be dropped. */
static bool
track_client(VkEventRegistry *registry, VkServerClient *client)
{
    VkClientWatch *watch;

    if (g_hash_table_contains(registry->tracked, client))
        return true;
    watch = g_new0(VkClientWatch, 1);
    watch->registry = registry;
    watch->client = client;
    if (!vk_remote_client_on_close(client, client_gone, watch)) {
        g_free(watch);
        return false;
    }
    g_atomic_int_inc(&registry->refs);
    g_hash_table_add(registry->tracked, client);
    return true;
}

static int
check_event_id(VkEventRegistry *registry, int event_id)
{
    if (event_id < 0 || event_id >= registry->n_event_ids) {
        vk_error_report(registry->error_domain, VIR_ERR_INVALID_ARG,
                        "unsupported event ID %d", event_id);
        return -1;
    }
    return 0;
}

/* The plain registration of CLIENT for EVENT_ID, or CALLBACK_ID's. */
static gint
find_registration(VkEventRegistry *registry, VkServerClient *client, int callback_id,
                  int event_id, bool legacy)
{
    for (guint i = 0; i < registry->registrations->len; i++) {
        VkEventRegistration *reg = g_ptr_array_index(registry->registrations, i);
        if (reg->client != client || reg->legacy != legacy)
            continue;
        if (callback_id >= 0 ? reg->callback_id == callback_id
                             : reg->callback_id < 0 && reg->event_id == event_id)
            return (gint) i;
    }
    return -1;
}

static void
add_locked(VkEventRegistry *registry, VkServerClient *client, int event_id, int callback_id,
           bool legacy, const unsigned char *uuid)
{
    VkEventRegistration *reg = g_new0(VkEventRegistration, 1);

    reg->client = vk_server_client_ref(client);
    reg->callback_id = callback_id;
    reg->event_id = event_id;
    reg->legacy = legacy;
    if (uuid) {
        reg->has_uuid = true;
        memcpy(reg->uuid, uuid, VK_UUID_BUFLEN);
    }
    g_ptr_array_add(registry->registrations, reg);
}

static int
client_gone_error(VkEventRegistry *registry)
{
    vk_error_report(registry->error_domain, VIR_ERR_OPERATION_INVALID, "%s",
                    "the client connection is closing");
    return -1;
}

int
vk_event_registry_add_callback(VkEventRegistry *registry, VkServerClient *client,
                               int event_id, const unsigned char *uuid)
{
    int id = -1;

    if (check_event_id(registry, event_id) < 0)
        return -1;
    g_mutex_lock(&registry->lock);
    if (track_client(registry, client)) {
        id = vk_server_client_new_callback_id(client);
        add_locked(registry, client, event_id, id, false, uuid);
    }
    g_mutex_unlock(&registry->lock);
    return id < 0 ? client_gone_error(registry) : id;
}

int
vk_event_registry_add_plain(VkEventRegistry *registry, VkServerClient *client, int event_id,
                            bool legacy)
{
    bool duplicate, tracked = false;

    if (check_event_id(registry, event_id) < 0)
        return -1;
    g_mutex_lock(&registry->lock);
    duplicate = find_registration(registry, client, -1, event_id, legacy) >= 0;
    if (!duplicate && (tracked = track_client(registry, client)))
        add_locked(registry, client, event_id, -1, legacy, NULL);
    g_mutex_unlock(&registry->lock);
    if (duplicate) {
        vk_error_report(registry->error_domain, VIR_ERR_OPERATION_INVALID,
                        "%s event %d already registered", registry->kind, event_id);
        return -1;
    }
    return tracked ? 0 : client_gone_error(registry);
}

static bool
remove_one(VkEventRegistry *registry, VkServerClient *client, int callback_id, int event_id,
           bool legacy)
{
    gint index;

    g_mutex_lock(&registry->lock);
    index = find_registration(registry, client, callback_id, event_id, legacy);
    if (index >= 0)
        g_ptr_array_remove_index(registry->registrations, (guint) index);
    g_mutex_unlock(&registry->lock);
    return index >= 0;
}

int
vk_event_registry_remove_callback(VkEventRegistry *registry, VkServerClient *client,
                                  int callback_id)
{
    if (remove_one(registry, client, callback_id, -1, false))
        return 0;
    vk_error_report(registry->error_domain, VIR_ERR_INVALID_ARG,
                    "callback ID %d not registered", callback_id);
    return -1;
}

int
vk_event_registry_remove_plain(VkEventRegistry *registry, VkServerClient *client,
                               int event_id, bool legacy)
{
    if (remove_one(registry, client, -1, event_id, legacy))
        return 0;
    vk_error_report(registry->error_domain, VIR_ERR_INVALID_ARG,
                    "%s event %d not registered", registry->kind, event_id);
    return -1;
}

guint
vk_event_registry_count(VkEventRegistry *registry)
{
    guint n;

    g_mutex_lock(&registry->lock);
    n = registry->registrations->len;
    g_mutex_unlock(&registry->lock);
    return n;
}

void
vk_event_registry_emit(VkEventRegistry *registry, const VkEventMessage *m)
{
    g_mutex_lock(&registry->lock);
    for (guint i = 0; i < registry->registrations->len; i++) {
        VkEventRegistration *reg = g_ptr_array_index(registry->registrations, i);

        if (reg->event_id != m->event_id ||
            (reg->has_uuid && memcmp(reg->uuid, m->uuid, VK_UUID_BUFLEN) != 0))
            continue;
        if (reg->callback_id < 0) {
            if (m->plain_proc)
                vk_server_client_send_event(reg->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                            m->plain_proc, m->plain_filter, m->plain_msg);
        } else {
            *m->callback_id = reg->callback_id;
            vk_server_client_send_event(reg->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                        m->callback_proc, m->callback_filter, m->callback_msg);
        }
    }
    g_mutex_unlock(&registry->lock);
}

void
vk_event_subject_of(VkEventSubject *s, const VkObject *obj)
{
    s->name = g_strdup(obj->name);
    memcpy(s->uuid, obj->uuid, VK_UUID_BUFLEN);
    s->id = obj->id;
}

void
vk_event_subject_clear(VkEventSubject *s)
{
    g_clear_pointer(&s->name, g_free);
}
