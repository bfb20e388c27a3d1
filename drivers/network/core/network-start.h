/* Bringing a network up and down: its bridge with the network's addresses
 * (common/host/bridge), the firewall rules (firewall/), dnsmasq (dnsmasq/),
 * and finding all of those again after a daemon restart. */
#pragma once

#include "drivers/network/core/network-obj.h"
#include "drivers/network/driver.h"

/* Start OBJ (locked, job held, inactive) from its current definition, the
 * persistent one kept aside as new_def; its status is saved.  On failure
 * nothing of it is left and OBJ stays as it was.  -1 with libvirt's error. */
int vk_network_start(VkNetworkDriver *driver, VkNetworkObj *obj);
/* Stop OBJ (locked, job held, active): dnsmasq, rules, bridge, status
 * file and ports go; the persistent definition becomes the current one. */
void vk_network_stop(VkNetworkDriver *driver, VkNetworkObj *obj);
/* After a daemon restart: take OBJ (active per its status file) back if its
 * bridge is still there (the rules are put back, a dead dnsmasq started
 * again); false when the bridge is gone and OBJ must be marked inactive. */
bool vk_network_reconnect(VkNetworkDriver *driver, VkNetworkObj *obj);
