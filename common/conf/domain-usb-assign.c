#include "common/conf/domain-usb-assign.h"

#include <string.h>

#include "common/util/error.h"

#define ERR(code, ...) vk_error_report(VIR_FROM_DOMAIN, code, __VA_ARGS__)

#define HUB_PORTS 8      /* a usb-hub has 8 ports */
#define MAX_DEPTH 4      /* bus port paths are at most 4 deep ("1.2.3.4") */

/* A controller's root hub or a usb-hub: its ports and the hubs on them. */
typedef struct UsbHub {
    guint nports;
    bool *used;
    struct UsbHub **hubs;
} UsbHub;

typedef struct {
    GPtrArray *buses;    /* UsbHub * by controller index, NULL where none */
} UsbSet;

static UsbHub *
hub_new(guint nports)
{
    UsbHub *h = g_new0(UsbHub, 1);

    h->nports = nports;
    h->used = g_new0(bool, nports);
    h->hubs = g_new0(UsbHub *, nports);
    return h;
}

static void
hub_free(UsbHub *h)
{
    if (!h)
        return;
    for (guint i = 0; i < h->nports; i++)
        hub_free(h->hubs[i]);
    g_free(h->used);
    g_free(h->hubs);
    g_free(h);
}

/* Ports of a controller's root hub (0: the controller provides none, e.g. an
 * ICH9 UHCI companion, whose ports belong to its EHCI master). */
static guint
controller_ports(const VkDomainControllerDef *c)
{
    switch ((VkUsbControllerModel) c->model) {
    case VK_USB_MODEL_ABSENT:
    case VK_USB_MODEL_PIIX3_UHCI:
    case VK_USB_MODEL_PIIX4_UHCI:
    case VK_USB_MODEL_VT82C686B_UHCI:
        return 2;
    case VK_USB_MODEL_EHCI:
    case VK_USB_MODEL_ICH9_EHCI1:
        return 6;
    case VK_USB_MODEL_PCI_OHCI:
        return 3;
    case VK_USB_MODEL_NEC_XHCI:
    case VK_USB_MODEL_QEMU_XHCI:
        return c->ports > 0 ? (guint) c->ports : 4;
    case VK_USB_MODEL_QUSB1:
    case VK_USB_MODEL_QUSB2:
        return c->ports > 0 ? (guint) c->ports : 8;
    default:
        return 0;
    }
}

/* "1.2" -> { 1, 2, 0, 0 }; false when it is not a port path. */
static bool
port_parse(const char *str, guint path[MAX_DEPTH])
{
    g_auto(GStrv) parts = NULL;

    memset(path, 0, sizeof(guint) * MAX_DEPTH);
    if (!str || !*str)
        return false;
    parts = g_strsplit(str, ".", -1);
    for (int i = 0; parts[i]; i++) {
        guint64 v;
        if (i >= MAX_DEPTH || !g_ascii_string_to_unsigned(parts[i], 10, 1, G_MAXUINT, &v, NULL))
            return false;
        path[i] = (guint) v;
    }
    return true;
}

static char *
port_format(const guint path[MAX_DEPTH])
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < MAX_DEPTH && path[i]; i++)
        g_string_append_printf(s, "%s%u", i ? "." : "", path[i]);
    return g_string_free(s, FALSE);
}

static bool
has_port(const VkDeviceInfo *info)
{
    return info->addr.type == VK_DEVICE_ADDRESS_USB && info->addr.usb.port && *info->addr.usb.port;
}

/* The hub holding the last element of INFO's port path, and that port's
 * index on it; NULL with an error when the path leads nowhere. */
static UsbHub *
find_port(UsbSet *set, const VkDeviceInfo *info, guint *port_idx)
{
    guint bus = info->addr.usb.bus;
    const char *str = info->addr.usb.port;
    guint path[MAX_DEPTH];
    UsbHub *hub;
    int last = 0;

    if (bus >= set->buses->len || !g_ptr_array_index(set->buses, bus)) {
        ERR(VIR_ERR_XML_ERROR, "Missing USB bus %u", bus);
        return NULL;
    }
    if (!port_parse(str, path)) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "Cannot parse <address> 'port' attribute");
        return NULL;
    }
    hub = g_ptr_array_index(set->buses, bus);
    while (last + 1 < MAX_DEPTH && path[last + 1])
        last++;
    for (int i = 0; i < last; i++) {
        guint idx = path[i] - 1;
        if (idx >= hub->nports) {
            ERR(VIR_ERR_XML_ERROR, "port %u out of range in USB address bus: %u port: %s",
                path[i], bus, str);
            return NULL;
        }
        if (!hub->hubs[idx]) {
            ERR(VIR_ERR_XML_ERROR, "there is no hub at port %u in USB address bus: %u port: %s",
                path[i], bus, str);
            return NULL;
        }
        hub = hub->hubs[idx];
    }
    if (path[last] - 1 >= hub->nports) {
        ERR(VIR_ERR_XML_ERROR, "requested USB port %s not present on USB bus %u", str, bus);
        return NULL;
    }
    *port_idx = path[last] - 1;
    return hub;
}

static int
reserve(UsbSet *set, const VkDeviceInfo *info)
{
    UsbHub *hub;
    guint idx;

    if (!has_port(info))
        return 0;
    if (!(hub = find_port(set, info, &idx)))
        return -1;
    if (hub->used[idx]) {
        ERR(VIR_ERR_XML_ERROR, "Duplicate USB address bus %u port %s", info->addr.usb.bus,
            info->addr.usb.port);
        return -1;
    }
    hub->used[idx] = true;
    return 0;
}

/* Plug a usb-hub (already placed at INFO's port) into the set. */
static int
add_hub(UsbSet *set, const VkDeviceInfo *info)
{
    UsbHub *hub;
    guint idx;

    if (!(hub = find_port(set, info, &idx)))
        return -1;
    if (hub->hubs[idx]) {
        ERR(VIR_ERR_XML_ERROR, "Duplicate USB hub on bus %u port %s", info->addr.usb.bus,
            info->addr.usb.port);
        return -1;
    }
    hub->used[idx] = true;
    hub->hubs[idx] = hub_new(HUB_PORTS);
    return 0;
}

/* First free port of HUB, else depth-first through the hubs plugged in it. */
static bool
free_port(UsbHub *hub, guint path[MAX_DEPTH], int level)
{
    for (guint i = 0; i < hub->nports; i++) {
        if (!hub->used[i]) {
            path[level] = i + 1;
            return true;
        }
    }
    if (level >= MAX_DEPTH - 1)
        return false;
    for (guint i = 0; i < hub->nports; i++) {
        if (hub->hubs[i] && free_port(hub->hubs[i], path, level + 1)) {
            path[level] = i + 1;
            return true;
        }
    }
    return false;
}

static bool
assign_on_bus(UsbSet *set, VkDeviceInfo *info, guint bus)
{
    guint path[MAX_DEPTH] = { 0 };
    UsbHub *hub = bus < set->buses->len ? g_ptr_array_index(set->buses, bus) : NULL;

    if (!hub || !free_port(hub, path, 0))
        return false;
    g_free(info->addr.usb.port);
    info->addr.type = VK_DEVICE_ADDRESS_USB;
    info->addr.usb.bus = bus;
    info->addr.usb.port = port_format(path);
    /* cannot fail: the port was just found free */
    return reserve(set, info) == 0;
}

static int
assign(UsbSet *set, VkDeviceInfo *info)
{
    if (info->addr.type == VK_DEVICE_ADDRESS_USB) {
        guint bus = info->addr.usb.bus;
        if (bus >= set->buses->len || !g_ptr_array_index(set->buses, bus)) {
            ERR(VIR_ERR_XML_ERROR,
                "USB bus %u requested but no controller with that index is present", bus);
            return -1;
        }
        if (assign_on_bus(set, info, bus))
            return 0;
    } else {
        for (guint bus = 0; bus < set->buses->len; bus++) {
            if (assign_on_bus(set, info, bus))
                return 0;
        }
    }
    ERR(VIR_ERR_INTERNAL_ERROR, "%s", "No free USB ports");
    return -1;
}

static bool
is_usb_hub(const VkDomainRawElement *r)
{
    g_autofree char *type = NULL;

    if (!r->info || !g_str_equal(r->name, "hub"))
        return false;
    type = vk_domain_raw_element_attr(r, "type");
    return g_strcmp0(type, "usb") == 0;
}

/* The USB devices other than hubs, in libvirt's order. */
static GPtrArray *
usb_devices(VkDomainDef *def)
{
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; i < def->hostdevs->len; i++) {
        VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->type == VK_HOSTDEV_USB)
            g_ptr_array_add(out, &h->info);
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->bus == VK_DISK_BUS_USB)
            g_ptr_array_add(out, &d->info);
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_CCID)
            g_ptr_array_add(out, &c->info);
    }
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (in->bus == VK_INPUT_BUS_USB)
            g_ptr_array_add(out, &in->info);
    }
    for (guint i = 0; i < def->serials->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->serials, i);
        if (c->target_type == VK_CHR_SERIAL_TARGET_USB)
            g_ptr_array_add(out, &c->info);
    }
    for (guint i = 0; i < def->sounds->len; i++) {
        VkDomainSoundDef *s = g_ptr_array_index(def->sounds, i);
        if (s->model == VK_SOUND_MODEL_USB)
            g_ptr_array_add(out, &s->info);
    }
    for (guint i = 0; i < def->redirdevs->len; i++) {
        VkDomainRedirdevDef *r = g_ptr_array_index(def->redirdevs, i);
        if (r->bus == VK_REDIRDEV_BUS_USB)
            g_ptr_array_add(out, &r->info);
    }
    return out;
}

/* Hubs libvirt adds when there are more USB devices than ports: each new
 * hub takes one port and brings 8. */
static void
add_needed_hubs(VkDomainDef *def, guint ndevices)
{
    guint available = 0, count = ndevices, needed = 0;

    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_USB)
            available += controller_ports(c);
    }
    for (guint i = 0; i < def->raw_devices->len; i++) {
        if (is_usb_hub(g_ptr_array_index(def->raw_devices, i))) {
            available += HUB_PORTS;
            count++;
        }
    }
    if (count > available)
        needed = (count - available + 1 + HUB_PORTS - 2) / (HUB_PORTS - 1);
    for (guint i = 0; i < needed; i++) {
        VkDomainRawElement *r = g_new0(VkDomainRawElement, 1);
        r->name = g_strdup("hub");
        r->xml = g_strdup("<hub type='usb'/>");
        r->info = g_new0(VkDeviceInfo, 1);
        g_ptr_array_add(def->raw_devices, r);
    }
}

int
vk_domain_usb_assign(VkDomainDef *def)
{
    g_autoptr(GPtrArray) devices = usb_devices(def);
    UsbSet set = { .buses = g_ptr_array_new_with_free_func((GDestroyNotify) hub_free) };
    int ret = -1;

    add_needed_hubs(def, devices->len);

    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        guint nports = c->type == VK_CONTROLLER_USB ? controller_ports(c) : 0;
        if (!nports)
            continue;
        if ((guint) c->index >= set.buses->len)
            g_ptr_array_set_size(set.buses, c->index + 1);
        if (g_ptr_array_index(set.buses, c->index)) {
            ERR(VIR_ERR_XML_ERROR, "Duplicate USB controllers with index %u", c->index);
            goto out;
        }
        set.buses->pdata[c->index] = hub_new(nports);
    }
    /* hubs that have a port first: devices may sit behind them */
    for (guint i = 0; i < def->raw_devices->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, i);
        if (is_usb_hub(r) && has_port(r->info) && add_hub(&set, r->info) < 0)
            goto out;
    }
    for (guint i = 0; i < devices->len; i++) {
        if (reserve(&set, g_ptr_array_index(devices, i)) < 0)
            goto out;
    }
    for (guint i = 0; i < def->raw_devices->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, i);
        if (!is_usb_hub(r) || has_port(r->info))
            continue;
        if (assign(&set, r->info) < 0 || add_hub(&set, r->info) < 0)
            goto out;
    }
    for (guint i = 0; i < devices->len; i++) {
        VkDeviceInfo *info = g_ptr_array_index(devices, i);
        if (info->addr.type != VK_DEVICE_ADDRESS_NONE && info->addr.type != VK_DEVICE_ADDRESS_USB)
            continue;
        if (has_port(info))
            continue;
        if (assign(&set, info) < 0)
            goto out;
    }
    ret = 0;
 out:
    g_ptr_array_unref(set.buses);
    return ret;
}
