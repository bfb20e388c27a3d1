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

/* Who an event is about, taken while the network is locked and sent after
 * it is unlocked. */
typedef struct {
    char *name;
    unsigned char uuid[16];
} VkNetworkEventSubject;

void vk_network_event_subject(VkNetworkEventSubject *s, const VkNetworkDef *def);
/* EVENT about S (freed).  Call without network locks held. */
void vk_network_event_emit(VkEventRegistry *events, VkNetworkEventSubject *s, int event);

/* EVENT about the network NAME/UUID.  Call without network locks held. */
void vk_network_event_lifecycle(VkEventRegistry *events, const char *name,
                                const unsigned char *uuid, int event);
