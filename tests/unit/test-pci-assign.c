/* Address assignment scenarios.  Every expected layout below was produced by
 * the reference libvirtd 9.0 (virsh define of the same devices, then
 * dumpxml --inactive), on guests with <memballoon model='none'/> and
 * <controller type='usb' model='none'/> unless the test adds them. */
#include "common/pci/assign.h"
#include "common/util/error.h"

#define ADDR(b, s, f) ((VkPciAddress) { .bus = (b), .slot = (s), .function = (f) })

typedef struct {
    VkPciMachine machine;
    GArray *conts;            /* VkPciController */
    VkPciAddress addrs[600];
    VkPciDevice devs[600];
    size_t ndevs;
    GArray *added;
} Guest;

static Guest *
guest_new(VkPciMachine machine)
{
    Guest *g = g_new0(Guest, 1);
    VkPciController root;

    g->machine = machine;
    g->conts = g_array_new(FALSE, TRUE, sizeof(VkPciController));
    vk_pci_controller_init(&root, machine == VK_PCI_MACHINE_Q35 ? VK_PCI_CONTROLLER_PCIE_ROOT
                                                                : VK_PCI_CONTROLLER_PCI_ROOT, 0);
    g_array_append_val(g->conts, root);
    return g;
}

static void
guest_free(Guest *g)
{
    g_array_unref(g->conts);
    if (g->added)
        g_array_unref(g->added);
    g_free(g);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Guest, guest_free)

static VkPciDevice *
add_dev(Guest *g, const char *desc, unsigned int flags, VkPciDeviceRole role)
{
    size_t i = g->ndevs++;

    g->devs[i] = (VkPciDevice) { .address = &g->addrs[i], .flags = flags, .role = role,
                                 .description = desc };
    return &g->devs[i];
}

static VkPciDevice *
add_dev_at(Guest *g, const char *desc, unsigned int flags, VkPciAddress addr)
{
    VkPciDevice *d = add_dev(g, desc, flags, VK_PCI_ROLE_NONE);

    *d->address = addr;
    d->has_address = true;
    return d;
}

static VkPciController *
add_cont(Guest *g, VkPciModel model, unsigned int index)
{
    VkPciController c;

    vk_pci_controller_init(&c, model, index);
    g_array_append_val(g->conts, c);
    return &g_array_index(g->conts, VkPciController, g->conts->len - 1);
}

static int
run(Guest *g)
{
    return vk_pci_assign(g->machine, (VkPciController *) g->conts->data, g->conts->len,
                         g->devs, g->ndevs, &g->added);
}

static void
assert_addr(const VkPciAddress *a, unsigned int bus, unsigned int slot, unsigned int fn)
{
    g_autofree char *got = vk_pci_address_format(a);
    VkPciAddress want = ADDR(bus, slot, fn);
    g_autofree char *exp = vk_pci_address_format(&want);

    g_assert_cmpstr(got, ==, exp);
}

static void
assert_dev(Guest *g, size_t i, unsigned int bus, unsigned int slot, unsigned int fn,
           VkTristate multi)
{
    g_assert_true(g->devs[i].has_address);
    assert_addr(g->devs[i].address, bus, slot, fn);
    g_assert_cmpint(g->devs[i].address->multifunction, ==, multi);
}

static const VkPciController *
added(Guest *g, guint i, VkPciModel model, unsigned int index)
{
    g_assert_cmpuint(i, <, g->added->len);
    const VkPciController *c = &g_array_index(g->added, VkPciController, i);
    g_assert_cmpint(c->model, ==, model);
    g_assert_cmpuint(c->index, ==, index);
    g_assert_true(c->added);
    g_assert_true(c->has_address);
    return c;
}

static void
assert_root_port(const VkPciController *c, unsigned int slot, unsigned int fn, VkTristate multi)
{
    assert_addr(&c->address, 0, slot, fn);
    g_assert_cmpint(c->address.multifunction, ==, multi);
    g_assert_cmpint(c->chassis, ==, (int) c->index);
    g_assert_cmpint(c->port, ==, (int) (slot * 8 + fn));
}

/* virtio net, e1000, qemu-xhci, sata, virtio memballoon on q35 */
static void
test_q35_basic(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);

    add_dev(g, "interface virtio", VK_PCI_FLAGS_PCIE, 0);
    add_dev(g, "interface e1000", VK_PCI_FLAGS_PCI, 0);
    add_dev(g, "usb qemu-xhci", VK_PCI_FLAGS_PCIE, 0);
    add_dev(g, "sata", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_SATA0);
    add_dev(g, "memballoon", VK_PCI_FLAGS_PCIE, 0);
    g_assert_cmpint(run(g), ==, 0);

    g_assert_cmpuint(g->added->len, ==, 6);
    assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 1, 0, VK_TRISTATE_ON);
    assert_root_port(added(g, 1, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2), 1, 1, VK_TRISTATE_ABSENT);
    assert_addr(&added(g, 2, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 3)->address, 1, 0, 0);
    assert_root_port(added(g, 3, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 4), 1, 2, VK_TRISTATE_ABSENT);
    assert_root_port(added(g, 4, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 5), 1, 3, VK_TRISTATE_ABSENT);
    /* the spare, empty root port */
    assert_root_port(added(g, 5, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 6), 1, 4, VK_TRISTATE_ABSENT);

    assert_dev(g, 0, 2, 0, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 1, 3, 1, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 2, 4, 0, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 3, 0, 0x1f, 2, VK_TRISTATE_ABSENT);
    assert_dev(g, 4, 5, 0, 0, VK_TRISTATE_ABSENT);
    for (size_t i = 0; i < g->ndevs; i++)
        g_assert_true(g->devs[i].auto_assigned);
}

/* qxl primary + secondary, ich9 sound, virtio net, the ich9 USB2 set, i6300esb:
 * the primary video takes 00:01.0, so root ports start at 00:02.0 */
static void
test_q35_fixed_spots(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
    VkPciDevice *d;

    add_dev(g, "interface virtio", VK_PCI_FLAGS_PCIE, 0);                 /* 0 */
    add_dev(g, "sound ich9", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_ICH9_SOUND);  /* 1 */
    d = add_dev(g, "usb ich9-ehci1", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_USB_ICH9_EHCI1); /* 2 */
    d = add_dev(g, "usb ich9-uhci1", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_USB_ICH9_UHCI1); /* 3 */
    d = add_dev(g, "usb ich9-uhci2", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_USB_ICH9_UHCI2); /* 4 */
    d = add_dev(g, "usb ich9-uhci3", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_USB_ICH9_UHCI3); /* 5 */
    (void) d;
    add_dev(g, "sata", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_SATA0);                 /* 6 */
    add_dev(g, "memballoon", VK_PCI_FLAGS_PCIE, 0);                           /* 7 */
    add_dev(g, "watchdog i6300esb", VK_PCI_FLAGS_PCI, 0);                     /* 8 */
    add_dev(g, "video qxl", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_PRIMARY_VIDEO);     /* 9 */
    add_dev(g, "video qxl", VK_PCI_FLAGS_PCI, 0);                             /* 10 */
    g_assert_cmpint(run(g), ==, 0);

    g_assert_cmpuint(g->added->len, ==, 5);
    assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 2, 0, VK_TRISTATE_ON);
    assert_root_port(added(g, 1, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2), 2, 1, VK_TRISTATE_ABSENT);
    assert_root_port(added(g, 2, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 3), 2, 2, VK_TRISTATE_ABSENT);
    assert_addr(&added(g, 3, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 4)->address, 1, 0, 0);
    assert_root_port(added(g, 4, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 5), 2, 3, VK_TRISTATE_ABSENT);

    assert_dev(g, 0, 2, 0, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 1, 0, 0x1b, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 2, 0, 0x1d, 7, VK_TRISTATE_ABSENT);
    assert_dev(g, 3, 0, 0x1d, 0, VK_TRISTATE_ON);
    assert_dev(g, 4, 0, 0x1d, 1, VK_TRISTATE_ABSENT);
    assert_dev(g, 5, 0, 0x1d, 2, VK_TRISTATE_ABSENT);
    assert_dev(g, 6, 0, 0x1f, 2, VK_TRISTATE_ABSENT);
    assert_dev(g, 7, 3, 0, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 8, 4, 1, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 9, 0, 1, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 10, 4, 2, 0, VK_TRISTATE_ABSENT);
}

/* more than eight root ports: the ninth starts the next slot */
static void
test_q35_root_port_grouping(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);

    for (int i = 0; i < 10; i++)
        add_dev(g, "disk virtio", VK_PCI_FLAGS_PCIE, 0);
    g_assert_cmpint(run(g), ==, 0);
    g_assert_cmpuint(g->added->len, ==, 11);
    for (guint i = 0; i < 11; i++) {
        const VkPciController *c = added(g, i, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, i + 1);
        assert_root_port(c, 1 + i / 8, i % 8, i % 8 == 0 ? VK_TRISTATE_ON : VK_TRISTATE_ABSENT);
    }
    g_assert_cmpint(g_array_index(g->added, VkPciController, 8).port, ==, 0x10);
    for (size_t i = 0; i < 10; i++)
        assert_dev(g, i, i + 1, 0, 0, VK_TRISTATE_ABSENT);
}

/* a user-given PCI controller above index 0: no spare root port */
static void
test_q35_no_spare_with_user_controllers(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);

    add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1);
    add_dev(g, "interface virtio", VK_PCI_FLAGS_PCIE, 0);
    add_dev(g, "interface virtio", VK_PCI_FLAGS_PCIE, 0);
    g_assert_cmpint(run(g), ==, 0);

    g_assert_cmpuint(g->added->len, ==, 1);
    assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2), 1, 1, VK_TRISTATE_ABSENT);
    const VkPciController *user = &g_array_index(g->conts, VkPciController, 1);
    g_assert_false(user->added);
    assert_root_port(user, 1, 0, VK_TRISTATE_ON);
    assert_dev(g, 0, 1, 0, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 1, 2, 0, 0, VK_TRISTATE_ABSENT);
}

/* 40 conventional devices: the pcie-to-pci-bridge fills, a pci-bridge follows */
static void
test_q35_bridge_overflow(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);

    for (int i = 0; i < 40; i++)
        add_dev(g, "interface e1000", VK_PCI_FLAGS_PCI, 0);
    g_assert_cmpint(run(g), ==, 0);
    g_assert_cmpuint(g->added->len, ==, 4);
    assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 1, 0, VK_TRISTATE_ON);
    assert_addr(&added(g, 1, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 2)->address, 1, 0, 0);
    const VkPciController *br = added(g, 2, VK_PCI_CONTROLLER_PCI_BRIDGE, 3);
    assert_addr(&br->address, 2, 1, 0);
    g_assert_cmpint(br->chassis_nr, ==, 3);
    assert_root_port(added(g, 3, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 4), 1, 1, VK_TRISTATE_ABSENT);
    for (size_t i = 0; i < 30; i++)
        assert_dev(g, i, 2, 2 + i, 0, VK_TRISTATE_ABSENT);
    for (size_t i = 30; i < 40; i++)
        assert_dev(g, i, 3, 1 + i - 30, 0, VK_TRISTATE_ABSENT);
}

/* pc: 30 free slots on bus 0 (no video); 29 devices fit, the 30th adds a
 * pci-bridge because the dry run keeps one slot spare */
static void
test_pc_overflow(void)
{
    for (int n = 29; n <= 30; n++) {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);

        for (int i = 0; i < n; i++)
            add_dev(g, "interface e1000", VK_PCI_FLAGS_PCI, 0);
        g_assert_cmpint(run(g), ==, 0);
        if (n == 29) {
            g_assert_cmpuint(g->added->len, ==, 0);
            for (int i = 0; i < n; i++)
                assert_dev(g, i, 0, 2 + i, 0, VK_TRISTATE_ABSENT);
            continue;
        }
        g_assert_cmpuint(g->added->len, ==, 1);
        const VkPciController *br = added(g, 0, VK_PCI_CONTROLLER_PCI_BRIDGE, 1);
        assert_addr(&br->address, 0, 2, 0);
        g_assert_cmpint(br->chassis_nr, ==, 1);
        for (int i = 0; i < 29; i++)
            assert_dev(g, i, 0, 3 + i, 0, VK_TRISTATE_ABSENT);
        assert_dev(g, 29, 1, 1, 0, VK_TRISTATE_ABSENT);
    }
}

/* pc, 100 devices: three bridges on bus 0, then each bridge filled in turn */
static void
test_pc_many_bridges(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);
    size_t i = 0;

    for (int n = 0; n < 100; n++)
        add_dev(g, "interface e1000", VK_PCI_FLAGS_PCI, 0);
    g_assert_cmpint(run(g), ==, 0);
    g_assert_cmpuint(g->added->len, ==, 3);
    for (guint b = 0; b < 3; b++)
        assert_addr(&added(g, b, VK_PCI_CONTROLLER_PCI_BRIDGE, b + 1)->address, 0, 2 + b, 0);
    for (unsigned int s = 5; s <= 31; s++)
        assert_dev(g, i++, 0, s, 0, VK_TRISTATE_ABSENT);
    for (unsigned int b = 1; b <= 3; b++)
        for (unsigned int s = 1; s <= 31 && i < 100; s++)
            assert_dev(g, i++, b, s, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 99, 3, 11, 0, VK_TRISTATE_ABSENT);
}

/* pc fixed spots: PIIX3 USB at 01.2, IDE at 01.1, the primary video at 02.0 */
static void
test_pc_fixed_spots(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);

    add_dev(g, "interface e1000", VK_PCI_FLAGS_PCI, 0);
    add_dev(g, "usb piix3-uhci", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_PIIX3_USB0);
    add_dev(g, "ide", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_IDE0);
    add_dev(g, "memballoon", VK_PCI_FLAGS_PCI, 0);
    add_dev(g, "video cirrus", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_PRIMARY_VIDEO);
    g_assert_cmpint(run(g), ==, 0);
    g_assert_cmpuint(g->added->len, ==, 0);
    assert_dev(g, 0, 0, 3, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 1, 0, 1, 2, VK_TRISTATE_ABSENT);
    assert_dev(g, 2, 0, 1, 1, VK_TRISTATE_ABSENT);
    assert_dev(g, 3, 0, 4, 0, VK_TRISTATE_ABSENT);
    assert_dev(g, 4, 0, 2, 0, VK_TRISTATE_ABSENT);

    /* a PIIX3 USB elsewhere is refused */
    g_autoptr(Guest) bad = guest_new(VK_PCI_MACHINE_PC);
    VkPciDevice *usb = add_dev(bad, "usb piix3-uhci", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_PIIX3_USB0);
    *usb->address = ADDR(0, 5, 0);
    usb->has_address = true;
    g_assert_cmpint(run(bad), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: PIIX3 USB controller at index 0 must have PCI address 0:0:1.2");
}

/* user addresses are kept; function 0 of a shared slot gets multifunction on
 * unless it says off; a lone function 0 keeps its on; 07.1 alone is fine */
static void
test_multifunction(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);
    VkPciDevice *d;

    add_dev_at(g, "a", VK_PCI_FLAGS_PCI, ADDR(0, 5, 0));
    add_dev_at(g, "b", VK_PCI_FLAGS_PCI, ADDR(0, 5, 1));
    d = add_dev_at(g, "c", VK_PCI_FLAGS_PCI, ADDR(0, 6, 0));
    d->address->multifunction = VK_TRISTATE_OFF;
    add_dev_at(g, "d", VK_PCI_FLAGS_PCI, ADDR(0, 6, 2));
    add_dev_at(g, "e", VK_PCI_FLAGS_PCI, ADDR(0, 7, 1));
    d = add_dev_at(g, "f", VK_PCI_FLAGS_PCI, ADDR(0, 8, 0));
    d->address->multifunction = VK_TRISTATE_ON;
    add_dev(g, "auto", VK_PCI_FLAGS_PCI, 0);
    g_assert_cmpint(run(g), ==, 0);

    assert_dev(g, 0, 0, 5, 0, VK_TRISTATE_ON);
    assert_dev(g, 1, 0, 5, 1, VK_TRISTATE_ABSENT);
    assert_dev(g, 2, 0, 6, 0, VK_TRISTATE_OFF);
    assert_dev(g, 3, 0, 6, 2, VK_TRISTATE_ABSENT);
    assert_dev(g, 4, 0, 7, 1, VK_TRISTATE_ABSENT);
    assert_dev(g, 5, 0, 8, 0, VK_TRISTATE_ON);
    /* the partly used slots 05-08 are not free for an automatic address */
    assert_dev(g, 6, 0, 2, 0, VK_TRISTATE_ABSENT);
    g_assert_false(g->devs[0].auto_assigned);
    g_assert_true(g->devs[6].auto_assigned);
}

/* <address type='pci'/> or all-zero bus and slot (whatever the function)
 * means "assign one" */
static void
test_empty_address_assigns(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);

    add_dev_at(g, "zero", VK_PCI_FLAGS_PCI, ADDR(0, 0, 1));
    g_assert_cmpint(run(g), ==, 0);
    assert_dev(g, 0, 0, 2, 0, VK_TRISTATE_ABSENT);
    g_assert_true(g->devs[0].auto_assigned);
}

/* A device on a bus no controller has: libvirt adds what it needs. */
static void
test_missing_bus(void)
{
    /* q35, conventional device on bus 3: root port -> pcie-to-pci-bridge ->
     * pci-bridge, plus the spare root port */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, ADDR(3, 1, 0));
        g_assert_cmpint(run(g), ==, 0);
        g_assert_cmpuint(g->added->len, ==, 4);
        assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 1, 0, VK_TRISTATE_ON);
        assert_addr(&added(g, 1, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 2)->address, 1, 0, 0);
        assert_addr(&added(g, 2, VK_PCI_CONTROLLER_PCI_BRIDGE, 3)->address, 2, 1, 0);
        assert_root_port(added(g, 3, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 4), 1, 1, VK_TRISTATE_ABSENT);
        assert_dev(g, 0, 3, 1, 0, VK_TRISTATE_ABSENT);
    }
    /* q35, conventional device on bus 1: it moves behind the bridge (bus 2) */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, ADDR(1, 1, 0));
        g_assert_cmpint(run(g), ==, 0);
        g_assert_cmpuint(g->added->len, ==, 3);
        assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 1, 0, VK_TRISTATE_ON);
        assert_addr(&added(g, 1, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 2)->address, 1, 0, 0);
        assert_root_port(added(g, 2, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 3), 1, 1, VK_TRISTATE_ABSENT);
        assert_dev(g, 0, 2, 1, 0, VK_TRISTATE_ABSENT);
    }
    /* q35, PCIe device on bus 2: two root ports, the empty one is the spare */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_dev_at(g, "virtio", VK_PCI_FLAGS_PCIE, ADDR(2, 0, 0));
        g_assert_cmpint(run(g), ==, 0);
        g_assert_cmpuint(g->added->len, ==, 2);
        assert_root_port(added(g, 0, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1), 1, 0, VK_TRISTATE_ON);
        assert_root_port(added(g, 1, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2), 1, 1, VK_TRISTATE_ABSENT);
        assert_dev(g, 0, 2, 0, 0, VK_TRISTATE_ABSENT);
    }
    /* pc, device on bus 2: two pci-bridges on bus 0 */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, ADDR(2, 1, 0));
        g_assert_cmpint(run(g), ==, 0);
        g_assert_cmpuint(g->added->len, ==, 2);
        const VkPciController *b1 = added(g, 0, VK_PCI_CONTROLLER_PCI_BRIDGE, 1);
        const VkPciController *b2 = added(g, 1, VK_PCI_CONTROLLER_PCI_BRIDGE, 2);
        assert_addr(&b1->address, 0, 2, 0);
        assert_addr(&b2->address, 0, 3, 0);
        g_assert_cmpint(b1->chassis_nr, ==, 1);
        g_assert_cmpint(b2->chassis_nr, ==, 2);
        assert_dev(g, 0, 2, 1, 0, VK_TRISTATE_ABSENT);
    }
}

static void
expect_failure(Guest *g, int code, const char *message)
{
    vk_error_reset();
    g_assert_cmpint(run(g), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, code);
    g_assert_cmpstr(vk_error_last_message(), ==, message);
}

/* The errors of notes item 14, as libvirtd 9.0 words them */
static void
test_errors(void)
{
    struct {
        VkPciMachine machine;
        VkPciAddress addr;
        const char *message;
    } cases[] = {
        { VK_PCI_MACHINE_PC, { .slot = 0x20 }, "XML error: Invalid PCI address slot='0x20', must be <= 0x1F" },
        { VK_PCI_MACHINE_PC, { .slot = 5, .function = 8 }, "XML error: Invalid PCI address function=0x8, must be <= 7" },
        { VK_PCI_MACHINE_PC, { .bus = 0x100, .slot = 5 }, "XML error: Invalid PCI address bus='0x100', must be <= 0xFF" },
        { VK_PCI_MACHINE_PC, { .domain = 1, .slot = 5 }, "XML error: Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available" },
        { VK_PCI_MACHINE_PC, { .slot = 1, .function = 0 }, "XML error: Attempted double use of PCI Address 0000:00:01.0" },
        { VK_PCI_MACHINE_PC, { .slot = 1, .function = 3 }, "XML error: Attempted double use of PCI Address 0000:00:01.3" },
        { VK_PCI_MACHINE_Q35, { .slot = 0x1f, .function = 0 }, "XML error: Attempted double use of PCI Address 0000:00:1f.0" },
        { VK_PCI_MACHINE_Q35, { .slot = 0x1f, .function = 3 }, "XML error: Attempted double use of PCI Address 0000:00:1f.3" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(Guest) g = guest_new(cases[i].machine);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, cases[i].addr);
        expect_failure(g, VIR_ERR_XML_ERROR, cases[i].message);
    }

    /* two devices on one address */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);
        add_dev_at(g, "a", VK_PCI_FLAGS_PCI, ADDR(0, 5, 0));
        add_dev_at(g, "b", VK_PCI_FLAGS_PCI, ADDR(0, 5, 0));
        expect_failure(g, VIR_ERR_XML_ERROR, "XML error: Attempted double use of PCI Address 0000:00:05.0");
    }
    /* q35 sata 00:1f.2 is always there */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_dev(g, "sata", VK_PCI_FLAGS_PCI, VK_PCI_ROLE_SATA0);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, ADDR(0, 0x1f, 2));
        expect_failure(g, VIR_ERR_XML_ERROR, "XML error: Attempted double use of PCI Address 0000:00:1f.2");
    }
    /* wrong slot for the bus kind */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1);
        add_dev_at(g, "e1000", VK_PCI_FLAGS_PCI, ADDR(1, 1, 0));
        expect_failure(g, VIR_ERR_XML_ERROR, "XML error: Invalid PCI address 0000:01:01.0. slot must be <= 0");
    }
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1);
        add_cont(g, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, 2);
        add_dev_at(g, "virtio", VK_PCI_FLAGS_PCIE, ADDR(2, 0, 0));
        expect_failure(g, VIR_ERR_XML_ERROR, "XML error: Invalid PCI address 0000:02:00.0. slot must be >= 1");
    }
    /* wrong bus type */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_cont(g, VK_PCI_CONTROLLER_PCI_BRIDGE, 1);
        VkPciController *rp = add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2);
        rp->address = ADDR(1, 3, 0);
        rp->has_address = true;
        expect_failure(g, VIR_ERR_XML_ERROR,
                       "XML error: The device at PCI address 0000:01:03.0 cannot be plugged into the "
                       "PCI controller with index='1'. It requires a controller that accepts a pcie-root-port.");
    }
    /* a bus that cannot be added for a controller */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        VkPciController *rp = add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 2);
        rp->address = ADDR(5, 3, 0);
        rp->has_address = true;
        expect_failure(g, VIR_ERR_INTERNAL_ERROR,
                       "internal error: a PCI slot is needed to connect a PCI controller "
                       "model='pcie-root-port', but none is available, and it cannot be automatically added");
    }
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_PC);
        add_cont(g, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, 1);
        expect_failure(g, VIR_ERR_INTERNAL_ERROR,
                       "internal error: a PCI slot is needed to connect a PCI controller "
                       "model='pcie-root-port', but none is available, and it cannot be automatically added");
    }
    /* a pci-bridge plugged into itself */
    {
        g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
        add_cont(g, VK_PCI_CONTROLLER_PCI_BRIDGE, 1);
        add_dev_at(g, "virtio", VK_PCI_FLAGS_PCIE, ADDR(1, 1, 0));
        expect_failure(g, VIR_ERR_CONFIG_UNSUPPORTED,
                       "unsupported configuration: PCI controller at index 1 (0x01) has bus='0x01', "
                       "but index must be larger than bus");
    }
}

/* user gave a dmi-to-pci-bridge: it goes to 00:1e.0 and conventional devices
 * behind it get a pci-bridge (no auto-assignment on the dmi bus itself) */
static void
test_q35_dmi_bridge(void)
{
    g_autoptr(Guest) g = guest_new(VK_PCI_MACHINE_Q35);
    VkPciController *dmi = add_cont(g, VK_PCI_CONTROLLER_DMI_TO_PCI_BRIDGE, 1);

    add_dev(g, "e1000", VK_PCI_FLAGS_PCI, 0);
    g_assert_cmpint(run(g), ==, 0);
    dmi = &g_array_index(g->conts, VkPciController, 1);
    assert_addr(&dmi->address, 0, 0x1e, 0);
    g_assert_cmpuint(g->added->len, ==, 1);
    const VkPciController *br = added(g, 0, VK_PCI_CONTROLLER_PCI_BRIDGE, 2);
    assert_addr(&br->address, 1, 0, 0);
    assert_dev(g, 0, 2, 1, 0, VK_TRISTATE_ABSENT);
}

/* 500 devices: assignment must stay linear (a quadratic one takes seconds) */
static void
test_scale(void)
{
    /* pc and q35 with conventional devices, q35 with as many PCIe devices as
     * root ports fit on pcie-root */
    for (int m = 0; m < 3; m++) {
        g_autoptr(Guest) g = guest_new(m ? VK_PCI_MACHINE_Q35 : VK_PCI_MACHINE_PC);
        int n = m == 2 ? 230 : 500;
        g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        gint64 start;

        for (int i = 0; i < n; i++)
            add_dev(g, "e1000", m == 2 ? VK_PCI_FLAGS_PCIE : VK_PCI_FLAGS_PCI, 0);
        start = g_get_monotonic_time();
        g_assert_cmpint(run(g), ==, 0);
        g_test_message("%s: %d devices in %" G_GINT64_FORMAT " us, %u controllers added",
                       m ? "q35" : "pc", n, g_get_monotonic_time() - start, g->added->len);
        for (int i = 0; i < n; i++)
            g_assert_true(g_hash_table_add(seen, vk_pci_address_format(g->devs[i].address)));
        for (guint i = 0; i < g->added->len; i++)
            g_assert_true(g_hash_table_add(seen, vk_pci_address_format(
                &g_array_index(g->added, VkPciController, i).address)));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/assign/q35-basic", test_q35_basic);
    g_test_add_func("/pci/assign/q35-fixed-spots", test_q35_fixed_spots);
    g_test_add_func("/pci/assign/q35-root-port-grouping", test_q35_root_port_grouping);
    g_test_add_func("/pci/assign/q35-no-spare-with-user-controllers", test_q35_no_spare_with_user_controllers);
    g_test_add_func("/pci/assign/q35-bridge-overflow", test_q35_bridge_overflow);
    g_test_add_func("/pci/assign/q35-dmi-bridge", test_q35_dmi_bridge);
    g_test_add_func("/pci/assign/pc-overflow", test_pc_overflow);
    g_test_add_func("/pci/assign/pc-many-bridges", test_pc_many_bridges);
    g_test_add_func("/pci/assign/pc-fixed-spots", test_pc_fixed_spots);
    g_test_add_func("/pci/assign/multifunction", test_multifunction);
    g_test_add_func("/pci/assign/empty-address", test_empty_address_assigns);
    g_test_add_func("/pci/assign/missing-bus", test_missing_bus);
    g_test_add_func("/pci/assign/errors", test_errors);
    g_test_add_func("/pci/assign/scale", test_scale);
    return g_test_run();
}
