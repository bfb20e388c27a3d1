/* Domain events to the clients registered for them (events.h); the
 * registrations come through event-handlers.c. */
#include "drivers/qemu/core/events.h"

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
vk_qemu_emit_lifecycle(VkDomainObj *obj, int event, int detail)
{
    vk_qemu_event_lifecycle(driver_events(), obj->def->name, obj->def->uuid, obj->def->id,
                            event, detail);
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
