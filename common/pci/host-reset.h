/* Reset of a host PCI device through its config space, as libvirt 9.0's
 * virPCIDeviceReset does it (it never writes the sysfs "reset" file).
 * Callers: virtnodedevd's nodedev-reset, and the guest start and stop. */
#pragma once

#include "common/pci/host-binding.h"

/* Nothing for a device on vfio-pci or one with FLR (KVM resets those),
 * else a power management reset (D3hot, D0), else, off the root bus, a
 * secondary bus reset through the parent bridge when no other device on
 * the bus is in use.  Errors are libvirt's. */
int vk_pci_host_reset(const VkPciBinder *b, const char *name);

/* virPCIGetHeaderType: 0 endpoint, 1 bridge, 2 cardbus; -1 with an error. */
int vk_pci_host_header_type(const VkPciBinder *b, const char *name);
