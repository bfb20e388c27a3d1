/* The host PCI tree (virtkit pci-tree --host) drawn from a FAKE sysfs tree
 * this test builds in a temporary directory: a host bridge, a PCIe root
 * port with a device behind it (nested in the port's directory, as the
 * kernel shows it), and a device with a driver and an IOMMU group. */
#include <glib/gstdio.h>

#include "common/pci/host-tree.h"
#include "common/util/error.h"
#include "fake-sysfs.h"

#define DEVICES "sys/devices/pci0000:00"

/* Move device NAME, made flat by fake_sysfs_device (no driver, no group),
 * behind the bridge BRIDGE. */
static void
put_behind(const char *root, const char *bridge, const char *name)
{
    g_autofree char *from = g_build_filename(root, DEVICES, name, NULL);
    g_autofree char *to = g_build_filename(root, DEVICES, bridge, name, NULL);
    g_autofree char *link = g_build_filename(root, "sys/bus/pci/devices", name, NULL);
    g_autofree char *target = g_strdup_printf("../../../devices/pci0000:00/%s/%s", bridge, name);
    g_autofree char *rel = g_strdup_printf("sys/bus/pci/devices/%s", name);

    g_assert_cmpint(g_rename(from, to), ==, 0);
    g_assert_cmpint(g_unlink(link), ==, 0);
    fake_sysfs_link(root, target, rel);
}

static void
test_bridge_and_devices(void)
{
    g_autofree char *root = fake_sysfs_new();
    g_autofree char *tree = NULL;

    fake_sysfs_device(root, "0000:00:00.0", "0x8086", "0x29c0", "0x1af4", "0x1100",
                      "0x060000", "-1", NULL, -1);
    fake_sysfs_device(root, "0000:00:1c.0", "0x8086", "0x2940", "0x1af4", "0x1100",
                      "0x060400", "-1", NULL, -1);
    fake_sysfs_device(root, "0000:01:00.0", "0x1af4", "0x1041", "0x1af4", "0x1100",
                      "0x020000", "-1", NULL, -1);
    fake_sysfs_device(root, "0000:00:1f.0", "0x8086", "0x2918", "0x1af4", "0x1100",
                      "0x060100", "-1", "lpc_ich", 4);
    put_behind(root, "0000:00:1c.0", "0000:01:00.0");

    tree = vk_pci_host_tree_format(root, "");
    g_assert_cmpstr(tree, ==,
                    "bus 0000:00\n"
                    "├── 00:00.0 [8086:29c0] driver=none\n"
                    "├── 00:1c.0 [8086:2940] driver=none\n"
                    "│   └── 01:00.0 [1af4:1041] driver=none\n"
                    "└── 00:1f.0 [8086:2918] driver=lpc_ich iommu-group=4\n");
    fake_sysfs_remove(root);
}

static void
test_no_sysfs(void)
{
    g_autofree char *root = fake_sysfs_new();
    g_autofree char *tree = vk_pci_host_tree_format(root, "");

    g_assert_null(tree);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    vk_error_reset();
    fake_sysfs_remove(root);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/host-tree-fake-sysfs/bridge-and-devices", test_bridge_and_devices);
    g_test_add_func("/pci/host-tree-fake-sysfs/no-sysfs", test_no_sysfs);
    return g_test_run();
}
