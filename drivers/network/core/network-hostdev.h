/* A hostdev network's pool of SR-IOV virtual functions (<forward
 * mode='hostdev'>), read through common/pci under a sysfs root: the check
 * at define that each listed address is a VF, the pool (libvirt's
 * networkCreateInterfacePool) and the VF a new port takes
 * (networkAllocatePort).  Callers: the network driver; tests on a fake tree. */
#pragma once

#include <glib.h>

#include "common/conf/network-def.h"
#include "common/conf/network-port-def.h"

/* The sysfs root of the host PCI steps: VIRTKIT_TEST_PCI_ROOT, as virtqemud
 * reads it (tests point it at a tree they build), else NULL ("/"). */
const char *vk_network_pci_root(void);

/* libvirt's networkValidate for the <address type='pci'> pool of DEF: every
 * device a virtual function.  -1 with libvirt's error. */
int vk_network_hostdev_validate(const VkNetworkDef *def, const char *root);

/* DEF's pool (VkPciAddress): the <address> list, or the virtual functions of
 * <pf dev=>.  NULL with libvirt's error when the PF has none. */
GArray *vk_network_hostdev_pool(const VkNetworkDef *def, const char *root);

/* Fill PORT's plug (hostdev-pci) with the first VF of DEF's pool that no
 * port of PORTS (uuid -> VkNetworkPortDef) holds, with the network's
 * managed and driver.  -1 with libvirt's error when none is free. */
int vk_network_hostdev_plug(const VkNetworkDef *def, const char *root, GHashTable *ports,
                            VkNetworkPortDef *port);
