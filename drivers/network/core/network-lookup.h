/* From a client's network or port reference to our object, and back. */
#pragma once

#include "drivers/network/core/network-obj.h"
#include "remote-protocol.h"

/* The network REF names (by UUID, as libvirt looks it up), with a new
 * reference; NULL with libvirt's "no network with matching uuid" error. */
VkNetworkObj *vk_network_from_ref(const remote_nonnull_network *ref);
/* The same, locked and with its job taken; NULL with an error.  Give it
 * back with vk_object_release(&obj->parent, rc). */
VkNetworkObj *vk_network_begin(const remote_nonnull_network *ref);

/* Fill REF (strings allocated with malloc, for XDR to free). */
void vk_network_make_ref(remote_nonnull_network *ref, const VkNetworkDef *def);
void vk_network_port_make_ref(remote_nonnull_network_port *ref, const VkNetworkDef *net,
                              const VkNetworkPortDef *port);

/* libvirt's "network 'NAME' is not active" (OBJ locked): -1 when it is not. */
int vk_network_check_active(VkNetworkObj *obj);
