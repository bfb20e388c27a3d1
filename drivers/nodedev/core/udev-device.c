#include "drivers/nodedev/core/udev-device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/host/netdev-features.h"
#include "common/pci/host-device.h"
#include "common/pci/pci-ids.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "common/util/uuid.h"
#include "drivers/nodedev/core/mdev.h"

/* libvirt's udevGenerateDeviceName: SUBSYSTEM_SYSNAME[_SUFFIX], every
 * character that is not a letter or digit made '_'. */
static char *
generate_name(struct udev_device *dev, const char *suffix)
{
    char *name = g_strdup_printf("%s_%s%s%s", udev_device_get_subsystem(dev),
                                 udev_device_get_sysname(dev), suffix ? "_" : "",
                                 suffix ? suffix : "");

    for (char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p))
            *p = '_';
    return name;
}

static const char *
prop(struct udev_device *dev, const char *key)
{
    return udev_device_get_property_value(dev, key);
}

/* A sysfs attribute as libvirt reads it: control characters dropped, an
 * empty value is none. */
static char *
sysattr(struct udev_device *dev, const char *name)
{
    const char *v = udev_device_get_sysattr_value(dev, name);
    GString *s;

    if (!v)
        return NULL;
    s = g_string_new(NULL);
    for (; *v; v++)
        if (!g_ascii_iscntrl(*v))
            g_string_append_c(s, *v);
    if (!s->len) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

static bool
parse_uint(const char *s, int base, unsigned int *out)
{
    char *end;
    unsigned long v;

    if (!s)
        return false;
    v = strtoul(s, &end, base);
    if (end == s)
        return false;
    *out = v;
    return true;
}

static unsigned long long
sysattr_ull(struct udev_device *dev, const char *name)
{
    const char *v = udev_device_get_sysattr_value(dev, name);

    return v ? g_ascii_strtoull(v, NULL, 0) : 0;
}

/* libvirt's udevGetDeviceType: the capability DEV gets, or -1. */
static int
device_type(struct udev_device *dev)
{
    static const char *const by_devtype[][2] = {
        { "usb_device", "usb_device" }, { "usb_interface", "usb" },
        { "scsi_host", "scsi_host" }, { "scsi_target", "scsi_target" },
        { "scsi_device", "scsi" }, { "disk", "storage" }, { "wlan", "net" },
        { "drm_minor", "drm" },
    };
    const char *devtype = udev_device_get_devtype(dev);
    const char *subsystem = udev_device_get_subsystem(dev);

    if (devtype) {
        for (guint i = 0; i < G_N_ELEMENTS(by_devtype); i++)
            if (strcmp(devtype, by_devtype[i][0]) == 0)
                return vk_nodedev_cap_from_string(by_devtype[i][1]);
        return -1;
    }
    if (g_strcmp0(subsystem, "scsi_generic") == 0)
        return VK_NODEDEV_CAP_SCSI_GENERIC;
    if (g_strcmp0(subsystem, "mdev") == 0)
        return VK_NODEDEV_CAP_MDEV;
    if (g_strcmp0(subsystem, "ccw") == 0)
        return VK_NODEDEV_CAP_CCW_DEV;
    if (prop(dev, "INTERFACE"))
        return VK_NODEDEV_CAP_NET;
    if (prop(dev, "PCI_CLASS"))
        return VK_NODEDEV_CAP_PCI_DEV;
    return -1;
}

static void
set_addresses(GArray *out, GPtrArray *names)
{
    for (guint i = 0; names && i < names->len; i++) {
        VkPciAddress a;
        if (vk_pci_address_parse(g_ptr_array_index(names, i), &a) == 0)
            g_array_append_val(out, a);
    }
}

/* What changes under a PCI device while it is listed (libvirt's
 * virNodeDeviceGetPCIDynamicCaps): SR-IOV, IOMMU group, mdev types. */
static void
read_pci_dynamic(const VkPciHostDevice *host, const char *syspath, VkNodeDevPci *pci)
{
    g_clear_pointer(&pci->phys_function, g_free);
    g_array_set_size(pci->virt_functions, 0);
    g_array_set_size(pci->iommu_members, 0);
    g_clear_pointer(&pci->mdev_types, g_ptr_array_unref);
    pci->iommu_group = host->iommu_group;
    set_addresses(pci->iommu_members, host->iommu_members);
    if (host->physical_function) {
        pci->phys_function = g_new0(VkPciAddress, 1);
        vk_pci_address_parse(host->physical_function, pci->phys_function);
    }
    pci->has_virt_functions = host->is_physical_function;
    pci->max_vfs = host->total_vfs;
    set_addresses(pci->virt_functions, host->virtual_functions);
    pci->mdev_types = vk_mdev_read_types(syspath);
}

static int
fill_pci(struct udev_device *dev, VkNodeDeviceDef *def, VkNodeDevPci *pci)
{
    g_autoptr(VkPciHostDevice) host = vk_pci_host_device_read(NULL, udev_device_get_sysname(dev));
    unsigned int klass;

    if (!host)
        return -1;
    if (parse_uint(prop(dev, "PCI_CLASS"), 16, &klass))
        pci->klass = klass;
    pci->addr = host->address;
    pci->vendor = host->vendor;
    pci->product = host->device;
    pci->numa_node = host->numa_node;
    read_pci_dynamic(host, udev_device_get_syspath(dev), pci);
    pci->pcie = host->is_pcie;
    if (host->is_pcie && host->has_link) {
        pci->has_link_cap = pci->has_link_sta = true;
        pci->link_port = host->link_port;
        pci->link_cap_speed = vk_pci_link_speed_to_string(host->link_max.speed);
        pci->link_cap_width = host->link_max.width;
        pci->link_sta_speed = vk_pci_link_speed_to_string(host->link_current.speed);
        pci->link_sta_width = host->link_current.width;
    }
    def->name = generate_name(dev, NULL);
    return 0;
}

/* libvirt's virNetDevGetLinkInfo (operstate; the speed only of a link that
 * is up) and virNetDevGetFeatures. */
static void
read_net_dynamic(const char *syspath, VkNodeDevNet *net)
{
    g_autofree char *state = vk_file_read_attr(syspath, "operstate");

    net->state = state ? MAX(vk_nodedev_link_state_from_string(state), 0) : 0;
    net->speed = 0;
    if (net->state == vk_nodedev_link_state_from_string("up")) {
        g_autofree char *speed = vk_file_read_attr(syspath, "speed");
        if (speed)
            net->speed = (unsigned int) strtol(speed, NULL, 10);
    }
    net->features = vk_netdev_get_features("/sys", net->ifname);
}

static void
fill_net(struct udev_device *dev, VkNodeDeviceDef *def, VkNodeDevNet *net)
{
    net->subtype = g_strcmp0(udev_device_get_devtype(dev), "wlan") == 0 ? 1 : 0;
    net->ifname = g_strdup(prop(dev, "INTERFACE"));
    net->address = sysattr(dev, "address");
    def->name = generate_name(dev, net->address);
    read_net_dynamic(udev_device_get_syspath(dev), net);
}

/* libvirt's udevProcessStorage: only disks whose kind is known. */
static int
fill_storage(struct udev_device *dev, VkNodeDeviceDef *def, VkNodeDevStorage *st)
{
    const char *devnode = udev_device_get_devnode(dev);
    const char *type = prop(dev, "ID_TYPE");

    if (!devnode)
        return -1;
    st->block = g_strdup(devnode);
    st->bus = g_strdup(prop(dev, "ID_BUS"));
    st->serial = g_strdup(prop(dev, "ID_SERIAL"));
    if ((st->vendor = sysattr(dev, "device/vendor")))
        g_strstrip(st->vendor);
    if ((st->model = sysattr(dev, "device/model")))
        g_strstrip(st->model);
    if (!type || strcmp(type, "generic") == 0) {
        if (g_strcmp0(prop(dev, "ID_DRIVE_FLOPPY"), "1") == 0)
            type = "floppy";
        else if (g_strcmp0(prop(dev, "ID_CDROM"), "1") == 0)
            type = "cd";
        else if (g_strcmp0(prop(dev, "ID_DRIVE_FLASH_SD"), "1") == 0)
            type = "sd";
        else if (g_str_has_prefix(devnode, "/dev/vd"))
            type = "disk";
        else
            return -1;
    }
    st->num_blocks = sysattr_ull(dev, "size");
    st->logical_block_size = sysattr_ull(dev, "queue/logical_block_size");
    if (strcmp(type, "disk") == 0 || strcmp(type, "sd") == 0) {
        st->size = st->num_blocks * st->logical_block_size;
    } else if (strcmp(type, "cd") == 0 || strcmp(type, "floppy") == 0) {
        bool media = strcmp(type, "cd") == 0 ? g_strcmp0(prop(dev, "ID_CDROM_MEDIA"), "1") == 0
                                             : prop(dev, "ID_FS_LABEL") != NULL;
        type = strcmp(type, "cd") == 0 ? "cdrom" : type;
        st->removable = sysattr_ull(dev, "removable") == 1;
        st->media_available = media;
        if (media) {
            st->media_label = g_strdup(prop(dev, "ID_FS_LABEL"));
            st->removable_media_size = st->num_blocks * st->logical_block_size;
        } else {
            st->num_blocks = st->logical_block_size = 0;
        }
    } else {
        return -1;
    }
    st->drive_type = g_strdup(type);
    def->name = generate_name(dev, st->serial);
    return 0;
}

static void
fill_usb_device(struct udev_device *dev, VkNodeDevUsbDev *u)
{
    parse_uint(prop(dev, "BUSNUM"), 10, &u->bus);
    parse_uint(prop(dev, "DEVNUM"), 10, &u->device);
    parse_uint(prop(dev, "ID_VENDOR_ID"), 16, &u->vendor);
    parse_uint(prop(dev, "ID_MODEL_ID"), 16, &u->product);
    u->vendor_name = g_strdup(prop(dev, "ID_VENDOR_FROM_DATABASE"));
    if (!u->vendor_name)
        u->vendor_name = sysattr(dev, "manufacturer");
    u->product_name = g_strdup(prop(dev, "ID_MODEL_FROM_DATABASE"));
    if (!u->product_name)
        u->product_name = sysattr(dev, "product");
}

static void
fill_usb_interface(struct udev_device *dev, VkNodeDevUsbIf *u)
{
    parse_uint(udev_device_get_sysattr_value(dev, "bInterfaceNumber"), 16, &u->number);
    parse_uint(udev_device_get_sysattr_value(dev, "bInterfaceClass"), 16, &u->klass);
    parse_uint(udev_device_get_sysattr_value(dev, "bInterfaceSubClass"), 16, &u->subclass);
    parse_uint(udev_device_get_sysattr_value(dev, "bInterfaceProtocol"), 16, &u->protocol);
}

/* "0x5001438..." -> "5001438..." as libvirt keeps WWNs */
static char *
read_wwn(const char *dir, const char *file)
{
    char *v = vk_file_read_attr(dir, file);

    if (v && g_str_has_prefix(v, "0x"))
        memmove(v, v + 2, strlen(v) - 1);
    return v;
}

/* virNodeDeviceGetSCSIHostCaps: unique_id, and the FC HBA names. */
static void
refresh_scsi_host(const char *syspath, VkNodeDevScsiHost *h)
{
    g_autofree char *sysname = g_path_get_basename(syspath);
    g_autofree char *sh = g_strdup_printf("/sys/class/scsi_host/%s", sysname);
    g_autofree char *fc = g_strdup_printf("/sys/class/fc_host/%s", sysname);

    h->unique_id = vk_file_read_attr_number(sh, "unique_id", -1);
    g_clear_pointer(&h->wwnn, g_free);
    g_clear_pointer(&h->wwpn, g_free);
    g_clear_pointer(&h->fabric_wwn, g_free);
    h->fc_host = g_file_test(fc, G_FILE_TEST_IS_DIR);
    if (h->fc_host) {
        h->wwnn = read_wwn(fc, "node_name");
        h->wwpn = read_wwn(fc, "port_name");
        h->fabric_wwn = read_wwn(fc, "fabric_name");
    }
    h->vport_ops = vk_file_read_attr_number(sh, "max_npiv_vports", -1) >= 0;
    if (h->vport_ops) {
        h->max_vports = vk_file_read_attr_number(sh, "max_npiv_vports", 0);
        h->vports = vk_file_read_attr_number(sh, "npiv_vports_inuse", 0);
    }
}

static int
fill_scsi_host(struct udev_device *dev, VkNodeDevScsiHost *h)
{
    const char *sysname = udev_device_get_sysname(dev);

    if (!g_str_has_prefix(sysname, "host") || !parse_uint(sysname + 4, 10, &h->host))
        return -1;
    refresh_scsi_host(udev_device_get_syspath(dev), h);
    return 0;
}

static int
fill_scsi(struct udev_device *dev, VkNodeDevScsi *s)
{
    static const char *const types[] = {
        "disk", "tape", "printer", "processor", "worm", "cdrom", "scanner", "mod",
        "changer", "comm", NULL, NULL, "raid", "enclosure",
    };
    const char *t = udev_device_get_sysattr_value(dev, "type");
    unsigned int type;

    if (sscanf(udev_device_get_sysname(dev), "%u:%u:%u:%u", &s->host, &s->bus, &s->target,
               &s->lun) != 4)
        return -1;
    /* libvirt names the types it knows (not printer or comm) */
    if (parse_uint(t, 0, &type) && type < G_N_ELEMENTS(types) && types[type] &&
        type != 2 && type != 9)
        s->type = g_strdup(types[type]);
    return 0;
}

static int
fill_ccw(struct udev_device *dev, VkNodeDevCcw *c)
{
    if (g_strcmp0(udev_device_get_sysattr_value(dev, "online"), "1") != 0)
        return -1;
    return sscanf(udev_device_get_sysname(dev), "%x.%x.%x", &c->cssid, &c->ssid, &c->devno) == 3
               ? 0 : -1;
}

static int
fill_details(struct udev_device *dev, VkNodeDeviceDef *def, VkNodeDevCap *cap)
{
    unsigned int minor;

    switch (cap->type) {
    case VK_NODEDEV_CAP_PCI_DEV:
        return fill_pci(dev, def, &cap->pci);
    case VK_NODEDEV_CAP_NET:
        fill_net(dev, def, &cap->net);
        return 0;
    case VK_NODEDEV_CAP_STORAGE:
        return fill_storage(dev, def, &cap->storage);
    case VK_NODEDEV_CAP_USB_DEV:
        fill_usb_device(dev, &cap->usb_dev);
        break;
    case VK_NODEDEV_CAP_USB_INTERFACE:
        fill_usb_interface(dev, &cap->usb_if);
        break;
    case VK_NODEDEV_CAP_SCSI_HOST:
        if (fill_scsi_host(dev, &cap->scsi_host) < 0)
            return -1;
        break;
    case VK_NODEDEV_CAP_SCSI_TARGET:
        cap->scsi_target = g_strdup(udev_device_get_sysname(dev));
        break;
    case VK_NODEDEV_CAP_SCSI:
        if (fill_scsi(dev, &cap->scsi) < 0)
            return -1;
        break;
    case VK_NODEDEV_CAP_SCSI_GENERIC:
        if (!(cap->sg_path = g_strdup(prop(dev, "DEVNAME"))))
            return -1;
        break;
    case VK_NODEDEV_CAP_DRM:
        if (!parse_uint(prop(dev, "MINOR"), 10, &minor) || (minor >> 6) > 2)
            return -1;
        cap->drm = minor >> 6;
        break;
    case VK_NODEDEV_CAP_MDEV:
        if (vk_mdev_read_device(udev_device_get_syspath(dev), &cap->mdev) < 0)
            return -1;
        /* mdev_UUID_PARENTADDR: one UUID may serve several parents */
        def->name = generate_name(dev, cap->mdev.parent_addr);
        return 0;
    case VK_NODEDEV_CAP_CCW_DEV:
        if (fill_ccw(dev, &cap->ccw) < 0)
            return -1;
        break;
    default:
        return -1;
    }
    def->name = generate_name(dev, NULL);
    return 0;
}

VkNodeDeviceDef *
vk_udev_device_to_def(struct udev_device *dev)
{
    int type = device_type(dev);
    g_autoptr(VkNodeDeviceDef) def = NULL;
    struct udev_list_entry *e;

    if (type < 0)
        return NULL;
    def = vk_node_device_def_new(NULL);
    def->sysfs_path = g_strdup(udev_device_get_syspath(dev));
    def->driver = g_strdup(prop(dev, "DRIVER"));
    def->devnode = g_strdup(udev_device_get_devnode(dev));
    udev_list_entry_foreach(e, udev_device_get_devlinks_list_entry(dev)) {
        if (!def->devlinks)
            def->devlinks = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(def->devlinks, g_strdup(udev_list_entry_get_name(e)));
    }
    if (fill_details(dev, def, vk_node_device_def_add_cap(def, type)) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

void
vk_udev_device_refresh(VkNodeDeviceDef *def)
{
    g_autofree char *driver = NULL;

    if (!def->sysfs_path)
        return;
    driver = g_build_filename(def->sysfs_path, "driver", NULL);
    g_free(def->driver);
    def->driver = g_file_read_link(driver, NULL);
    if (def->driver) {
        char *base = g_path_get_basename(def->driver);
        g_free(def->driver);
        def->driver = base;
    }
    for (guint i = 0; i < def->caps->len; i++) {
        VkNodeDevCap *cap = g_ptr_array_index(def->caps, i);
        g_autofree char *pciname = NULL;
        g_autoptr(VkPciHostDevice) host = NULL;

        switch (cap->type) {
        case VK_NODEDEV_CAP_NET:
            read_net_dynamic(def->sysfs_path, &cap->net);
            break;
        case VK_NODEDEV_CAP_PCI_DEV:
            pciname = g_path_get_basename(def->sysfs_path);
            if ((host = vk_pci_host_device_read_dynamic(NULL, pciname)))
                read_pci_dynamic(host, def->sysfs_path, &cap->pci);
            vk_error_reset();
            break;
        case VK_NODEDEV_CAP_SCSI_HOST:
            refresh_scsi_host(def->sysfs_path, &cap->scsi_host);
            break;
        default:
            break;
        }
    }
}

void
vk_udev_device_name_pci_ids(VkNodeDeviceDef **defs, guint n)
{
    g_autofree VkPciIdsQuery *q = g_new0(VkPciIdsQuery, n);
    g_autofree VkNodeDevPci **pci = g_new0(VkNodeDevPci *, n);
    guint k = 0;

    for (guint i = 0; i < n; i++) {
        VkNodeDevCap *cap = vk_node_device_def_find_cap(defs[i], VK_NODEDEV_CAP_PCI_DEV);
        if (!cap)
            continue;
        pci[k] = &cap->pci;
        q[k].vendor = cap->pci.vendor;
        q[k].device = cap->pci.product;
        k++;
    }
    vk_pci_ids_resolve(NULL, q, k);
    for (guint i = 0; i < k; i++) {
        pci[i]->vendor_name = q[i].vendor_name;
        pci[i]->product_name = q[i].device_name;
    }
}

VkNodeDeviceDef *
vk_udev_device_computer(struct udev *udev)
{
    VkNodeDeviceDef *def = vk_node_device_def_new("computer");
    VkNodeDevSystem *sys = &vk_node_device_def_add_cap(def, VK_NODEDEV_CAP_SYSTEM)->system;
    struct udev_device *dmi = udev_device_new_from_syspath(udev, "/sys/devices/virtual/dmi/id");
    g_autofree char *uuid = NULL;

    if (!dmi)
        dmi = udev_device_new_from_syspath(udev, "/sys/class/dmi/id");
    if (!dmi)
        return def;
    sys->product = sysattr(dmi, "product_name");
    sys->hw_vendor = sysattr(dmi, "sys_vendor");
    sys->hw_version = sysattr(dmi, "product_version");
    sys->hw_serial = sysattr(dmi, "product_serial");
    sys->fw_vendor = sysattr(dmi, "bios_vendor");
    sys->fw_version = sysattr(dmi, "bios_version");
    sys->fw_date = sysattr(dmi, "bios_date");
    if ((uuid = sysattr(dmi, "product_uuid")))
        vk_uuid_parse(uuid, sys->uuid);
    udev_device_unref(dmi);
    return def;
}
