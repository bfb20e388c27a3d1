/* One udev device as a node device definition, the way libvirt 9.0's udev
 * backend describes it (node_device_udev.c): which devices are node
 * devices, their names, and each capability's data from udev properties and
 * sysfs (PCI details through common/pci).  The parent is left to the caller,
 * who knows the other devices. */
#pragma once

#include <libudev.h>

#include "common/conf/node-device-def.h"

/* DEV's definition, or NULL when DEV is no node device (or vanished while
 * being read).  PCI vendor and product names are left for
 * vk_udev_device_name_pci_ids(). */
VkNodeDeviceDef *vk_udev_device_to_def(struct udev_device *dev);

/* Read again what libvirt reads again for every dumpxml
 * (nodeDeviceUpdateCaps): the driver, link state and features of an
 * interface, a PCI device's SR-IOV, IOMMU group and mdev types, an HBA's
 * FC names. */
void vk_udev_device_refresh(VkNodeDeviceDef *def);

/* Fill the PCI vendor/product names of the N definitions from pci.ids in one
 * pass over the file. */
void vk_udev_device_name_pci_ids(VkNodeDeviceDef **defs, guint n);

/* The "computer" device: DMI data where sysfs has it (x86), the host UUID
 * (zeros without DMI). */
VkNodeDeviceDef *vk_udev_device_computer(struct udev *udev);
