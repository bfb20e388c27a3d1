#include "common/pci/address-set.h"

#include "common/util/error.h"

struct _VkPciAddressSet {
    GArray *buses;        /* VkPciBus, index = bus number */
    bool dry_run;
    /* flags -> first bus that may still hold a free slot for them: every bus
     * below is incompatible or full.  Reservations only fill buses, so the
     * cursor only moves up; release and bus changes reset it. */
    GHashTable *cursor;
};

#define SLOT_RANGE(b) ((guint32) (((guint64) 1 << ((b)->max_slot + 1)) - ((guint64) 1 << (b)->min_slot)))

static gboolean
cursor_above(gpointer key, gpointer value, gpointer index)
{
    return GPOINTER_TO_UINT(value) > GPOINTER_TO_UINT(index);
}

/* Bus INDEX changed: forget the cursors that skipped it. */
static void
invalidate_cursors(VkPciAddressSet *set, unsigned int index)
{
    g_hash_table_foreach_remove(set->cursor, cursor_above, GUINT_TO_POINTER(index));
}

VkPciAddressSet *
vk_pci_address_set_new(void)
{
    VkPciAddressSet *set = g_new0(VkPciAddressSet, 1);

    set->buses = g_array_new(FALSE, TRUE, sizeof(VkPciBus));
    set->cursor = g_hash_table_new(g_direct_hash, g_direct_equal);
    return set;
}

void
vk_pci_address_set_free(VkPciAddressSet *set)
{
    if (!set)
        return;
    g_array_unref(set->buses);
    g_hash_table_unref(set->cursor);
    g_free(set);
}

void
vk_pci_address_set_set_dry_run(VkPciAddressSet *set, bool dry_run)
{
    set->dry_run = dry_run;
}

unsigned int
vk_pci_address_set_nbuses(const VkPciAddressSet *set)
{
    return set->buses->len;
}

static VkPciBus *
bus_at(const VkPciAddressSet *set, unsigned int index)
{
    if (index >= set->buses->len)
        return NULL;
    return &g_array_index(set->buses, VkPciBus, index);
}

const VkPciBus *
vk_pci_address_set_bus(const VkPciAddressSet *set, unsigned int index)
{
    return bus_at(set, index);
}

void
vk_pci_address_set_set_bus(VkPciAddressSet *set, unsigned int index,
                           VkPciModel model, bool hotplug)
{
    const VkPciModelInfo *info = vk_pci_model_info(model);

    while (set->buses->len <= index) {
        VkPciBus hole = { .model = VK_PCI_CONTROLLER_NONE };
        g_array_append_val(set->buses, hole);
    }

    VkPciBus *bus = bus_at(set, index);
    bus->model = model;
    bus->flags = vk_pci_model_bus_flags(model, hotplug);
    bus->min_slot = info->min_slot;
    bus->max_slot = info->max_slot;
    invalidate_cursors(set, index);
}

void
vk_pci_address_set_set_bus_flags(VkPciAddressSet *set, unsigned int index,
                                 unsigned int flags)
{
    VkPciBus *bus = bus_at(set, index);

    if (bus) {
        bus->flags = flags;
        invalidate_cursors(set, index);
    }
}

/* Can a device with DEV_FLAGS sit on a bus offering BUS_FLAGS at ADDR? */
static bool
flags_compatible(const VkPciAddress *addr, const char *addr_str,
                 unsigned int bus_flags, unsigned int dev_flags,
                 bool report, bool from_config)
{
    int code = from_config ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR;

    if (dev_flags & VK_PCI_CONNECT_INTEGRATED) {
        if (addr->bus != 0) {
            if (report)
                vk_error_report(VIR_FROM_DOMAIN, code,
                                "The device at PCI address %s needs to be an integrated device (bus=0)",
                                addr_str);
            return false;
        }
        bus_flags |= VK_PCI_CONNECT_AUTOASSIGN;
    }

    if (from_config) {
        /* a user may put a PCI device in a PCIe slot and the other way round,
         * and a pci-bridge wherever a PCI device fits */
        if (bus_flags & VK_PCI_CONNECT_TYPES_ENDPOINT)
            bus_flags |= VK_PCI_CONNECT_TYPES_ENDPOINT;
        if (dev_flags & VK_PCI_CONNECT_TYPE_PCI_BRIDGE)
            dev_flags |= VK_PCI_CONNECT_TYPE_PCI_DEVICE;
    } else if ((dev_flags & VK_PCI_CONNECT_AUTOASSIGN) &&
               !(bus_flags & VK_PCI_CONNECT_AUTOASSIGN)) {
        if (report)
            vk_error_report(VIR_FROM_DOMAIN, code,
                            "The device at PCI address %s was auto-assigned this address, "
                            "but the PCI controller with index='%u' doesn't allow auto-assignment",
                            addr_str, addr->bus);
        return false;
    }

    if ((dev_flags & VK_PCI_CONNECT_HOTPLUGGABLE) &&
        !(bus_flags & VK_PCI_CONNECT_HOTPLUGGABLE)) {
        if (report)
            vk_error_report(VIR_FROM_DOMAIN, code,
                            "The device at PCI address %s requires hotplug capability, "
                            "but the PCI controller with index='%u' doesn't support hotplug",
                            addr_str, addr->bus);
        return false;
    }

    if (!(dev_flags & bus_flags & VK_PCI_CONNECT_TYPES_MASK)) {
        const char *what = vk_pci_connect_describe(dev_flags);

        if (!report)
            return false;
        if (!what)
            vk_error_report(VIR_FROM_DOMAIN, code,
                            "The device at PCI address %s has unrecognized connection type flags 0x%.2x",
                            addr_str, dev_flags & VK_PCI_CONNECT_TYPES_MASK);
        else
            vk_error_report(VIR_FROM_DOMAIN, code,
                            "The device at PCI address %s cannot be plugged into the PCI "
                            "controller with index='%u'. It requires a controller that accepts a %s.",
                            addr_str, addr->bus, what);
        return false;
    }
    return true;
}

bool
vk_pci_address_set_validate(VkPciAddressSet *set, const VkPciAddress *addr,
                            unsigned int flags, bool from_config)
{
    int code = from_config ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR;
    g_autofree char *str = vk_pci_address_format(addr);
    VkPciBus *bus;

    if (set->buses->len == 0) {
        vk_error_report(VIR_FROM_DOMAIN, code, "No PCI buses available");
        return false;
    }
    if (addr->domain != 0) {
        vk_error_report(VIR_FROM_DOMAIN, code,
                        "Invalid PCI address %s. Only PCI domain 0 is available", str);
        return false;
    }
    bus = bus_at(set, addr->bus);
    if (!bus || bus->model == VK_PCI_CONTROLLER_NONE) {
        vk_error_report(VIR_FROM_DOMAIN, code,
                        "Invalid PCI address %s. Only PCI buses up to %u are available",
                        str, set->buses->len - 1);
        return false;
    }
    if (!flags_compatible(addr, str, bus->flags, flags, true, from_config))
        return false;
    if (bus->min_slot && addr->slot < bus->min_slot) {
        vk_error_report(VIR_FROM_DOMAIN, code,
                        "Invalid PCI address %s. slot must be >= %u", str, bus->min_slot);
        return false;
    }
    if (addr->slot > bus->max_slot) {
        vk_error_report(VIR_FROM_DOMAIN, code,
                        "Invalid PCI address %s. slot must be <= %u", str, bus->max_slot);
        return false;
    }
    if (addr->function > VK_PCI_MAX_FUNCTION) {
        vk_error_report(VIR_FROM_DOMAIN, code,
                        "Invalid PCI address %s. function must be <= %u", str, VK_PCI_MAX_FUNCTION);
        return false;
    }
    return true;
}

static const char *
controller_name_for_flags(unsigned int flags)
{
    for (int m = VK_PCI_CONTROLLER_PCI_BRIDGE; m < VK_PCI_CONTROLLER_LAST; m++) {
        const VkPciModelInfo *info = vk_pci_model_info(m);
        if (info->plugs_as & flags & VK_PCI_CONNECT_TYPES_MASK)
            return info->name;
    }
    return NULL;
}

static bool
has_bus_accepting(const VkPciAddressSet *set, unsigned int flag)
{
    for (guint i = 0; i < set->buses->len; i++) {
        if (bus_at(set, i)->flags & flag)
            return true;
    }
    return false;
}

/* Dry run: add the buses ADDR needs, choosing controllers for a device with
 * FLAGS (libvirt's first pass). Returns -1 when no controller can give such
 * a device a slot. */
static int
grow(VkPciAddressSet *set, VkPciAddress *addr, unsigned int flags)
{
    int add = (int) addr->bus - (int) set->buses->len + 1;
    VkPciModel model;
    bool need_bridge = false;
    unsigned int i;

    if (add <= 0)
        return 0;

    if (flags & VK_PCI_CONNECT_TYPE_PCI_DEVICE) {
        model = VK_PCI_CONTROLLER_PCI_BRIDGE;
        /* a pure PCIe guest first needs a root port holding a
         * pcie-to-pci-bridge; the device goes behind that bridge */
        need_bridge = !has_bus_accepting(set, VK_PCI_CONNECT_TYPE_PCI_BRIDGE);
        if (need_bridge && add == 1) {
            add++;
            addr->bus++;
        }
    } else if (flags & (VK_PCI_CONNECT_TYPE_PCIE_DEVICE |
                        VK_PCI_CONNECT_TYPE_PCIE_SWITCH_UPSTREAM_PORT)) {
        model = VK_PCI_CONTROLLER_PCIE_ROOT_PORT;
    } else {
        const char *name = controller_name_for_flags(flags);
        if (name)
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                            "a PCI slot is needed to connect a PCI controller model='%s', "
                            "but none is available, and it cannot be automatically added", name);
        else
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                            "Cannot automatically add a new PCI bus for a device with connect flags %.2x",
                            flags);
        return -1;
    }
    if (set->buses->len + add > VK_PCI_MAX_BUS + 1) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                        "No more available PCI slots");
        return -1;
    }

    i = set->buses->len;
    if (need_bridge) {
        /* this root port is only for the bridge, so the spare root port
         * libvirt adds later does not land here */
        vk_pci_address_set_set_bus(set, i, VK_PCI_CONTROLLER_PCIE_ROOT_PORT, true);
        vk_pci_address_set_set_bus_flags(set, i, VK_PCI_CONNECT_TYPE_PCIE_TO_PCI_BRIDGE);
        vk_pci_address_set_set_bus(set, i + 1, VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, true);
        i += 2;
    }
    for (; i <= addr->bus; i++)
        vk_pci_address_set_set_bus(set, i, model, true);
    return add;
}

int
vk_pci_address_set_reserve(VkPciAddressSet *set, VkPciAddress *addr,
                           unsigned int flags, bool from_config)
{
    if (set->dry_run && grow(set, addr, flags) < 0)
        return -1;
    if (!vk_pci_address_set_validate(set, addr, flags, from_config))
        return -1;

    VkPciBus *bus = bus_at(set, addr->bus);
    if (bus->functions[addr->slot] & (1u << addr->function)) {
        g_autofree char *str = vk_pci_address_format(addr);
        vk_error_report(VIR_FROM_DOMAIN,
                        from_config ? VIR_ERR_XML_ERROR : VIR_ERR_INTERNAL_ERROR,
                        "Attempted double use of PCI Address %s", str);
        return -1;
    }
    if (!bus->functions[addr->slot] && (flags & VK_PCI_CONNECT_AGGREGATE_SLOT))
        bus->aggregate |= 1u << addr->slot;
    bus->functions[addr->slot] |= 1u << addr->function;
    bus->used |= 1u << addr->slot;
    return 0;
}

void
vk_pci_address_set_release(VkPciAddressSet *set, const VkPciAddress *addr)
{
    VkPciBus *bus = bus_at(set, addr->bus);

    if (!bus || addr->slot > VK_PCI_MAX_SLOT || addr->function > VK_PCI_MAX_FUNCTION)
        return;
    bus->functions[addr->slot] &= ~(1u << addr->function);
    if (!bus->functions[addr->slot]) {
        bus->used &= ~(1u << addr->slot);
        bus->aggregate &= ~(1u << addr->slot);
    }
    invalidate_cursors(set, addr->bus);
}

bool
vk_pci_address_set_is_free(const VkPciAddressSet *set, const VkPciAddress *addr)
{
    VkPciBus *bus = bus_at(set, addr->bus);

    if (!bus || addr->slot > VK_PCI_MAX_SLOT || addr->function > VK_PCI_MAX_FUNCTION)
        return true;
    return !(bus->functions[addr->slot] & (1u << addr->function));
}

bool
vk_pci_address_set_slot_in_use(const VkPciAddressSet *set, const VkPciAddress *addr)
{
    VkPciBus *bus = bus_at(set, addr->bus);

    return bus && addr->slot <= VK_PCI_MAX_SLOT && bus->functions[addr->slot];
}

bool
vk_pci_address_set_bus_is_full(const VkPciAddressSet *set, unsigned int index)
{
    VkPciBus *bus = bus_at(set, index);

    return bus && (bus->used & SLOT_RANGE(bus)) == SLOT_RANGE(bus);
}

/* Lowest usable slot of BUS for FLAGS, or -1; *FUNC gets the function. */
static int
find_on_bus(const VkPciBus *bus, unsigned int flags, int function, unsigned int *func)
{
    guint32 range = SLOT_RANGE(bus);
    guint32 free_slots = ~bus->used & range;
    guint32 shared = 0;
    int slot;

    if (flags & VK_PCI_CONNECT_AGGREGATE_SLOT) {
        /* used slots whose functions may be shared and that still have the
         * wanted function (or any function) free */
        guint32 agg = bus->aggregate & range;
        while (agg) {
            int s = g_bit_nth_lsf(agg, -1);
            guint8 f = bus->functions[s];
            if (function >= 0 ? !(f & (1u << function)) : f != 0xff)
                shared |= 1u << s;
            agg &= ~(1u << s);
        }
    }
    if (!(free_slots | shared))
        return -1;
    slot = g_bit_nth_lsf(free_slots | shared, -1);
    if (shared & (1u << slot)) {
        if (function >= 0)
            *func = function;
        else
            *func = g_bit_nth_lsf(~bus->functions[slot] & 0xff, -1);
    } else {
        *func = function >= 0 ? (unsigned int) function : 0;
    }
    return slot;
}

int
vk_pci_address_set_reserve_next(VkPciAddressSet *set, unsigned int flags,
                                int function, VkPciAddress *out)
{
    VkPciAddress a = { 0 };
    gpointer key = GUINT_TO_POINTER(flags | ((guint) (function + 1) << 24));
    guint start = GPOINTER_TO_UINT(g_hash_table_lookup(set->cursor, key));
    bool found = false;

    if (set->buses->len == 0) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "No PCI buses available");
        return -1;
    }

    for (a.bus = start; a.bus < set->buses->len; a.bus++) {
        VkPciBus *bus = bus_at(set, a.bus);
        int slot;

        if (bus->model == VK_PCI_CONTROLLER_NONE ||
            !flags_compatible(&a, NULL, bus->flags, flags, false, false))
            continue;
        slot = find_on_bus(bus, flags, function, &a.function);
        if (slot >= 0) {
            a.slot = slot;
            found = true;
            break;
        }
    }
    g_hash_table_insert(set->cursor, key, GUINT_TO_POINTER(a.bus));

    if (!found) {
        if (!set->dry_run) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                            "No more available PCI slots");
            return -1;
        }
        a.bus = set->buses->len;
        a.function = function >= 0 ? (unsigned int) function : 0;
        if (grow(set, &a, flags) < 0)
            return -1;
        a.slot = bus_at(set, a.bus)->min_slot;
    }

    if (vk_pci_address_set_reserve(set, &a, flags, false) < 0)
        return -1;
    *out = a;
    return 0;
}

int
vk_pci_address_set_reserve_machine(VkPciAddressSet *set, VkPciMachine machine)
{
    VkPciAddress a = { 0 };
    unsigned int flags;

    if (set->buses->len == 0)
        return 0;
    if (machine == VK_PCI_MACHINE_Q35) {
        flags = VK_PCI_CONNECT_TYPE_PCIE_DEVICE;
        a.slot = 0x1f;
    } else {
        flags = VK_PCI_FLAGS_PCI;
        a.slot = 1;
    }
    a.function = 0;
    if (vk_pci_address_set_reserve(set, &a, flags, true) < 0)
        return -1;
    a.function = 3;
    return vk_pci_address_set_reserve(set, &a, flags, true);
}
