#include "drivers/qemu/events.h"

#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/driver.h"
#include "remote-protocol.h"


static VkEventRegistry *
driver_events(void)
{
    return vk_qemu_driver()->events;
}

VkEventRegistry *
vk_qemu_events_new(void)
{
    return vk_event_registry_new("domain", VIR_DOMAIN_EVENT_ID_LAST, VIR_FROM_NONE);
}

static int
event_register(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_register_ret *ret = retp;

    if (vk_event_registry_add_plain(driver_events(), client, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                    true) < 0)
        return -1;
    ret->cb_registered = 1;
    return 0;
}

static int
event_deregister(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_deregister_ret *ret = retp;

    if (vk_event_registry_remove_plain(driver_events(), client, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       true) < 0)
        return -1;
    ret->cb_registered = 0;
    return 0;
}

static int
event_register_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_register_any_args *args = argsp;

    return vk_event_registry_add_plain(driver_events(), client, args->eventID, false);
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_deregister_any_args *args = argsp;

    return vk_event_registry_remove_plain(driver_events(), client, args->eventID, false);
}

static int
event_callback_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_domain_event_callback_register_any_args *args = argsp;
    remote_connect_domain_event_callback_register_any_ret *ret = retp;
    int id = vk_event_registry_add_callback(driver_events(), client, args->eventID,
                                            args->dom ? (const unsigned char *) args->dom->uuid
                                                      : NULL);

    if (id < 0)
        return -1;
    ret->callbackID = id;
    return 0;
}

static int
event_callback_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_callback_deregister_any_args *args = argsp;

    return vk_event_registry_remove_callback(driver_events(), client, args->callbackID);
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

static remote_nonnull_domain
domain_ref(const char *name, const unsigned char *uuid, int id)
{
    remote_nonnull_domain dom = { .name = (char *) name, .id = id };

    memcpy(dom.uuid, uuid, VK_UUID_LEN);
    return dom;
}

void
vk_qemu_event_lifecycle(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                        int id, int event, int detail)
{
    remote_domain_event_callback_lifecycle_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .event = event, .detail = detail },
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE, (xdrproc_t) xdr_remote_domain_event_lifecycle_msg,
        &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
        (xdrproc_t) xdr_remote_domain_event_callback_lifecycle_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_reboot(VkEventRegistry *events, const char *name, const unsigned char *uuid, int id)
{
    remote_domain_event_callback_reboot_msg cb = { .msg = { .dom = domain_ref(name, uuid, id) } };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_REBOOT,
        REMOTE_PROC_DOMAIN_EVENT_REBOOT, (xdrproc_t) xdr_remote_domain_event_reboot_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
        (xdrproc_t) xdr_remote_domain_event_callback_reboot_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_device_removed(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                             int id, const char *alias)
{
    remote_domain_event_callback_device_removed_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias },
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
        REMOTE_PROC_DOMAIN_EVENT_DEVICE_REMOVED,
        (xdrproc_t) xdr_remote_domain_event_device_removed_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED,
        (xdrproc_t) xdr_remote_domain_event_callback_device_removed_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_tray_change(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                          int id, const char *alias, bool opened)
{
    remote_domain_event_callback_tray_change_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias,
                 .reason = opened ? 0 : 1 },   /* virDomainEventTrayChangeReason */
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_TRAY_CHANGE, (xdrproc_t) xdr_remote_domain_event_tray_change_msg,
        &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TRAY_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_tray_change_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_balloon_change(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                             int id, guint64 actual_kib)
{
    remote_domain_event_callback_balloon_change_msg cb = {
        .msg = { .dom = domain_ref(name, uuid, id), .actual = actual_kib },
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
        REMOTE_PROC_DOMAIN_EVENT_BALLOON_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_balloon_change_msg, &cb.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_balloon_change_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_device_added(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                           int id, const char *alias)
{
    remote_domain_event_callback_device_added_msg cb = {
        .dom = domain_ref(name, uuid, id), .devAlias = (char *) alias,
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_ADDED,
        (xdrproc_t) xdr_remote_domain_event_callback_device_added_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}

void
vk_qemu_event_metadata_change(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                              int id, int type, const char *nsuri)
{
    char *uri = (char *) nsuri;
    remote_domain_event_callback_metadata_change_msg cb = {
        .dom = domain_ref(name, uuid, id), .type = type, .nsuri = nsuri ? &uri : NULL,
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
        (xdrproc_t) xdr_remote_domain_event_callback_metadata_change_msg, &cb, &cb.callbackID, uuid,
    };

    vk_event_registry_emit(events, &m);
}
