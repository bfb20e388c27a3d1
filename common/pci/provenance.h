/* Who chose each PCI address of a finished guest, recomputed rather than
 * stored: the fewest addresses and controllers a user must have given for
 * vk_pci_assign() to give exactly this topology.  An address the user gave
 * where assignment would have put it anyway counts as assigned.  Plain
 * arrays, as assign.h; for the tree view (tree.h). */
#pragma once

#include "common/pci/assign.h"

/* CONTROLLERS and DEVICES: a finished guest's, as they would be given to
 * vk_pci_assign() (the addresses are only read).  Sets each controller's
 * `added` (assignment would have added it) and `auto_assigned` (it chose
 * the address), and each device's `auto_assigned`.  When no assignment
 * reproduces the topology, everything is left as given by the user. */
void vk_pci_provenance(VkPciMachine machine, VkPciController *controllers, size_t ncontrollers,
                       VkPciDevice *devices, size_t ndevices);
