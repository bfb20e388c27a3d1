#include "drivers/network/core/network-events.h"

#include <string.h>

#include "common/util/error.h"
#include "common/util/uuid.h"
#include "remote-protocol.h"

VkEventRegistry *
vk_network_events_new(void)
{
    return vk_event_registry_new("network", VK_NETWORK_EVENT_ID_LAST, VIR_FROM_NETWORK);
}

void
vk_network_event_lifecycle(VkEventRegistry *events, const char *name,
                           const unsigned char *uuid, int event)
{
    /* Network events exist only in the callback form. */
    remote_network_event_lifecycle_msg msg = {
        .net = { .name = (char *) name }, .event = event, .detail = 0,
    };
    VkEventMessage m = {
        .event_id = VK_NETWORK_EVENT_ID_LIFECYCLE,
        .callback_proc = REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
        .callback_filter = (xdrproc_t) xdr_remote_network_event_lifecycle_msg,
        .callback_msg = &msg,
        .callback_id = &msg.callbackID,
        .uuid = uuid,
    };

    memcpy(msg.net.uuid, uuid, VK_UUID_BUFLEN);
    vk_event_registry_emit(events, &m);
}

void
vk_network_event_emit(VkEventRegistry *events, VkEventSubject *s, int event)
{
    vk_network_event_lifecycle(events, s->name, s->uuid, event);
    vk_event_subject_clear(s);
}
