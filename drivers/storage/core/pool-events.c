#include "drivers/storage/core/pool-events.h"

#include <string.h>

#include "common/util/error.h"
#include "common/util/uuid.h"
#include "remote-protocol.h"

VkEventRegistry *
vk_pool_events_new(void)
{
    return vk_event_registry_new("storage pool", VK_POOL_EVENT_ID_LAST, VIR_FROM_STORAGE);
}

static void
emit_lifecycle(VkEventRegistry *events, VkEventSubject *s, int event)
{
    remote_storage_pool_event_lifecycle_msg msg = {
        .pool = { .name = s->name }, .event = event, .detail = 0,
    };
    VkEventMessage m = {
        .event_id = VK_POOL_EVENT_ID_LIFECYCLE,
        .callback_proc = REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE,
        .callback_filter = (xdrproc_t) xdr_remote_storage_pool_event_lifecycle_msg,
        .callback_msg = &msg,
        .callback_id = &msg.callbackID,
        .uuid = s->uuid,
    };

    memcpy(msg.pool.uuid, s->uuid, VK_UUID_BUFLEN);
    vk_event_registry_emit(events, &m);
}

static void
emit_refresh(VkEventRegistry *events, VkEventSubject *s)
{
    remote_storage_pool_event_refresh_msg msg = { .pool = { .name = s->name } };
    VkEventMessage m = {
        .event_id = VK_POOL_EVENT_ID_REFRESH,
        .callback_proc = REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH,
        .callback_filter = (xdrproc_t) xdr_remote_storage_pool_event_refresh_msg,
        .callback_msg = &msg,
        .callback_id = &msg.callbackID,
        .uuid = s->uuid,
    };

    memcpy(msg.pool.uuid, s->uuid, VK_UUID_BUFLEN);
    vk_event_registry_emit(events, &m);
}

void
vk_pool_event_emit(VkEventRegistry *events, VkEventSubject *s, int event)
{
    if (event == VK_POOL_EVENT_REFRESHED)
        emit_refresh(events, s);
    else
        emit_lifecycle(events, s, event);
    vk_event_subject_clear(s);
}
