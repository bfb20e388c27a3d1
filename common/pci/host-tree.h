/* A text picture of the host's PCI topology, drawn as vk_pci_tree_format
 * draws a guest's: each root bus, the devices on it with their ids, names,
 * bound driver and IOMMU group, and the bus behind each bridge below the
 * bridge.  Read from sysfs; for `virtkit pci-tree --host`. */
#pragma once

#include <glib.h>

/* The tree of the devices under ROOT (NULL: "/"; tests give a fake sysfs),
 * names from PCI_IDS (NULL: the system's database; "" none).  NULL with
 * the error set when there is no sysfs there. */
char *vk_pci_host_tree_format(const char *root, const char *pci_ids);
