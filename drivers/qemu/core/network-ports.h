/* Guests on libvirt virtual networks (<interface type='network'>), as
 * libvirt's modular daemons do it: virtqemud asks virtnetworkd (its socket
 * under the same root) for a port for each such interface and puts the
 * guest's tap on the bridge the port names; the port goes when the
 * interface does.  Called by process.c (start, stop) and hotplug.c. */
#pragma once

#include "common/conf/domain.h"
#include "common/util/paths.h"

typedef struct _VkQemuNetworks VkQemuNetworks;

/* The link to virtnetworkd at PATHS' run directory (drivers/remote/daemon-link.h). */
VkQemuNetworks *vk_qemu_networks_new(const VkPaths *paths);
void vk_qemu_networks_free(VkQemuNetworks *nets);

/* A port on the network of NET (type network) for the guest DEF: its uuid
 * and bridge go into NET (live XML only).  -1 with libvirt's error (no such
 * network, network not active, virtnetworkd unreachable: its socket named),
 * and no port left. */
int vk_qemu_networks_acquire(VkQemuNetworks *nets, const VkDomainDef *def,
                             VkDomainNetDef *net);
/* NET's port goes (one already gone is fine); NET forgets it.  Never fails:
 * what goes wrong is logged. */
void vk_qemu_networks_release(VkQemuNetworks *nets, VkDomainNetDef *net);

/* The same for every type network interface of DEF; on failure the ports
 * this call took are released again. */
int vk_qemu_networks_acquire_all(VkQemuNetworks *nets, VkDomainDef *def);
void vk_qemu_networks_release_all(VkQemuNetworks *nets, VkDomainDef *def);
