#include "common/pci/host-device.h"

#include <errno.h>
#include <string.h>

#include "common/util/error.h"
#include "common/util/file.h"

#define PCI_DEVICES "sys/bus/pci/devices"

/* Config space offsets (PCI Local Bus and PCIe Base specifications). */
#define CFG_STATUS 0x06
#define CFG_STATUS_CAP_LIST 0x10
#define CFG_CAP_PTR 0x34
#define CAP_ID_EXP 0x10
#define EXP_LNKCAP 0x0c
#define EXP_LNKSTA 0x12

void
vk_pci_host_device_free(VkPciHostDevice *dev)
{
    if (!dev)
        return;
    g_free(dev->name);
    g_free(dev->driver);
    g_free(dev->physical_function);
    if (dev->iommu_members)
        g_ptr_array_unref(dev->iommu_members);
    if (dev->virtual_functions)
        g_ptr_array_unref(dev->virtual_functions);
    g_free(dev);
}

static const char *const speed_names[VK_PCI_LINK_SPEED_LAST] = {
    NULL, "2.5", "5", "8", "16", "32", "64",
};

const char *
vk_pci_link_speed_to_string(VkPciLinkSpeed speed)
{
    if ((int) speed <= 0 || speed >= VK_PCI_LINK_SPEED_LAST)
        return NULL;
    return speed_names[speed];
}

static VkPciLinkSpeed
speed_from_register(unsigned int bits)
{
    return bits < VK_PCI_LINK_SPEED_LAST ? (VkPciLinkSpeed) bits : VK_PCI_LINK_SPEED_UNKNOWN;
}

/* sysfs writes "8.0 GT/s PCIe" (older kernels "8 GT/s"), or "Unknown". */
static VkPciLinkSpeed
speed_from_sysfs(const char *text)
{
    double gts = g_ascii_strtod(text, NULL);

    for (int s = VK_PCI_LINK_SPEED_2_5; s < VK_PCI_LINK_SPEED_LAST; s++) {
        if (gts > 0 && ABS(gts - g_ascii_strtod(speed_names[s], NULL)) < 0.01)
            return s;
    }
    return VK_PCI_LINK_SPEED_UNKNOWN;
}

unsigned int
vk_pci_config_find_capability(const guint8 *config, gsize len, unsigned int id)
{
    unsigned int pos;

    if (len < 0x40 || !(config[CFG_STATUS] & CFG_STATUS_CAP_LIST))
        return 0;
    pos = config[CFG_CAP_PTR] & 0xfc;
    /* 48 capabilities at most fit in the first 256 bytes: a guard against loops */
    for (int n = 0; n < 48 && pos >= 0x40 && pos + 1 < len; n++) {
        if (config[pos] == id)
            return pos;
        pos = config[pos + 1] & 0xfc;
    }
    return 0;
}

bool
vk_pci_config_parse_pcie(const guint8 *config, gsize len, unsigned int *port,
                         VkPciLink *max, VkPciLink *current)
{
    unsigned int pos = vk_pci_config_find_capability(config, len, CAP_ID_EXP);
    guint32 lnkcap;
    guint16 lnksta;

    if (!pos || pos + EXP_LNKSTA + 2 > len)
        return false;
    lnkcap = config[pos + EXP_LNKCAP] | config[pos + EXP_LNKCAP + 1] << 8 |
             config[pos + EXP_LNKCAP + 2] << 16 | (guint32) config[pos + EXP_LNKCAP + 3] << 24;
    lnksta = config[pos + EXP_LNKSTA] | config[pos + EXP_LNKSTA + 1] << 8;
    *port = lnkcap >> 24;
    max->speed = speed_from_register(lnkcap & 0xf);
    max->width = (lnkcap >> 4) & 0x3f;
    current->speed = speed_from_register(lnksta & 0xf);
    current->width = (lnksta >> 4) & 0x3f;
    return true;
}

bool
vk_pci_config_pcie_has_link(const guint8 *config, gsize len)
{
    unsigned int pos = vk_pci_config_find_capability(config, len, CAP_ID_EXP);
    unsigned int type;

    if (!pos || pos + 3 > len)
        return false;
    /* root complex integrated endpoints and event collectors have no link */
    type = (config[pos + 2] >> 4) & 0xf;
    return type != 0x9 && type != 0xa;
}


/* The last path component a symlink points at: "driver" -> "igb". */
static char *
link_target_name(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    g_autofree char *target = g_file_read_link(path, NULL);

    return target ? g_path_get_basename(target) : NULL;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
list_dir_sorted(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (dir && (name = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, cmp_str);
    return names;
}

/* virtfn0, virtfn1, ... of the device directory DIR in order, at most
 * LIMIT; stop at the first gap (libvirt's virPCIGetVirtualFunctions). */
static void
append_virtfns(GPtrArray *names, const char *dir, unsigned int limit)
{
    for (unsigned int i = 0; i < limit; i++) {
        g_autofree char *file = g_strdup_printf("virtfn%u", i);
        char *vf = link_target_name(dir, file);
        if (!vf)
            break;
        g_ptr_array_add(names, vf);
    }
}

static void
read_sriov(VkPciHostDevice *dev, const char *dir)
{
    gint64 total = vk_file_read_attr_number(dir, "sriov_totalvfs", -1);

    dev->virtual_functions = g_ptr_array_new_with_free_func(g_free);
    dev->physical_function = link_target_name(dir, "physfn");
    if (total < 0)
        return;
    dev->is_physical_function = true;
    dev->total_vfs = total;
    dev->num_vfs = MAX(vk_file_read_attr_number(dir, "sriov_numvfs", 0), 0);
    append_virtfns(dev->virtual_functions, dir, MAX(dev->total_vfs, dev->num_vfs));
}

static void
read_link(VkPciHostDevice *dev, const char *dir)
{
    g_autofree char *cfgpath = g_build_filename(dir, "config", NULL);
    g_autofree guint8 *config = NULL;
    gsize len = 0;
    g_autofree char *max_speed = NULL;
    g_autofree char *cur_speed = NULL;

    /* unprivileged readers get only the first 64 bytes: then use the
     * link files the kernel keeps for PCIe devices */
    if (g_file_get_contents(cfgpath, (char **) &config, &len, NULL) &&
        vk_pci_config_parse_pcie(config, len, &dev->link_port, &dev->link_max,
                                 &dev->link_current)) {
        dev->is_pcie = true;
        dev->has_link = vk_pci_config_pcie_has_link(config, len);
        return;
    }
    /* an extended config space is PCIe's, capability or not (libvirt's
     * virPCIDeviceIsPCIExpress) */
    if (len > 256) {
        dev->is_pcie = true;
        return;
    }
    max_speed = vk_file_read_attr(dir, "max_link_speed");
    cur_speed = vk_file_read_attr(dir, "current_link_speed");
    if (!max_speed && !cur_speed)
        return;
    dev->is_pcie = true;
    dev->has_link = true;
    if (max_speed)
        dev->link_max.speed = speed_from_sysfs(max_speed);
    if (cur_speed)
        dev->link_current.speed = speed_from_sysfs(cur_speed);
    dev->link_max.width = MAX(vk_file_read_attr_number(dir, "max_link_width", 0), 0);
    dev->link_current.width = MAX(vk_file_read_attr_number(dir, "current_link_width", 0), 0);
}

/* What stays while the device exists: ids, NUMA node, PCIe. */
static int
read_fixed(VkPciHostDevice *dev, const char *root, const char *dir)
{
    gint64 vendor = vk_file_read_attr_number(dir, "vendor", -1);
    gint64 device = vk_file_read_attr_number(dir, "device", -1);
    gint64 class_code = vk_file_read_attr_number(dir, "class", -1);

    if (vendor < 0 || device < 0 || class_code < 0) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_NO_NODE_DEVICE,
                        "no PCI device '%s' under '%s'", dev->name, root ? root : "/");
        return -1;
    }
    dev->vendor = vendor;
    dev->device = device;
    dev->class_code = class_code;
    dev->subsystem_vendor = MAX(vk_file_read_attr_number(dir, "subsystem_vendor", 0), 0);
    dev->subsystem_device = MAX(vk_file_read_attr_number(dir, "subsystem_device", 0), 0);
    dev->numa_node = vk_file_read_attr_number(dir, "numa_node", -1);
    read_link(dev, dir);
    return 0;
}

static VkPciHostDevice *
read_device(const char *root, const char *name, bool fixed_too)
{
    g_autofree char *dir = g_build_filename(root ? root : "/", PCI_DEVICES, name, NULL);
    g_autoptr(VkPciHostDevice) dev = g_new0(VkPciHostDevice, 1);
    g_autofree char *group = NULL;

    if (vk_pci_address_parse(name, &dev->address) < 0)
        return NULL;
    dev->name = g_strdup(name);
    dev->numa_node = -1;
    if (fixed_too && read_fixed(dev, root, dir) < 0)
        return NULL;
    dev->driver = link_target_name(dir, "driver");
    group = link_target_name(dir, "iommu_group");
    dev->iommu_group = group ? (int) g_ascii_strtoll(group, NULL, 10) : -1;
    if (group) {
        g_autofree char *members = g_build_filename(dir, "iommu_group", "devices", NULL);
        dev->iommu_members = list_dir_sorted(members);
    } else {
        dev->iommu_members = g_ptr_array_new_with_free_func(g_free);
    }
    read_sriov(dev, dir);
    return g_steal_pointer(&dev);
}

GPtrArray *
vk_pci_host_device_names(const char *root)
{
    g_autofree char *path = g_build_filename(root ? root : "/", PCI_DEVICES, NULL);

    return list_dir_sorted(path);
}

VkPciHostDevice *
vk_pci_host_device_read(const char *root, const char *name)
{
    return read_device(root, name, true);
}

VkPciHostDevice *
vk_pci_host_device_read_dynamic(const char *root, const char *name)
{
    return read_device(root, name, false);
}

static gint
cmp_device(gconstpointer a, gconstpointer b)
{
    const VkPciHostDevice *x = *(VkPciHostDevice *const *) a;
    const VkPciHostDevice *y = *(VkPciHostDevice *const *) b;

    return vk_pci_address_compare(&x->address, &y->address);
}

GPtrArray *
vk_pci_host_device_list(const char *root)
{
    g_autofree char *path = g_build_filename(root ? root : "/", PCI_DEVICES, NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) dir = g_dir_open(path, 0, &err);
    g_autoptr(GPtrArray) list = NULL;
    const char *name;

    if (!dir) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_SYSTEM_ERROR,
                        "cannot list PCI devices in '%s': %s", path, err->message);
        return NULL;
    }
    list = g_ptr_array_new_with_free_func((GDestroyNotify) vk_pci_host_device_free);
    while ((name = g_dir_read_name(dir))) {
        VkPciHostDevice *dev = vk_pci_host_device_read(root, name);
        if (!dev) {
            /* a device can go away while we look (hot unplug, VFs removed) */
            g_debug("skipping PCI device %s: %s", name, vk_error_last_message());
            vk_error_reset();
            continue;
        }
        g_ptr_array_add(list, dev);
    }
    g_ptr_array_sort(list, cmp_device);
    return g_steal_pointer(&list);
}

bool
vk_pci_host_is_virtual_function(const char *root, const char *name)
{
    g_autofree char *path = g_build_filename(root ? root : "/", PCI_DEVICES, name, "physfn",
                                             NULL);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}

GPtrArray *
vk_pci_net_virtual_functions(const char *root, const char *ifname)
{
    g_autofree char *dir = g_build_filename(root ? root : "/", "sys/class/net", ifname, "device",
                                            NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

    append_virtfns(names, dir, G_MAXUINT);
    return names;
}

int
vk_pci_vf_pf_info(const char *root, const char *vf, char **pf_ifname, unsigned int *index)
{
    g_autofree char *dir = g_build_filename(root ? root : "/", PCI_DEVICES, vf, NULL);
    g_autofree char *pf = link_target_name(dir, "physfn");
    g_autofree char *pf_dir = pf ? g_build_filename(root ? root : "/", PCI_DEVICES, pf, NULL)
                                 : NULL;
    g_autofree char *net_dir = pf ? g_build_filename(pf_dir, "net", NULL) : NULL;
    g_autoptr(GPtrArray) vfs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) ifnames = NULL;

    if (!pf) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "device %s is not an SR-IOV virtual function", vf);
        return -1;
    }
    append_virtfns(vfs, pf_dir, G_MAXUINT);
    ifnames = list_dir_sorted(net_dir);
    for (guint i = 0; i < vfs->len && ifnames->len; i++) {
        if (g_str_equal(g_ptr_array_index(vfs, i), vf)) {
            *pf_ifname = g_strdup(g_ptr_array_index(ifnames, 0));
            *index = i;
            return 0;
        }
    }
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                    "Could not find the network interface of the PF %s of VF %s", pf, vf);
    return -1;
}
