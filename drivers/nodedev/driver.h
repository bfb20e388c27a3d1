/* The node device driver's state, shared by its procedure handlers.
 * PCI detach, reattach and reset (NODE_DEVICE_DETTACH, DETACH_FLAGS,
 * RE_ATTACH, RESET) are the host-device steps of common/pci; their
 * handlers join handlers/ once those steps exist (libvirt routes them to
 * the hypervisor driver, so virtqemud answers them too). */
#pragma once

#include <glib.h>
#include <libudev.h>

#include "common/driver/event-registry.h"
#include "common/driver/object-list.h"
#include "common/driver/store.h"
#include "common/rpc/program.h"
#include "common/util/paths.h"

typedef struct {
    VkPaths *paths;
    VkObjectList *devices;
    VkEventRegistry *events;
    VkStore *store;            /* defined mdevs: ROOT/etc/libvirt/nodedev */
    GMutex lock;               /* one change of the device set at a time; guards by_syspath */
    GHashTable *by_syspath;    /* sysfs path -> device name, of the devices present */
    struct udev *udev;
    struct udev_monitor *monitor;   /* the kernel's uevents (no udevd needed) */
    guint monitor_source;
} VkNodeDevDriver;

/* The VkDaemonSpec callbacks of virtnodedevd. */
int vk_nodedev_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
void vk_nodedev_driver_stop(gpointer driver);

/* The driver handlers run on worker threads and find the driver here. */
VkNodeDevDriver *vk_nodedev_driver(void);
