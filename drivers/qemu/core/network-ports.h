/* Guests on libvirt virtual networks (<interface type='network'>), as
 * libvirt's modular daemons do it: virtqemud asks virtnetworkd (its socket
 * under the same root) for a port for each such interface and puts the
 * guest's tap on the bridge the port names; the port goes when the
 * interface does.  Called by process.c (start, stop) and hotplug.c, with
 * the driver's link to virtnetworkd (NETWORKD). */
#pragma once

#include "common/conf/domain.h"
#include "drivers/remote/daemon-link.h"

/* A port on the network of NET (type network) for the guest DEF: its uuid
 * and bridge go into NET (live XML only).  -1 with libvirt's error (no such
 * network, network not active, virtnetworkd unreachable: its socket named),
 * and no port left. */
int vk_qemu_networks_acquire(VkDaemonLink *networkd, const VkDomainDef *def,
                             VkDomainNetDef *net);
/* NET's port goes (one already gone is fine); NET forgets it.  Never fails:
 * what goes wrong is logged. */
void vk_qemu_networks_release(VkDaemonLink *networkd, VkDomainNetDef *net);

/* The same for every type network interface of DEF; on failure the ports
 * this call took are released again. */
int vk_qemu_networks_acquire_all(VkDaemonLink *networkd, VkDomainDef *def);
void vk_qemu_networks_release_all(VkDaemonLink *networkd, VkDomainDef *def);
