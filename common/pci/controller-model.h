/* The PCI controller models a guest can have, and what each one's bus accepts.
 * One table holds the facts (libvirt's domain_addr.c rules); everything else
 * in common/pci asks it instead of switching on the model. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Same values as common/conf's VkPciControllerModel (model= of a
 * <controller type='pci'>), so a cast converts one into the other. */
typedef enum {
    VK_PCI_CONTROLLER_NONE = -1,  /* no controller: a hole in the bus numbers */
    VK_PCI_CONTROLLER_PCI_ROOT = 0,
    VK_PCI_CONTROLLER_PCIE_ROOT,
    VK_PCI_CONTROLLER_PCI_BRIDGE,
    VK_PCI_CONTROLLER_DMI_TO_PCI_BRIDGE,
    VK_PCI_CONTROLLER_PCIE_ROOT_PORT,
    VK_PCI_CONTROLLER_PCIE_SWITCH_UPSTREAM_PORT,
    VK_PCI_CONTROLLER_PCIE_SWITCH_DOWNSTREAM_PORT,
    VK_PCI_CONTROLLER_PCI_EXPANDER_BUS,
    VK_PCI_CONTROLLER_PCIE_EXPANDER_BUS,
    VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE,
    VK_PCI_CONTROLLER_LAST
} VkPciModel;

/* How a device connects, and what a bus offers: a device fits a bus when they
 * share one TYPE bit (and the bus has the HOTPLUGGABLE / AUTOASSIGN bits the
 * device asks for). */
typedef enum {
    VK_PCI_CONNECT_AUTOASSIGN = 1 << 0,      /* bus: may be auto-assigned; device: is */
    VK_PCI_CONNECT_HOTPLUGGABLE = 1 << 1,
    VK_PCI_CONNECT_AGGREGATE_SLOT = 1 << 2,  /* device may share a slot with its kind */
    VK_PCI_CONNECT_INTEGRATED = 1 << 3,      /* device must sit on bus 0 */

    VK_PCI_CONNECT_TYPE_PCI_DEVICE = 1 << 4,
    VK_PCI_CONNECT_TYPE_PCIE_DEVICE = 1 << 5,
    VK_PCI_CONNECT_TYPE_PCIE_ROOT_PORT = 1 << 6,
    VK_PCI_CONNECT_TYPE_PCIE_SWITCH_UPSTREAM_PORT = 1 << 7,
    VK_PCI_CONNECT_TYPE_PCIE_SWITCH_DOWNSTREAM_PORT = 1 << 8,
    VK_PCI_CONNECT_TYPE_DMI_TO_PCI_BRIDGE = 1 << 9,
    VK_PCI_CONNECT_TYPE_PCI_EXPANDER_BUS = 1 << 10,
    VK_PCI_CONNECT_TYPE_PCIE_EXPANDER_BUS = 1 << 11,
    VK_PCI_CONNECT_TYPE_PCI_BRIDGE = 1 << 12,
    VK_PCI_CONNECT_TYPE_PCIE_TO_PCI_BRIDGE = 1 << 13,
} VkPciConnectFlags;

#define VK_PCI_CONNECT_TYPES_ENDPOINT \
    (VK_PCI_CONNECT_TYPE_PCI_DEVICE | VK_PCI_CONNECT_TYPE_PCIE_DEVICE)
#define VK_PCI_CONNECT_TYPES_MASK (((1u << 14) - 1) & ~((1u << 4) - 1))

/* Convenience sets for endpoint devices (auto-assignable). */
#define VK_PCI_FLAGS_PCI (VK_PCI_CONNECT_TYPE_PCI_DEVICE | VK_PCI_CONNECT_AUTOASSIGN)
#define VK_PCI_FLAGS_PCIE (VK_PCI_CONNECT_TYPE_PCIE_DEVICE | VK_PCI_CONNECT_AUTOASSIGN)

typedef struct {
    VkPciModel model;
    const char *name;          /* the XML model attribute */
    const char *qemu_name;     /* <model name=.../>: QEMU's device; NULL for the roots */
    unsigned int bus_flags;    /* what its bus accepts (without HOTPLUGGABLE) */
    bool hotplug;              /* its bus supports hotplug unless hotplug='off' */
    unsigned int min_slot;     /* slots of its bus, for assignment and checks */
    unsigned int max_slot;
    unsigned int plugs_as;     /* connect flags of the controller itself; 0: a root */
} VkPciModelInfo;

/* The facts about MODEL (an entry with no bus for VK_PCI_CONTROLLER_NONE). */
const VkPciModelInfo *vk_pci_model_info(VkPciModel model);

/* XML name <-> model; from_string gives VK_PCI_CONTROLLER_NONE for unknown names. */
const char *vk_pci_model_to_string(VkPciModel model);
VkPciModel vk_pci_model_from_string(const char *name);

/* The connect flags a bus of MODEL offers, HOTPLUG as configured (hotplug='off'
 * gives false). */
unsigned int vk_pci_model_bus_flags(VkPciModel model, bool hotplug);

/* The controller model libvirt adds to give a device with FLAGS a slot, or
 * VK_PCI_CONTROLLER_NONE when it cannot add one. */
VkPciModel vk_pci_model_for_device(unsigned int flags);

/* "standard PCI device", "pcie-root-port", ...: what a device with FLAGS needs,
 * in libvirt's words. */
const char *vk_pci_connect_describe(unsigned int flags);
