/* Host PCI devices as sysfs shows them (/sys/bus/pci/devices): ids, class,
 * bound driver, IOMMU group, SR-IOV relations, PCIe link, NUMA node.
 * Every function takes the file system root ("/" normally) so tests can point
 * it at a tree they build. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "common/pci/address.h"

/* PCIe link speeds as the link capability register encodes them. */
typedef enum {
    VK_PCI_LINK_SPEED_UNKNOWN = 0,
    VK_PCI_LINK_SPEED_2_5,   /* 2.5 GT/s */
    VK_PCI_LINK_SPEED_5,
    VK_PCI_LINK_SPEED_8,
    VK_PCI_LINK_SPEED_16,
    VK_PCI_LINK_SPEED_32,
    VK_PCI_LINK_SPEED_64,
    VK_PCI_LINK_SPEED_LAST
} VkPciLinkSpeed;

typedef struct {
    VkPciLinkSpeed speed;
    unsigned int width;      /* lanes, 0 when unknown */
} VkPciLink;

typedef struct {
    char *name;                  /* "0000:03:00.0" */
    VkPciAddress address;
    unsigned int vendor;
    unsigned int device;
    unsigned int subsystem_vendor;
    unsigned int subsystem_device;
    unsigned int class_code;     /* 24 bits: class, subclass, prog-if */
    char *driver;                /* bound driver, NULL when none */
    int numa_node;               /* -1 when unknown */

    int iommu_group;             /* -1 when the host has no IOMMU groups */
    GPtrArray *iommu_members;    /* char * names in the group, sorted (self included) */

    /* SR-IOV */
    bool is_physical_function;   /* has sriov_totalvfs */
    unsigned int total_vfs;
    unsigned int num_vfs;
    GPtrArray *virtual_functions;  /* char * names, in virtfnN order */
    char *physical_function;     /* a VF's PF name, NULL otherwise */

    /* PCI Express */
    bool is_pcie;                /* PCIe capability, or config space over 256 bytes */
    bool has_link;               /* the link fields below are known */
    unsigned int link_port;      /* port number from the link capability */
    VkPciLink link_max;          /* what the link can do */
    VkPciLink link_current;      /* what it runs at */
} VkPciHostDevice;

void vk_pci_host_device_free(VkPciHostDevice *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPciHostDevice, vk_pci_host_device_free)

/* One device by name ("0000:03:00.0") under ROOT (NULL: "/"). */
VkPciHostDevice *vk_pci_host_device_read(const char *root, const char *name);

/* Only what changes while the device exists (driver, IOMMU group,
 * SR-IOV), for a device already read: ids, NUMA node and the PCIe fields
 * (the config space, slow to read in a VM) stay zero or -1, and a missing
 * device is not reported. */
VkPciHostDevice *vk_pci_host_device_read_dynamic(const char *root, const char *name);

/* All devices under ROOT, sorted by address (VkPciHostDevice *, owned). */
GPtrArray *vk_pci_host_device_list(const char *root);

/* The names of the devices under ROOT, sorted (char *, owned; empty when
 * there is no sysfs). */
GPtrArray *vk_pci_host_device_names(const char *root);

/* Whether NAME under ROOT is an SR-IOV virtual function: it has a physfn
 * link (libvirt's virPCIIsVirtualFunction). */
bool vk_pci_host_is_virtual_function(const char *root, const char *name);

/* The virtual functions of the network interface IFNAME's PCI device
 * (ROOT/sys/class/net/IFNAME/device/virtfnN up to the first gap, as
 * libvirt's virNetDevGetVirtualFunctions reads them): names, empty when the
 * interface has none or does not exist. */
GPtrArray *vk_pci_net_virtual_functions(const char *root, const char *ifname);

/* The PF of the virtual function VF under ROOT: its network interface
 * (*PF_IFNAME, the first under PF/net) and VF's index among its virtfnN
 * (libvirt's virPCIGetVirtualFunctionInfo).  -1 with an error. */
int vk_pci_vf_pf_info(const char *root, const char *vf, char **pf_ifname, unsigned int *index);

/* "2.5", "5", "8", "16", "32", "64" (libvirt's nodedev spelling); NULL if unknown. */
const char *vk_pci_link_speed_to_string(VkPciLinkSpeed speed);

/* Offset of the capability ID in a config space dump (the standard list,
 * followed as libvirt's virPCIDeviceFindCapabilityOffset does, with a loop
 * guard); 0 when the device has none or it lies past LEN bytes. */
unsigned int vk_pci_config_find_capability(const guint8 *config, gsize len, unsigned int id);

/* Parse a PCI config space dump (as sysfs "config" gives it) for the PCIe
 * capability; false when there is none (or it lies past LEN bytes). */
bool vk_pci_config_parse_pcie(const guint8 *config, gsize len, unsigned int *port,
                              VkPciLink *max, VkPciLink *current);
/* Whether the PCIe capability in CONFIG describes a link (not a root
 * complex integrated endpoint or event collector). */
bool vk_pci_config_pcie_has_link(const guint8 *config, gsize len);
