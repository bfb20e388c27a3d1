/* Host PCI devices read from a FAKE sysfs tree that this test builds in a
 * temporary directory: an SR-IOV physical function with two virtual
 * functions, a second function sharing the PF's IOMMU group, and a
 * conventional device.  Links are relative, as the kernel's are. */
#include <string.h>
#include <unistd.h>

#include "common/pci/host-device.h"
#include "common/util/error.h"
#include "fake-sysfs.h"

static char *fake_root;

static void
put(const char *dev, const char *file, const char *text)
{
    fake_sysfs_put(fake_root, dev, file, text);
}

static void
put_bytes(const char *dev, const char *file, const guint8 *data, gsize len)
{
    fake_sysfs_put_bytes(fake_root, dev, file, data, len);
}

static void
link_at(const char *target, const char *relpath)
{
    fake_sysfs_link(fake_root, target, relpath);
}

static void
make_device(const char *name, const char *vendor, const char *device, const char *subsys_vendor,
            const char *subsys_device, const char *class_code, const char *numa,
            const char *driver, int group)
{
    fake_sysfs_device(fake_root, name, vendor, device, subsys_vendor, subsys_device, class_code,
                      numa, driver, group);
}

/* A 256-byte config space with PM -> MSI -> PCIe capabilities. */
static void
pf_config(guint8 *cfg)
{
    memset(cfg, 0, 256);
    cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x21; cfg[3] = 0x15;
    cfg[0x06] = 0x10;               /* capability list present */
    cfg[0x34] = 0x40;
    cfg[0x40] = 0x01; cfg[0x41] = 0x50;   /* power management */
    cfg[0x50] = 0x05; cfg[0x51] = 0x70;   /* MSI */
    cfg[0x70] = 0x10; cfg[0x71] = 0x00;   /* PCI Express */
    /* link capabilities: port 2, x4, 8 GT/s */
    cfg[0x70 + 0x0c] = 0x43; cfg[0x70 + 0x0d] = 0x00; cfg[0x70 + 0x0e] = 0x00; cfg[0x70 + 0x0f] = 0x02;
    /* link status: x2 at 5 GT/s */
    cfg[0x70 + 0x12] = 0x22; cfg[0x70 + 0x13] = 0x00;
}

static void
build_tree(void)
{
    guint8 cfg[256];
    guint8 small[64] = { 0 };

    fake_root = fake_sysfs_new();

    make_device("0000:03:00.0", "0x8086\n", "0x1521\n", "0x8086\n", "0x0001\n", "0x020000\n",
                "0\n", "igb", 12);
    pf_config(cfg);
    put_bytes("0000:03:00.0", "config", cfg, sizeof(cfg));
    put("0000:03:00.0", "sriov_totalvfs", "7\n");
    put("0000:03:00.0", "sriov_numvfs", "2\n");
    link_at("../0000:03:10.0", "sys/devices/pci0000:00/0000:03:00.0/virtfn0");
    link_at("../0000:03:10.4", "sys/devices/pci0000:00/0000:03:00.0/virtfn1");

    /* second port of the card: same group; no readable capability list, so
     * the kernel's link files are the source */
    make_device("0000:03:00.1", "0x8086\n", "0x1521\n", "0x8086\n", "0x0001\n", "0x020000\n",
                "0\n", "igb", 12);
    put_bytes("0000:03:00.1", "config", small, sizeof(small));
    put("0000:03:00.1", "max_link_speed", "5.0 GT/s PCIe\n");
    put("0000:03:00.1", "max_link_width", "4\n");
    put("0000:03:00.1", "current_link_speed", "2.5 GT/s PCIe\n");
    put("0000:03:00.1", "current_link_width", "1\n");

    /* the VFs: config truncated at 64 bytes (an unprivileged read) with the
     * capability pointer past the end */
    small[0x06] = 0x10;
    small[0x34] = 0x70;
    make_device("0000:03:10.0", "0x8086\n", "0x1520\n", "0x8086\n", "0x0002\n", "0x020000\n",
                "0\n", "vfio-pci", 20);
    put_bytes("0000:03:10.0", "config", small, sizeof(small));
    put("0000:03:10.0", "max_link_speed", "8.0 GT/s PCIe\n");
    put("0000:03:10.0", "max_link_width", "4\n");
    put("0000:03:10.0", "current_link_speed", "Unknown\n");
    put("0000:03:10.0", "current_link_width", "0\n");
    link_at("../0000:03:00.0", "sys/devices/pci0000:00/0000:03:10.0/physfn");

    make_device("0000:03:10.4", "0x8086\n", "0x1520\n", "0x8086\n", "0x0002\n", "0x020000\n",
                "0\n", NULL, 21);
    put_bytes("0000:03:10.4", "config", small, sizeof(small));
    link_at("../0000:03:00.0", "sys/devices/pci0000:00/0000:03:10.4/physfn");

    /* a conventional PCI device: no capability list, no NUMA node */
    memset(small, 0, sizeof(small));
    make_device("0000:00:1f.3", "0x8086\n", "0x2930\n", "0x1af4\n", "0x1100\n", "0x0c0500\n",
                "-1\n", NULL, 3);
    put_bytes("0000:00:1f.3", "config", small, sizeof(small));
}

static const VkPciHostDevice *
find(GPtrArray *list, const char *name)
{
    for (guint i = 0; i < list->len; i++) {
        const VkPciHostDevice *d = g_ptr_array_index(list, i);
        if (g_str_equal(d->name, name))
            return d;
    }
    g_assert_not_reached();
}

static void
test_list_sorted(void)
{
    g_autoptr(GPtrArray) list = vk_pci_host_device_list(fake_root);
    const char *order[] = { "0000:00:1f.3", "0000:03:00.0", "0000:03:00.1", "0000:03:10.0", "0000:03:10.4" };

    g_assert_nonnull(list);
    g_assert_cmpuint(list->len, ==, G_N_ELEMENTS(order));
    for (guint i = 0; i < list->len; i++)
        g_assert_cmpstr(((VkPciHostDevice *) g_ptr_array_index(list, i))->name, ==, order[i]);
}

static void
test_physical_function(void)
{
    g_autoptr(GPtrArray) list = vk_pci_host_device_list(fake_root);
    const VkPciHostDevice *pf = find(list, "0000:03:00.0");

    g_assert_cmpuint(pf->address.bus, ==, 3);
    g_assert_cmpuint(pf->address.slot, ==, 0);
    g_assert_cmphex(pf->vendor, ==, 0x8086);
    g_assert_cmphex(pf->device, ==, 0x1521);
    g_assert_cmphex(pf->subsystem_vendor, ==, 0x8086);
    g_assert_cmphex(pf->subsystem_device, ==, 0x0001);
    g_assert_cmphex(pf->class_code, ==, 0x020000);
    g_assert_cmpstr(pf->driver, ==, "igb");
    g_assert_cmpint(pf->numa_node, ==, 0);
    g_assert_cmpint(pf->iommu_group, ==, 12);
    g_assert_cmpuint(pf->iommu_members->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(pf->iommu_members, 0), ==, "0000:03:00.0");
    g_assert_cmpstr(g_ptr_array_index(pf->iommu_members, 1), ==, "0000:03:00.1");

    g_assert_true(pf->is_physical_function);
    g_assert_cmpuint(pf->total_vfs, ==, 7);
    g_assert_cmpuint(pf->num_vfs, ==, 2);
    g_assert_cmpuint(pf->virtual_functions->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(pf->virtual_functions, 0), ==, "0000:03:10.0");
    g_assert_cmpstr(g_ptr_array_index(pf->virtual_functions, 1), ==, "0000:03:10.4");
    g_assert_null(pf->physical_function);

    /* from the config space capability */
    g_assert_true(pf->is_pcie);
    g_assert_cmpuint(pf->link_port, ==, 2);
    g_assert_cmpint(pf->link_max.speed, ==, VK_PCI_LINK_SPEED_8);
    g_assert_cmpuint(pf->link_max.width, ==, 4);
    g_assert_cmpint(pf->link_current.speed, ==, VK_PCI_LINK_SPEED_5);
    g_assert_cmpuint(pf->link_current.width, ==, 2);
    g_assert_cmpstr(vk_pci_link_speed_to_string(pf->link_max.speed), ==, "8");
}

static void
test_shared_group_sibling(void)
{
    g_autoptr(VkPciHostDevice) fn1 = vk_pci_host_device_read(fake_root, "0000:03:00.1");

    g_assert_nonnull(fn1);
    g_assert_cmpint(fn1->iommu_group, ==, 12);
    g_assert_cmpuint(fn1->iommu_members->len, ==, 2);
    g_assert_false(fn1->is_physical_function);
    g_assert_cmpuint(fn1->virtual_functions->len, ==, 0);
    /* from max_link_speed & co */
    g_assert_true(fn1->is_pcie);
    g_assert_cmpint(fn1->link_max.speed, ==, VK_PCI_LINK_SPEED_5);
    g_assert_cmpuint(fn1->link_max.width, ==, 4);
    g_assert_cmpint(fn1->link_current.speed, ==, VK_PCI_LINK_SPEED_2_5);
    g_assert_cmpuint(fn1->link_current.width, ==, 1);
    g_assert_cmpstr(vk_pci_link_speed_to_string(fn1->link_current.speed), ==, "2.5");
}

static void
test_virtual_functions(void)
{
    g_autoptr(VkPciHostDevice) vf0 = vk_pci_host_device_read(fake_root, "0000:03:10.0");
    g_autoptr(VkPciHostDevice) vf1 = vk_pci_host_device_read(fake_root, "0000:03:10.4");

    g_assert_nonnull(vf0);
    g_assert_nonnull(vf1);
    g_assert_cmphex(vf0->device, ==, 0x1520);
    g_assert_cmphex(vf0->subsystem_device, ==, 0x0002);
    g_assert_cmpstr(vf0->driver, ==, "vfio-pci");
    g_assert_null(vf1->driver);
    g_assert_cmpstr(vf0->physical_function, ==, "0000:03:00.0");
    g_assert_cmpstr(vf1->physical_function, ==, "0000:03:00.0");
    g_assert_false(vf0->is_physical_function);
    g_assert_cmpint(vf0->iommu_group, ==, 20);
    g_assert_cmpint(vf1->iommu_group, ==, 21);
    g_assert_cmpuint(vf1->iommu_members->len, ==, 1);
    g_assert_cmpuint(vf1->address.function, ==, 4);

    g_assert_true(vf0->is_pcie);
    g_assert_cmpint(vf0->link_max.speed, ==, VK_PCI_LINK_SPEED_8);
    g_assert_cmpint(vf0->link_current.speed, ==, VK_PCI_LINK_SPEED_UNKNOWN);
    g_assert_null(vk_pci_link_speed_to_string(vf0->link_current.speed));
    /* nothing readable about its link */
    g_assert_false(vf1->is_pcie);
}

static void
test_conventional(void)
{
    g_autoptr(VkPciHostDevice) dev = vk_pci_host_device_read(fake_root, "0000:00:1f.3");

    g_assert_nonnull(dev);
    g_assert_cmphex(dev->class_code, ==, 0x0c0500);
    g_assert_cmphex(dev->subsystem_vendor, ==, 0x1af4);
    g_assert_cmpint(dev->numa_node, ==, -1);
    g_assert_false(dev->is_pcie);
    g_assert_false(dev->is_physical_function);
    g_assert_null(dev->physical_function);
    g_assert_cmpint(dev->iommu_group, ==, 3);
}

static void
test_missing(void)
{
    vk_error_reset();
    g_assert_null(vk_pci_host_device_read(fake_root, "0000:09:00.0"));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_NO_NODE_DEVICE);
    g_assert_null(vk_pci_host_device_read(fake_root, "not-an-address"));
    g_assert_null(vk_pci_host_device_list("/nonexistent-virtkit-root"));
}

static void
test_config_loop_guard(void)
{
    guint8 cfg[256] = { 0 };
    unsigned int port;
    VkPciLink max, cur;

    cfg[0x06] = 0x10;
    cfg[0x34] = 0x40;
    cfg[0x40] = 0x01; cfg[0x41] = 0x40;   /* points at itself */
    g_assert_false(vk_pci_config_parse_pcie(cfg, sizeof(cfg), &port, &max, &cur));
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    build_tree();
    g_test_add_func("/pci/host-fake-sysfs/list-sorted", test_list_sorted);
    g_test_add_func("/pci/host-fake-sysfs/physical-function", test_physical_function);
    g_test_add_func("/pci/host-fake-sysfs/shared-group-sibling", test_shared_group_sibling);
    g_test_add_func("/pci/host-fake-sysfs/virtual-functions", test_virtual_functions);
    g_test_add_func("/pci/host-fake-sysfs/conventional", test_conventional);
    g_test_add_func("/pci/host-fake-sysfs/missing", test_missing);
    g_test_add_func("/pci/host-fake-sysfs/config-loop-guard", test_config_loop_guard);
    ret = g_test_run();
    fake_sysfs_remove(fake_root);
    g_free(fake_root);
    return ret;
}
