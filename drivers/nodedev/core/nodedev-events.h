/* Node device events (lifecycle and update) to the clients registered for
 * them through handlers/event-handlers.c. */
#pragma once

#include "common/driver/event-registry.h"

/* virNodeDeviceEventID and virNodeDeviceEventLifecycleType */
enum {
    VK_NODEDEV_EVENT_ID_LIFECYCLE = 0,
    VK_NODEDEV_EVENT_ID_UPDATE = 1,
    VK_NODEDEV_EVENT_ID_LAST = 2,
};
enum {
    VK_NODEDEV_EVENT_CREATED = 0,
    VK_NODEDEV_EVENT_DELETED = 1,
    VK_NODEDEV_EVENT_DEFINED = 2,
    VK_NODEDEV_EVENT_UNDEFINED = 3,
};

VkEventRegistry *vk_nodedev_events_new(void);
/* Call without device locks held. */
void vk_nodedev_event_lifecycle(VkEventRegistry *events, const char *name, int event);
void vk_nodedev_event_update(VkEventRegistry *events, const char *name);
