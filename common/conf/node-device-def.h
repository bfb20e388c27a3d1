/* Node device definitions (<device>): one host device as libvirt 9.0's
 * nodedev-dumpxml shows it, with its capabilities.  The node device driver
 * fills them from udev and sysfs; nodedev-create/define parse them (mdevs).
 * Formatting follows libvirt's element order exactly (nodedev.rng). */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/enum-table.h"
#include "common/pci/address.h"

/* virNodeDevCapType: the order is the bit order of the ListAll flags. */
typedef enum {
    VK_NODEDEV_CAP_SYSTEM,
    VK_NODEDEV_CAP_PCI_DEV,
    VK_NODEDEV_CAP_USB_DEV,
    VK_NODEDEV_CAP_USB_INTERFACE,
    VK_NODEDEV_CAP_NET,
    VK_NODEDEV_CAP_SCSI_HOST,
    VK_NODEDEV_CAP_SCSI_TARGET,
    VK_NODEDEV_CAP_SCSI,
    VK_NODEDEV_CAP_STORAGE,
    VK_NODEDEV_CAP_FC_HOST,
    VK_NODEDEV_CAP_VPORTS,
    VK_NODEDEV_CAP_SCSI_GENERIC,
    VK_NODEDEV_CAP_DRM,
    VK_NODEDEV_CAP_MDEV_TYPES,
    VK_NODEDEV_CAP_MDEV,
    VK_NODEDEV_CAP_CCW_DEV,
    VK_NODEDEV_CAP_CSS_DEV,
    VK_NODEDEV_CAP_VDPA,
    VK_NODEDEV_CAP_AP_CARD,
    VK_NODEDEV_CAP_AP_QUEUE,
    VK_NODEDEV_CAP_AP_MATRIX,
    VK_NODEDEV_CAP_VPD,
    VK_NODEDEV_CAP_LAST
} VkNodeDevCapType;
VK_ENUM_DECL(vk_nodedev_cap);

/* virInterfaceState (operstate), "" being "not known". */
VK_ENUM_DECL(vk_nodedev_link_state);
/* virNetDevFeature, in libvirt's order (the order they are printed in). */
typedef enum {
    VK_NETDEV_FEAT_RX, VK_NETDEV_FEAT_TX, VK_NETDEV_FEAT_SG, VK_NETDEV_FEAT_TSO,
    VK_NETDEV_FEAT_GSO, VK_NETDEV_FEAT_GRO, VK_NETDEV_FEAT_LRO, VK_NETDEV_FEAT_RXVLAN,
    VK_NETDEV_FEAT_TXVLAN, VK_NETDEV_FEAT_NTUPLE, VK_NETDEV_FEAT_RXHASH, VK_NETDEV_FEAT_RDMA,
    VK_NETDEV_FEAT_TXUDPTNL, VK_NETDEV_FEAT_SWITCHDEV, VK_NETDEV_FEAT_LAST
} VkNetDevFeature;
VK_ENUM_DECL(vk_netdev_feature);
VK_ENUM_DECL(vk_nodedev_drm);

typedef struct {
    char *id;               /* "nvidia-11" */
    char *name;             /* may be NULL */
    char *device_api;       /* "vfio-pci" */
    unsigned int available;
} VkMdevType;

typedef struct {
    char *product, *hw_vendor, *hw_version, *hw_serial;
    unsigned char uuid[16];
    char *fw_vendor, *fw_version, *fw_date;
} VkNodeDevSystem;

typedef struct {
    int klass;                   /* -1: not known */
    VkPciAddress addr;
    unsigned int vendor, product;
    char *vendor_name, *product_name;
    VkPciAddress *phys_function; /* a VF's PF, or NULL */
    bool has_virt_functions;     /* an SR-IOV PF */
    unsigned int max_vfs;
    GArray *virt_functions;      /* VkPciAddress */
    GPtrArray *mdev_types;       /* VkMdevType *, NULL when it has none */
    int iommu_group;
    GArray *iommu_members;       /* VkPciAddress; empty without IOMMU */
    int numa_node;               /* -1: not known */
    bool pcie;
    bool has_link_cap, has_link_sta;
    int link_port;               /* -1: not known */
    const char *link_cap_speed, *link_sta_speed;  /* static strings or NULL */
    unsigned int link_cap_width, link_sta_width;
} VkNodeDevPci;

typedef struct {
    unsigned int bus, device, vendor, product;
    char *vendor_name, *product_name;
} VkNodeDevUsbDev;

typedef struct {
    unsigned int number, klass, subclass, protocol;
    char *description;
} VkNodeDevUsbIf;

typedef struct {
    char *ifname, *address;
    unsigned int speed;          /* 0: not known */
    int state;                   /* vk_nodedev_link_state, 0: not known */
    guint32 features;            /* 1 << VkNetDevFeature */
    int subtype;                 /* 0: 80203, 1: 80211, -1: none */
} VkNodeDevNet;

typedef struct {
    unsigned int host;
    int unique_id;               /* -1: not known */
    bool fc_host;                /* an FC HBA: the names below */
    char *wwnn, *wwpn, *fabric_wwn;
    bool vport_ops;
    int max_vports, vports;
} VkNodeDevScsiHost;

typedef struct {
    unsigned int host, bus, target, lun;
    char *type;
} VkNodeDevScsi;

typedef struct {
    char *block, *bus, *drive_type, *model, *vendor, *serial;
    bool removable, media_available, hotpluggable;
    unsigned long long size, removable_media_size, logical_block_size, num_blocks;
    char *media_label;
} VkNodeDevStorage;

typedef struct {
    char *type;                  /* the type id */
    char *uuid;
    char *parent_addr;           /* the parent's sysfs name: "0000:00:02.0" */
    unsigned int iommu_group;
    GPtrArray *attr_names, *attr_values;   /* <attr name= value=>, in order */
} VkNodeDevMdev;

typedef struct {
    unsigned int cssid, ssid, devno;
} VkNodeDevCcw;

typedef struct {
    VkNodeDevCapType type;
    union {
        VkNodeDevSystem system;
        VkNodeDevPci pci;
        VkNodeDevUsbDev usb_dev;
        VkNodeDevUsbIf usb_if;
        VkNodeDevNet net;
        VkNodeDevScsiHost scsi_host;
        char *scsi_target;       /* the target's name */
        VkNodeDevScsi scsi;
        VkNodeDevStorage storage;
        char *sg_path;           /* scsi_generic */
        int drm;                 /* vk_nodedev_drm */
        VkNodeDevMdev mdev;
        VkNodeDevCcw ccw;
    };
} VkNodeDevCap;

typedef struct {
    char *name;
    char *sysfs_path;
    char *devnode;
    GPtrArray *devlinks;         /* char *, may be NULL */
    char *parent;
    char *driver;
    GPtrArray *caps;             /* VkNodeDevCap * */
} VkNodeDeviceDef;

VkNodeDeviceDef *vk_node_device_def_new(const char *name);
void vk_node_device_def_free(VkNodeDeviceDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkNodeDeviceDef, vk_node_device_def_free)

/* A new capability of TYPE added to DEF (its numbers set to "not known"). */
VkNodeDevCap *vk_node_device_def_add_cap(VkNodeDeviceDef *def, VkNodeDevCapType type);
/* DEF's first capability of TYPE, or NULL. */
VkNodeDevCap *vk_node_device_def_find_cap(const VkNodeDeviceDef *def, VkNodeDevCapType type);
void vk_mdev_type_free(VkMdevType *type);

/* The capability names nodedev-list-caps shows and --cap matches: each
 * capability's type plus those a capability implies (fc_host and vports of
 * an FC HBA, mdev_types of a PCI device that has some).  A bit per
 * VkNodeDevCapType. */
guint32 vk_node_device_def_cap_bits(const VkNodeDeviceDef *def);

char *vk_node_device_def_format(const VkNodeDeviceDef *def);

/* nodedev-create / nodedev-define XML, with libvirt's errors
 * (VIR_FROM_NODEDEV); the name is "new device" until the driver names it. */
VkNodeDeviceDef *vk_node_device_def_parse_string(const char *xml);
/* A device as nodedev-dumpxml shows it: its name, path, devnodes and driver
 * kept (VIR_ERR_NO_NAME without a name). */
VkNodeDeviceDef *vk_node_device_def_parse_existing(const char *xml);
