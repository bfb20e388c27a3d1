/* The network driver's state, shared by its procedure handlers. */
#pragma once

#include <glib.h>

#include "common/driver/event-registry.h"
#include "common/driver/object-list.h"
#include "common/driver/object-place.h"
#include "common/driver/store.h"
#include "common/rpc/program.h"
#include "common/util/paths.h"

typedef struct VkFirewall VkFirewall;

typedef struct {
    VkPaths *paths;
    VkObjectList *networks;
    VkStore *store;          /* ROOT/etc/libvirt/qemu/networks, ROOT/run/libvirt/network */
    VkEventRegistry *events;
    VkFirewall *firewall;    /* our nftables table */
    char *dnsmasq_dir;       /* ROOT/var/lib/libvirt/dnsmasq */
    GMutex define_lock;      /* one define at a time: bridge names and MACs are picked then */
    VkObjectPlacer placer;   /* how a client's definition joins NETWORKS */
} VkNetworkDriver;

/* The VkDaemonSpec callbacks of virtnetworkd. */
int vk_network_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
void vk_network_driver_stop(gpointer driver);

/* The driver handlers run on worker threads and find the driver here. */
VkNetworkDriver *vk_network_driver(void);
