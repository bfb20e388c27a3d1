#include "common/pci/tree.h"
#include "common/util/error.h"

/* q35: virtio net (auto), e1000 the user placed at 00:05.0, sata */
static void
test_q35_tree(void)
{
    VkPciController conts[1];
    VkPciAddress addrs[3] = { { 0 }, { .slot = 5 }, { 0 } };
    VkPciDevice devs[3] = {
        { .address = &addrs[0], .flags = VK_PCI_FLAGS_PCIE, .description = "interface virtio" },
        { .address = &addrs[1], .has_address = true, .flags = VK_PCI_FLAGS_PCI,
          .description = "interface e1000" },
        { .address = &addrs[2], .flags = VK_PCI_FLAGS_PCI, .role = VK_PCI_ROLE_SATA0,
          .description = "controller sata" },
    };
    g_autoptr(GArray) added = NULL;
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(VkPciController));
    g_autofree char *tree = NULL;

    vk_pci_controller_init(&conts[0], VK_PCI_CONTROLLER_PCIE_ROOT, 0);
    g_assert_cmpint(vk_pci_assign(VK_PCI_MACHINE_Q35, conts, 1, devs, 3, &added), ==, 0);
    g_array_append_vals(all, conts, 1);
    g_array_append_vals(all, added->data, added->len);
    tree = vk_pci_tree_format((VkPciController *) all->data, all->len, devs, 3);
    g_test_message("\n%s", tree);
    g_assert_cmpstr(tree, ==,
        "bus 00 pcie-root\n"
        "├── 00:01.0 pcie-root-port index=1 chassis=1 port=0x8 [added for interface virtio] multifunction=on\n"
        "│   └── 01:00.0 interface virtio [assigned]\n"
        "├── 00:01.1 pcie-root-port index=2 chassis=2 port=0x9 [added, empty: for hotplug]\n"
        "├── 00:05.0 interface e1000 [user]\n"
        "└── 00:1f.2 controller sata [assigned]\n");
}

static void
test_unattached(void)
{
    VkPciController conts[2];
    VkPciAddress a = { .bus = 7, .slot = 1 };
    VkPciDevice dev = { .address = &a, .has_address = true, .description = "lost" };
    g_autofree char *tree = NULL;

    vk_pci_controller_init(&conts[0], VK_PCI_CONTROLLER_PCI_ROOT, 0);
    vk_pci_controller_init(&conts[1], VK_PCI_CONTROLLER_PCI_BRIDGE, 1);
    tree = vk_pci_tree_format(conts, 2, &dev, 1);
    g_assert_cmpstr(tree, ==,
        "bus 00 pci-root\n"
        "not attached\n"
        "├── pci-bridge index=1 (no address)\n"
        "└── 07:01.0 lost [user]\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/tree/q35", test_q35_tree);
    g_test_add_func("/pci/tree/unattached", test_unattached);
    return g_test_run();
}
