/* Who chose each PCI address of a finished guest: assignment re-run from
 * what the user gave (recorded at define, common/conf/domain-pci-given.h),
 * which tells what it added and where.  Without that record (a definition
 * saved before it existed), recomputed: the fewest addresses and controllers
 * a user must have given for vk_pci_assign() to give exactly this topology,
 * an address the user gave where assignment would have put it anyway then
 * counting as assigned.  Plain arrays, as assign.h; for the tree view
 * (tree.h). */
#pragma once

#include "common/pci/assign.h"

/* What the user gave, one flag per entry of the arrays below. */
typedef struct {
    /* the address the user gave the device (NULL: none), which
     * assignment may have moved (libvirt's reservation order) */
    const VkPciAddress *const *device;
    const bool *controller;   /* the controller (its index and model) */
    const bool *address;      /* the controller's address */
} VkPciGiven;

/* CONTROLLERS and DEVICES: a finished guest's, as they would be given to
 * vk_pci_assign() (the addresses are only read).  Sets each controller's
 * `added` (assignment would have added it) and `auto_assigned` (it chose
 * the address), and each device's `auto_assigned`.  When no assignment
 * reproduces the topology, everything is left as given by the user.
 * GIVEN: what the user gave, the starting point (more is taken as given
 * should assignment from it not reproduce the topology); NULL: recompute. */
void vk_pci_provenance(VkPciMachine machine, VkPciController *controllers, size_t ncontrollers,
                       VkPciDevice *devices, size_t ndevices, const VkPciGiven *given);
