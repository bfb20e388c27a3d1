#include "common/pci/assign.h"

#include "common/util/error.h"

typedef struct {
    VkPciMachine machine;
    GPtrArray *conts;      /* VkPciController *: the caller's order, then the added ones */
    VkPciController *by_index[VK_PCI_MAX_BUS + 1];
    GPtrArray *added;      /* owned VkPciController * made by the dry run */
    VkPciDevice *devices;
    size_t ndevices;
    int max_idx;           /* highest PCI controller index the user gave */
} Ctx;

void
vk_pci_controller_init(VkPciController *cont, VkPciModel model,
                       unsigned int index)
{
    *cont = (VkPciController) {
        .model = model, .index = index,
        .chassis = -1, .port = -1, .chassis_nr = -1, .bus_nr = -1,
    };
}

static bool
is_root(VkPciModel model)
{
    return model == VK_PCI_CONTROLLER_PCI_ROOT || model == VK_PCI_CONTROLLER_PCIE_ROOT;
}

static VkPciController *
find_controller(Ctx *ctx, unsigned int index)
{
    return index <= VK_PCI_MAX_BUS ? ctx->by_index[index] : NULL;
}

static unsigned int
controller_flags(const VkPciController *c)
{
    return vk_pci_model_info(c->model)->plugs_as;
}

static VkPciModel
default_bus_model(VkPciMachine machine)
{
    return machine == VK_PCI_MACHINE_Q35 ? VK_PCI_CONTROLLER_PCIE_ROOT_PORT : VK_PCI_CONTROLLER_PCI_BRIDGE;
}

static bool
is_piix3_fixed(Ctx *ctx, const VkPciDevice *dev)
{
    const VkPciAddress *a = dev->address;

    /* pc's IDE and USB at index 0 live inside the PIIX3; they are reserved
     * by the chipset step, not collected */
    return ctx->machine == VK_PCI_MACHINE_PC && a->domain == 0 && a->bus == 0 &&
           a->slot == 1 &&
           ((dev->role == VK_PCI_ROLE_IDE0 && a->function == 1) ||
            (dev->role == VK_PCI_ROLE_PIIX3_USB0 && a->function == 2));
}

/* A set with the buses of all known controllers and the addresses the
 * definition already has. */
static VkPciAddressSet *
make_set(Ctx *ctx, unsigned int nbuses, bool dry_run)
{
    g_autoptr(VkPciAddressSet) set = vk_pci_address_set_new();

    vk_pci_address_set_set_dry_run(set, dry_run);
    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);
        vk_pci_address_set_set_bus(set, c->index, c->model, c->hotplug != VK_TRISTATE_OFF);
    }
    if (nbuses > 0 && (vk_pci_address_set_nbuses(set) == 0 ||
                       vk_pci_address_set_bus(set, 0)->model == VK_PCI_CONTROLLER_NONE))
        vk_pci_address_set_set_bus(set, 0, ctx->machine == VK_PCI_MACHINE_Q35 ?
                                   VK_PCI_CONTROLLER_PCIE_ROOT : VK_PCI_CONTROLLER_PCI_ROOT, true);
    /* holes in the controller indexes get the machine's usual controller */
    for (unsigned int i = 1; i < MAX(nbuses, vk_pci_address_set_nbuses(set)); i++) {
        if (i >= vk_pci_address_set_nbuses(set) ||
            vk_pci_address_set_bus(set, i)->model == VK_PCI_CONTROLLER_NONE)
            vk_pci_address_set_set_bus(set, i, default_bus_model(ctx->machine), true);
    }

    /* the dry run may move a given address onto a bus it adds (see grow in
     * address-set.c), and the first reservation in a slot decides whether
     * root ports may join it, so the order of these reservations shows */
    unsigned int max_rank = 0;
    for (size_t i = 0; i < ctx->ndevices; i++)
        max_rank = MAX(max_rank, ctx->devices[i].reserve_rank);
    for (guint i = 0; i < ctx->conts->len; i++)
        max_rank = MAX(max_rank, ((VkPciController *) g_ptr_array_index(ctx->conts, i))->reserve_rank);
    for (unsigned int rank = 0; rank <= max_rank; rank++) {
        for (size_t i = 0; i < ctx->ndevices; i++) {
            VkPciDevice *dev = &ctx->devices[i];

            if (dev->reserve_rank != rank || !dev->has_address || is_piix3_fixed(ctx, dev))
                continue;
            if (vk_pci_address_set_reserve(set, dev->address, dev->flags ? dev->flags :
                                           VK_PCI_CONNECT_TYPE_PCI_DEVICE, true) < 0)
                return NULL;
        }
        for (guint i = 0; i < ctx->conts->len; i++) {
            VkPciController *c = g_ptr_array_index(ctx->conts, i);

            if (c->reserve_rank != rank || !c->has_address || is_root(c->model))
                continue;
            if (vk_pci_address_set_reserve(set, &c->address, controller_flags(c), true) < 0)
                return NULL;
        }
    }
    return g_steal_pointer(&set);
}

static void
set_device_address(VkPciDevice *dev, const VkPciAddress *addr)
{
    VkTristate multi = dev->address->multifunction;

    *dev->address = *addr;
    if (addr->multifunction == VK_TRISTATE_ABSENT)
        dev->address->multifunction = multi;
    dev->has_address = true;
}

/* Put an address-less DEV at FIXED when that slot is free, else anywhere. */
static int
place_preferred(VkPciAddressSet *set, bool dry_run, VkPciDevice *dev,
                unsigned int fixed_slot, unsigned int check_flags)
{
    VkPciAddress tmp = { .slot = fixed_slot };
    VkPciAddress next;

    if (!vk_pci_address_set_validate(set, &tmp, check_flags, true))
        return -1;
    if (vk_pci_address_set_slot_in_use(set, &tmp)) {
        if (vk_pci_address_set_reserve_next(set, dev->flags, -1, &next) < 0)
            return -1;
        if (!dry_run)
            set_device_address(dev, &next);
        return 0;
    }
    if (vk_pci_address_set_reserve(set, &tmp, check_flags, true) < 0)
        return -1;
    set_device_address(dev, &tmp);
    return 0;
}

static int
fixed_device(VkPciAddressSet *set, VkPciDevice *dev, unsigned int slot,
             unsigned int function, const char *error_text)
{
    VkPciAddress want = { .slot = slot, .function = function };

    if (dev->has_address) {
        if (!vk_pci_address_equal(dev->address, &want)) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s", error_text);
            return -1;
        }
    } else {
        set_device_address(dev, &want);
    }
    return vk_pci_address_set_reserve(set, dev->address, VK_PCI_FLAGS_PCI, true);
}

static int
chipset_pc(Ctx *ctx, VkPciAddressSet *set, bool dry_run)
{
    VkPciDevice *video = NULL;

    for (size_t i = 0; i < ctx->ndevices; i++) {
        VkPciDevice *dev = &ctx->devices[i];

        if (dev->role == VK_PCI_ROLE_IDE0 &&
            fixed_device(set, dev, 1, 1, "Primary IDE controller must have PCI address 0:0:1.1") < 0)
            return -1;
        if (dev->role == VK_PCI_ROLE_PIIX3_USB0 &&
            fixed_device(set, dev, 1, 2, "PIIX3 USB controller at index 0 must have PCI address 0:0:1.2") < 0)
            return -1;
        if (dev->role == VK_PCI_ROLE_PRIMARY_VIDEO && !video)
            video = dev;
    }
    if (vk_pci_address_set_reserve_machine(set, VK_PCI_MACHINE_PC) < 0)
        return -1;
    /* QEMU puts the first VGA right after the PIIX3 */
    if (video && !video->has_address)
        return place_preferred(set, dry_run, video, 2, VK_PCI_FLAGS_PCI);
    return 0;
}

static int
chipset_q35(Ctx *ctx, VkPciAddressSet *set, bool dry_run)
{
    const unsigned int flags = VK_PCI_CONNECT_TYPE_PCIE_DEVICE;
    VkPciDevice *video = NULL;

    for (size_t i = 0; i < ctx->ndevices; i++) {
        VkPciDevice *dev = &ctx->devices[i];

        if (dev->role == VK_PCI_ROLE_SATA0) {
            VkPciAddress sata = { .slot = 0x1f, .function = 2 };
            if (dev->has_address && !vk_pci_address_equal(dev->address, &sata)) {
                vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                                "Primary SATA controller must have PCI address 0:0:1f.2");
                return -1;
            }
            /* reserved when the next pass collects it, as libvirt does */
            if (!dev->has_address)
                set_device_address(dev, &sata);
        } else if (dev->role == VK_PCI_ROLE_USB_ICH9_UHCI1 && !dev->has_address) {
            /* where real ICH9 hardware has its USB2 functions */
            static const unsigned int slots[] = { 0x1d, 0x1a };
            for (gsize s = 0; s < G_N_ELEMENTS(slots); s++) {
                VkPciAddress a = { .slot = slots[s] };
                if (vk_pci_address_set_slot_in_use(set, &a))
                    continue;
                if (vk_pci_address_set_reserve(set, &a, flags, true) < 0)
                    return -1;
                a.multifunction = VK_TRISTATE_ON;
                *dev->address = a;
                dev->has_address = true;
                break;
            }
        } else if (dev->role == VK_PCI_ROLE_PRIMARY_VIDEO && !video) {
            video = dev;
        }
    }
    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);
        VkPciAddress a = { .slot = 0x1e };

        if (c->model != VK_PCI_CONTROLLER_DMI_TO_PCI_BRIDGE || c->has_address ||
            vk_pci_address_set_slot_in_use(set, &a))
            continue;
        if (vk_pci_address_set_reserve(set, &a, flags, true) < 0)
            return -1;
        c->address = a;
        c->has_address = true;
    }
    if (vk_pci_address_set_reserve_machine(set, VK_PCI_MACHINE_Q35) < 0)
        return -1;
    if (video && !video->has_address &&
        place_preferred(set, dry_run, video, 1, flags) < 0)
        return -1;

    VkPciAddress hda = { .slot = 0x1b };
    if (!vk_pci_address_set_slot_in_use(set, &hda)) {
        for (size_t i = 0; i < ctx->ndevices; i++) {
            VkPciDevice *dev = &ctx->devices[i];
            if (dev->role != VK_PCI_ROLE_ICH9_SOUND || dev->has_address)
                continue;
            if (vk_pci_address_set_reserve(set, &hda, flags, true) < 0)
                return -1;
            set_device_address(dev, &hda);
            break;
        }
    }
    return 0;
}

static bool
is_usb2_companion(VkPciDeviceRole role)
{
    return role >= VK_PCI_ROLE_USB_ICH9_EHCI1 && role <= VK_PCI_ROLE_USB_ICH9_UHCI3;
}

/* One part of a USB2 companion set: next to a part that has its slot already,
 * or the first part of a new slot. */
static int
place_companion(Ctx *ctx, VkPciAddressSet *set, bool dry_run, VkPciDevice *dev)
{
    VkPciAddress addr = { 0 };
    bool found = false;

    for (size_t j = 0; j < ctx->ndevices; j++) {
        VkPciDevice *other = &ctx->devices[j];
        if (is_usb2_companion(other->role) && other->role_index == dev->role_index &&
            other->has_address) {
            addr = *other->address;
            found = true;
            break;
        }
    }
    switch (dev->role) {
    case VK_PCI_ROLE_USB_ICH9_EHCI1: addr.function = 7; addr.multifunction = VK_TRISTATE_ABSENT; break;
    case VK_PCI_ROLE_USB_ICH9_UHCI1: addr.function = 0; addr.multifunction = VK_TRISTATE_ON; break;
    case VK_PCI_ROLE_USB_ICH9_UHCI2: addr.function = 1; addr.multifunction = VK_TRISTATE_ABSENT; break;
    default: addr.function = 2; addr.multifunction = VK_TRISTATE_ABSENT; break;
    }

    if (found) {
        if (vk_pci_address_set_reserve(set, &addr, dev->flags, true) < 0)
            return -1;
        *dev->address = addr;
        dev->has_address = true;
        return 0;
    }
    VkTristate multi = addr.multifunction;
    if (vk_pci_address_set_reserve_next(set, dev->flags, (int) addr.function, &addr) < 0)
        return -1;
    if (!dry_run) {
        addr.multifunction = multi;
        *dev->address = addr;
        dev->has_address = true;
    }
    return 0;
}

/* One pass over everything: libvirt runs it twice (dry, then real). */
static int
run_pass(Ctx *ctx, VkPciAddressSet *set, bool dry_run)
{
    VkPciAddress next;

    if (ctx->machine == VK_PCI_MACHINE_Q35 ? chipset_q35(ctx, set, dry_run) < 0
                                           : chipset_pc(ctx, set, dry_run) < 0)
        return -1;

    if (dry_run && ctx->machine == VK_PCI_MACHINE_PC) {
        /* keep one slot for a future pci-bridge: this may push the last
         * device onto a new bridge now rather than leave no room for one */
        bool all_full = true;
        for (unsigned int i = 0; i < vk_pci_address_set_nbuses(set) && all_full; i++)
            all_full = vk_pci_address_set_bus_is_full(set, i);
        if (!all_full && vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCI, -1, &next) < 0)
            return -1;
    }

    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);

        if (is_root(c->model) || c->has_address)
            continue;
        if (vk_pci_address_set_reserve_next(set, controller_flags(c), -1, &next) < 0)
            return -1;
        if (!dry_run) {
            c->address = next;
            c->has_address = true;
        }
    }

    for (size_t i = 0; i < ctx->ndevices; i++) {
        VkPciDevice *dev = &ctx->devices[i];

        if (dev->has_address || !dev->flags)
            continue;
        if (is_usb2_companion(dev->role)) {
            if (place_companion(ctx, set, dry_run, dev) < 0)
                return -1;
            continue;
        }
        if (vk_pci_address_set_reserve_next(set, dev->flags, -1, &next) < 0)
            return -1;
        if (!dry_run)
            set_device_address(dev, &next);
    }
    return 0;
}

/* The dry run's result: controllers for every bus it had to add. */
static int
add_controllers(Ctx *ctx, VkPciAddressSet *set)
{
    VkPciAddress next;

    /* one empty root port for hotplug, when the user left PCI controllers
     * to us and we added some */
    if (ctx->machine == VK_PCI_MACHINE_Q35 && ctx->max_idx <= 0 &&
        vk_pci_address_set_nbuses(set) > (unsigned int) (ctx->max_idx + 1) &&
        vk_pci_address_set_reserve_next(set, VK_PCI_FLAGS_PCIE, -1, &next) < 0)
        return -1;

    /* nbuses may grow while the new controllers take their own slots */
    for (unsigned int i = 1; i < vk_pci_address_set_nbuses(set); i++) {
        if (find_controller(ctx, i))
            continue;
        VkPciController *c = g_new0(VkPciController, 1);
        vk_pci_controller_init(c, vk_pci_address_set_bus(set, i)->model, i);
        c->added = true;
        g_ptr_array_add(ctx->added, c);
        /* libvirt appends the controllers it adds to the definition */
        g_ptr_array_add(ctx->conts, c);
        ctx->by_index[i] = c;
        g_debug("adding PCI controller %s index %u", vk_pci_model_to_string(c->model), i);
        if (vk_pci_address_set_reserve_next(set, controller_flags(c), -1, &next) < 0)
            return -1;
    }
    return 0;
}

static void
mark_multifunction(Ctx *ctx)
{
    g_autoptr(GHashTable) f0 = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GPtrArray) all = g_ptr_array_new();

#define SLOT_KEY(a) GUINT_TO_POINTER(((a)->domain << 16 | (a)->bus << 8 | (a)->slot) + 1)
    for (size_t i = 0; i < ctx->ndevices; i++) {
        if (ctx->devices[i].has_address)
            g_ptr_array_add(all, ctx->devices[i].address);
    }
    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);
        if (c->has_address && !is_root(c->model))
            g_ptr_array_add(all, &c->address);
    }
    for (guint i = 0; i < all->len; i++) {
        VkPciAddress *a = g_ptr_array_index(all, i);
        if (a->function == 0 && !g_hash_table_contains(f0, SLOT_KEY(a)))
            g_hash_table_insert(f0, SLOT_KEY(a), a);
    }
    for (guint i = 0; i < all->len; i++) {
        VkPciAddress *a = g_ptr_array_index(all, i);
        VkPciAddress *first;
        if (a->function == 0 || !(first = g_hash_table_lookup(f0, SLOT_KEY(a))))
            continue;
        /* an explicit off is the user's choice */
        if (first->multifunction == VK_TRISTATE_ABSENT)
            first->multifunction = VK_TRISTATE_ON;
    }
#undef SLOT_KEY
}

static int
controller_defaults(Ctx *ctx)
{
    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);

        switch (c->model) {
        case VK_PCI_CONTROLLER_PCI_BRIDGE:
            if (c->chassis_nr == -1)
                c->chassis_nr = c->index;
            break;
        case VK_PCI_CONTROLLER_PCIE_ROOT_PORT:
            if (c->chassis == -1)
                c->chassis = c->index;
            if (c->port == -1)
                c->port = (c->address.slot << 3) + c->address.function;
            break;
        case VK_PCI_CONTROLLER_PCIE_SWITCH_DOWNSTREAM_PORT:
            if (c->chassis == -1)
                c->chassis = c->index;
            if (c->port == -1)
                c->port = c->address.slot;
            break;
        case VK_PCI_CONTROLLER_PCI_EXPANDER_BUS:
        case VK_PCI_CONTROLLER_PCIE_EXPANDER_BUS:
            if (c->bus_nr == -1) {
                /* below every busNr in use: one number for the expander,
                 * one for the bridge inside it */
                int lowest = 256;
                for (guint j = 0; j < ctx->conts->len; j++) {
                    VkPciController *o = g_ptr_array_index(ctx->conts, j);
                    if (o->bus_nr >= 0 && o->bus_nr < lowest)
                        lowest = o->bus_nr;
                }
                if (lowest <= 2) {
                    vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                                    "No free busNr lower than current lowest busNr is available "
                                    "to auto-assign to bus %u. Must be manually assigned",
                                    c->address.bus);
                    return -1;
                }
                c->bus_nr = lowest - 2;
            }
            break;
        default:
            break;
        }
        if (c->model == VK_PCI_CONTROLLER_PCI_BRIDGE && c->index <= c->address.bus) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "PCI controller at index %u (0x%02x) has bus='0x%02x', "
                            "but index must be larger than bus",
                            c->index, c->index, c->address.bus);
            return -1;
        }
    }
    return 0;
}

static int
check_inputs(Ctx *ctx)
{
    for (guint i = 0; i < ctx->conts->len; i++) {
        VkPciController *c = g_ptr_array_index(ctx->conts, i);

        if (c->index > VK_PCI_MAX_BUS) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                            "Invalid PCI controller index %u, must be <= 255", c->index);
            return -1;
        }
        if (ctx->by_index[c->index]) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                            "Multiple 'pci' controllers with index '%u'", c->index);
            return -1;
        }
        ctx->by_index[c->index] = c;
        if (c->has_address && vk_pci_address_is_empty(&c->address))
            c->has_address = false;
        if (c->has_address && vk_pci_address_check(&c->address) < 0)
            return -1;
        c->auto_assigned = !c->has_address && !is_root(c->model);
        if ((int) c->index > ctx->max_idx)
            ctx->max_idx = c->index;
    }
    for (size_t i = 0; i < ctx->ndevices; i++) {
        VkPciDevice *dev = &ctx->devices[i];

        if (dev->has_address && vk_pci_address_is_empty(dev->address))
            dev->has_address = false;
        if (dev->has_address && vk_pci_address_check(dev->address) < 0)
            return -1;
        dev->auto_assigned = !dev->has_address && dev->flags;
    }
    return 0;
}

int
vk_pci_assign(VkPciMachine machine,
              VkPciController *controllers, size_t ncontrollers,
              VkPciDevice *devices, size_t ndevices,
              GArray **added)
{
    g_autoptr(GPtrArray) conts = g_ptr_array_new();
    g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
    Ctx ctx = {
        .machine = machine, .conts = conts, .added = owned,
        .devices = devices, .ndevices = ndevices, .max_idx = -1,
    };
    unsigned int nbuses;

    *added = NULL;
    for (size_t i = 0; i < ncontrollers; i++)
        g_ptr_array_add(conts, &controllers[i]);
    if (check_inputs(&ctx) < 0)
        return -1;

    /* the machine always has its root bus */
    nbuses = MAX(ctx.max_idx + 1, 1);
    {
        g_autoptr(VkPciAddressSet) dry = make_set(&ctx, nbuses, true);
        if (!dry || run_pass(&ctx, dry, true) < 0 || add_controllers(&ctx, dry) < 0)
            return -1;
        nbuses = vk_pci_address_set_nbuses(dry);
    }
    {
        g_autoptr(VkPciAddressSet) real = make_set(&ctx, nbuses, false);
        if (!real || run_pass(&ctx, real, false) < 0)
            return -1;
    }
    mark_multifunction(&ctx);
    if (controller_defaults(&ctx) < 0)
        return -1;

    *added = g_array_sized_new(FALSE, TRUE, sizeof(VkPciController), owned->len);
    for (guint i = 0; i < owned->len; i++)
        g_array_append_val(*added, *(VkPciController *) g_ptr_array_index(owned, i));
    return 0;
}
