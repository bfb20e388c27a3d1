/* Storage pool events (lifecycle and refresh) to the clients registered
 * for them; libvirt 9.0 sends no volume events. */
#pragma once

#include "common/conf/storage-pool-def.h"
#include "common/driver/event-registry.h"

/* virStoragePoolEventID and virStoragePoolEventLifecycleType */
enum {
    VK_POOL_EVENT_ID_LIFECYCLE = 0,
    VK_POOL_EVENT_ID_REFRESH = 1,
    VK_POOL_EVENT_ID_LAST = 2,
};
enum {
    VK_POOL_EVENT_DEFINED = 0,
    VK_POOL_EVENT_UNDEFINED = 1,
    VK_POOL_EVENT_STARTED = 2,
    VK_POOL_EVENT_STOPPED = 3,
    VK_POOL_EVENT_CREATED = 4,
    VK_POOL_EVENT_DELETED = 5,
};

VkEventRegistry *vk_pool_events_new(void);

/* A lifecycle EVENT (>= 0) or, with VK_POOL_EVENT_REFRESHED, the refresh
 * event, about S (cleared).  Call without pool locks held. */
#define VK_POOL_EVENT_REFRESHED (-1)
void vk_pool_event_emit(VkEventRegistry *events, VkEventSubject *s, int event);
