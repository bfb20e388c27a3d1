#include "common/pci/address-set.h"
#include "common/util/error.h"

#define ADDR(b, s, f) ((VkPciAddress) { .bus = (b), .slot = (s), .function = (f) })

static VkPciAddressSet *
q35_set(void)
{
    VkPciAddressSet *set = vk_pci_address_set_new();
    vk_pci_address_set_set_bus(set, 0, VK_PCI_CONTROLLER_PCIE_ROOT, true);
    return set;
}

static VkPciAddressSet *
pc_set(void)
{
    VkPciAddressSet *set = vk_pci_address_set_new();
    vk_pci_address_set_set_bus(set, 0, VK_PCI_CONTROLLER_PCI_ROOT, true);
    return set;
}

static void
assert_error(int code, const char *message)
{
    g_assert_cmpint(vk_error_last_code(), ==, code);
    g_assert_cmpstr(vk_error_last_message(), ==, message);
}

static void
test_reserve_release(void)
{
    g_autoptr(VkPciAddressSet) set = pc_set();
    VkPciAddress a = ADDR(0, 5, 0);
    VkPciAddress a3 = ADDR(0, 5, 3);

    g_assert_true(vk_pci_address_set_is_free(set, &a));
    g_assert_false(vk_pci_address_set_slot_in_use(set, &a));
    g_assert_cmpint(vk_pci_address_set_reserve(set, &a3, VK_PCI_FLAGS_PCI, true), ==, 0);
    g_assert_true(vk_pci_address_set_is_free(set, &a));
    g_assert_false(vk_pci_address_set_is_free(set, &a3));
    g_assert_true(vk_pci_address_set_slot_in_use(set, &a));

    g_assert_cmpint(vk_pci_address_set_reserve(set, &a3, VK_PCI_FLAGS_PCI, true), ==, -1);
    assert_error(VIR_ERR_XML_ERROR, "XML error: Attempted double use of PCI Address 0000:00:05.3");

    vk_pci_address_set_release(set, &a3);
    g_assert_true(vk_pci_address_set_is_free(set, &a3));
    g_assert_false(vk_pci_address_set_slot_in_use(set, &a));
    g_assert_cmpint(vk_pci_address_set_reserve(set, &a3, VK_PCI_FLAGS_PCI, true), ==, 0);
}

/* Errors checked against libvirtd 9.0 (virsh define of such guests). */
static void
test_validate_errors(void)
{
    g_autoptr(VkPciAddressSet) set = q35_set();
    VkPciAddress dom = { .domain = 1, .slot = 5 };
    VkPciAddress rp_slot = ADDR(1, 1, 0);
    VkPciAddress br_slot0 = ADDR(2, 0, 0);
    VkPciAddress on_bridge = ADDR(3, 3, 0);
    VkPciAddress no_bus = ADDR(9, 1, 0);

    vk_pci_address_set_set_bus(set, 1, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, true);
    vk_pci_address_set_set_bus(set, 2, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, true);
    vk_pci_address_set_set_bus(set, 3, VK_PCI_CONTROLLER_PCI_BRIDGE, true);

    g_assert_false(vk_pci_address_set_validate(set, &dom, VK_PCI_FLAGS_PCI, true));
    assert_error(VIR_ERR_XML_ERROR,
                 "XML error: Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available");

    g_assert_false(vk_pci_address_set_validate(set, &rp_slot, VK_PCI_FLAGS_PCI, true));
    assert_error(VIR_ERR_XML_ERROR, "XML error: Invalid PCI address 0000:01:01.0. slot must be <= 0");

    g_assert_false(vk_pci_address_set_validate(set, &br_slot0, VK_PCI_FLAGS_PCIE, true));
    assert_error(VIR_ERR_XML_ERROR, "XML error: Invalid PCI address 0000:02:00.0. slot must be >= 1");

    g_assert_false(vk_pci_address_set_validate(set, &on_bridge,
                                               VK_PCI_CONNECT_TYPE_PCIE_ROOT_PORT, true));
    assert_error(VIR_ERR_XML_ERROR,
                 "XML error: The device at PCI address 0000:03:03.0 cannot be plugged into the "
                 "PCI controller with index='3'. It requires a controller that accepts a pcie-root-port.");

    g_assert_false(vk_pci_address_set_validate(set, &no_bus, VK_PCI_FLAGS_PCI, true));
    assert_error(VIR_ERR_XML_ERROR,
                 "XML error: Invalid PCI address 0000:09:01.0. Only PCI buses up to 3 are available");

    /* a user may put a PCI device on pcie-root, or a PCIe device on a bridge */
    VkPciAddress on_root = ADDR(0, 5, 0);
    g_assert_true(vk_pci_address_set_validate(set, &on_root, VK_PCI_FLAGS_PCI, true));
    g_assert_true(vk_pci_address_set_validate(set, &on_bridge, VK_PCI_FLAGS_PCIE, true));
    /* but we never choose that ourselves */
    g_assert_false(vk_pci_address_set_validate(set, &on_root, VK_PCI_FLAGS_PCI, false));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
}

static void
test_next_lowest_compatible(void)
{
    g_autoptr(VkPciAddressSet) set = q35_set();
    VkPciAddress a;

    vk_pci_address_set_set_bus(set, 1, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, true);
    vk_pci_address_set_set_bus(set, 2, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, true);
    vk_pci_address_set_set_bus(set, 3, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, true);

    /* PCIe endpoints: slot 0 of each root port, never pcie-root */
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(1, 0, 0)));
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(3, 0, 0)));
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &a), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: No more available PCI slots");

    /* conventional ones: the bridge from slot 1 */
    for (unsigned int s = 1; s <= 31; s++) {
        g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, 0);
        g_assert_true(vk_pci_address_equal(&a, &ADDR(2, s, 0)));
    }
    g_assert_true(vk_pci_address_set_bus_is_full(set, 2));
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, -1);

    /* a release makes the slot usable again (the cursor goes back) */
    vk_pci_address_set_release(set, &ADDR(2, 7, 0));
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(2, 7, 0)));
}

static void
test_partly_used_slot_skipped(void)
{
    g_autoptr(VkPciAddressSet) set = pc_set();
    VkPciAddress a;

    g_assert_cmpint(vk_pci_address_set_reserve_machine(set, VK_PCI_MACHINE_PC), ==, 0);
    g_assert_false(vk_pci_address_set_is_free(set, &ADDR(0, 1, 0)));
    g_assert_false(vk_pci_address_set_is_free(set, &ADDR(0, 1, 3)));
    g_assert_true(vk_pci_address_set_is_free(set, &ADDR(0, 1, 1)));
    g_assert_cmpint(vk_pci_address_set_reserve(set, &ADDR(0, 2, 1), VK_PCI_FLAGS_PCI, true), ==, 0);
    /* a slot with any function used is not free for a new device */
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(0, 3, 0)));
}

static void
test_machine_reservations(void)
{
    g_autoptr(VkPciAddressSet) q35 = q35_set();
    VkPciAddress lpc = ADDR(0, 0x1f, 0);

    g_assert_cmpint(vk_pci_address_set_reserve_machine(q35, VK_PCI_MACHINE_Q35), ==, 0);
    g_assert_false(vk_pci_address_set_is_free(q35, &ADDR(0, 0x1f, 3)));
    g_assert_true(vk_pci_address_set_is_free(q35, &ADDR(0, 0x1f, 2)));
    g_assert_cmpint(vk_pci_address_set_reserve(q35, &lpc, VK_PCI_FLAGS_PCI, true), ==, -1);
    assert_error(VIR_ERR_XML_ERROR, "XML error: Attempted double use of PCI Address 0000:00:1f.0");
}

/* Root ports share slots: functions 0-7 of one slot before the next. */
static void
test_aggregate_root_ports(void)
{
    g_autoptr(VkPciAddressSet) set = q35_set();
    unsigned int rp = VK_PCI_CONNECT_TYPE_PCIE_ROOT_PORT | VK_PCI_CONNECT_AGGREGATE_SLOT;
    VkPciAddress a;

    g_assert_cmpint(vk_pci_address_set_reserve(set, &ADDR(0, 1, 0), VK_PCI_CONNECT_TYPE_PCIE_DEVICE, true), ==, 0);
    for (unsigned int i = 0; i < 10; i++) {
        g_assert_cmpint(vk_pci_address_set_reserve_next(set, rp, -1, &a), ==, 0);
        g_assert_true(vk_pci_address_equal(&a, &ADDR(0, 2 + i / 8, i % 8)));
    }
    /* a device that does not aggregate never joins such a slot */
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_CONNECT_TYPE_PCIE_DEVICE, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(0, 4, 0)));
}

static void
test_dry_run_grow(void)
{
    g_autoptr(VkPciAddressSet) set = q35_set();
    VkPciAddress a;
    VkPciAddress user = ADDR(1, 1, 0);

    vk_pci_address_set_set_dry_run(set, true);
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(1, 0, 0)));
    g_assert_cmpint(vk_pci_address_set_bus(set, 1)->model, ==, VK_PCI_CONTROLLER_PCIE_ROOT_PORT);

    /* a conventional device on a pure PCIe guest: root port + pcie-to-pci-bridge */
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(3, 1, 0)));
    g_assert_cmpuint(vk_pci_address_set_nbuses(set), ==, 4);
    g_assert_cmpint(vk_pci_address_set_bus(set, 2)->model, ==, VK_PCI_CONTROLLER_PCIE_ROOT_PORT);
    g_assert_cmpint(vk_pci_address_set_bus(set, 3)->model, ==, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE);
    /* that root port holds only the bridge */
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(4, 0, 0)));

    /* pc: a user address on a missing bus adds pci-bridges */
    g_autoptr(VkPciAddressSet) pc = pc_set();
    vk_pci_address_set_set_dry_run(pc, true);
    user = ADDR(2, 1, 0);
    g_assert_cmpint(vk_pci_address_set_reserve(pc, &user, VK_PCI_FLAGS_PCI, true), ==, 0);
    g_assert_cmpuint(vk_pci_address_set_nbuses(pc), ==, 3);
    g_assert_cmpint(vk_pci_address_set_bus(pc, 1)->model, ==, VK_PCI_CONTROLLER_PCI_BRIDGE);
    g_assert_cmpint(vk_pci_address_set_bus(pc, 2)->model, ==, VK_PCI_CONTROLLER_PCI_BRIDGE);

    /* a root port cannot be added for a controller that needs pcie-root */
    g_autoptr(VkPciAddressSet) q = q35_set();
    vk_pci_address_set_set_dry_run(q, true);
    VkPciAddress far = ADDR(5, 3, 0);
    g_assert_cmpint(vk_pci_address_set_reserve(q, &far, VK_PCI_CONNECT_TYPE_PCIE_ROOT_PORT, true), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR,
                 "internal error: a PCI slot is needed to connect a PCI controller "
                 "model='pcie-root-port', but none is available, and it cannot be automatically added");
}

static void
test_hotplug(void)
{
    g_autoptr(VkPciAddressSet) set = pc_set();
    VkPciAddress a;

    vk_pci_address_set_set_bus(set, 1, VK_PCI_CONTROLLER_PCI_BRIDGE, false);
    g_assert_false(vk_pci_address_set_validate(set, &ADDR(1, 1, 0),
                                               VK_PCI_FLAGS_PCI | VK_PCI_CONNECT_HOTPLUGGABLE, true));
    assert_error(VIR_ERR_XML_ERROR,
                 "XML error: The device at PCI address 0000:01:01.0 requires hotplug capability, "
                 "but the PCI controller with index='1' doesn't support hotplug");
    for (unsigned int s = 1; s <= 31; s++)
        g_assert_cmpint(vk_pci_address_set_reserve(set, &ADDR(0, s, 0), VK_PCI_FLAGS_PCI, true), ==, 0);
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI | VK_PCI_CONNECT_HOTPLUGGABLE,
                                                    -1, &a), ==, -1);
    g_assert_cmpint(vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &a), ==, 0);
    g_assert_true(vk_pci_address_equal(&a, &ADDR(1, 1, 0)));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/address-set/reserve-release", test_reserve_release);
    g_test_add_func("/pci/address-set/validate-errors", test_validate_errors);
    g_test_add_func("/pci/address-set/next-lowest-compatible", test_next_lowest_compatible);
    g_test_add_func("/pci/address-set/partly-used-slot", test_partly_used_slot_skipped);
    g_test_add_func("/pci/address-set/machine-reservations", test_machine_reservations);
    g_test_add_func("/pci/address-set/aggregate-root-ports", test_aggregate_root_ports);
    g_test_add_func("/pci/address-set/dry-run-grow", test_dry_run_grow);
    g_test_add_func("/pci/address-set/hotplug", test_hotplug);
    return g_test_run();
}
