#include "drivers/nodedev/core/nodedev-events.h"

#include "common/util/error.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "remote-protocol.h"

VkEventRegistry *
vk_nodedev_events_new(void)
{
    return vk_event_registry_new("node device", VK_NODEDEV_EVENT_ID_LAST, VIR_FROM_NODEDEV);
}

void
vk_nodedev_event_lifecycle(VkEventRegistry *events, const char *name, int event)
{
    remote_node_device_event_lifecycle_msg msg = {
        .dev = { .name = (char *) name }, .event = event, .detail = 0,
    };
    unsigned char uuid[VK_UUID_BUFLEN];
    VkEventMessage m = {
        .event_id = VK_NODEDEV_EVENT_ID_LIFECYCLE,
        .callback_proc = REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE,
        .callback_filter = (xdrproc_t) xdr_remote_node_device_event_lifecycle_msg,
        .callback_msg = &msg,
        .callback_id = &msg.callbackID,
        .uuid = uuid,
    };

    vk_nodedev_name_uuid(name, uuid);
    vk_event_registry_emit(events, &m);
}

void
vk_nodedev_event_update(VkEventRegistry *events, const char *name)
{
    remote_node_device_event_update_msg msg = { .dev = { .name = (char *) name } };
    unsigned char uuid[VK_UUID_BUFLEN];
    VkEventMessage m = {
        .event_id = VK_NODEDEV_EVENT_ID_UPDATE,
        .callback_proc = REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE,
        .callback_filter = (xdrproc_t) xdr_remote_node_device_event_update_msg,
        .callback_msg = &msg,
        .callback_id = &msg.callbackID,
        .uuid = uuid,
    };

    vk_nodedev_name_uuid(name, uuid);
    vk_event_registry_emit(events, &m);
}
