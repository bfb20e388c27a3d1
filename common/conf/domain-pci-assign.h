/* PCI address assignment for a domain definition: walks the devices in
 * libvirt's order, decides how each one connects (PCI or PCIe), runs
 * common/pci's assignment and writes the addresses and the PCI controllers it
 * added back into the definition (what libvirt does at define). */
#pragma once

#include "common/conf/domain.h"

/* Assign every PCI address DEF still needs, check the ones it has, add the
 * PCI controllers that are needed (and the root controller when missing).
 * HOST_ROOT: where to find the host's sysfs for <hostdev> PCI devices (NULL:
 * "/"); it decides whether a host device is PCIe.  Machines other than q35
 * and i440fx are left alone.  -1 with libvirt's error on failure (DEF may
 * then be partly changed). */
int vk_domain_pci_assign(VkDomainDef *def, const char *host_root);

/* The text tree of DEF's PCI topology (see common/pci/tree.h), for logs. */
char *vk_domain_pci_tree(VkDomainDef *def);
