#include "drivers/qemu/events.h"

#include <string.h>

#include "common/daemon/remote-connect.h"
#include "common/util/error.h"
#include "drivers/qemu/driver.h"
#include "remote-protocol.h"

/* virDomainEventID: the ids a client may register for (virsh event --all
 * registers every one of them). */
#define EVENT_ID_LIFECYCLE 0
#define EVENT_ID_REBOOT 1
#define EVENT_ID_TRAY_CHANGE 10
#define EVENT_ID_BALLOON_CHANGE 13
#define EVENT_ID_DEVICE_REMOVED 15
#define EVENT_ID_DEVICE_ADDED 19
#define EVENT_ID_METADATA_CHANGE 23
#define EVENT_ID_LAST 27

typedef struct {
    VkServerClient *client;   /* a reference */
    int callback_id;          /* -1: old-style registration */
    int event_id;
    bool legacy_register;     /* CONNECT_DOMAIN_EVENT_REGISTER (lifecycle only) */
    bool has_domain;
    unsigned char uuid[VK_UUID_LEN];
} VkEventRegistration;

struct _VkQemuEvents {
    GMutex lock;
    GPtrArray *registrations;   /* VkEventRegistration* */
    int next_callback_id;
};

static void
registration_free(VkEventRegistration *reg)
{
    vk_server_client_unref(reg->client);
    g_free(reg);
}

VkQemuEvents *
vk_qemu_events_new(void)
{
    VkQemuEvents *events = g_new0(VkQemuEvents, 1);

    g_mutex_init(&events->lock);
    events->registrations = g_ptr_array_new_with_free_func((GDestroyNotify) registration_free);
    events->next_callback_id = 1;
    return events;
}

void
vk_qemu_events_free(VkQemuEvents *events)
{
    if (!events)
        return;
    g_ptr_array_free(events->registrations, TRUE);
    g_mutex_clear(&events->lock);
    g_free(events);
}

static VkQemuEvents *
driver_events(void)
{
    return vk_qemu_driver()->events;
}

/* When a client goes, its registrations go too (they hold references to
 * the client, so this also breaks the cycle). */
typedef struct {
    VkQemuEvents *events;
    VkServerClient *client;   /* not a reference: only compared */
} VkClientEventsMarker;

static void
client_gone(gpointer data)
{
    VkClientEventsMarker *marker = data;
    GPtrArray *regs = marker->events->registrations;

    g_mutex_lock(&marker->events->lock);
    for (guint i = regs->len; i > 0; i--) {
        VkEventRegistration *reg = g_ptr_array_index(regs, i - 1);
        if (reg->client == marker->client)
            g_ptr_array_remove_index(regs, i - 1);
    }
    g_mutex_unlock(&marker->events->lock);
    g_free(marker);
}

static void
track_client(VkQemuEvents *events, VkServerClient *client)
{
    VkRemoteClient *rc = vk_remote_client(client);
    VkClientEventsMarker *marker;

    if (rc->driver_state)
        return;
    marker = g_new0(VkClientEventsMarker, 1);
    marker->events = events;
    marker->client = client;
    rc->driver_state = marker;
    rc->driver_state_free = client_gone;
}

static VkEventRegistration *
find_registration(VkQemuEvents *events, VkServerClient *client, int callback_id,
                  int event_id, bool legacy_register, guint *index)
{
    for (guint i = 0; i < events->registrations->len; i++) {
        VkEventRegistration *reg = g_ptr_array_index(events->registrations, i);
        if (reg->client != client || reg->legacy_register != legacy_register)
            continue;
        if (callback_id >= 0 ? reg->callback_id == callback_id
                             : reg->callback_id < 0 && reg->event_id == event_id) {
            *index = i;
            return reg;
        }
    }
    return NULL;
}

static int
check_event_id(int event_id)
{
    if (event_id < 0 || event_id >= EVENT_ID_LAST) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "unsupported event ID %d", event_id);
        return -1;
    }
    return 0;
}

static int
add_registration(VkServerClient *client, int event_id, int callback_id, bool legacy,
                 const remote_nonnull_domain *dom)
{
    VkQemuEvents *events = driver_events();
    VkEventRegistration *reg;
    guint index;

    g_mutex_lock(&events->lock);
    if (callback_id < 0 && find_registration(events, client, -1, event_id, legacy, &index)) {
        g_mutex_unlock(&events->lock);
        vk_error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID,
                        "domain event %d already registered", event_id);
        return -1;
    }
    track_client(events, client);
    reg = g_new0(VkEventRegistration, 1);
    reg->client = vk_server_client_ref(client);
    reg->callback_id = callback_id;
    reg->event_id = event_id;
    reg->legacy_register = legacy;
    if (dom) {
        reg->has_domain = true;
        memcpy(reg->uuid, dom->uuid, VK_UUID_LEN);
    }
    g_ptr_array_add(events->registrations, reg);
    g_mutex_unlock(&events->lock);
    return 0;
}

static int
remove_registration(VkServerClient *client, int event_id, int callback_id, bool legacy)
{
    VkQemuEvents *events = driver_events();
    guint index;
    int rc = 0;

    g_mutex_lock(&events->lock);
    if (find_registration(events, client, callback_id, event_id, legacy, &index))
        g_ptr_array_remove_index(events->registrations, index);
    else
        rc = -1;
    g_mutex_unlock(&events->lock);
    if (rc < 0) {
        if (callback_id >= 0)
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                            "callback ID %d not registered", callback_id);
        else
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                            "domain event %d not registered", event_id);
    }
    return rc;
}

static int
event_register(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_register_ret *ret = retp;

    if (add_registration(client, EVENT_ID_LIFECYCLE, -1, true, NULL) < 0)
        return -1;
    ret->cb_registered = 1;
    return 0;
}

static int
event_deregister(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_deregister_ret *ret = retp;

    if (remove_registration(client, EVENT_ID_LIFECYCLE, -1, true) < 0)
        return -1;
    ret->cb_registered = 0;
    return 0;
}

static int
event_register_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_register_any_args *args = argsp;

    if (check_event_id(args->eventID) < 0)
        return -1;
    return add_registration(client, args->eventID, -1, false, NULL);
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_deregister_any_args *args = argsp;

    return remove_registration(client, args->eventID, -1, false);
}

static int
event_callback_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_domain_event_callback_register_any_args *args = argsp;
    remote_connect_domain_event_callback_register_any_ret *ret = retp;
    VkQemuEvents *events = driver_events();
    int id;

    if (check_event_id(args->eventID) < 0)
        return -1;
    g_mutex_lock(&events->lock);
    id = events->next_callback_id++;
    g_mutex_unlock(&events->lock);
    if (add_registration(client, args->eventID, id, false, args->dom) < 0)
        return -1;
    ret->callbackID = id;
    return 0;
}

static int
event_callback_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_callback_deregister_any_args *args = argsp;

    return remove_registration(client, -1, args->callbackID, false);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, event_register },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, event_deregister },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, event_register_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, event_deregister_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, event_callback_register_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, event_callback_deregister_any },
};

void
vk_qemu_events_register_handlers(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}

/* One event, in both message forms; the wrapped payload's first field is
 * the callback id. */
typedef struct {
    int event_id;
    int legacy_proc;         /* message for old-style registrations; 0: none
                              * (events newer than the callback API) */
    xdrproc_t legacy_filter;
    void *legacy_msg;
    int callback_proc;       /* message for callback registrations */
    xdrproc_t callback_filter;
    void *callback_msg;
    int *callback_id;        /* where callback_msg keeps its id */
    const unsigned char *uuid;
} VkEventMessage;

static void
emit(VkQemuEvents *events, VkEventMessage *m)
{
    g_mutex_lock(&events->lock);
    for (guint i = 0; i < events->registrations->len; i++) {
        VkEventRegistration *reg = g_ptr_array_index(events->registrations, i);

        if (reg->event_id != m->event_id ||
            (reg->has_domain && memcmp(reg->uuid, m->uuid, VK_UUID_LEN) != 0))
            continue;
        if (reg->callback_id < 0 && !m->legacy_proc)
            continue;
        if (reg->callback_id < 0) {
            vk_server_client_send_event(reg->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                        m->legacy_proc, m->legacy_filter, m->legacy_msg);
        } else {
            *m->callback_id = reg->callback_id;
            vk_server_client_send_event(reg->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                        m->callback_proc, m->callback_filter, m->callback_msg);
        }
    }
    g_mutex_unlock(&events->lock);
}

static remote_nonnull_domain
domain_ref(const char *name, const unsigned char *uuid, int id)
{
    remote_nonnull_domain dom = { .name = (char *) name, .id = id };

    memcpy(dom.uuid, uuid, VK_UUID_LEN);
    return dom;
}

void
vk_qemu_event_lifecycle(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                        int id, int event, int detail)
{
    remote_domain_event_callback_lifecycle_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .event = event, .detail = detail },
    };
    VkEventMessage m = {
        EVENT_ID_LIFECYCLE,
        REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE, (xdrproc_t) xdr_remote_domain_event_lifecycle_msg,
        &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
        (xdrproc_t) xdr_remote_domain_event_callback_lifecycle_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_reboot(VkQemuEvents *events, const char *name, const unsigned char *uuid, int id)
{
    remote_domain_event_callback_reboot_msg cb = { .msg = { .dom = domain_ref(name, uuid, id) } };
    VkEventMessage m = {
        EVENT_ID_REBOOT,
        REMOTE_PROC_DOMAIN_EVENT_REBOOT, (xdrproc_t) xdr_remote_domain_event_reboot_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
        (xdrproc_t) xdr_remote_domain_event_callback_reboot_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_device_removed(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                             int id, const char *alias)
{
    remote_domain_event_callback_device_removed_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias },
    };
    VkEventMessage m = {
        EVENT_ID_DEVICE_REMOVED,
        REMOTE_PROC_DOMAIN_EVENT_DEVICE_REMOVED,
        (xdrproc_t) xdr_remote_domain_event_device_removed_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED,
        (xdrproc_t) xdr_remote_domain_event_callback_device_removed_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_tray_change(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                          int id, const char *alias, bool opened)
{
    remote_domain_event_callback_tray_change_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias,
                 .reason = opened ? 0 : 1 },   /* virDomainEventTrayChangeReason */
    };
    VkEventMessage m = {
        EVENT_ID_TRAY_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_TRAY_CHANGE, (xdrproc_t) xdr_remote_domain_event_tray_change_msg,
        &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TRAY_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_tray_change_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_balloon_change(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                             int id, guint64 actual_kib)
{
    remote_domain_event_callback_balloon_change_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .actual = actual_kib },
    };
    VkEventMessage m = {
        EVENT_ID_BALLOON_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_BALLOON_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_balloon_change_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_balloon_change_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_device_added(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                           int id, const char *alias)
{
    remote_domain_event_callback_device_added_msg cb = {
        .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias,
    };
    VkEventMessage m = {
        EVENT_ID_DEVICE_ADDED, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_ADDED,
        (xdrproc_t) xdr_remote_domain_event_callback_device_added_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}

void
vk_qemu_event_metadata_change(VkQemuEvents *events, const char *name, const unsigned char *uuid,
                              int id, int type, const char *nsuri)
{
    char *uri = (char *) nsuri;
    remote_domain_event_callback_metadata_change_msg cb = {
        .dom = domain_ref(name, uuid, id), .type = type, .nsuri = nsuri ? &uri : NULL,
    };
    VkEventMessage m = {
        EVENT_ID_METADATA_CHANGE, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_metadata_change_msg, &cb, &cb.callbackID, uuid,
    };

    emit(events, &m);
}
