/* PCI address assignment for a domain definition: walks the devices in
 * libvirt's order, decides how each one connects (PCI or PCIe), runs
 * common/pci's assignment and writes the addresses and the PCI controllers it
 * added back into the definition (what libvirt does at define). */
#pragma once

#include "common/conf/domain.h"

/* Assign every PCI address DEF still needs, check the ones it has, add the
 * PCI controllers that are needed (and the root controller when missing);
 * then, as libvirt's address assignment does, the USB ports
 * (domain-usb-assign.h) and DIMM slots (domain-dimm-assign.h); last, the
 * QEMU driver's checks of the finished definition (domain-validate.h),
 * which libvirt makes after assignment too.  This is the last step of a
 * define after vk_domain_def_apply_defaults().
 * HOST_ROOT: where to find the host's sysfs for <hostdev> PCI devices (NULL:
 * "/"); it decides whether a host device is PCIe.  Machines other than q35
 * and i440fx get no PCI addresses (an error when a device needs one).
 * -1 with libvirt's error on failure (DEF may then be partly changed). */
int vk_domain_pci_assign(VkDomainDef *def, const char *host_root);

/* Give INFO, a device of DEF (already in it) without a PCI address, the
 * lowest free slot of DEF's existing buses: no controller is added and no
 * address moves (attach-device).  HOTPLUG: only buses that take hotplugged
 * devices (the guest runs).  A user-given address is checked and taken
 * instead.  A device that is not a PCI device is left alone.  -1 with
 * libvirt's "No more available PCI slots" when nothing is free. */
int vk_domain_pci_assign_device(VkDomainDef *def, VkDeviceInfo *info, bool hotplug);

/* The text tree of DEF's PCI topology (see common/pci/tree.h), for logs
 * and `virtkit pci-tree`: who chose each address comes from assignment
 * re-run from what the user gave (DEF->pci_given, domain-pci-given.h), or
 * is recomputed (common/pci/provenance.h) when DEF has no such record. */
char *vk_domain_pci_tree(VkDomainDef *def);

typedef enum {
    VK_PCI_ORIGIN_USER = 1,    /* given by the user */
    VK_PCI_ORIGIN_ASSIGNED,    /* chosen by assignment */
    VK_PCI_ORIGIN_ADDED,       /* a PCI controller assignment added */
} VkPciOrigin;

/* The same for each PCI item of DEF: the VkDeviceInfo * of every PCI
 * controller and of every device with a PCI address, to
 * GINT_TO_POINTER(VkPciOrigin) (g_hash_table_unref). */
GHashTable *vk_domain_pci_origins(VkDomainDef *def);
