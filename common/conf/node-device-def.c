#include "common/conf/node-device-def.h"

VK_ENUM_IMPL(vk_nodedev_cap, "system", "pci", "usb_device", "usb", "net", "scsi_host",
             "scsi_target", "scsi", "storage", "fc_host", "vports", "scsi_generic", "drm",
             "mdev_types", "mdev", "ccw", "css", "vdpa", "ap_card", "ap_queue", "ap_matrix",
             "vpd")
VK_ENUM_IMPL(vk_nodedev_link_state, "", "unknown", "notpresent", "down", "lowerlayerdown",
             "testing", "dormant", "up")
VK_ENUM_IMPL(vk_netdev_feature, "rx", "tx", "sg", "tso", "gso", "gro", "lro", "rxvlan",
             "txvlan", "ntuple", "rxhash", "rdma", "txudptnl", "switchdev")
VK_ENUM_IMPL(vk_nodedev_drm, "primary", "control", "render")

VkNodeDeviceDef *
vk_node_device_def_new(const char *name)
{
    VkNodeDeviceDef *def = g_new0(VkNodeDeviceDef, 1);

    def->name = g_strdup(name);
    def->caps = g_ptr_array_new();
    return def;
}

void
vk_mdev_type_free(VkMdevType *type)
{
    if (!type)
        return;
    g_free(type->id);
    g_free(type->name);
    g_free(type->device_api);
    g_free(type);
}

static void
free_pci(VkNodeDevPci *pci)
{
    g_free(pci->vendor_name);
    g_free(pci->product_name);
    g_free(pci->phys_function);
    if (pci->virt_functions)
        g_array_unref(pci->virt_functions);
    if (pci->mdev_types)
        g_ptr_array_unref(pci->mdev_types);
    if (pci->iommu_members)
        g_array_unref(pci->iommu_members);
}

static void
free_cap(VkNodeDevCap *cap)
{
    switch (cap->type) {
    case VK_NODEDEV_CAP_SYSTEM:
        g_free(cap->system.product);
        g_free(cap->system.hw_vendor);
        g_free(cap->system.hw_version);
        g_free(cap->system.hw_serial);
        g_free(cap->system.fw_vendor);
        g_free(cap->system.fw_version);
        g_free(cap->system.fw_date);
        break;
    case VK_NODEDEV_CAP_PCI_DEV:
        free_pci(&cap->pci);
        break;
    case VK_NODEDEV_CAP_USB_DEV:
        g_free(cap->usb_dev.vendor_name);
        g_free(cap->usb_dev.product_name);
        break;
    case VK_NODEDEV_CAP_USB_INTERFACE:
        g_free(cap->usb_if.description);
        break;
    case VK_NODEDEV_CAP_NET:
        g_free(cap->net.ifname);
        g_free(cap->net.address);
        break;
    case VK_NODEDEV_CAP_SCSI_HOST:
        g_free(cap->scsi_host.wwnn);
        g_free(cap->scsi_host.wwpn);
        g_free(cap->scsi_host.fabric_wwn);
        break;
    case VK_NODEDEV_CAP_SCSI_TARGET:
        g_free(cap->scsi_target);
        break;
    case VK_NODEDEV_CAP_SCSI:
        g_free(cap->scsi.type);
        break;
    case VK_NODEDEV_CAP_STORAGE:
        g_free(cap->storage.block);
        g_free(cap->storage.bus);
        g_free(cap->storage.drive_type);
        g_free(cap->storage.model);
        g_free(cap->storage.vendor);
        g_free(cap->storage.serial);
        g_free(cap->storage.media_label);
        break;
    case VK_NODEDEV_CAP_SCSI_GENERIC:
        g_free(cap->sg_path);
        break;
    case VK_NODEDEV_CAP_MDEV:
        g_free(cap->mdev.type);
        g_free(cap->mdev.uuid);
        g_free(cap->mdev.parent_addr);
        g_ptr_array_unref(cap->mdev.attr_names);
        g_ptr_array_unref(cap->mdev.attr_values);
        break;
    default:
        break;
    }
    g_free(cap);
}

void
vk_node_device_def_free(VkNodeDeviceDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->sysfs_path);
    g_free(def->devnode);
    if (def->devlinks)
        g_ptr_array_unref(def->devlinks);
    g_free(def->parent);
    g_free(def->driver);
    for (guint i = 0; i < def->caps->len; i++)
        free_cap(g_ptr_array_index(def->caps, i));
    g_ptr_array_unref(def->caps);
    g_free(def);
}

VkNodeDevCap *
vk_node_device_def_add_cap(VkNodeDeviceDef *def, VkNodeDevCapType type)
{
    VkNodeDevCap *cap = g_new0(VkNodeDevCap, 1);

    cap->type = type;
    switch (type) {
    case VK_NODEDEV_CAP_PCI_DEV:
        cap->pci.klass = -1;
        cap->pci.numa_node = -1;
        cap->pci.iommu_group = -1;
        cap->pci.link_port = -1;
        cap->pci.virt_functions = g_array_new(FALSE, TRUE, sizeof(VkPciAddress));
        cap->pci.iommu_members = g_array_new(FALSE, TRUE, sizeof(VkPciAddress));
        break;
    case VK_NODEDEV_CAP_NET:
        cap->net.subtype = -1;
        break;
    case VK_NODEDEV_CAP_SCSI_HOST:
        cap->scsi_host.unique_id = -1;
        break;
    case VK_NODEDEV_CAP_MDEV:
        cap->mdev.attr_names = g_ptr_array_new_with_free_func(g_free);
        cap->mdev.attr_values = g_ptr_array_new_with_free_func(g_free);
        break;
    default:
        break;
    }
    g_ptr_array_add(def->caps, cap);
    return cap;
}

VkNodeDevCap *
vk_node_device_def_find_cap(const VkNodeDeviceDef *def, VkNodeDevCapType type)
{
    for (guint i = 0; i < def->caps->len; i++) {
        VkNodeDevCap *cap = g_ptr_array_index(def->caps, i);
        if (cap->type == type)
            return cap;
    }
    return NULL;
}

guint32
vk_node_device_def_cap_bits(const VkNodeDeviceDef *def)
{
    guint32 bits = 0;

    for (guint i = 0; i < def->caps->len; i++) {
        const VkNodeDevCap *cap = g_ptr_array_index(def->caps, i);

        bits |= 1u << cap->type;
        /* libvirt's virNodeDeviceCapsListExport: implied capabilities */
        if (cap->type == VK_NODEDEV_CAP_SCSI_HOST && cap->scsi_host.fc_host)
            bits |= 1u << VK_NODEDEV_CAP_FC_HOST;
        if (cap->type == VK_NODEDEV_CAP_SCSI_HOST && cap->scsi_host.vport_ops)
            bits |= 1u << VK_NODEDEV_CAP_VPORTS;
        if (cap->type == VK_NODEDEV_CAP_PCI_DEV && cap->pci.mdev_types &&
            cap->pci.mdev_types->len)
            bits |= 1u << VK_NODEDEV_CAP_MDEV_TYPES;
    }
    return bits;
}
