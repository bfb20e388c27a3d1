/* The PCI addresses in use in one guest: one entry per bus (bus number =
 * controller index), per slot a bitmap of the functions taken.  Finding a free
 * slot keeps cursors, so placing N devices costs O(N), not O(N * buses). */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "common/pci/address.h"
#include "common/pci/controller-model.h"

typedef enum {
    VK_PCI_MACHINE_PC = 0,   /* i440fx + PIIX3 */
    VK_PCI_MACHINE_Q35,      /* q35 + ICH9 */
} VkPciMachine;

typedef struct {
    VkPciModel model;  /* VK_PCI_CONTROLLER_NONE: no controller (yet) */
    unsigned int flags;          /* VkPciConnectFlags the bus accepts */
    unsigned int min_slot;
    unsigned int max_slot;
    guint8 functions[VK_PCI_MAX_SLOT + 1];
    guint32 used;        /* slots with any function taken */
    guint32 aggregate;   /* used slots whose first user allows sharing */
} VkPciBus;

typedef struct _VkPciAddressSet VkPciAddressSet;

VkPciAddressSet *vk_pci_address_set_new(void);
void vk_pci_address_set_free(VkPciAddressSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPciAddressSet, vk_pci_address_set_free)

/* A dry run may add buses (as libvirt's first pass does) when a device finds
 * no slot or names a bus that does not exist yet. */
void vk_pci_address_set_set_dry_run(VkPciAddressSet *set, bool dry_run);

/* Give bus INDEX the controller MODEL (creating the buses up to INDEX). */
void vk_pci_address_set_set_bus(VkPciAddressSet *set, unsigned int index,
                                VkPciModel model, bool hotplug);
/* Replace what bus INDEX accepts (used for the dry run's dedicated root port). */
void vk_pci_address_set_set_bus_flags(VkPciAddressSet *set, unsigned int index,
                                      unsigned int flags);
unsigned int vk_pci_address_set_nbuses(const VkPciAddressSet *set);
const VkPciBus *vk_pci_address_set_bus(const VkPciAddressSet *set, unsigned int index);

/* Is the bus, slot range and bus kind right for a device with FLAGS at ADDR?
 * FROM_CONFIG: the user gave ADDR (XML errors; PCI and PCIe endpoints may then
 * use each other's slots); otherwise it is our own choice (internal errors). */
bool vk_pci_address_set_validate(VkPciAddressSet *set, const VkPciAddress *addr,
                                 unsigned int flags, bool from_config);

/* Take ADDR for a device with FLAGS; "Attempted double use of PCI Address ..."
 * when it is taken.  In a dry run ADDR may be changed (libvirt moves a
 * conventional device on a pure PCIe guest one bus further, behind the bridge
 * it adds). */
int vk_pci_address_set_reserve(VkPciAddressSet *set, VkPciAddress *addr,
                               unsigned int flags, bool from_config);
void vk_pci_address_set_release(VkPciAddressSet *set, const VkPciAddress *addr);

/* Is that one function free / is any function of that slot taken?
 * Addresses outside the set count as free / unused. */
bool vk_pci_address_set_is_free(const VkPciAddressSet *set, const VkPciAddress *addr);
bool vk_pci_address_set_slot_in_use(const VkPciAddressSet *set, const VkPciAddress *addr);
bool vk_pci_address_set_bus_is_full(const VkPciAddressSet *set, unsigned int index);

/* Find the lowest compatible bus's lowest free slot for FLAGS and take its
 * FUNCTION (-1: function 0, or any free function of a slot shared by devices
 * with VK_PCI_CONNECT_AGGREGATE_SLOT).  A dry run adds a bus when none is
 * left; otherwise "No more available PCI slots". */
int vk_pci_address_set_reserve_next(VkPciAddressSet *set, unsigned int flags,
                                    int function, VkPciAddress *out);

/* The chipset's own functions that are not in the XML: pc 00:01.0 and 00:01.3
 * (PIIX3 ISA bridge, ACPI), q35 00:1f.0 and 00:1f.3 (LPC, SMBus). */
int vk_pci_address_set_reserve_machine(VkPciAddressSet *set, VkPciMachine machine);
