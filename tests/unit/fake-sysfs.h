/* A FAKE sysfs tree that a test builds in a temporary directory: PCI
 * devices under ROOT/sys/devices/pci0000:00 with the kernel's relative links
 * (bus/pci/devices, driver, iommu_group and the group's member list).
 * Tests of host PCI code point the code at ROOT, never at the real /sys. */
#pragma once

#include <glib.h>

/* A new empty tree (a temporary directory). */
char *fake_sysfs_new(void);

/* ROOT/sys/devices/pci0000:00/DEV/FILE with TEXT (directories made). */
void fake_sysfs_put(const char *root, const char *dev, const char *file, const char *text);
void fake_sysfs_put_bytes(const char *root, const char *dev, const char *file,
                          const guint8 *data, gsize len);

/* A symlink ROOT/RELPATH -> TARGET (directories made). */
void fake_sysfs_link(const char *root, const char *target, const char *relpath);

/* Bind DEV to DRIVER as the kernel shows it: the driver's directory under
 * bus/pci/drivers and DEV's "driver" link; NULL unbinds. */
void fake_sysfs_bind(const char *root, const char *dev, const char *driver);

/* A device with its ids, class, NUMA node, DRIVER (NULL: none) and IOMMU
 * GROUP (-1: none). */
void fake_sysfs_device(const char *root, const char *name, const char *vendor,
                       const char *device, const char *subsys_vendor,
                       const char *subsys_device, const char *class_code, const char *numa,
                       const char *driver, int group);

/* SR-IOV: VF as virtual function INDEX of PF (PF/virtfnINDEX and VF/physfn,
 * relative links as the kernel makes them). */
void fake_sysfs_virtfn(const char *root, const char *pf, guint index, const char *vf);

/* The network interface IFNAME of device DEV: sys/class/net/IFNAME/device
 * and DEV/net/IFNAME. */
void fake_sysfs_netdev(const char *root, const char *ifname, const char *dev);

/* rm -rf PATH (links are removed, not followed). */
void fake_sysfs_remove(const char *path);
