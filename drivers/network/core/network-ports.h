/* A network's ports: one per guest interface plugged into it, made by the
 * hypervisor driver through virNetworkPortCreateXML.  The network says what
 * to plug into (its bridge) and counts its connections. */
#pragma once

#include "drivers/network/core/network-obj.h"
#include "drivers/network/driver.h"

/* Register PORT (taken) on OBJ (locked, job held, active): its plug is
 * filled from the network unless RECLAIM (a port the hypervisor driver had
 * before a restart, plug given), the port saved and counted.  -1 with
 * libvirt's error (PORT freed). */
int vk_network_port_add(VkNetworkDriver *driver, VkNetworkObj *obj, VkNetworkPortDef *port,
                        bool reclaim);
/* OBJ's port UUID (OBJ locked), or NULL with libvirt's error. */
VkNetworkPortDef *vk_network_port_lookup(VkNetworkObj *obj, const unsigned char *uuid);
/* Unregister and forget the port UUID (OBJ locked, job held). */
int vk_network_port_remove(VkNetworkDriver *driver, VkNetworkObj *obj,
                           const unsigned char *uuid);
