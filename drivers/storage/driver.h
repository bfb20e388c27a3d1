/* The storage driver's state, shared by its procedure handlers. */
#pragma once

#include <glib.h>

#include "common/driver/event-registry.h"
#include "common/driver/object-list.h"
#include "common/driver/object-place.h"
#include "common/driver/store.h"
#include "common/rpc/program.h"
#include "common/util/paths.h"

typedef struct {
    VkPaths *paths;
    VkObjectList *pools;
    VkStore *store;          /* ROOT/etc/libvirt/storage, ROOT/run/libvirt/storage */
    VkEventRegistry *events;
    GMutex define_lock;      /* one define at a time: sources are checked then */
    VkObjectPlacer placer;   /* how a client's definition joins POOLS */
} VkStorageDriver;

/* The VkDaemonSpec callbacks of virtstoraged. */
int vk_storage_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
void vk_storage_driver_stop(gpointer driver);

/* The driver handlers run on worker threads and find the driver here. */
VkStorageDriver *vk_storage_driver(void);
