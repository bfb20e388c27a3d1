/* Parsing libvirt's <domain> XML into a VkDomainDef.  Unknown elements and
 * attributes are ignored as libvirt ignores them; invalid values are errors
 * with libvirt's wording where we know it.  On error nothing is returned. */
#include "common/conf/domain.h"
#include "common/conf/domain-pci-given.h"
#include "common/conf/domain-device.h"
#include "common/conf/domain-iothreads.h"
#include "common/conf/domain-raw.h"
#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/conf/domain-tune.h"
#include "common/util/error.h"

#include <string.h>
#include <libxml/tree.h>

#define ERR(code, ...) vk_error_report(VIR_FROM_DOMAIN, code, __VA_ARGS__)
/* libvirt reports some errors from its generic XML / utility code, whose
 * error domains clients see too. */
#define ERRD(dom, code, ...) vk_error_report(dom, code, __VA_ARGS__)


/* ---- units --------------------------------------------------------------- */

/* Scale VALUE by UNIT into bytes as libvirt does (default KiB); error when
 * the unit is unknown or the result exceeds LIMIT bytes. */
static int
scale_to_bytes(unsigned long long *value, const char *unit, unsigned long long limit)
{
    unsigned long long scale;

    if (!unit || !*unit) {
        scale = 1024;
    } else {
        unsigned long long base;
        size_t len = strlen(unit);
        char first = g_ascii_tolower(unit[0]);
        int power;

        switch (first) {
        case 'b': power = 0; break;
        case 'k': power = 1; break;
        case 'm': power = 2; break;
        case 'g': power = 3; break;
        case 't': power = 4; break;
        case 'p': power = 5; break;
        case 'e': power = 6; break;
        default: power = -1;
        }
        if (power == 0) {
            if (g_ascii_strcasecmp(unit, "b") && g_ascii_strcasecmp(unit, "byte") &&
                g_ascii_strcasecmp(unit, "bytes"))
                power = -1;
            base = 1;
        } else if (len == 1 || (len == 3 && g_ascii_tolower(unit[1]) == 'i' &&
                                g_ascii_tolower(unit[2]) == 'b')) {
            base = 1024;
        } else if (len == 2 && g_ascii_tolower(unit[1]) == 'b') {
            base = 1000;
        } else {
            power = -1;
            base = 1;
        }
        if (power < 0) {
            ERRD(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
            return -1;
        }
        scale = 1;
        for (int i = 0; i < power; i++)
            scale *= base;
    }
    if (*value && *value > limit / scale) {
        ERRD(VIR_FROM_NONE, VIR_ERR_OVERFLOW, "value too large: %llu%s", *value, unit ? unit : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

/* <memory unit=...>N</memory> into KiB (rounded up).  0 when absent. */
static int
parse_memory(xmlNodePtr node, const char *xpath, unsigned long long *kib)
{
    *kib = 0;
    if (!node)
        return 0;
    g_autofree char *text = vk_xml_text(node);
    g_autofree char *unit = vk_xml_prop(node, "unit");
    unsigned long long v;

    g_strstrip(text);
    if (vk_xml_parse_ull(text, 10, &v) < 0) {
        ERRD(VIR_FROM_XML, VIR_ERR_XML_ERROR, "Invalid value '%s' for element or attribute '%s'", text, xpath);
        return -1;
    }
    if (scale_to_bytes(&v, unit, (unsigned long long) G_MAXINT64) < 0)
        return -1;
    *kib = v / 1024 + (v % 1024 ? 1 : 0);
    return 0;
}

/* ---- cpuset -------------------------------------------------------------- */

#define VK_CPUSET_MAX 4096

/* "0-3,^2,7" -> canonical "0-1,3,7"; NULL with an error on a bad string. */
static char *
cpuset_canonical(const char *str, const char *what)
{
    g_autofree bool *bits = g_new0(bool, VK_CPUSET_MAX);
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    bool any = false;

    for (int i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        bool neg = false;
        unsigned int a, b;
        if (*p == '^') {
            neg = true;
            p++;
        }
        char *dash = strchr(p, '-');
        if (dash && !neg) {
            *dash = '\0';
            if (vk_xml_parse_uint(g_strstrip(p), 10, &a) < 0 || vk_xml_parse_uint(g_strstrip(dash + 1), 10, &b) < 0 ||
                a > b || b >= VK_CPUSET_MAX)
                goto bad;
        } else {
            if (vk_xml_parse_uint(p, 10, &a) < 0 || a >= VK_CPUSET_MAX)
                goto bad;
            b = a;
        }
        for (unsigned int c = a; c <= b; c++)
            bits[c] = !neg;
        any = true;
    }
    if (!any)
        goto bad;

    GString *out = g_string_new(NULL);
    for (int c = 0; c < VK_CPUSET_MAX; c++) {
        if (!bits[c])
            continue;
        int e = c;
        while (e + 1 < VK_CPUSET_MAX && bits[e + 1])
            e++;
        if (out->len)
            g_string_append_c(out, ',');
        if (e == c)
            g_string_append_printf(out, "%d", c);
        else
            g_string_append_printf(out, "%d-%d", c, e);
        c = e;
    }
    if (out->len == 0) {
        g_string_free(out, TRUE);
        goto bad;
    }
    return g_string_free(out, FALSE);

 bad:
    ERR(VIR_ERR_XML_ERROR, "Invalid value '%s' for %s", str, what);
    return NULL;
}

/* ---- raw elements -------------------------------------------------------- */

/* Top-level elements we keep verbatim, in libvirt's formatting order slots:
 * see domain-format.c. */
static const char *const raw_toplevel[] = {
    "blkiotune", "memtune", "memoryBacking", "vcpus", "defaultiothread",
    "cputune", "numatune", "resource", "sysinfo", "bootloader", "bootloader_args",
    "idmap", "throttlegroups", "on_lockfailure", "perf", "seclabel", "keywrap",
    "launchSecurity", NULL
};
static const char *const raw_devices[] = {
    "lease", "smartcard", "redirfilter", "hub", "nvram", "memory", "crypto", NULL
};

static VkDomainRawElement *
raw_element(xmlNodePtr node)
{
    VkDomainRawElement *r = g_new0(VkDomainRawElement, 1);

    vk_domain_raw_canonicalize(node);
    r->name = g_strdup((const char *) node->name);
    r->xml = vk_domain_xml_serialize(node);
    return r;
}

static int
fw_feature_rank(const VkDomainOsFwFeature *f)
{
    static const char *const order[] = { "enrolled-keys", "secure-boot", NULL };
    int r = vk_enum_from_string(order, f->name);

    return r < 0 ? (int) G_N_ELEMENTS(order) : r;
}

static gint
fw_feature_cmp(gconstpointer a, gconstpointer b)
{
    return fw_feature_rank(*(VkDomainOsFwFeature *const *) a) -
           fw_feature_rank(*(VkDomainOsFwFeature *const *) b);
}

/* ---- device info ---------------------------------------------------------- */

static int parse_device_info(xmlNodePtr node, VkDeviceInfo *info, unsigned int what,
                             unsigned int flags);

/* A device kept verbatim.  Those that get addresses at define (hub and
 * smartcard: USB / CCID, memory: DIMM slot) keep their address and alias
 * apart, so that address assignment can fill them in. */
static int
raw_device(VkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const addressed[] = { "hub", "smartcard", "memory", NULL };
    g_autofree VkDeviceInfo *info = NULL;

    if (g_strv_contains(addressed, (const char *) node->name)) {
        info = g_new0(VkDeviceInfo, 1);
        if (parse_device_info(node, info, 0, flags) < 0) {
            g_free(info->alias);
            g_free(info->addr.usb.port);
            return -1;
        }
        for (xmlNodePtr c = node->children, next; c; c = next) {
            next = c->next;
            if (vk_xml_is_element(c, "address") || vk_xml_is_element(c, "alias")) {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            }
        }
    }
    VkDomainRawElement *r = raw_element(node);
    r->info = g_steal_pointer(&info);
    g_ptr_array_add(def->raw_devices, r);
    return 0;
}

static int
parse_pci_address(xmlNodePtr node, VkPciAddress *addr)
{
    if (vk_xml_pci_address(node, addr) < 0)
        return -1;
    if (addr->domain != 0) {
        ERR(VIR_ERR_XML_ERROR,
            "Invalid PCI address %04x:%02x:%02x.%x. Only PCI domain 0 is available",
            addr->domain, addr->bus, addr->slot, addr->function);
        return -1;
    }
    return 0;
}

static int
parse_address(xmlNodePtr node, VkDeviceAddress *addr)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    int t;

    if (!type) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "No type specified for device address");
        return -1;
    }
    t = vk_device_address_type_from_string(type);
    if (t <= 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown address type '%s'", type);
        return -1;
    }
    addr->type = t;
    switch ((VkDeviceAddressType) t) {
    case VK_DEVICE_ADDRESS_PCI:
        return parse_pci_address(node, &addr->pci);
    case VK_DEVICE_ADDRESS_DRIVE:
        if (vk_xml_attr_uint(node, "controller", 10, &addr->drive.controller) < 0 ||
            vk_xml_attr_uint(node, "bus", 10, &addr->drive.bus) < 0 ||
            vk_xml_attr_uint(node, "target", 10, &addr->drive.target) < 0 ||
            vk_xml_attr_uint(node, "unit", 10, &addr->drive.unit) < 0)
            return -1;
        return 0;
    case VK_DEVICE_ADDRESS_VIRTIO_SERIAL:
        if (vk_xml_attr_uint(node, "controller", 10, &addr->vioserial.controller) < 0 ||
            vk_xml_attr_uint(node, "bus", 10, &addr->vioserial.bus) < 0 ||
            vk_xml_attr_uint(node, "port", 10, &addr->vioserial.port) < 0)
            return -1;
        return 0;
    case VK_DEVICE_ADDRESS_CCID:
        if (vk_xml_attr_uint(node, "controller", 10, &addr->ccid.controller) < 0 ||
            vk_xml_attr_uint(node, "slot", 10, &addr->ccid.slot) < 0)
            return -1;
        return 0;
    case VK_DEVICE_ADDRESS_USB: {
        g_autofree char *port = vk_xml_prop(node, "port");
        if (port) {
            g_auto(GStrv) parts = g_strsplit(port, ".", -1);
            unsigned int n;
            int i;
            for (i = 0; parts[i]; i++) {
                if (i >= 4 || vk_xml_parse_uint(parts[i], 10, &n) < 0) {
                    ERR(VIR_ERR_INTERNAL_ERROR, "%s", "Cannot parse <address> 'port' attribute");
                    return -1;
                }
            }
            addr->usb.port = g_steal_pointer(&port);
        }
        return vk_xml_attr_uint(node, "bus", 10, &addr->usb.bus) < 0 ? -1 : 0;
    }
    case VK_DEVICE_ADDRESS_ISA:
        if (vk_xml_attr_uint(node, "iobase", 0, &addr->isa.iobase) < 0 ||
            vk_xml_attr_uint(node, "irq", 0, &addr->isa.irq) < 0)
            return -1;
        return 0;
    case VK_DEVICE_ADDRESS_UNASSIGNED:
        return 0;
    case VK_DEVICE_ADDRESS_DIMM: {
        g_autofree char *base = vk_xml_prop(node, "base");
        if (vk_xml_attr_uint(node, "slot", 10, &addr->dimm.slot) < 0)
            return -1;
        if (base) {
            if (vk_xml_parse_ull(base, 16, &addr->dimm.base) < 0) {
                ERR(VIR_ERR_XML_ERROR, "Invalid value for attribute 'base' in element 'address': '%s'.",
                    base);
                return -1;
            }
            addr->dimm.has_base = true;
        }
        return 0;
    }
    default:
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "address type '%s' is not supported", type);
        return -1;
    }
}

typedef enum {
    INFO_BOOT = 1 << 0,
    INFO_ROM = 1 << 1,
} InfoFlags;

static int
parse_device_info(xmlNodePtr node, VkDeviceInfo *info, unsigned int what, unsigned int flags)
{
    xmlNodePtr n;

    if ((n = vk_xml_child(node, "alias"))) {
        g_autofree char *alias = vk_xml_prop(n, "name");
        if (alias && (!(flags & VK_DOMAIN_PARSE_INACTIVE) || g_str_has_prefix(alias, "ua-")))
            info->alias = g_steal_pointer(&alias);
    }
    if ((what & INFO_BOOT) && (n = vk_xml_child(node, "boot"))) {
        g_autofree char *order = vk_xml_prop(n, "order");
        unsigned int v;
        if (!order) {
            ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing boot order attribute");
            return -1;
        }
        if (vk_xml_parse_uint(order, 10, &v) < 0 || v == 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "incorrect boot order '%s', expecting positive integer",
                order);
            return -1;
        }
        info->boot_order = v;
    }
    if ((what & INFO_ROM) && (n = vk_xml_child(node, "rom"))) {
        if (vk_xml_attr_tristate(n, "bar", vk_xml_on_off, &info->rom_bar) < 0 ||
            vk_xml_attr_tristate(n, "enabled", vk_xml_yes_no, &info->rom_enabled) < 0)
            return -1;
        info->rom_file = vk_xml_prop(n, "file");
    }
    if ((n = vk_xml_child(node, "address")) && parse_address(n, &info->addr) < 0)
        return -1;
    return 0;
}

/* ---- devices ------------------------------------------------------------- */

static VkDomainDiskDef *
parse_disk(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainDiskDef) d = g_new0(VkDomainDiskDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    g_autofree char *device = vk_xml_prop(node, "device");
    xmlNodePtr n;

    if (type) {
        int t = vk_disk_type_from_string(type);
        if (t < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown disk type '%s'", type);
            return NULL;
        }
        d->type = t;
    }
    if (device) {
        int t = vk_disk_device_from_string(device);
        if (t < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown disk device '%s'", device);
            return NULL;
        }
        d->device = t;
    }
    if (vk_xml_attr_enum(node, "model", vk_virtio_model_from_string, VK_XML_ENUM_OUT(d->model)) < 0)
        return NULL;
    d->snapshot = vk_xml_prop(node, "snapshot");

    if ((n = vk_xml_child(node, "driver"))) {
        if ((d->driver_name = vk_xml_prop(n, "name")) && !*d->driver_name)
            g_clear_pointer(&d->driver_name, g_free);
        d->driver_type = vk_xml_prop(n, "type");
        if (vk_xml_attr_enum(n, "cache", vk_disk_cache_from_string,
                             VK_XML_ENUM_OUT(d->driver_cache)) < 0 ||
            vk_xml_attr_enum(n, "error_policy", vk_disk_error_policy_from_string,
                             VK_XML_ENUM_OUT(d->driver_error_policy)) < 0 ||
            vk_xml_attr_enum(n, "rerror_policy", vk_disk_error_policy_from_string,
                             VK_XML_ENUM_OUT(d->driver_rerror_policy)) < 0 ||
            vk_xml_attr_enum(n, "io", vk_disk_io_from_string, VK_XML_ENUM_OUT(d->driver_io)) < 0 ||
            vk_xml_attr_tristate(n, "ioeventfd", vk_xml_on_off, &d->driver_ioeventfd) < 0 ||
            vk_xml_attr_tristate(n, "event_idx", vk_xml_on_off, &d->driver_event_idx) < 0 ||
            vk_xml_attr_tristate(n, "copy_on_read", vk_xml_on_off, &d->driver_copy_on_read) < 0 ||
            vk_xml_attr_enum(n, "discard", vk_disk_discard_from_string,
                             VK_XML_ENUM_OUT(d->driver_discard)) < 0 ||
            vk_xml_attr_enum(n, "detect_zeroes", vk_disk_detect_zeroes_from_string,
                             VK_XML_ENUM_OUT(d->driver_detect_zeroes)) < 0 ||
            vk_xml_attr_uint(n, "iothread", 10, &d->driver_iothread) < 0 ||
            vk_xml_attr_uint(n, "queues", 10, &d->driver_queues) < 0)
            return NULL;
    }

    if ((n = vk_xml_child(node, "source"))) {
        d->has_source = true;
        switch (d->type) {
        case VK_DISK_TYPE_FILE: d->src_path = vk_xml_prop(n, "file"); break;
        case VK_DISK_TYPE_BLOCK: d->src_path = vk_xml_prop(n, "dev"); break;
        case VK_DISK_TYPE_DIR: d->src_path = vk_xml_prop(n, "dir"); break;
        case VK_DISK_TYPE_VOLUME:
            d->src_pool = vk_xml_prop(n, "pool");
            d->src_volume = vk_xml_prop(n, "volume");
            if (vk_xml_attr_enum(n, "mode", vk_disk_source_mode_from_string,
                                 VK_XML_ENUM_OUT(d->src_mode)) < 0)
                return NULL;
            if (!d->src_pool || !d->src_volume) {
                ERR(VIR_ERR_XML_ERROR, "%s",
                    "'pool' and 'volume' must be specified together for 'pool' type source");
                return NULL;
            }
            break;
        case VK_DISK_TYPE_NETWORK: {
            int r = vk_xml_attr_enum(n, "protocol", vk_disk_protocol_from_string,
                                     VK_XML_ENUM_OUT(d->src_protocol));
            if (r < 0)
                return NULL;
            if (r == 0) {
                ERR(VIR_ERR_XML_ERROR, "%s", "Missing required attribute 'protocol' in element 'source'");
                return NULL;
            }
            d->src_name = vk_xml_prop(n, "name");
            xmlNodePtr h = vk_xml_child(n, "host");
            if (h) {
                d->src_host_name = vk_xml_prop(h, "name");
                d->src_host_port = vk_xml_prop(h, "port");
                d->src_host_transport = vk_xml_prop(h, "transport");
            }
            break;
        }
        }
        if (d->src_path && !*d->src_path)
            g_clear_pointer(&d->src_path, g_free);
        if (vk_xml_attr_enum(n, "startupPolicy", vk_disk_startup_policy_from_string,
                             VK_XML_ENUM_OUT(d->src_startup)) < 0)
            return NULL;
        if (!d->src_path && !d->src_pool && !d->src_protocol && d->type != VK_DISK_TYPE_NETWORK)
            d->has_source = false;
        if (!(flags & VK_DOMAIN_PARSE_INACTIVE) && vk_xml_attr_uint(n, "index", 10, &d->src_index) < 0)
            return NULL;
    }
    d->backing = vk_disk_chain_new();
    if (vk_disk_chain_parse(node, d->backing, &d->src_no_backing,
                            !(flags & VK_DOMAIN_PARSE_INACTIVE)) < 0)
        return NULL;
    if (!(flags & VK_DOMAIN_PARSE_INACTIVE)) {
        bool bad_mirror;
        d->backing_detected = true;
        d->mirror = vk_disk_mirror_parse(node, &bad_mirror);
        if (bad_mirror)
            return NULL;
    }

    if (!(n = vk_xml_child(node, "target")) || !(d->target_dev = vk_xml_prop(n, "dev"))) {
        if (d->src_path)
            ERR(VIR_ERR_NO_TARGET, "%s", d->src_path);
        else
            ERR(VIR_ERR_NO_TARGET, "%s", d->src_volume ? d->src_volume : "");
        return NULL;
    }
    {
        g_autofree char *bus = vk_xml_prop(n, "bus");
        if (bus) {
            int b = vk_disk_bus_from_string(bus);
            if (b <= 0) {
                vk_xml_invalid_attr(n, "bus", bus, NULL);
                return NULL;
            }
            d->bus = b;
        }
        if (vk_xml_attr_enum(n, "tray", vk_disk_tray_from_string, VK_XML_ENUM_OUT(d->target_tray)) < 0 ||
            vk_xml_attr_tristate(n, "removable", vk_xml_on_off, &d->target_removable) < 0)
            return NULL;
    }
    if (!g_str_has_prefix(d->target_dev, "sd") && !g_str_has_prefix(d->target_dev, "vd") &&
        !g_str_has_prefix(d->target_dev, "xvd") && !g_str_has_prefix(d->target_dev, "ubd") &&
        !g_str_has_prefix(d->target_dev, "hd") && !g_str_has_prefix(d->target_dev, "fd")) {
        ERR(VIR_ERR_INTERNAL_ERROR, "Invalid harddisk device name: %s", d->target_dev);
        return NULL;
    }

    /* a CD-ROM is read-only whatever the XML says, as for libvirt */
    d->readonly = vk_xml_child(node, "readonly") != NULL || d->device == VK_DISK_DEVICE_CDROM;
    d->shareable = vk_xml_child(node, "shareable") != NULL;
    d->transient = vk_xml_child(node, "transient") != NULL;
    d->serial = vk_xml_child_text(node, "serial");
    d->wwn = vk_xml_child_text(node, "wwn");
    d->vendor = vk_xml_child_text(node, "vendor");
    d->product = vk_xml_child_text(node, "product");
    if ((n = vk_xml_child(node, "blockio"))) {
        if (vk_xml_attr_uint(n, "logical_block_size", 10, &d->blockio_logical) < 0 ||
            vk_xml_attr_uint(n, "physical_block_size", 10, &d->blockio_physical) < 0)
            return NULL;
    }
    if ((n = vk_xml_child(node, "iotune")) && vk_disk_iotune_parse(n, &d->iotune) < 0)
        return NULL;
    if (parse_device_info(node, &d->info, INFO_BOOT, flags) < 0)
        return NULL;
    return g_steal_pointer(&d);
}

/* model= of a controller of TYPE other than pci: its value, 0 for types
 * that have no model (it is ignored), -1 when unknown. */
static int
controller_model_from_string(VkControllerType type, const char *model)
{
    switch (type) {
    case VK_CONTROLLER_USB: return vk_usb_controller_model_from_string(model);
    case VK_CONTROLLER_SCSI: return vk_scsi_controller_model_from_string(model);
    case VK_CONTROLLER_VIRTIO_SERIAL: return vk_virtio_model_from_string(model);
    case VK_CONTROLLER_IDE: return vk_ide_controller_model_from_string(model);
    case VK_CONTROLLER_ISA: return -1;   /* libvirt knows no ISA bridge model */
    default: return 0;
    }
}

/* The ICH9 EHCI and its UHCI companions share one index. */
static bool
usb_model_is_ich9(int model)
{
    return model == VK_USB_MODEL_ICH9_EHCI1 || model == VK_USB_MODEL_ICH9_UHCI1 ||
           model == VK_USB_MODEL_ICH9_UHCI2 || model == VK_USB_MODEL_ICH9_UHCI3;
}

/* The first index no controller of TYPE has yet. */
static int
controller_first_free_index(const VkDomainDef *def, VkControllerType type)
{
    int idx = 0;
    while (vk_domain_def_find_controller(def, type, idx))
        idx++;
    return idx;
}

/* Whether a USB controller of INDEX is a master (STARTPORT -1) or a
 * companion at STARTPORT. */
static bool
usb_index_has(const VkDomainDef *def, int index, int startport)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_USB && c->index == index &&
            (startport < 0 ? c->master_startport < 0 : c->master_startport == startport))
            return true;
    }
    return false;
}

/* The index of a USB controller written without one, PREV the USB
 * controller before it in libvirt's order (document order among those
 * without an index), as libvirtd 9.0 answers: a companion (<master>) takes
 * the index of the USB controller just before it when that is an ich9-ehci1
 * or another companion and no companion of that index has its startport; an
 * ich9-ehci1 takes that of a companion just before it whose index has no
 * master yet; anything else the first free index. */
static int
usb_index_in_order(const VkDomainDef *def, const VkDomainControllerDef *c,
                   const VkDomainControllerDef *prev)
{
    if (prev && c->master_startport >= 0 &&
        (prev->master_startport >= 0 || prev->model == VK_USB_MODEL_ICH9_EHCI1) &&
        !usb_index_has(def, prev->index, c->master_startport))
        return prev->index;
    if (prev && c->model == VK_USB_MODEL_ICH9_EHCI1 && prev->master_startport >= 0 &&
        !usb_index_has(def, prev->index, -1))
        return prev->index;
    return controller_first_free_index(def, VK_CONTROLLER_USB);
}

/* libvirt refuses companions (<master>) with no USB controller that could
 * be their master anywhere in the domain. */
static int
check_usb_masters(const VkDomainDef *def)
{
    bool companion = false, master = false;
    for (guint i = 0; i < def->controllers->len; i++) {
        const VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type != VK_CONTROLLER_USB)
            continue;
        if (c->master_startport >= 0)
            companion = true;
        else
            master = true;
    }
    if (companion && !master) {
        ERR(VIR_ERR_XML_DETAIL, "%s", "No master USB controller specified");
        return -1;
    }
    return 0;
}

static VkDomainControllerDef *
parse_controller(xmlNodePtr node, unsigned int flags)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    g_autofree char *index = vk_xml_prop(node, "index");
    g_autofree char *model = vk_xml_prop(node, "model");
    xmlNodePtr n;
    int t = VK_CONTROLLER_IDE;

    if (type && (t = vk_controller_type_from_string(type)) < 0) {
        vk_xml_invalid_attr(node, "type", type, NULL);
        return NULL;
    }
    g_autoptr(VkDomainControllerDef) c = vk_domain_controller_def_new(t);

    if (index) {
        unsigned int v;
        if (vk_xml_parse_uint(index, 10, &v) < 0 || v > G_MAXINT) {
            vk_xml_invalid_attr(node, "index", index, " Expected non-negative integer value");
            return NULL;
        }
        c->index = (int) v;
    }
    if (model && c->type == VK_CONTROLLER_PCI) {
        if ((c->pci_model = vk_pci_controller_model_from_string(model)) < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "Unknown model type '%s'", model);
            return NULL;
        }
    } else if (model) {
        if ((c->model = controller_model_from_string(c->type, model)) < 0) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown model type '%s'", model);
            return NULL;
        }
    }
    if (c->type == VK_CONTROLLER_VIRTIO_SERIAL) {
        if (vk_xml_attr_int(node, "ports", &c->ports) < 0 || vk_xml_attr_int(node, "vectors", &c->vectors) < 0)
            return NULL;
    } else if (c->type == VK_CONTROLLER_USB || c->type == VK_CONTROLLER_CCID) {
        if (vk_xml_attr_int(node, "ports", &c->ports) < 0)
            return NULL;
    }
    if ((n = vk_xml_child(node, "driver"))) {
        if (vk_xml_attr_uint(n, "queues", 10, &c->queues) < 0 ||
            vk_xml_attr_uint(n, "cmd_per_lun", 10, &c->cmd_per_lun) < 0 ||
            vk_xml_attr_uint(n, "max_sectors", 10, &c->max_sectors) < 0 ||
            vk_xml_attr_uint(n, "iothread", 10, &c->iothread) < 0)
            return NULL;
    }
    if ((n = vk_xml_child(node, "master")) && vk_xml_attr_int(n, "startport", &c->master_startport) < 0)
        return NULL;
    if (c->type == VK_CONTROLLER_PCI) {
        if ((n = vk_xml_child(node, "model")))
            c->pci_model_name = vk_xml_prop(n, "name");
        if ((n = vk_xml_child(node, "target"))) {
            unsigned int v;
            int r;
            if ((r = vk_xml_attr_uint(n, "chassisNr", 10, &v)) < 0)
                return NULL;
            if (r) {
                if (v < 1 || v > 255) {
                    ERR(VIR_ERR_XML_ERROR,
                        "PCI controller chassisNr '%u' out of range - must be 1-255", v);
                    return NULL;
                }
                c->chassis_nr = (int) v;
            }
            if ((r = vk_xml_attr_uint(n, "chassis", 10, &v)) < 0)
                return NULL;
            if (r) {
                if (v > 255) {
                    ERR(VIR_ERR_XML_ERROR,
                        "PCI controller chassis '%u' out of range - must be 0-255", v);
                    return NULL;
                }
                c->chassis = (int) v;
            }
            if ((r = vk_xml_attr_uint(n, "port", 0, &v)) < 0)
                return NULL;
            if (r) {
                if (v > 255) {
                    ERR(VIR_ERR_XML_ERROR,
                        "PCI controller port '%u' out of range - must be 0-255", v);
                    return NULL;
                }
                c->port = (int) v;
            }
            if ((r = vk_xml_attr_uint(n, "busNr", 10, &v)) < 0)
                return NULL;
            if (r) {
                if (v < 1 || v > 254) {
                    ERR(VIR_ERR_XML_ERROR,
                        "PCI controller busNr '%u' out of range - must be 1-254", v);
                    return NULL;
                }
                c->bus_nr = (int) v;
            }
            if (vk_xml_attr_tristate(n, "hotplug", vk_xml_on_off, &c->hotplug) < 0)
                return NULL;
            if ((r = vk_xml_attr_uint(n, "index", 10, &v)) < 0)
                return NULL;
            if (r)
                c->target_index = (int) v;
            xmlNodePtr nn = vk_xml_child(n, "node");
            if (nn) {
                g_autofree char *txt = vk_xml_text(nn);
                if (vk_xml_parse_uint(txt, 10, &v) < 0) {
                    ERR(VIR_ERR_XML_ERROR, "%s", "invalid NUMA node in target");
                    return NULL;
                }
                c->numa_node = (int) v;
            }
        }
    }
    if (parse_device_info(node, &c->info, 0, flags) < 0)
        return NULL;
    /* PCI roots and the implicit ISA/FDC have no address of their own. */
    if (c->type == VK_CONTROLLER_PCI && c->info.addr.type != VK_DEVICE_ADDRESS_NONE &&
        (c->pci_model == VK_PCI_MODEL_PCI_ROOT || c->pci_model == VK_PCI_MODEL_PCIE_ROOT)) {
        ERR(VIR_ERR_XML_ERROR, "%s", "pci-root and pcie-root controllers should not have an address");
        return NULL;
    }
    return g_steal_pointer(&c);
}

static int
parse_mac(const char *str, char *out)
{
    unsigned int b[6];
    char tail;

    if (!str || sscanf(str, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
                       &tail) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xFF)
            return -1;
    }
    /* each part must be one or two hex digits */
    g_auto(GStrv) parts = g_strsplit(str, ":", -1);
    for (int i = 0; parts[i]; i++) {
        size_t len = strlen(parts[i]);
        if (len < 1 || len > 2)
            return -1;
    }
    g_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    return 0;
}

/* A status file's <actual type='hostdev'>: the VF a hostdev network's port
 * gave (libvirt reads <actual> only from its own status files too). */
static int
parse_net_actual(xmlNodePtr actual, VkDomainNetDef *n)
{
    g_autofree char *type = vk_xml_prop(actual, "type");
    xmlNodePtr a = vk_xml_child(vk_xml_child(actual, "source"), "address");

    if (g_strcmp0(type, "hostdev") != 0)
        return 0;
    if (!a || vk_xml_attr_tristate(actual, "managed", vk_xml_yes_no, &n->managed) < 0 ||
        parse_pci_address(a, &n->src_pci) < 0) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Missing <source> element in hostdev interface");
        return -1;
    }
    n->has_src_pci = true;
    n->actual_hostdev = true;
    return 0;
}

/* What a running guest's type network interface shows of its port: the
 * port's uuid and bridge (status files and live XML bring them back). */
static int
parse_net_port(xmlNodePtr source, VkDomainNetDef *n)
{
    g_autofree char *portid = vk_xml_prop(source, "portid");

    if (portid) {
        if (vk_domain_uuid_parse(portid, n->src_portid) < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "Unable to parse port id '%s'", portid);
            return -1;
        }
        n->has_src_portid = true;
    }
    n->src_bridge = vk_xml_prop(source, "bridge");
    return 0;
}

static VkDomainNetDef *
parse_net(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainNetDef) n = g_new0(VkDomainNetDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    xmlNodePtr c;

    n->type = VK_NET_TYPE_USER;
    if (type) {
        int t = vk_net_type_from_string(type);
        if (t < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown interface type '%s'", type);
            return NULL;
        }
        n->type = t;
    }
    n->trust_guest_rx_filters = vk_xml_prop(node, "trustGuestRxFilters");
    if (n->type == VK_NET_TYPE_HOSTDEV &&
        vk_xml_attr_tristate(node, "managed", vk_xml_yes_no, &n->managed) < 0)
        return NULL;

    if ((c = vk_xml_child(node, "mac"))) {
        g_autofree char *mac = vk_xml_prop(c, "address");
        if (mac) {
            if (parse_mac(mac, n->mac) < 0) {
                ERR(VIR_ERR_INVALID_MAC, "%s", mac);
                return NULL;
            }
            unsigned int first;
            sscanf(n->mac, "%x", &first);
            if (first & 1) {
                ERR(VIR_ERR_XML_ERROR, "expected unicast mac address, found multicast '%s'", mac);
                return NULL;
            }
        }
    }
    if (!n->mac[0]) {
        g_snprintf(n->mac, sizeof(n->mac), "52:54:00:%02x:%02x:%02x",
                   g_random_int_range(0, 256), g_random_int_range(0, 256),
                   g_random_int_range(0, 256));
        n->mac_generated = true;
    }

    if ((c = vk_xml_child(node, "source"))) {
        switch (n->type) {
        case VK_NET_TYPE_NETWORK:
            n->src_network = vk_xml_prop(c, "network");
            n->src_portgroup = vk_xml_prop(c, "portgroup");
            if (parse_net_port(c, n) < 0)
                return NULL;
            if (!(flags & VK_DOMAIN_PARSE_INACTIVE) && vk_xml_child(node, "actual") &&
                parse_net_actual(vk_xml_child(node, "actual"), n) < 0)
                return NULL;
            break;
        case VK_NET_TYPE_BRIDGE:
            n->src_bridge = vk_xml_prop(c, "bridge");
            break;
        case VK_NET_TYPE_DIRECT:
            n->src_dev = vk_xml_prop(c, "dev");
            if (vk_xml_attr_enum(c, "mode", vk_net_direct_mode_from_string,
                                 VK_XML_ENUM_OUT(n->src_mode)) < 0)
                return NULL;
            break;
        case VK_NET_TYPE_HOSTDEV: {
            xmlNodePtr a = vk_xml_child(c, "address");
            if (a) {
                g_autofree char *atype = vk_xml_prop(a, "type");
                if (atype && vk_device_address_type_from_string(atype) != VK_DEVICE_ADDRESS_PCI) {
                    ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "only PCI hostdev interfaces are supported");
                    return NULL;
                }
                if (parse_pci_address(a, &n->src_pci) < 0)
                    return NULL;
                n->has_src_pci = true;
            }
            break;
        }
        case VK_NET_TYPE_ETHERNET:
        default:
            break;
        }
    }
    if (n->type == VK_NET_TYPE_NETWORK && !n->src_network) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s",
            "No <source> 'network' attribute specified with <interface type='network'/>");
        return NULL;
    }
    if (n->type == VK_NET_TYPE_BRIDGE && !n->src_bridge) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s",
            "No <source> 'bridge' attribute specified with <interface type='bridge'/>");
        return NULL;
    }
    if (n->type == VK_NET_TYPE_DIRECT && !n->src_dev) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s",
            "No <source> 'dev' attribute specified with <interface type='direct'/>");
        return NULL;
    }
    if (n->type == VK_NET_TYPE_HOSTDEV && !n->has_src_pci) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Missing <source> element in hostdev interface");
        return NULL;
    }
    if ((c = vk_xml_child(node, "virtualport")))
        n->virtualport_type = vk_xml_prop(c, "type");
    if ((c = vk_xml_child(node, "bandwidth")))
        n->bandwidth_xml = vk_domain_xml_serialize(c);
    if ((c = vk_xml_child(node, "vlan")))
        n->vlan_xml = vk_domain_xml_serialize(c);
    if ((c = vk_xml_child(node, "target"))) {
        n->target_dev = vk_xml_prop(c, "dev");
        g_autofree char *managed = vk_xml_prop(c, "managed");
        n->target_managed_no = managed && g_str_equal(managed, "no");
    }
    if ((c = vk_xml_child(node, "model"))) {
        n->model = vk_xml_prop(c, "type");
        if (n->model) {
            for (const char *p = n->model; *p; p++) {
                if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-') {
                    ERR(VIR_ERR_INVALID_ARG, "%s",
                        "Model name contains invalid characters");
                    return NULL;
                }
            }
        }
    }
    if ((c = vk_xml_child(node, "driver"))) {
        if (vk_xml_attr_enum(c, "name", vk_net_driver_name_from_string,
                             VK_XML_ENUM_OUT(n->driver_name)) < 0 ||
            vk_xml_attr_enum(c, "txmode", vk_net_txmode_from_string,
                             VK_XML_ENUM_OUT(n->driver_txmode)) < 0 ||
            vk_xml_attr_tristate(c, "ioeventfd", vk_xml_on_off, &n->driver_ioeventfd) < 0 ||
            vk_xml_attr_tristate(c, "event_idx", vk_xml_on_off, &n->driver_event_idx) < 0 ||
            vk_xml_attr_uint(c, "queues", 10, &n->driver_queues) < 0 ||
            vk_xml_attr_uint(c, "rx_queue_size", 10, &n->driver_rx_queue_size) < 0 ||
            vk_xml_attr_uint(c, "tx_queue_size", 10, &n->driver_tx_queue_size) < 0)
            return NULL;
    }
    if ((c = vk_xml_child(node, "link")) &&
        vk_xml_attr_enum(c, "state", vk_net_link_state_from_string, VK_XML_ENUM_OUT(n->link_state)) < 0)
        return NULL;
    if ((c = vk_xml_child(node, "mtu")) && vk_xml_attr_uint(c, "size", 10, &n->mtu) < 0)
        return NULL;
    if (parse_device_info(node, &n->info, INFO_BOOT | INFO_ROM, flags) < 0)
        return NULL;
    return g_steal_pointer(&n);
}

static VkDomainInputDef *
parse_input(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainInputDef) i = g_new0(VkDomainInputDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    g_autofree char *bus = vk_xml_prop(node, "bus");
    int v;

    if (!type) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing input device type");
        return NULL;
    }
    if ((v = vk_input_type_from_string(type)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown input device type '%s'", type);
        return NULL;
    }
    i->type = v;
    if (bus && (v = vk_input_bus_from_string(bus)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown input bus type '%s'", bus);
        return NULL;
    }
    i->bus = bus ? v : VK_INPUT_BUS_ABSENT;
    if (vk_xml_attr_enum(node, "model", vk_virtio_model_from_string, VK_XML_ENUM_OUT(i->model)) < 0)
        return NULL;
    xmlNodePtr s = vk_xml_child(node, "source");
    if (s)
        i->source_evdev = vk_xml_prop(s, "evdev");
    if (parse_device_info(node, &i->info, 0, flags) < 0)
        return NULL;
    return g_steal_pointer(&i);
}

static VkDomainGraphicsDef *
parse_graphics(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainGraphicsDef) g = g_new0(VkDomainGraphicsDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    xmlNodePtr c;
    int t;

    if (!type) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing graphics device type");
        return NULL;
    }
    if ((t = vk_graphics_type_from_string(type)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown graphics device type '%s'", type);
        return NULL;
    }
    g->type = t;
    bool vnc = g->type == VK_GRAPHICS_VNC, spice = g->type == VK_GRAPHICS_SPICE;
    if (vnc || spice || g->type == VK_GRAPHICS_RDP) {
        if (vk_xml_attr_int(node, "port", &g->port) < 0)
            return NULL;
        if (spice && vk_xml_attr_int(node, "tlsPort", &g->tls_port) < 0)
            return NULL;
        if (vk_xml_attr_tristate(node, "autoport", vk_xml_yes_no, &g->autoport) < 0)
            return NULL;
        /* port -1 (or none) means autoport; an inactive config keeps no port then */
        if (vnc && (g->port == -1 || (g->port == 0 && g->autoport != VK_TRISTATE_OFF)))
            g->autoport = VK_TRISTATE_ON;
        /* spice: only autoport='yes' means autoport (port='-1' stays as given) */
        if (g->type == VK_GRAPHICS_RDP && g->port == -1)
            g->autoport = VK_TRISTATE_ON;
        if (g->autoport == VK_TRISTATE_ON && (flags & VK_DOMAIN_PARSE_INACTIVE)) {
            g->port = 0;
            if (g->tls_port > 0)
                g->tls_port = 0;
        }
        if (g->autoport == VK_TRISTATE_ON && g->tls_port == -1)
            g->tls_port = 0;
        g->websocket = vk_xml_prop(node, "websocket");
        g->passwd = vk_xml_prop(node, "passwd");
        g->keymap = vk_xml_prop(node, "keymap");
        g->share_policy = vk_xml_prop(node, "sharePolicy");
        g->default_mode = vk_xml_prop(node, "defaultMode");
    }
    /* <listen> children; the old listen= attribute becomes one when there is none */
    if ((c = vk_xml_child(node, "listen"))) {
        g_autofree char *ltype = vk_xml_prop(c, "type");
        if (!ltype) {
            ERR(VIR_ERR_XML_ERROR, "%s", "graphics listen type must be specified");
            return NULL;
        }
        if ((t = vk_graphics_listen_type_from_string(ltype)) < 0) {
            ERR(VIR_ERR_XML_ERROR, "unknown graphics listen type '%s'", ltype);
            return NULL;
        }
        g->listen_type = t;
        g->listen_address = vk_xml_prop(c, "address");
        g->listen_network = vk_xml_prop(c, "network");
        g->listen_socket = vk_xml_prop(c, "socket");
        g_autofree char *legacy = vk_xml_prop(node, "listen");
        if (g->listen_type == VK_GRAPHICS_LISTEN_ADDRESS && !g->listen_address && legacy)
            g->listen_address = g_steal_pointer(&legacy);
    } else if (spice && g->port == 0 && g->tls_port == 0 && g->autoport != VK_TRISTATE_ON) {
        /* a spice display with no port to listen on: libvirt records no
         * listen address (even a listen= attribute is dropped) */
        g->listen_type = VK_GRAPHICS_LISTEN_NONE;
    } else {
        g_autofree char *legacy = vk_xml_prop(node, "listen");
        if (legacy) {
            g->listen_type = VK_GRAPHICS_LISTEN_ADDRESS;
            g->listen_address = g_steal_pointer(&legacy);
        } else if (vnc || spice) {
            g->listen_type = VK_GRAPHICS_LISTEN_ADDRESS;
        }
    }
    if ((c = vk_xml_child(node, "gl"))) {
        g->gl_enable = vk_xml_prop(c, "enable");
        g->gl_rendernode = vk_xml_prop(c, "rendernode");
    }
    if ((c = vk_xml_child(node, "image")))
        g->image_compression = vk_xml_prop(c, "compression");
    if ((c = vk_xml_child(node, "audio")))
        g->audio_id = vk_xml_prop(c, "id");
    return g_steal_pointer(&g);
}

static VkDomainVideoDef *
parse_video(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainVideoDef) v = g_new0(VkDomainVideoDef, 1);
    xmlNodePtr m = vk_xml_child(node, "model"), c;

    if (m) {
        if (vk_xml_attr_enum(m, "type", vk_video_model_from_string, VK_XML_ENUM_OUT(v->model)) < 0 ||
            vk_xml_attr_uint(m, "vram", 10, &v->vram) < 0 ||
            vk_xml_attr_uint(m, "ram", 10, &v->ram) < 0 ||
            vk_xml_attr_uint(m, "vram64", 10, &v->vram64) < 0 ||
            vk_xml_attr_uint(m, "vgamem", 10, &v->vgamem) < 0 ||
            vk_xml_attr_uint(m, "heads", 10, &v->heads) < 0 ||
            vk_xml_attr_tristate(m, "primary", vk_xml_yes_no, &v->primary) < 0)
            return NULL;
        if ((c = vk_xml_child(m, "acceleration"))) {
            if (vk_xml_attr_tristate(c, "accel3d", vk_xml_yes_no, &v->accel3d) < 0 ||
                vk_xml_attr_tristate(c, "accel2d", vk_xml_yes_no, &v->accel2d) < 0)
                return NULL;
        }
    }
    if ((c = vk_xml_child(node, "driver")))
        v->driver_name = vk_xml_prop(c, "name");
    if (parse_device_info(node, &v->info, 0, flags) < 0)
        return NULL;
    return g_steal_pointer(&v);
}

/* <source mode=> of the host side of a character device of TYPE: libvirt
 * reads it for the socket types only. */
static int
parse_chr_source_mode(xmlNodePtr source, VkChrType type, VkChrSourceMode *mode)
{
    if (type != VK_CHR_TYPE_TCP && type != VK_CHR_TYPE_UDP && type != VK_CHR_TYPE_UNIX)
        return 0;
    return vk_xml_attr_enum(source, "mode", vk_chr_source_mode_from_string,
                            VK_XML_ENUM_OUT(*mode)) < 0 ? -1 : 0;
}

/* NODE's <protocol type=>: libvirt reads it for tcp only. */
static int
parse_chr_protocol(xmlNodePtr node, VkChrType type, VkChrProtocol *protocol)
{
    g_autofree char *v = type == VK_CHR_TYPE_TCP ? vk_xml_prop(vk_xml_child(node, "protocol"), "type")
                                                  : NULL;
    int p;

    if (!v)
        return 0;
    if ((p = vk_chr_protocol_from_string(v)) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown protocol '%s'", v);
        return -1;
    }
    *protocol = p;
    return 0;
}

/* <target type=> of a character device of KIND: its value, 0 for a
 * parallel port (libvirt ignores it), -1 when unknown. */
static int
chr_target_from_string(VkChrDeviceKind kind, const char *type)
{
    switch (kind) {
    case VK_CHR_SERIAL: return vk_chr_serial_target_from_string(type);
    case VK_CHR_CONSOLE: return vk_chr_console_target_from_string(type);
    case VK_CHR_CHANNEL: return vk_chr_channel_target_from_string(type);
    default: return 0;
    }
}

static VkDomainChrDef *
parse_chr(xmlNodePtr node, VkChrDeviceKind kind, unsigned int flags)
{
    g_autoptr(VkDomainChrDef) c = g_new0(VkDomainChrDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    xmlNodePtr n;
    int t;

    c->kind = kind;
    c->target_port = -1;
    if ((t = type ? vk_chr_type_from_string(type) : VK_CHR_TYPE_NULL) < 0) {
        ERR(VIR_ERR_XML_ERROR, "unknown type presented to host for character device: %s", type);
        return NULL;
    }
    c->type = t;
    if ((n = vk_xml_child(node, "source"))) {
        c->src_path = vk_xml_prop(n, "path");
        c->src_host = vk_xml_prop(n, "host");
        c->src_service = vk_xml_prop(n, "service");
        c->src_append = vk_xml_prop(n, "append");
        c->src_channel = vk_xml_prop(n, "channel");
        if (parse_chr_source_mode(n, c->type, &c->src_mode) < 0)
            return NULL;
    }
    if (parse_chr_protocol(node, c->type, &c->protocol) < 0)
        return NULL;
    if ((n = vk_xml_child(node, "log"))) {
        c->log_file = vk_xml_prop(n, "file");
        c->log_append = vk_xml_prop(n, "append");
    }
    if ((n = vk_xml_child(node, "target"))) {
        g_autofree char *ttype = vk_xml_prop(n, "type");
        if (ttype && (c->target_type = chr_target_from_string(kind, ttype)) < 0) {
            ERR(VIR_ERR_XML_ERROR, "unknown target type '%s' specified for character device",
                ttype);
            return NULL;
        }
        if (kind == VK_CHR_CHANNEL) {
            c->target_name = vk_xml_prop(n, "name");
            c->target_address = vk_xml_prop(n, "address");
            c->target_tgt_port = vk_xml_prop(n, "port");
            g_autofree char *state = vk_xml_prop(n, "state");
            /* live state: kept in the status file, ignored in a definition */
            int st = state && !(flags & VK_DOMAIN_PARSE_INACTIVE)
                         ? vk_chr_state_from_string(state) : VK_CHR_STATE_DEFAULT;
            if (st < 0) {
                ERR(VIR_ERR_XML_ERROR, "Invalid channel state value '%s'", state);
                return NULL;
            }
            c->state = st;
        } else {
            g_autofree char *port = vk_xml_prop(n, "port");
            unsigned int v;
            if (port) {
                if (vk_xml_parse_uint(port, 10, &v) < 0 || v > G_MAXINT) {
                    ERR(VIR_ERR_XML_ERROR, "Invalid port number: %s", port);
                    return NULL;
                }
                c->target_port = (int) v;
            }
        }
        xmlNodePtr m = vk_xml_child(n, "model");
        if (m && kind == VK_CHR_SERIAL)
            c->target_model = vk_xml_prop(m, "name");
    }
    if (kind == VK_CHR_CHANNEL && !c->target_type) {
        ERR(VIR_ERR_XML_ERROR, "%s", "unknown target type '(null)' specified for character device");
        return NULL;
    }
    if (parse_device_info(node, &c->info, 0, flags) < 0)
        return NULL;
    return g_steal_pointer(&c);
}

static VkDomainSoundDef *
parse_sound(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainSoundDef) s = g_new0(VkDomainSoundDef, 1);
    g_autofree char *model = vk_xml_prop(node, "model");
    int m = vk_sound_model_from_string(model);

    if (m < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown sound model '%s'", model ? model : "(null)");
        return NULL;
    }
    s->model = m;
    s->codecs = g_ptr_array_new_with_free_func(g_free);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "codec"))
            continue;
        g_autofree char *t = vk_xml_prop(c, "type");
        if (!t || vk_enum_from_string((const char *const[]) { "duplex", "micro", "output",
                                      NULL }, t) < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown codec type '%s'", t ? t : "(null)");
            return NULL;
        }
        g_ptr_array_add(s->codecs, g_steal_pointer(&t));
    }
    xmlNodePtr a = vk_xml_child(node, "audio");
    if (a && vk_xml_attr_uint(a, "id", 10, &s->audio_id) < 0)
        return NULL;
    if (parse_device_info(node, &s->info, 0, flags) < 0)
        return NULL;
    return g_steal_pointer(&s);
}

static VkDomainAudioDef *
parse_audio(xmlNodePtr node)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_audio_def_free);
    VkDomainAudioDef *a = g_new0(VkDomainAudioDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    int t = vk_audio_type_from_string(type);

    g_ptr_array_add(holder, a);
    if (t < 0) {
        ERR(VIR_ERR_XML_ERROR, "Invalid value for attribute 'type' in element 'audio': '%s'.",
            type ? type : "");
        return NULL;
    }
    a->type = t;
    g_autofree char *id = vk_xml_prop(node, "id");
    if (!id || vk_xml_parse_uint(id, 10, &a->id) < 0 || a->id == 0) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Invalid value for attribute 'id' in element 'audio'");
        return NULL;
    }
    a->server_name = vk_xml_prop(node, "serverName");
    a->path = vk_xml_prop(node, "path");
    return g_ptr_array_steal_index(holder, 0);
}

static VkDomainHostdevDef *
parse_hostdev(xmlNodePtr node, unsigned int flags)
{
    g_autoptr(VkDomainHostdevDef) h = g_new0(VkDomainHostdevDef, 1);
    xmlNodePtr s, c;

    g_autofree char *mode = vk_xml_prop(node, "mode");
    g_autofree char *type = vk_xml_prop(node, "type");
    int t;

    /* capabilities hostdevs (LXC) are not for QEMU */
    if (mode && vk_hostdev_mode_from_string(mode) != VK_HOSTDEV_MODE_SUBSYSTEM) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported hostdev mode '%s'", mode);
        return NULL;
    }
    h->mode = VK_HOSTDEV_MODE_SUBSYSTEM;
    if ((t = vk_hostdev_type_from_string(type)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown host device source address type '%s'",
            type ? type : "(null)");
        return NULL;
    }
    h->type = t;
    if (vk_xml_attr_tristate(node, "managed", vk_xml_yes_no, &h->managed) < 0)
        return NULL;
    h->model = vk_xml_prop(node, "model");
    if (!(s = vk_xml_child(node, "source"))) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Missing <source> element in hostdev device");
        return NULL;
    }
    if (h->type == VK_HOSTDEV_PCI) {
        if (!(c = vk_xml_child(s, "address"))) {
            ERR(VIR_ERR_XML_ERROR, "%s", "PCI host devices must have address specified");
            return NULL;
        }
        if (parse_pci_address(c, &h->src_pci) < 0)
            return NULL;
    } else if (h->type == VK_HOSTDEV_USB) {
        if ((c = vk_xml_child(s, "vendor")))
            h->usb_vendor = vk_xml_prop(c, "id");
        if ((c = vk_xml_child(s, "product")))
            h->usb_product = vk_xml_prop(c, "id");
        if ((c = vk_xml_child(s, "address"))) {
            h->has_usb_address = true;
            if (vk_xml_attr_uint(c, "bus", 0, &h->usb_bus) < 0 ||
                vk_xml_attr_uint(c, "device", 0, &h->usb_device) < 0)
                return NULL;
        }
    }
    if (h->type == VK_HOSTDEV_PCI &&
        vk_xml_attr_enum(vk_xml_child(node, "driver"), "name", vk_hostdev_driver_from_string,
                         VK_XML_ENUM_OUT(h->driver)) < 0)
        return NULL;
    h->readonly = vk_xml_child(node, "readonly") != NULL;
    h->shareable = vk_xml_child(node, "shareable") != NULL;
    if (parse_device_info(node, &h->info, INFO_BOOT | INFO_ROM, flags) < 0)
        return NULL;
    return g_steal_pointer(&h);
}

static int
parse_redirdev(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    VkDomainRedirdevDef *r = g_new0(VkDomainRedirdevDef, 1);
    g_autofree char *bus = vk_xml_prop(node, "bus");
    g_autofree char *type = vk_xml_prop(node, "type");
    int v;
    g_ptr_array_add(def->redirdevs, r);
    if (bus && (v = vk_redirdev_bus_from_string(bus)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown redirdev bus '%s'", bus);
        return -1;
    }
    r->bus = VK_REDIRDEV_BUS_USB;
    if (!type) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing type in redirdev");
        return -1;
    }
    if ((v = vk_chr_type_from_string(type)) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown redirdev character device type '%s'", type);
        return -1;
    }
    r->type = v;
    if ((c = vk_xml_child(node, "source"))) {
        r->src_host = vk_xml_prop(c, "host");
        r->src_service = vk_xml_prop(c, "service");
    }
    if (parse_chr_protocol(node, r->type, &r->protocol) < 0)
        return -1;
    return parse_device_info(node, &r->info, INFO_BOOT, flags);
}

static int
parse_memballoon(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    g_autoptr(VkDomainMemballoonDef) m = g_new0(VkDomainMemballoonDef, 1);
    g_autofree char *model = vk_xml_prop(node, "model");
    int mt = vk_memballoon_model_from_string(model);
    if (mt < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown memory balloon model '%s'",
            model ? model : "(null)");
        return -1;
    }
    m->model = mt;
    if (vk_xml_attr_tristate(node, "autodeflate", vk_xml_on_off, &m->autodeflate) < 0 ||
        vk_xml_attr_tristate(node, "freePageReporting", vk_xml_on_off, &m->free_page_reporting) < 0)
        return -1;
    if ((c = vk_xml_child(node, "stats"))) {
        int period = 0;
        if (vk_xml_attr_int(c, "period", &period) < 0)
            return -1;
        m->stats_period = period > 0 ? (unsigned int) period : 0;
    }
    if (parse_device_info(node, &m->info, 0, flags) < 0)
        return -1;
    /* only the first balloon counts */
    if (!def->memballoon)
        def->memballoon = g_steal_pointer(&m);
    return 0;
}

static int
parse_rng(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    VkDomainRngDef *r = g_new0(VkDomainRngDef, 1);
    g_ptr_array_add(def->rngs, r);
    g_autofree char *model = vk_xml_prop(node, "model");
    int v = vk_virtio_model_from_string(model);
    if (v < 0) {
        ERR(VIR_ERR_XML_ERROR, "unknown RNG model '%s'", model ? model : "(null)");
        return -1;
    }
    r->model = v;
    if (!(c = vk_xml_child(node, "backend"))) {
        ERR(VIR_ERR_XML_ERROR, "%s", "missing RNG device backend");
        return -1;
    }
    g_autofree char *backend = vk_xml_prop(c, "model");
    if ((v = vk_rng_backend_from_string(backend)) < 0) {
        ERR(VIR_ERR_XML_ERROR, "unknown backend model '%s'", backend ? backend : "(null)");
        return -1;
    }
    r->backend_model = v;
    if (r->backend_model == VK_RNG_BACKEND_RANDOM) {
        r->backend_path = vk_xml_text(c);
        if (r->backend_path && !*r->backend_path)
            g_clear_pointer(&r->backend_path, g_free);
    } else if (r->backend_model == VK_RNG_BACKEND_EGD) {
        g_autofree char *type = vk_xml_prop(c, "type");
        int t;
        if (!type) {
            ERR(VIR_ERR_XML_ERROR, "%s", "missing EGD backend type");
            return -1;
        }
        if ((t = vk_chr_type_from_string(type)) < 0) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown backend type '%s' for egd", type);
            return -1;
        }
        r->egd_type = t;
        xmlNodePtr s = vk_xml_child(c, "source");
        if (s) {
            r->egd_src_host = vk_xml_prop(s, "host");
            r->egd_src_service = vk_xml_prop(s, "service");
            r->egd_src_path = vk_xml_prop(s, "path");
            if (parse_chr_source_mode(s, r->egd_type, &r->egd_src_mode) < 0)
                return -1;
        }
        if (parse_chr_protocol(c, r->egd_type, &r->egd_protocol) < 0)
            return -1;
    }
    if ((c = vk_xml_child(node, "rate"))) {
        if (vk_xml_attr_uint(c, "bytes", 10, &r->rate_bytes) < 0 ||
            vk_xml_attr_uint(c, "period", 10, &r->rate_period) < 0)
            return -1;
    }
    return parse_device_info(node, &r->info, 0, flags);
}

static int
parse_watchdog(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    VkDomainWatchdogDef *w = g_new0(VkDomainWatchdogDef, 1);
    g_autofree char *model = vk_xml_prop(node, "model");
    g_autofree char *action = vk_xml_prop(node, "action");
    int v;
    g_ptr_array_add(def->watchdogs, w);
    if ((v = vk_watchdog_model_from_string(model)) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown watchdog model '%s'", model ? model : "(null)");
        return -1;
    }
    w->model = v;
    if (action && (v = vk_watchdog_action_from_string(action)) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown watchdog action '%s'", action);
        return -1;
    }
    w->action = action ? v : VK_WATCHDOG_ACTION_ABSENT;
    return parse_device_info(node, &w->info, 0, flags);
}

static int
parse_tpm(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    VkDomainTpmDef *t = g_new0(VkDomainTpmDef, 1);
    g_ptr_array_add(def->tpms, t);
    if (vk_xml_attr_enum(node, "model", vk_tpm_model_from_string, VK_XML_ENUM_OUT(t->model)) < 0)
        return -1;
    if (!(c = vk_xml_child(node, "backend"))) {
        ERR(VIR_ERR_XML_ERROR, "%s", "missing TPM device backend");
        return -1;
    }
    g_autofree char *type = vk_xml_prop(c, "type");
    int v = vk_tpm_backend_type_from_string(type);
    if (v < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "Unknown TPM backend type '%s'", type ? type : "(null)");
        return -1;
    }
    t->backend_type = v;
    if (vk_xml_attr_enum(c, "version", vk_tpm_version_from_string,
                         VK_XML_ENUM_OUT(t->backend_version)) < 0)
        return -1;
    t->persistent_state = vk_xml_prop(c, "persistent_state");
    xmlNodePtr d = vk_xml_child(c, "device");
    if (d)
        t->device_path = vk_xml_prop(d, "path");
    d = vk_xml_child(c, "encryption");
    if (d)
        t->encryption_secret = vk_xml_prop(d, "secret");
    return parse_device_info(node, &t->info, 0, flags);
}

static int
parse_panic(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    VkDomainPanicDef *p = g_new0(VkDomainPanicDef, 1);
    g_autofree char *model = vk_xml_prop(node, "model");
    int v;
    g_ptr_array_add(def->panics, p);
    if (model && (v = vk_panic_model_from_string(model)) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown panic model '%s'", model);
        return -1;
    }
    p->model = model ? v : VK_PANIC_MODEL_ABSENT;
    return parse_device_info(node, &p->info, 0, flags);
}

static int
parse_filesystem(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    VkDomainFsDef *f = g_new0(VkDomainFsDef, 1);
    g_autofree char *type = vk_xml_prop(node, "type");
    int v;
    g_ptr_array_add(def->filesystems, f);
    if ((v = type ? vk_fs_type_from_string(type) : VK_FS_TYPE_MOUNT) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "unknown filesystem type '%s'", type);
        return -1;
    }
    f->type = v;
    if (vk_xml_attr_enum(node, "accessmode", vk_fs_access_mode_from_string,
                         VK_XML_ENUM_OUT(f->accessmode)) < 0 ||
        vk_xml_attr_enum(node, "model", vk_virtio_model_from_string, VK_XML_ENUM_OUT(f->model)) < 0)
        return -1;
    if ((c = vk_xml_child(node, "driver"))) {
        if (vk_xml_attr_enum(c, "type", vk_fs_driver_from_string, VK_XML_ENUM_OUT(f->driver_type)) < 0)
            return -1;
        f->driver_queue = vk_xml_prop(c, "queue");
    }
    if ((c = vk_xml_child(node, "binary")))
        f->binary_xml = vk_domain_xml_serialize(c);
    if ((c = vk_xml_child(node, "source"))) {
        f->src_dir = vk_xml_prop(c, "dir");
        if (!f->src_dir)
            f->src_dir = vk_xml_prop(c, "file");
        if (!f->src_dir)
            f->src_dir = vk_xml_prop(c, "name");
    }
    if ((c = vk_xml_child(node, "target")))
        f->target_dir = vk_xml_prop(c, "dir");
    if (!f->src_dir) {
        ERR(VIR_ERR_NO_SOURCE, "%s", f->target_dir ? f->target_dir : "");
        return -1;
    }
    if (!f->target_dir) {
        ERR(VIR_ERR_NO_TARGET, "%s", f->src_dir);
        return -1;
    }
    f->readonly = vk_xml_child(node, "readonly") != NULL;
    return parse_device_info(node, &f->info, INFO_BOOT, flags);
}

static int
parse_iommu(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_iommu_def_free);
    VkDomainIommuDef *i = g_new0(VkDomainIommuDef, 1);
    g_autofree char *model = vk_xml_prop(node, "model");
    int v = vk_iommu_model_from_string(model);
    g_ptr_array_add(holder, i);
    if (v < 0) {
        ERR(VIR_ERR_XML_ERROR, "Invalid value for attribute 'model' in element 'iommu': '%s'.",
            model ? model : "");
        return -1;
    }
    i->model = v;
    if ((c = vk_xml_child(node, "driver"))) {
        i->has_driver = true;
        if (vk_xml_attr_tristate(c, "intremap", vk_xml_on_off, &i->intremap) < 0 ||
            vk_xml_attr_tristate(c, "caching_mode", vk_xml_on_off, &i->caching_mode) < 0 ||
            vk_xml_attr_tristate(c, "eim", vk_xml_on_off, &i->eim) < 0 ||
            vk_xml_attr_tristate(c, "iotlb", vk_xml_on_off, &i->iotlb) < 0 ||
            vk_xml_attr_uint(c, "aw_bits", 10, &i->aw_bits) < 0)
            return -1;
    }
    if (parse_device_info(node, &i->info, 0, flags) < 0)
        return -1;
    if (def->iommu) {
        ERR(VIR_ERR_XML_ERROR, "%s", "only a single IOMMU device is supported");
        return -1;
    }
    def->iommu = g_ptr_array_steal_index(holder, 0);
    return 0;
}

static int
parse_shmem(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    VkDomainShmemDef *s = g_new0(VkDomainShmemDef, 1);
    g_ptr_array_add(def->shmems, s);
    if (!(s->name = vk_xml_prop(node, "name"))) {
        ERR(VIR_ERR_XML_ERROR, "%s", "shmem element must contain 'name' attribute");
        return -1;
    }
    if (vk_xml_attr_enum(node, "role", vk_shmem_role_from_string, VK_XML_ENUM_OUT(s->role)) < 0 ||
        vk_xml_attr_enum(vk_xml_child(node, "model"), "type", vk_shmem_model_from_string,
                         VK_XML_ENUM_OUT(s->model)) < 0)
        return -1;
    if ((c = vk_xml_child(node, "size"))) {
        unsigned long long kib;
        if (parse_memory(c, "./size[1]", &kib) < 0)
            return -1;
        s->size_kib = kib;
    }
    if ((c = vk_xml_child(node, "server")))
        s->server_path = vk_xml_prop(c, "path");
    if ((c = vk_xml_child(node, "msi"))) {
        s->has_msi = true;
        if (vk_xml_attr_uint(c, "vectors", 10, &s->msi_vectors) < 0 ||
            vk_xml_attr_tristate(c, "ioeventfd", vk_xml_on_off, &s->msi_ioeventfd) < 0)
            return -1;
    }
    return parse_device_info(node, &s->info, 0, flags);
}

static int
parse_vsock(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr c;
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_vsock_def_free);
    VkDomainVsockDef *v = g_new0(VkDomainVsockDef, 1);
    g_ptr_array_add(holder, v);
    if (vk_xml_attr_enum(node, "model", vk_virtio_model_from_string, VK_XML_ENUM_OUT(v->model)) < 0)
        return -1;
    if ((c = vk_xml_child(node, "cid"))) {
        if (vk_xml_attr_tristate(c, "auto", vk_xml_yes_no, &v->cid_auto) < 0 ||
            vk_xml_attr_uint(c, "address", 10, &v->cid_address) < 0)
            return -1;
    }
    if (parse_device_info(node, &v->info, 0, flags) < 0)
        return -1;
    if (def->vsock) {
        ERR(VIR_ERR_XML_ERROR, "%s", "only a single vsock device is supported");
        return -1;
    }
    def->vsock = g_ptr_array_steal_index(holder, 0);
    return 0;
}

/* The devices parsed by element name here rather than in parse_devices. */
static const struct {
    const char *element;
    int (*parse)(xmlNodePtr node, VkDomainDef *def, unsigned int flags);
} simple_devices[] = {
    { "redirdev", parse_redirdev },
    { "memballoon", parse_memballoon },
    { "rng", parse_rng },
    { "watchdog", parse_watchdog },
    { "tpm", parse_tpm },
    { "panic", parse_panic },
    { "filesystem", parse_filesystem },
    { "iommu", parse_iommu },
    { "shmem", parse_shmem },
    { "vsock", parse_vsock },
};

static int
parse_simple_devices(xmlNodePtr node, VkDomainDef *def, unsigned int flags)
{
    for (gsize i = 0; i < G_N_ELEMENTS(simple_devices); i++) {
        if (vk_xml_is_element(node, simple_devices[i].element))
            return simple_devices[i].parse(node, def, flags);
    }
    return 0;
}

static int
parse_devices(xmlNodePtr devices, VkDomainDef *def, unsigned int flags)
{
    for (xmlNodePtr n = devices->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *) n->name;

#define ADD(list, expr) do { \
            void *dev_ = (expr); \
            if (!dev_) \
                return -1; \
            g_ptr_array_add(def->list, dev_); \
        } while (0)

        if (g_str_equal(name, "emulator")) {
            if (!def->emulator)
                def->emulator = vk_xml_text(n);
        } else if (g_str_equal(name, "disk")) {
            VkDomainDiskDef *d = parse_disk(n, flags);
            if (!d)
                return -1;
            vk_domain_def_insert_disk(def, d);
        } else if (g_str_equal(name, "controller")) {
            VkDomainControllerDef *c = parse_controller(n, flags);
            if (!c)
                return -1;
            /* USB companion controllers share the index of their EHCI master */
            bool companion = c->type == VK_CONTROLLER_USB &&
                             (c->master_startport >= 0 || usb_model_is_ich9(c->model));
            if (c->index >= 0 && !companion &&
                vk_domain_def_find_controller(def, c->type, c->index)) {
                ERR(VIR_ERR_XML_ERROR, "Multiple '%s' controllers with index '%d'",
                    vk_controller_type_to_string(c->type), c->index);
                vk_domain_controller_def_free(c);
                return -1;
            }
            vk_domain_def_insert_controller(def, c);
        } else if (g_str_equal(name, "interface")) {
            ADD(nets, parse_net(n, flags));
        } else if (g_str_equal(name, "input")) {
            ADD(inputs, parse_input(n, flags));
        } else if (g_str_equal(name, "graphics")) {
            ADD(graphics, parse_graphics(n, flags));
        } else if (g_str_equal(name, "video")) {
            ADD(videos, parse_video(n, flags));
        } else if (g_str_equal(name, "serial")) {
            ADD(serials, parse_chr(n, VK_CHR_SERIAL, flags));
        } else if (g_str_equal(name, "parallel")) {
            ADD(parallels, parse_chr(n, VK_CHR_PARALLEL, flags));
        } else if (g_str_equal(name, "console")) {
            ADD(consoles, parse_chr(n, VK_CHR_CONSOLE, flags));
        } else if (g_str_equal(name, "channel")) {
            ADD(channels, parse_chr(n, VK_CHR_CHANNEL, flags));
        } else if (g_str_equal(name, "sound")) {
            ADD(sounds, parse_sound(n, flags));
        } else if (g_str_equal(name, "audio")) {
            ADD(audios, parse_audio(n));
        } else if (g_str_equal(name, "hostdev")) {
            ADD(hostdevs, parse_hostdev(n, flags));
        } else if (vk_enum_from_string(raw_devices, name) >= 0) {
            if (raw_device(def, n, flags) < 0)
                return -1;
        } else if (parse_simple_devices(n, def, flags) < 0) {
            return -1;
        }
#undef ADD
    }
    return 0;
}

/* ---- top-level sections ---------------------------------------------------- */

static int
parse_os(xmlNodePtr os, VkDomainDef *def)
{
    VkDomainOsDef *o = &def->os;
    xmlNodePtr n;

    if (vk_xml_attr_enum(os, "firmware", vk_os_firmware_from_string, VK_XML_ENUM_OUT(o->firmware)) < 0)
        return -1;
    if ((n = vk_xml_child(os, "type"))) {
        o->type = vk_xml_text(n);
        o->arch = vk_xml_prop(n, "arch");
        o->machine = vk_xml_prop(n, "machine");
    }
    if (!o->type || !*o->type) {
        ERR(VIR_ERR_OS_TYPE, "%s", "(null)");
        return -1;
    }
    if (vk_enum_from_string((const char *const[]) { "hvm", "xen", "linux", "exe", "uml",
                            "xenpvh", NULL }, o->type) < 0) {
        ERR(VIR_ERR_OS_TYPE, "%s", o->type);
        return -1;
    }
    if ((n = vk_xml_child(os, "firmware"))) {
        for (xmlNodePtr f = n->children; f; f = f->next) {
            if (!vk_xml_is_element(f, "feature"))
                continue;
            VkTristate en = VK_TRISTATE_ABSENT;
            g_autofree char *fname = vk_xml_prop(f, "name");
            if (vk_xml_attr_tristate(f, "enabled", vk_xml_yes_no, &en) < 0)
                return -1;
            if (!fname || en == VK_TRISTATE_ABSENT) {
                ERR(VIR_ERR_XML_ERROR, "%s", "invalid firmware feature");
                return -1;
            }
            VkDomainOsFwFeature *ff = g_new0(VkDomainOsFwFeature, 1);
            ff->name = g_steal_pointer(&fname);
            ff->enabled = en == VK_TRISTATE_ON;
            g_ptr_array_add(o->firmware_features, ff);
        }
        /* libvirt keeps them by feature, in its own order */
        g_ptr_array_sort(o->firmware_features, fw_feature_cmp);
    }
    if ((n = vk_xml_child(os, "loader"))) {
        o->has_loader = true;
        if (vk_xml_attr_tristate(n, "readonly", vk_xml_yes_no, &o->loader_readonly) < 0 ||
            vk_xml_attr_tristate(n, "secure", vk_xml_yes_no, &o->loader_secure) < 0 ||
            vk_xml_attr_enum(n, "type", vk_loader_type_from_string, VK_XML_ENUM_OUT(o->loader_type)) < 0)
            return -1;
        o->loader = vk_xml_text(n);
        if (o->loader && !*o->loader)
            g_clear_pointer(&o->loader, g_free);
    }
    if ((n = vk_xml_child(os, "nvram"))) {
        o->nvram = vk_xml_text(n);
        if (o->nvram && !*o->nvram)
            g_clear_pointer(&o->nvram, g_free);
        o->nvram_template = vk_xml_prop(n, "template");
    }
    o->kernel = vk_xml_child_text(os, "kernel");
    o->initrd = vk_xml_child_text(os, "initrd");
    o->cmdline = vk_xml_child_text(os, "cmdline");
    o->dtb = vk_xml_child_text(os, "dtb");
    for (n = os->children; n; n = n->next) {
        if (!vk_xml_is_element(n, "boot"))
            continue;
        g_autofree char *dev = vk_xml_prop(n, "dev");
        int v;
        if (!dev) {
            ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing boot device");
            return -1;
        }
        if ((v = vk_domain_boot_dev_from_string(dev)) < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown boot device '%s'", dev);
            return -1;
        }
        VkDomainBootDev d = v;
        if (o->boot_devs->len < 4)
            g_array_append_val(o->boot_devs, d);
    }
    if ((n = vk_xml_child(os, "bootmenu"))) {
        if (vk_xml_attr_tristate(n, "enable", vk_xml_yes_no, &o->bootmenu) < 0)
            return -1;
        g_autofree char *t = vk_xml_prop(n, "timeout");
        if (t && o->bootmenu == VK_TRISTATE_ON) {
            unsigned int v;
            if (vk_xml_parse_uint(t, 10, &v) < 0 || v > 65535) {
                ERR(VIR_ERR_XML_ERROR, "%s",
                    "invalid value for boot menu timeout, must be in range [0,65535]");
                return -1;
            }
            o->bootmenu_timeout = (int) v;
        }
    }
    if ((n = vk_xml_child(os, "smbios")) &&
        vk_xml_attr_enum(n, "mode", vk_smbios_mode_from_string, VK_XML_ENUM_OUT(o->smbios_mode)) < 0)
        return -1;
    if ((n = vk_xml_child(os, "bios"))) {
        if (vk_xml_attr_tristate(n, "useserial", vk_xml_yes_no, &o->bios_useserial) < 0)
            return -1;
        g_autofree char *rt = vk_xml_prop(n, "rebootTimeout");
        if (rt) {
            int v;
            if (vk_xml_parse_int(rt, 10, &v) < 0 || v < -1 || v > 65535) {
                ERR(VIR_ERR_XML_ERROR, "%s",
                    "invalid value for rebootTimeout, must be in range [-1,65535]");
                return -1;
            }
            o->bios_reboot_timeout = v;
        }
    }
    return 0;
}

/* One enlightenment, element H of <hyperv>, into HF (its name set). */
static int
parse_hyperv_feature(xmlNodePtr h, VkDomainHypervFeature *hf)
{
    if (vk_xml_attr_tristate(h, "state", vk_xml_on_off, &hf->state) < 0)
        return -1;
    if (hf->state == VK_TRISTATE_ABSENT) {
        ERR(VIR_ERR_XML_ERROR, "Missing required attribute 'state' in element '%s'",
            (const char *) h->name);
        return -1;
    }
    if (hf->name == VK_HYPERV_SPINLOCKS && hf->state == VK_TRISTATE_ON) {
        g_autofree char *r = vk_xml_prop(h, "retries");
        if (!r || vk_xml_parse_uint(r, 10, &hf->retries) < 0) {
            ERR(VIR_ERR_XML_ERROR, "%s", "invalid HyperV spinlock retry count");
            return -1;
        }
        if (hf->retries < 0xFFF) {
            ERR(VIR_ERR_XML_ERROR, "%s", "HyperV spinlock retry count must be at least 4095");
            return -1;
        }
    }
    if (hf->name == VK_HYPERV_VENDOR_ID && hf->state == VK_TRISTATE_ON) {
        hf->value = vk_xml_prop(h, "value");
        if (!hf->value) {
            ERR(VIR_ERR_XML_ERROR, "%s", "missing 'value' attribute for HyperV feature 'vendor_id'");
            return -1;
        }
        if (strlen(hf->value) > 12) {
            ERR(VIR_ERR_XML_ERROR, "HyperV vendor_id value must not be more than %d characters.", 12);
            return -1;
        }
    }
    if (hf->name == VK_HYPERV_STIMER) {
        xmlNodePtr d = vk_xml_child(h, "direct");
        VkTristate ds = VK_TRISTATE_ABSENT;
        if (d && vk_xml_attr_tristate(d, "state", vk_xml_on_off, &ds) < 0)
            return -1;
        hf->stimer_direct = ds == VK_TRISTATE_ON;
    }
    return 0;
}

static gint
hyperv_feature_cmp(gconstpointer a, gconstpointer b)
{
    return (int) (*(VkDomainHypervFeature *const *) a)->name -
           (int) (*(VkDomainHypervFeature *const *) b)->name;
}

/* <hyperv mode=> and its enlightenments, each once, in libvirt's order. */
static int
parse_hyperv(xmlNodePtr n, VkDomainFeatures *f)
{
    if (vk_xml_attr_enum(n, "mode", vk_hyperv_mode_from_string, VK_XML_ENUM_OUT(f->hyperv_mode)) < 0)
        return -1;
    for (xmlNodePtr h = n->children; h; h = h->next) {
        if (h->type != XML_ELEMENT_NODE)
            continue;
        int name = vk_hyperv_feature_name_from_string((const char *) h->name);
        if (name < 0) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported HyperV Enlightenment feature: %s",
                (const char *) h->name);
            return -1;
        }
        VkDomainHypervFeature *hf = g_new0(VkDomainHypervFeature, 1);
        hf->name = name;
        /* a repeated enlightenment replaces the earlier one */
        for (guint i = 0; i < f->hyperv->len; i++) {
            if (((VkDomainHypervFeature *) g_ptr_array_index(f->hyperv, i))->name == hf->name) {
                g_ptr_array_remove_index(f->hyperv, i);
                break;
            }
        }
        g_ptr_array_add(f->hyperv, hf);
        if (parse_hyperv_feature(h, hf) < 0)
            return -1;
    }
    g_ptr_array_sort(f->hyperv, hyperv_feature_cmp);
    return 0;
}

static int
parse_features(xmlNodePtr features, VkDomainDef *def)
{
    VkDomainFeatures *f = &def->features;

    def->has_features = true;
    for (xmlNodePtr n = features->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int id = vk_domain_feature_from_string((const char *) n->name);
        if (id < 0) {
            ERR(VIR_ERR_XML_ERROR, "unexpected feature '%s'", (const char *) n->name);
            return -1;
        }
        VkTristate st = VK_TRISTATE_ON;
        switch ((VkDomainFeature) id) {
        case VK_FEATURE_ACPI:
        case VK_FEATURE_PAE:
        case VK_FEATURE_VIRIDIAN:
        case VK_FEATURE_PRIVNET:
            break;
        case VK_FEATURE_APIC:
            if (vk_xml_attr_tristate(n, "eoi", vk_xml_on_off, &f->apic_eoi) < 0)
                return -1;
            break;
        case VK_FEATURE_HYPERV:
            if (parse_hyperv(n, f) < 0)
                return -1;
            break;
        case VK_FEATURE_KVM:
            for (xmlNodePtr k = n->children; k; k = k->next) {
                if (k->type != XML_ELEMENT_NODE)
                    continue;
                VkTristate *slot = NULL;
                if (vk_xml_is_element(k, "hidden"))
                    slot = &f->kvm_hidden;
                else if (vk_xml_is_element(k, "hint-dedicated"))
                    slot = &f->kvm_hint_dedicated;
                else if (vk_xml_is_element(k, "poll-control"))
                    slot = &f->kvm_poll_control;
                else if (vk_xml_is_element(k, "pv-ipi"))
                    slot = &f->kvm_pv_ipi;
                if (!slot) {
                    ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported KVM feature: %s",
                        (const char *) k->name);
                    return -1;
                }
                if (vk_xml_attr_tristate(k, "state", vk_xml_on_off, slot) < 0)
                    return -1;
                if (*slot == VK_TRISTATE_ABSENT) {
                    ERR(VIR_ERR_XML_ERROR, "Missing required attribute 'state' in element '%s'",
                        (const char *) k->name);
                    return -1;
                }
            }
            break;
        case VK_FEATURE_IOAPIC:
            if (vk_xml_attr_enum(n, "driver", vk_ioapic_driver_from_string,
                                 VK_XML_ENUM_OUT(f->ioapic_driver)) < 0)
                return -1;
            break;
        case VK_FEATURE_SMM: {
            st = VK_TRISTATE_ABSENT;
            if (vk_xml_attr_tristate(n, "state", vk_xml_on_off, &st) < 0)
                return -1;
            if (st == VK_TRISTATE_ABSENT)
                st = VK_TRISTATE_ON;
            xmlNodePtr t = vk_xml_child(n, "tseg");
            if (t && st == VK_TRISTATE_ON) {
                unsigned long long kib;
                g_autofree char *unit = vk_xml_prop(t, "unit");
                if (parse_memory(t, "./features/smm/tseg", &kib) < 0)
                    return -1;
                (void) unit;
                f->smm_tseg_mib = kib / 1024;
                f->smm_has_tseg = true;
            }
            break;
        }
        case VK_FEATURE_MSRS:
            if (vk_xml_attr_enum(n, "unknown", vk_msrs_unknown_from_string,
                                 VK_XML_ENUM_OUT(f->msrs_unknown)) < 0)
                return -1;
            break;
        default:
            st = VK_TRISTATE_ABSENT;
            if (vk_xml_attr_tristate(n, "state", vk_xml_on_off, &st) < 0)
                return -1;
            if (st == VK_TRISTATE_ABSENT)
                st = VK_TRISTATE_ON;
            break;
        }
        f->state[id] = st;
    }
    return 0;
}

VkDomainCpuDef *
vk_domain_cpu_parse(xmlNodePtr node)
{
    g_autoptr(VkDomainCpuDef) cpu = g_new0(VkDomainCpuDef, 1);
    xmlNodePtr n;

    cpu->cache_level = -1;
    cpu->features = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_cpu_feature_free);
    if (vk_xml_attr_enum(node, "mode", vk_cpu_mode_from_string, VK_XML_ENUM_OUT(cpu->mode)) < 0 ||
        vk_xml_attr_enum(node, "match", vk_cpu_match_from_string, VK_XML_ENUM_OUT(cpu->match)) < 0 ||
        vk_xml_attr_enum(node, "check", vk_cpu_check_from_string, VK_XML_ENUM_OUT(cpu->check)) < 0 ||
        vk_xml_attr_tristate(node, "migratable", vk_xml_on_off, &cpu->migratable) < 0)
        return NULL;
    if ((n = vk_xml_child(node, "model"))) {
        cpu->model = vk_xml_text(n);
        if (vk_xml_attr_enum(n, "fallback", vk_cpu_fallback_from_string,
                             VK_XML_ENUM_OUT(cpu->model_fallback)) < 0)
            return NULL;
        cpu->model_vendor_id = vk_xml_prop(n, "vendor_id");
    }
    cpu->vendor = vk_xml_child_text(node, "vendor");
    if ((n = vk_xml_child(node, "topology"))) {
        const char *names[] = { "sockets", "dies", "cores", "threads" };
        unsigned int *vals[] = { &cpu->sockets, &cpu->dies, &cpu->cores, &cpu->threads };
        for (int i = 0; i < 4; i++) {
            g_autofree char *v = vk_xml_prop(n, names[i]);
            if (!v) {
                if (i == 1) {
                    cpu->dies = 1;
                    continue;
                }
                ERR(VIR_ERR_XML_ERROR, "Missing required attribute '%s' in element 'topology'",
                    names[i]);
                return NULL;
            }
            if (vk_xml_parse_uint(v, 10, vals[i]) < 0 || *vals[i] == 0) {
                ERR(VIR_ERR_XML_ERROR,
                    "Invalid value for attribute '%s' in element 'topology': '%s'.", names[i], v);
                return NULL;
            }
        }
    }
    for (n = node->children; n; n = n->next) {
        if (!vk_xml_is_element(n, "feature"))
            continue;
        VkDomainCpuFeature *f = g_new0(VkDomainCpuFeature, 1);
        g_ptr_array_add(cpu->features, f);
        f->name = vk_xml_prop(n, "name");
        if (!f->name) {
            ERR(VIR_ERR_XML_ERROR, "%s", "Invalid CPU feature name");
            return NULL;
        }
        if (vk_xml_attr_enum(n, "policy", vk_cpu_feature_policy_from_string,
                             VK_XML_ENUM_OUT(f->policy)) < 0)
            return NULL;
    }
    if ((n = vk_xml_child(node, "cache"))) {
        if (vk_xml_attr_enum(n, "mode", vk_cpu_cache_mode_from_string,
                             VK_XML_ENUM_OUT(cpu->cache_mode)) < 0 ||
            vk_xml_attr_int(n, "level", &cpu->cache_level) < 0)
            return NULL;
    }
    if ((n = vk_xml_child(node, "numa"))) {
        vk_domain_raw_canonicalize(n);
        cpu->numa_xml = vk_domain_xml_serialize(n);
    }

    /* libvirt's defaults: custom mode (0), exact match when a model is given */
    if (cpu->mode == VK_CPU_MODE_CUSTOM && !cpu->match && cpu->model)
        cpu->match = VK_CPU_MATCH_EXACT;
    return g_steal_pointer(&cpu);
}

static int
parse_cpu(xmlNodePtr node, VkDomainDef *def)
{
    def->cpu = vk_domain_cpu_parse(node);
    return def->cpu ? 0 : -1;
}

/* Our status files' <migratableCpu><cpu/></migratableCpu> (the CPU as
 * started); never in a document a client gives. */
static int
parse_migratable_cpu(xmlNodePtr root, VkDomainDef *def, unsigned int flags)
{
    xmlNodePtr n = vk_xml_child(root, "migratableCpu");

    if (!n || (flags & VK_DOMAIN_PARSE_INACTIVE) || !(n = vk_xml_child(n, "cpu")))
        return 0;
    def->cpu_migratable = vk_domain_cpu_parse(n);
    return def->cpu_migratable ? 0 : -1;
}

static int
parse_clock(xmlNodePtr node, VkDomainDef *def)
{
    VkDomainClockDef *c = &def->clock;

    if (vk_xml_attr_enum(node, "offset", vk_clock_offset_from_string, VK_XML_ENUM_OUT(c->offset)) < 0)
        return -1;
    if (c->offset == VK_CLOCK_OFFSET_TIMEZONE)
        c->timezone = vk_xml_prop(node, "timezone");
    if (c->offset == VK_CLOCK_OFFSET_VARIABLE) {
        int adj = 0;
        if (vk_xml_attr_int(node, "adjustment", &adj) < 0)
            return -1;
        c->adjustment = g_strdup_printf("%d", adj);
        if (vk_xml_attr_enum(node, "basis", vk_clock_basis_from_string, VK_XML_ENUM_OUT(c->basis)) < 0)
            return -1;
        if (!c->basis)
            c->basis = VK_CLOCK_BASIS_UTC;
    }
    for (xmlNodePtr n = node->children; n; n = n->next) {
        if (!vk_xml_is_element(n, "timer"))
            continue;
        VkDomainTimerDef *t = g_new0(VkDomainTimerDef, 1);
        g_autofree char *name = vk_xml_prop(n, "name");
        int v;
        g_ptr_array_add(c->timers, t);
        if (!name) {
            ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing timer name");
            return -1;
        }
        if ((v = vk_timer_name_from_string(name)) < 0) {
            ERR(VIR_ERR_INTERNAL_ERROR, "unknown timer name '%s'", name);
            return -1;
        }
        t->name = v;
        if (vk_xml_attr_tristate(n, "present", vk_xml_yes_no, &t->present) < 0 ||
            vk_xml_attr_enum(n, "tickpolicy", vk_timer_tickpolicy_from_string,
                             VK_XML_ENUM_OUT(t->tickpolicy)) < 0 ||
            vk_xml_attr_enum(n, "track", vk_timer_track_from_string, VK_XML_ENUM_OUT(t->track)) < 0)
            return -1;
        t->frequency = vk_xml_prop(n, "frequency");
        t->mode = vk_xml_prop(n, "mode");
    }
    return 0;
}

/* <NAME>action</NAME> into *OUT, left as it is when absent. */
static int
parse_lifecycle(xmlNodePtr root, const char *name, VkLifecycleAction *out)
{
    xmlNodePtr n = vk_xml_child(root, name);
    int action;

    if (!n)
        return 0;
    g_autofree char *v = vk_xml_text(n);
    if ((action = vk_lifecycle_action_from_string(v)) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s", name, v);
        return -1;
    }
    *out = action;
    return 0;
}

static int
parse_uuid_element(xmlNodePtr n, unsigned char *out, const char *what)
{
    g_autofree char *v = vk_xml_text(n);

    if (vk_domain_uuid_parse(v, out) < 0) {
        ERR(VIR_ERR_INTERNAL_ERROR, "malformed %s element", what);
        return -1;
    }
    return 0;
}

static VkDomainDef *
parse_root(xmlDocPtr doc, xmlNodePtr root, unsigned int flags)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_new();
    xmlNodePtr n;

    {
        g_autofree char *type = vk_xml_prop(root, "type");
        int t;
        if (!type) {
            ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain type attribute");
            return NULL;
        }
        if ((t = vk_domain_virt_type_from_string(type)) <= 0) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s", type);
            return NULL;
        }
        def->virt_type = t;
    }
    if (!(flags & VK_DOMAIN_PARSE_INACTIVE)) {
        g_autofree char *id = vk_xml_prop(root, "id");
        if (id)
            vk_xml_parse_int(id, 10, &def->id);
    }

    if (!(def->name = vk_xml_child_text(root, "name")) || !*def->name) {
        ERR(VIR_ERR_NO_NAME, NULL);
        return NULL;
    }
    if (strchr(def->name, '/')) {
        ERR(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }
    if ((n = vk_xml_child(root, "uuid"))) {
        if (parse_uuid_element(n, def->uuid, "uuid") < 0)
            return NULL;
    } else {
        vk_domain_uuid_generate(def->uuid);
    }
    if ((n = vk_xml_child(root, "genid"))) {
        g_autofree char *v = vk_xml_text(n);
        def->has_genid = true;
        if (v && *v) {
            if (parse_uuid_element(n, def->genid, "genid") < 0)
                return NULL;
        } else {
            vk_domain_uuid_generate(def->genid);
        }
    }
    def->title = vk_xml_child_text(root, "title");
    if (def->title && strchr(def->title, '\n')) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Domain title can't contain newlines");
        return NULL;
    }
    def->description = vk_xml_child_text(root, "description");
    if ((n = vk_xml_child(root, "metadata"))) {
        /* ours comes out of it: clients never see it */
        def->pci_given = vk_domain_pci_given_take(n);
        if (!def->pci_given || xmlFirstElementChild(n))
            def->metadata = vk_domain_xml_metadata(doc, n);
    }

    /* memory */
    if (parse_memory(vk_xml_child(root, "memory"), "./memory[1]", &def->memory_kib) < 0)
        return NULL;
    if ((n = vk_xml_child(root, "memory"))) {
        if (vk_xml_attr_tristate(n, "dumpCore", vk_xml_on_off, &def->memory_dump_core) < 0)
            return NULL;
    }
    if (parse_memory(vk_xml_child(root, "currentMemory"), "./currentMemory[1]",
                     &def->current_memory_kib) < 0)
        return NULL;
    if ((n = vk_xml_child(root, "maxMemory"))) {
        if (parse_memory(n, "./maxMemory[1]", &def->max_memory_kib) < 0)
            return NULL;
        g_autofree char *slots = vk_xml_prop(n, "slots");
        if (slots && vk_xml_parse_uint(slots, 10, &def->max_memory_slots) < 0) {
            ERR(VIR_ERR_XML_ERROR, "%s", "Failed to parse memory slot count");
            return NULL;
        }
    }
    if (def->memory_kib == 0) {
        ERR(VIR_ERR_XML_ERROR, "%s",
            "Memory size must be specified via <memory> or in the <numa> configuration");
        return NULL;
    }
    if (def->current_memory_kib == 0 || def->current_memory_kib > def->memory_kib)
        def->current_memory_kib = def->memory_kib;

    /* vcpus */
    def->vcpus = 1;
    if ((n = vk_xml_child(root, "vcpu"))) {
        g_autofree char *txt = vk_xml_text(n);
        g_autofree char *cur = vk_xml_prop(n, "current");
        g_autofree char *cpuset = vk_xml_prop(n, "cpuset");
        g_strstrip(txt);
        if (vk_xml_parse_uint(txt, 10, &def->vcpus) < 0) {
            ERR(VIR_ERR_XML_ERROR, "%s", "maximum vcpus count must be an integer");
            return NULL;
        }
        if (def->vcpus == 0) {
            /* libvirt's check that trips first on a zero count */
            ERR(VIR_ERR_INTERNAL_ERROR, "%s", "CPU IDs in <numa> exceed the <vcpu> count");
            return NULL;
        }
        if (cur) {
            if (vk_xml_parse_uint(cur, 10, &def->current_vcpus) < 0) {
                ERR(VIR_ERR_XML_ERROR, "%s", "current vcpus count must be an integer");
                return NULL;
            }
            if (def->current_vcpus > def->vcpus) {
                ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                    "maximum vCPU count must not be less than current vCPU count");
                return NULL;
            }
            if (def->current_vcpus == def->vcpus)
                def->current_vcpus = 0;
        }
        if (vk_xml_attr_enum(n, "placement", vk_vcpu_placement_from_string,
                             VK_XML_ENUM_OUT(def->vcpu_placement)) < 0)
            return NULL;
        if (cpuset && def->vcpu_placement != VK_VCPU_PLACEMENT_AUTO) {
            if (!(def->cpuset = cpuset_canonical(cpuset, "cpuset")))
                return NULL;
        }
    }

    if (vk_domain_iothreads_parse(root, def) < 0)
        return NULL;

    if (!(n = vk_xml_child(root, "os"))) {
        ERR(VIR_ERR_OS_TYPE, "%s", "(null)");
        return NULL;
    }
    if (parse_os(n, def) < 0)
        return NULL;
    if ((n = vk_xml_child(root, "features")) && parse_features(n, def) < 0)
        return NULL;
    if (((n = vk_xml_child(root, "cpu")) && parse_cpu(n, def) < 0) ||
        parse_migratable_cpu(root, def, flags) < 0)
        return NULL;
    if ((n = vk_xml_child(root, "clock")) && parse_clock(n, def) < 0)
        return NULL;
    if (parse_lifecycle(root, "on_poweroff", &def->on_poweroff) < 0 ||
        parse_lifecycle(root, "on_reboot", &def->on_reboot) < 0 ||
        parse_lifecycle(root, "on_crash", &def->on_crash) < 0)
        return NULL;
    if ((n = vk_xml_child(root, "pm"))) {
        xmlNodePtr s;
        def->has_pm = true;
        if ((s = vk_xml_child(n, "suspend-to-mem")) &&
            vk_xml_attr_tristate(s, "enabled", vk_xml_yes_no, &def->pm_suspend_to_mem) < 0)
            return NULL;
        if ((s = vk_xml_child(n, "suspend-to-disk")) &&
            vk_xml_attr_tristate(s, "enabled", vk_xml_yes_no, &def->pm_suspend_to_disk) < 0)
            return NULL;
    }

    for (n = root->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            vk_enum_from_string(raw_toplevel, (const char *) n->name) >= 0)
            g_ptr_array_add(def->raw, raw_element(n));
    }
    if (vk_domain_tune_check(def) < 0)
        return NULL;

    if ((n = vk_xml_child(root, "devices")) &&
        (parse_devices(n, def, flags) < 0 || check_usb_masters(def) < 0))
        return NULL;

    /* controllers without an index get the first free one of their type, in
     * the order libvirt keeps them (see vk_domain_def_insert_controller); USB
     * companions as usb_index_in_order says */
    const VkDomainControllerDef *prev_usb = NULL;
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->index < 0) {
            c->index = c->type == VK_CONTROLLER_USB ? usb_index_in_order(def, c, prev_usb)
                                                    : controller_first_free_index(def, c->type);
        }
        if (c->type == VK_CONTROLLER_USB)
            prev_usb = c;
    }

    if (def->watchdogs->len > 1) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "only a single watchdog device is supported");
        return NULL;
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *a = g_ptr_array_index(def->disks, i);
        for (guint j = i + 1; j < def->disks->len; j++) {
            VkDomainDiskDef *b = g_ptr_array_index(def->disks, j);
            if (g_str_equal(a->target_dev, b->target_dev)) {
                ERR(VIR_ERR_XML_ERROR, "target '%s' duplicated for disk sources '%s' and '%s'",
                    a->target_dev, a->src_path ? a->src_path : "",
                    b->src_path ? b->src_path : "");
                return NULL;
            }
        }
    }
    for (guint i = 0; i < def->hostdevs->len; i++) {
        VkDomainHostdevDef *a = g_ptr_array_index(def->hostdevs, i);
        for (guint j = i + 1; j < def->hostdevs->len; j++) {
            VkDomainHostdevDef *b = g_ptr_array_index(def->hostdevs, j);
            if (a->type == VK_HOSTDEV_PCI && b->type == VK_HOSTDEV_PCI &&
                a->src_pci.domain == b->src_pci.domain && a->src_pci.bus == b->src_pci.bus &&
                a->src_pci.slot == b->src_pci.slot && a->src_pci.function == b->src_pci.function) {
                ERR(VIR_ERR_XML_ERROR, "%s", "Hostdev already exists in the domain configuration");
                return NULL;
            }
        }
    }

    /* per-device boot order and <os><boot> exclude each other */
    if (def->os.boot_devs->len > 0) {
        bool per_device = false;
        for (guint i = 0; i < def->disks->len && !per_device; i++)
            per_device = ((VkDomainDiskDef *) g_ptr_array_index(def->disks, i))->info.boot_order;
        for (guint i = 0; i < def->nets->len && !per_device; i++)
            per_device = ((VkDomainNetDef *) g_ptr_array_index(def->nets, i))->info.boot_order;
        for (guint i = 0; i < def->hostdevs->len && !per_device; i++)
            per_device = ((VkDomainHostdevDef *) g_ptr_array_index(def->hostdevs, i))->info.boot_order;
        for (guint i = 0; i < def->redirdevs->len && !per_device; i++)
            per_device = ((VkDomainRedirdevDef *) g_ptr_array_index(def->redirdevs, i))->info.boot_order;
        if (per_device) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                "per-device boot elements cannot be used together with os/boot elements");
            return NULL;
        }
    }
    return g_steal_pointer(&def);
}

static VkDomainDef *
parse_common(const char *xml, const char *path, unsigned int flags)
{
    /* without blanks: kept subtrees (metadata) reformat the way libvirt's do */
    xmlDocPtr doc = path ? vk_xml_parse_file_named(path, "(domain_definition)", false)
                         : vk_xml_parse_string_named(xml, "(domain_definition)", false);
    xmlNodePtr root;
    VkDomainDef *def = NULL;

    if (!doc)
        return NULL;
    if (!(root = xmlDocGetRootElement(doc))) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing root element");
    } else if (!xmlStrEqual(root->name, BAD_CAST "domain")) {
        ERR(VIR_ERR_XML_ERROR, "expecting root element of 'domain', not '%s'",
            (const char *) root->name);
    } else {
        def = parse_root(doc, root, flags);
    }
    xmlFreeDoc(doc);
    return def;
}

VkDomainDef *
vk_domain_def_parse_string(const char *xml, unsigned int flags)
{
    if (!xml) {
        ERR(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return NULL;
    }
    return parse_common(xml, NULL, flags);
}

VkDomainDef *
vk_domain_def_parse_file(const char *path, unsigned int flags)
{
    return parse_common(NULL, path, flags);
}

/* ---- one device, for attach and detach (declared in domain-device.h) ------ */

/* The elements libvirt takes as a device of its own. */
static const char *const device_elements[] = {
    "disk", "lease", "filesystem", "interface", "input", "sound", "video", "hostdev",
    "watchdog", "controller", "graphics", "hub", "redirdev", "smartcard", "serial",
    "parallel", "console", "channel", "memballoon", "nvram", "rng", "shmem", "tpm",
    "panic", "memory", "iommu", "vsock", "audio", "crypto", "redirfilter", NULL
};

int
vk_domain_def_parse_device_string(const char *xml, unsigned int flags, VkDomainDef *into,
                                  char **element)
{
    xmlDocPtr doc;
    xmlNodePtr root, devices;
    int rc = -1;

    if (!xml) {
        ERR(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return -1;
    }
    if (!(doc = vk_xml_parse_string_named(xml, "(device_definition)", false)))
        return -1;
    if (!(root = xmlDocGetRootElement(doc))) {
        ERR(VIR_ERR_INTERNAL_ERROR, "%s", "missing root element");
        goto out;
    }
    if (vk_enum_from_string(device_elements, (const char *) root->name) < 0) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown device type '%s'", (const char *) root->name);
        goto out;
    }
    if (element)
        *element = g_strdup((const char *) root->name);
    /* the element parsers walk the children of <devices>: give it one */
    devices = xmlNewDocNode(doc, NULL, BAD_CAST "devices", NULL);
    xmlUnlinkNode(root);
    xmlAddChild(devices, root);
    rc = parse_devices(devices, into, flags);
    xmlFreeNode(devices);
out:
    xmlFreeDoc(doc);
    return rc;
}
