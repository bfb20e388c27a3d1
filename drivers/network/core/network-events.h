/* Network lifecycle events to the clients registered for them (through
 * handlers/event-handlers.c). */
#pragma once

#include "common/conf/network-def.h"
#include "common/driver/event-registry.h"

/* virNetworkEventID and virNetworkEventLifecycleType */
enum {
    VK_NETWORK_EVENT_ID_LIFECYCLE = 0,
    VK_NETWORK_EVENT_ID_LAST = 1,
};
enum {
    VK_NETWORK_EVENT_DEFINED = 0,
    VK_NETWORK_EVENT_UNDEFINED = 1,
    VK_NETWORK_EVENT_STARTED = 2,
    VK_NETWORK_EVENT_STOPPED = 3,
};

VkEventRegistry *vk_network_events_new(void);

/* EVENT about S (cleared).  Call without network locks held. */
void vk_network_event_emit(VkEventRegistry *events, VkEventSubject *s, int event);

/* EVENT about the network NAME/UUID.  Call without network locks held. */
void vk_network_event_lifecycle(VkEventRegistry *events, const char *name,
                                const unsigned char *uuid, int event);
