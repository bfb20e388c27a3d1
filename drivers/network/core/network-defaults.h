/* What libvirt's network driver fills in at define and create that needs
 * the host and the other networks (common/conf checks the rest): the bridge
 * name (the lowest virbrN, or N in a "name%d" template, that no other network
 * and no host interface uses; a given name must be no other network's) and
 * the bridge's MAC. */
#pragma once

#include "common/conf/network-def.h"
#include "common/driver/object-place.h"
#include "drivers/network/driver.h"

/* Parse XML and fill DEF's bridge name and MAC.  Hold the driver's define
 * lock until the network is listed, so two defines never pick one name.
 * NULL with libvirt's error. */
VkNetworkDef *vk_network_parse_for_host(VkObjectList *networks, const char *xml);

/* True when a network other than the one named NAME has the bridge BRIDGE. */
bool vk_network_bridge_in_use(VkObjectList *networks, const char *bridge, const char *name);

/* How a network from a client is placed into DRIVER's list (define,
 * create): parsed for this host under the define lock. */
void vk_network_placer_init(VkObjectPlacer *placer, VkNetworkDriver *driver);
