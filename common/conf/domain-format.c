/* Formatting a VkDomainDef as libvirt 9.0's `virsh dumpxml` prints it: the
 * same element and attribute order, two-space indentation, single quotes. */
#include "common/conf/domain.h"
#include "common/conf/domain-iothreads.h"
#include "common/conf/domain-migratable.h"
#include "common/conf/domain-pci-given.h"
#include "common/conf/domain-xml.h"

#include <stdarg.h>
#include <string.h>

/* An element being built: its start tag and its children's text. */
typedef struct {
    const char *name;
    GString *head;
    GString *kids;     /* children, already indented at indent + 2 */
    int indent;
} El;

static El
el_begin(int indent, const char *name)
{
    El e = { name, g_string_new("<"), g_string_new(NULL), indent };

    g_string_append(e.head, name);
    return e;
}

static void
el_attr(El *e, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_c(e->head, ' ');
    g_string_append(e->head, name);
    g_string_append(e->head, "='");
    vk_xml_escape_append(e->head, value);
    g_string_append_c(e->head, '\'');
}

static void G_GNUC_PRINTF(3, 4)
el_attrf(El *e, const char *name, const char *fmt, ...)
{
    char small[64];
    g_autofree char *big = NULL;
    va_list ap;
    int n;

    /* Attribute values are mostly numbers: format on the stack. */
    va_start(ap, fmt);
    n = g_vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= (int) sizeof(small)) {
        va_start(ap, fmt);
        big = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    el_attr(e, name, big ? big : small);
}

static void
indent_to(GString *out, int indent)
{
    static const char spaces[] = "                                                ";

    for (; indent > (int) sizeof(spaces) - 1; indent -= sizeof(spaces) - 1)
        g_string_append_len(out, spaces, sizeof(spaces) - 1);
    g_string_append_len(out, spaces, indent);
}

/* Close E into OUT: self-closing when it has no children. */
static void
el_end(GString *out, El *e)
{
    indent_to(out, e->indent);
    g_string_append_len(out, e->head->str, (gssize) e->head->len);
    if (e->kids->len == 0) {
        g_string_append(out, "/>\n");
    } else {
        g_string_append(out, ">\n");
        g_string_append_len(out, e->kids->str, (gssize) e->kids->len);
        indent_to(out, e->indent);
        g_string_append(out, "</");
        g_string_append(out, e->name);
        g_string_append(out, ">\n");
    }
    g_string_free(e->head, TRUE);
    g_string_free(e->kids, TRUE);
}

/* Close E with text content: <name attrs>text</name>. */
static void
el_end_text(GString *out, El *e, const char *text)
{
    indent_to(out, e->indent);
    g_string_append_len(out, e->head->str, (gssize) e->head->len);
    g_string_append_c(out, '>');
    vk_xml_escape_append(out, text);
    g_string_append(out, "</");
    g_string_append(out, e->name);
    g_string_append(out, ">\n");
    g_string_free(e->head, TRUE);
    g_string_free(e->kids, TRUE);
}

/* <NAME ATTR='VALUE'/> at INDENT in OUT: a child with one attribute. */
/* <iothreadids>, when any id is the user's (libvirt leaves out made-up ones). */
static void
format_iothread_ids(GString *out, const VkDomainDef *def)
{
    if (!vk_domain_iothreads_format_ids(def))
        return;
    indent_to(out, 2);
    g_string_append(out, "<iothreadids>\n");
    for (guint i = 0; i < def->iothread_ids->len; i++) {
        const VkDomainIothreadDef *t = &g_array_index(def->iothread_ids, VkDomainIothreadDef, i);
        El e = el_begin(4, "iothread");
        el_attrf(&e, "id", "%u", t->id);
        if (t->thread_pool_min >= 0)
            el_attrf(&e, "thread_pool_min", "%d", t->thread_pool_min);
        if (t->thread_pool_max >= 0)
            el_attrf(&e, "thread_pool_max", "%d", t->thread_pool_max);
        el_end(out, &e);
    }
    indent_to(out, 2);
    g_string_append(out, "</iothreadids>\n");
}

static void
el_child(GString *out, int indent, const char *name, const char *attr, const char *value)
{
    El e = el_begin(indent, name);

    el_attr(&e, attr, value);
    el_end(out, &e);
}

static void
text_el(GString *out, int indent, const char *name, const char *text)
{
    if (!text)
        return;
    El e = el_begin(indent, name);
    el_end_text(out, &e, text);
}

static const char *
tristate_str(VkTristate t, const char *on, const char *off)
{
    return t == VK_TRISTATE_ON ? on : t == VK_TRISTATE_OFF ? off : NULL;
}

static void format_info(GString *out, int indent, const VkDeviceInfo *info, unsigned int flags);

/* A kept element; a kept device gets its alias and address back as its
 * last children. */
static void
format_raw_one(GString *out, const VkDomainRawElement *r, int indent, unsigned int flags)
{
    g_autoptr(GString) info = g_string_new(NULL);
    const char *xml = r->xml;
    size_t len = strlen(xml);

    if (r->info)
        format_info(info, indent + 2, r->info, flags);
    if (!info->len) {
        vk_xml_append_indented(out, xml, indent);
        return;
    }
    if (g_str_has_suffix(xml, "/>")) {
        /* <name .../> becomes <name ...> INFO </name> */
        g_autofree char *head = g_strndup(xml, len - 2);
        g_string_append_printf(out, "%*s%s>\n", indent, "", head);
    } else if (!strchr(xml, '\n')) {
        /* <name ...>text</name>: these elements hold no text for libvirt, so
         * only the start tag stays, with INFO inside */
        g_autofree char *head = g_strndup(xml, strcspn(xml, ">"));
        g_string_append_printf(out, "%*s%s>\n", indent, "", head);
    } else {
        /* everything but the closing line, then INFO, then the closing line */
        const char *last = strrchr(xml, '\n');
        g_autofree char *body = g_strndup(xml, last ? (size_t) (last - xml) : 0);
        vk_xml_append_indented(out, body, indent);
    }
    g_string_append(out, info->str);
    g_string_append_printf(out, "%*s</%s>\n", indent, "", r->name);
}

static void
format_raw_flags(GString *out, const GPtrArray *raw, const char *name, int indent,
                 unsigned int flags)
{
    for (guint i = 0; i < raw->len; i++) {
        const VkDomainRawElement *r = g_ptr_array_index(raw, i);
        if (g_str_equal(r->name, name))
            format_raw_one(out, r, indent, flags);
    }
}

/* libvirt leaves the DAC label it added by itself out of the migratable
 * XML, for older libvirts on the other side */
static void
format_seclabels(GString *out, const VkDomainDef *def, unsigned int flags)
{
    for (guint i = 0; i < def->raw->len; i++) {
        const VkDomainRawElement *r = g_ptr_array_index(def->raw, i);
        if (g_str_equal(r->name, "seclabel") &&
            !(r->implicit && (flags & VK_DOMAIN_FORMAT_MIGRATABLE)))
            format_raw_one(out, r, 2, flags);
    }
}

static void
format_raw(GString *out, const GPtrArray *raw, const char *name, int indent)
{
    format_raw_flags(out, raw, name, indent, VK_DOMAIN_FORMAT_INACTIVE);
}

/* ---- device info ---------------------------------------------------------- */

static void
format_address(GString *out, int indent, const VkDeviceAddress *a)
{
    if (a->type == VK_DEVICE_ADDRESS_NONE)
        return;
    El e = el_begin(indent, "address");
    el_attr(&e, "type", vk_device_address_type_to_string(a->type));
    switch (a->type) {
    case VK_DEVICE_ADDRESS_PCI:
        el_attrf(&e, "domain", "0x%04x", a->pci.domain);
        el_attrf(&e, "bus", "0x%02x", a->pci.bus);
        el_attrf(&e, "slot", "0x%02x", a->pci.slot);
        el_attrf(&e, "function", "0x%x", a->pci.function);
        el_attr(&e, "multifunction", tristate_str(a->pci.multifunction, "on", "off"));
        break;
    case VK_DEVICE_ADDRESS_DIMM:
        el_attrf(&e, "slot", "%u", a->dimm.slot);
        if (a->dimm.has_base)
            el_attrf(&e, "base", "0x%llx", a->dimm.base);
        break;
    case VK_DEVICE_ADDRESS_DRIVE:
        el_attrf(&e, "controller", "%u", a->drive.controller);
        el_attrf(&e, "bus", "%u", a->drive.bus);
        el_attrf(&e, "target", "%u", a->drive.target);
        el_attrf(&e, "unit", "%u", a->drive.unit);
        break;
    case VK_DEVICE_ADDRESS_VIRTIO_SERIAL:
        el_attrf(&e, "controller", "%u", a->vioserial.controller);
        el_attrf(&e, "bus", "%u", a->vioserial.bus);
        el_attrf(&e, "port", "%u", a->vioserial.port);
        break;
    case VK_DEVICE_ADDRESS_CCID:
        el_attrf(&e, "controller", "%u", a->ccid.controller);
        el_attrf(&e, "slot", "%u", a->ccid.slot);
        break;
    case VK_DEVICE_ADDRESS_USB:
        el_attrf(&e, "bus", "%u", a->usb.bus);
        el_attr(&e, "port", a->usb.port);
        break;
    case VK_DEVICE_ADDRESS_ISA:
        if (a->isa.iobase)
            el_attrf(&e, "iobase", "0x%x", a->isa.iobase);
        if (a->isa.irq)
            el_attrf(&e, "irq", "0x%x", a->isa.irq);
        break;
    default:
        break;
    }
    el_end(out, &e);
}

/* <alias name=/>: the live XML shows every alias, the inactive one only
 * those the user gave ("ua-" ones), as libvirt does. */
static void
format_alias(GString *out, int indent, const char *alias, unsigned int flags)
{
    if (alias && (!(flags & VK_DOMAIN_FORMAT_INACTIVE) || g_str_has_prefix(alias, "ua-")))
        el_child(out, indent, "alias", "name", alias);
}

static void
format_info(GString *out, int indent, const VkDeviceInfo *info, unsigned int flags)
{
    if (info->boot_order) {
        El e = el_begin(indent, "boot");
        el_attrf(&e, "order", "%u", info->boot_order);
        el_end(out, &e);
    }
    format_alias(out, indent, info->alias, flags);
    if (info->rom_bar || info->rom_file || info->rom_enabled) {
        El e = el_begin(indent, "rom");
        el_attr(&e, "enabled", tristate_str(info->rom_enabled, "yes", "no"));
        el_attr(&e, "bar", tristate_str(info->rom_bar, "on", "off"));
        el_attr(&e, "file", info->rom_file);
        el_end(out, &e);
    }
    format_address(out, indent, &info->addr);
}

/* ---- devices ------------------------------------------------------------- */

static void
format_disk(GString *out, int ind, const VkDomainDiskDef *d, unsigned int flags)
{
    El e = el_begin(ind, "disk");
    int k = ind + 2;

    el_attr(&e, "type", vk_disk_type_to_string(d->type));
    el_attr(&e, "device", vk_disk_device_to_string(d->device));
    el_attr(&e, "model", vk_virtio_model_to_string(d->model));
    el_attr(&e, "snapshot", d->snapshot);

    El drv = el_begin(k, "driver");
    el_attr(&drv, "name", d->driver_name);
    el_attr(&drv, "type", d->driver_type);
    el_attr(&drv, "cache", vk_disk_cache_to_string(d->driver_cache));
    el_attr(&drv, "error_policy", vk_disk_error_policy_to_string(d->driver_error_policy));
    el_attr(&drv, "rerror_policy", vk_disk_error_policy_to_string(d->driver_rerror_policy));
    el_attr(&drv, "io", vk_disk_io_to_string(d->driver_io));
    el_attr(&drv, "ioeventfd", tristate_str(d->driver_ioeventfd, "on", "off"));
    el_attr(&drv, "event_idx", tristate_str(d->driver_event_idx, "on", "off"));
    el_attr(&drv, "copy_on_read", tristate_str(d->driver_copy_on_read, "on", "off"));
    el_attr(&drv, "discard", vk_disk_discard_to_string(d->driver_discard));
    if (d->driver_iothread)
        el_attrf(&drv, "iothread", "%u", d->driver_iothread);
    el_attr(&drv, "detect_zeroes", vk_disk_detect_zeroes_to_string(d->driver_detect_zeroes));
    if (d->driver_queues)
        el_attrf(&drv, "queues", "%u", d->driver_queues);
    if (drv.head->len > strlen("<driver"))
        el_end(e.kids, &drv);
    else {
        g_string_free(drv.head, TRUE);
        g_string_free(drv.kids, TRUE);
    }

    bool live = !(flags & VK_DOMAIN_FORMAT_INACTIVE);
    if (d->has_source || (live && d->src_index)) {
        El s = el_begin(k, "source");
        switch (d->type) {
        case VK_DISK_TYPE_FILE: el_attr(&s, "file", d->src_path); break;
        case VK_DISK_TYPE_BLOCK: el_attr(&s, "dev", d->src_path); break;
        case VK_DISK_TYPE_DIR: el_attr(&s, "dir", d->src_path); break;
        case VK_DISK_TYPE_VOLUME:
            el_attr(&s, "pool", d->src_pool);
            el_attr(&s, "volume", d->src_volume);
            el_attr(&s, "mode", vk_disk_source_mode_to_string(d->src_mode));
            break;
        case VK_DISK_TYPE_NETWORK:
            el_attr(&s, "protocol", vk_disk_protocol_to_string(d->src_protocol));
            el_attr(&s, "name", d->src_name);
            if (d->src_host_name || d->src_host_port) {
                El h = el_begin(k + 2, "host");
                el_attr(&h, "transport", d->src_host_transport);
                el_attr(&h, "name", d->src_host_name);
                el_attr(&h, "port", d->src_host_port);
                el_end(s.kids, &h);
            }
            break;
        }
        if (d->type != VK_DISK_TYPE_NETWORK)
            el_attr(&s, "startupPolicy", vk_disk_startup_policy_to_string(d->src_startup));
        if (live && d->src_index)
            el_attrf(&s, "index", "%u", d->src_index);
        el_end(e.kids, &s);
    }
    if (d->has_source && (live || !d->backing_detected))
        vk_disk_chain_format(e.kids, k, d->backing, d->src_no_backing, live);
    if (live && d->mirror)
        vk_disk_mirror_format(e.kids, k, d->mirror);
    if (d->blockio_logical || d->blockio_physical) {
        El b = el_begin(k, "blockio");
        if (d->blockio_logical)
            el_attrf(&b, "logical_block_size", "%u", d->blockio_logical);
        if (d->blockio_physical)
            el_attrf(&b, "physical_block_size", "%u", d->blockio_physical);
        el_end(e.kids, &b);
    }
    El t = el_begin(k, "target");
    el_attr(&t, "dev", d->target_dev);
    if (d->bus != VK_DISK_BUS_NONE)
        el_attr(&t, "bus", vk_disk_bus_to_string(d->bus));
    el_attr(&t, "tray", vk_disk_tray_to_string(d->target_tray));
    el_attr(&t, "removable", tristate_str(d->target_removable, "on", "off"));
    el_end(e.kids, &t);
    vk_disk_iotune_format(e.kids, k, &d->iotune);
    if (d->readonly)
        indent_to(e.kids, k), g_string_append(e.kids, "<readonly/>\n");
    if (d->shareable)
        indent_to(e.kids, k), g_string_append(e.kids, "<shareable/>\n");
    if (d->transient)
        indent_to(e.kids, k), g_string_append(e.kids, "<transient/>\n");
    text_el(e.kids, k, "serial", d->serial);
    text_el(e.kids, k, "wwn", d->wwn);
    text_el(e.kids, k, "vendor", d->vendor);
    text_el(e.kids, k, "product", d->product);
    format_info(e.kids, k, &d->info, flags);
    el_end(out, &e);
}

static void
format_controller(GString *out, int ind, const VkDomainControllerDef *c, unsigned int flags)
{
    El e = el_begin(ind, "controller");
    int k = ind + 2;

    el_attr(&e, "type", vk_controller_type_to_string(c->type));
    el_attrf(&e, "index", "%d", c->index);
    el_attr(&e, "model", vk_domain_controller_model_to_string(c));
    if (c->ports >= 0)
        el_attrf(&e, "ports", "%d", c->ports);
    if (c->vectors >= 0)
        el_attrf(&e, "vectors", "%d", c->vectors);

    if (c->queues || c->cmd_per_lun || c->max_sectors || c->iothread) {
        El d = el_begin(k, "driver");
        if (c->queues)
            el_attrf(&d, "queues", "%u", c->queues);
        if (c->cmd_per_lun)
            el_attrf(&d, "cmd_per_lun", "%u", c->cmd_per_lun);
        if (c->max_sectors)
            el_attrf(&d, "max_sectors", "%u", c->max_sectors);
        if (c->iothread)
            el_attrf(&d, "iothread", "%u", c->iothread);
        el_end(e.kids, &d);
    }
    if (c->type == VK_CONTROLLER_PCI) {
        if (c->pci_model_name)
            el_child(e.kids, k, "model", "name", c->pci_model_name);
        if (c->chassis_nr >= 0 || c->chassis >= 0 || c->port >= 0 || c->bus_nr >= 0 ||
            c->target_index >= 0 || c->hotplug || c->numa_node >= 0) {
            El t = el_begin(k, "target");
            if (c->chassis_nr >= 0)
                el_attrf(&t, "chassisNr", "%d", c->chassis_nr);
            if (c->chassis >= 0)
                el_attrf(&t, "chassis", "%d", c->chassis);
            if (c->port >= 0)
                el_attrf(&t, "port", "0x%x", c->port);
            if (c->bus_nr >= 0)
                el_attrf(&t, "busNr", "%d", c->bus_nr);
            if (c->target_index >= 0)
                el_attrf(&t, "index", "%d", c->target_index);
            el_attr(&t, "hotplug", tristate_str(c->hotplug, "on", "off"));
            if (c->numa_node >= 0) {
                El n = el_begin(k + 2, "node");
                g_autofree char *v = g_strdup_printf("%d", c->numa_node);
                el_end_text(t.kids, &n, v);
            }
            el_end(e.kids, &t);
        }
    }
    format_alias(e.kids, k, c->info.alias, flags);
    if (c->master_startport >= 0) {
        El m = el_begin(k, "master");
        el_attrf(&m, "startport", "%d", c->master_startport);
        el_end(e.kids, &m);
    }
    format_address(e.kids, k, &c->info.addr);
    el_end(out, &e);
}

/* <address type='pci' .../> of a host device, into the <source> S */
static void
format_net_pci_source(El *s, int ind, const VkPciAddress *pci)
{
    El a = el_begin(ind, "address");

    el_attr(&a, "type", "pci");
    el_attrf(&a, "domain", "0x%04x", pci->domain);
    el_attrf(&a, "bus", "0x%02x", pci->bus);
    el_attrf(&a, "slot", "0x%02x", pci->slot);
    el_attrf(&a, "function", "0x%x", pci->function);
    el_end(s->kids, &a);
}

/* A status file's <actual type='hostdev'>: the VF the port gave. */
static void
format_net_actual(GString *out, int ind, const VkDomainNetDef *n)
{
    El a = el_begin(ind, "actual");
    El s = el_begin(ind + 2, "source");

    el_attr(&a, "type", "hostdev");
    el_attr(&a, "managed", tristate_str(n->managed, "yes", "no"));
    format_net_pci_source(&s, ind + 4, &n->src_pci);
    el_end(a.kids, &s);
    el_end(out, &a);
}

static void
format_net(GString *out, int ind, const VkDomainNetDef *n, unsigned int flags)
{
    El e = el_begin(ind, "interface");
    int k = ind + 2;
    /* libvirt shows a running guest's interface by the type it works as */
    VkNetType type = flags & (VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_STATUS)
                         ? n->type : vk_domain_net_actual_type(n);

    el_attr(&e, "type", vk_net_type_to_string(type));
    if (type == VK_NET_TYPE_HOSTDEV)
        el_attr(&e, "managed", tristate_str(n->managed, "yes", "no"));
    el_attr(&e, "trustGuestRxFilters", n->trust_guest_rx_filters);

    el_child(e.kids, k, "mac", "address", n->mac);

    El s = el_begin(k, "source");
    bool src = true;
    switch (type) {
    case VK_NET_TYPE_NETWORK:
        el_attr(&s, "network", n->src_network);
        el_attr(&s, "portgroup", n->src_portgroup);
        if (!(flags & VK_DOMAIN_FORMAT_INACTIVE)) {
            char portid[37];
            if (n->has_src_portid) {
                vk_domain_uuid_format(n->src_portid, portid);
                el_attr(&s, "portid", portid);
            }
            el_attr(&s, "bridge", n->src_bridge);
        }
        break;
    case VK_NET_TYPE_BRIDGE:
        el_attr(&s, "bridge", n->src_bridge);
        break;
    case VK_NET_TYPE_DIRECT:
        el_attr(&s, "dev", n->src_dev);
        el_attr(&s, "mode", vk_net_direct_mode_to_string(n->src_mode ? n->src_mode : VK_NET_DIRECT_VEPA));
        break;
    case VK_NET_TYPE_HOSTDEV:
        format_net_pci_source(&s, k + 2, &n->src_pci);
        break;
    default:
        src = false;
    }
    if (src)
        el_end(e.kids, &s);
    else {
        g_string_free(s.head, TRUE);
        g_string_free(s.kids, TRUE);
    }
    if ((flags & VK_DOMAIN_FORMAT_STATUS) && n->type == VK_NET_TYPE_NETWORK && n->actual_hostdev)
        format_net_actual(e.kids, k, n);
    if (n->virtualport_type)
        el_child(e.kids, k, "virtualport", "type", n->virtualport_type);
    if (n->bandwidth_xml)
        vk_xml_append_indented(e.kids, n->bandwidth_xml, k);
    if (n->vlan_xml)
        vk_xml_append_indented(e.kids, n->vlan_xml, k);
    if (n->target_dev || n->target_managed_no) {
        El t = el_begin(k, "target");
        el_attr(&t, "dev", n->target_dev);
        if (n->target_managed_no)
            el_attr(&t, "managed", "no");
        el_end(e.kids, &t);
    }
    if (n->model)
        el_child(e.kids, k, "model", "type", n->model);
    if (n->driver_name || n->driver_txmode || n->driver_ioeventfd || n->driver_event_idx ||
        n->driver_queues || n->driver_rx_queue_size || n->driver_tx_queue_size) {
        El d = el_begin(k, "driver");
        el_attr(&d, "name", vk_net_driver_name_to_string(n->driver_name));
        el_attr(&d, "txmode", vk_net_txmode_to_string(n->driver_txmode));
        el_attr(&d, "ioeventfd", tristate_str(n->driver_ioeventfd, "on", "off"));
        el_attr(&d, "event_idx", tristate_str(n->driver_event_idx, "on", "off"));
        if (n->driver_queues)
            el_attrf(&d, "queues", "%u", n->driver_queues);
        if (n->driver_rx_queue_size)
            el_attrf(&d, "rx_queue_size", "%u", n->driver_rx_queue_size);
        if (n->driver_tx_queue_size)
            el_attrf(&d, "tx_queue_size", "%u", n->driver_tx_queue_size);
        el_end(e.kids, &d);
    }
    if (n->link_state)
        el_child(e.kids, k, "link", "state", vk_net_link_state_to_string(n->link_state));
    if (n->mtu) {
        El l = el_begin(k, "mtu");
        el_attrf(&l, "size", "%u", n->mtu);
        el_end(e.kids, &l);
    }
    format_info(e.kids, k, &n->info, flags);
    el_end(out, &e);
}

static void
format_chr(GString *out, int ind, const VkDomainChrDef *c, unsigned int flags)
{
    static const char *const names[] = { "serial", "parallel", "console", "channel" };
    El e = el_begin(ind, names[c->kind]);
    int k = ind + 2;

    /* a pty's path is QEMU's choice at start: only the live XML has it */
    const char *path = c->type == VK_CHR_TYPE_PTY &&
                       (flags & VK_DOMAIN_FORMAT_INACTIVE) ? NULL : c->src_path;

    el_attr(&e, "type", vk_chr_type_to_string(c->type));
    if (c->kind == VK_CHR_CONSOLE && c->type == VK_CHR_TYPE_PTY)
        el_attr(&e, "tty", path);
    /* libvirt gives a unix socket's mode only with its path */
    int mode = c->type == VK_CHR_TYPE_UNIX && !path ? 0 : c->src_mode;
    if (path || mode || c->src_host || c->src_service || c->src_channel || c->src_append) {
        El s = el_begin(k, "source");
        el_attr(&s, "mode", vk_chr_source_mode_to_string(mode));
        el_attr(&s, "host", c->src_host);
        el_attr(&s, "service", c->src_service);
        el_attr(&s, "path", path);
        el_attr(&s, "append", c->src_append);
        el_attr(&s, "channel", c->src_channel);
        el_end(e.kids, &s);
    }
    if (c->protocol)
        el_child(e.kids, k, "protocol", "type", vk_chr_protocol_to_string(c->protocol));
    if (c->log_file) {
        El l = el_begin(k, "log");
        el_attr(&l, "file", c->log_file);
        el_attr(&l, "append", c->log_append);
        el_end(e.kids, &l);
    }
    if (c->target_type || c->target_port >= 0 || c->target_name || c->target_model) {
        El t = el_begin(k, "target");
        el_attr(&t, "type", vk_domain_chr_target_type_to_string(c));
        if (c->kind == VK_CHR_CHANNEL) {
            el_attr(&t, "name", c->target_name);
            el_attr(&t, "address", c->target_address);
            el_attr(&t, "port", c->target_tgt_port);
            if (!(flags & VK_DOMAIN_FORMAT_INACTIVE))
                el_attr(&t, "state", vk_chr_state_to_string(c->state));
        } else if (c->target_port >= 0) {
            el_attrf(&t, "port", "%d", c->target_port);
        }
        if (c->target_model)
            el_child(t.kids, k + 2, "model", "name", c->target_model);
        el_end(e.kids, &t);
    }
    format_info(e.kids, k, &c->info, flags);
    el_end(out, &e);
}

/* Console N.  As libvirt formats it, one that mirrors serial port N (the
 * compatibility console) is that port seen as a console: its source, log
 * and address are the port's. */
static void
format_console(GString *out, int ind, const VkDomainDef *def, guint n, unsigned int flags)
{
    const VkDomainChrDef *c = g_ptr_array_index(def->consoles, n);
    VkDomainChrDef view;

    if (!vk_domain_chr_is_serial_console(c) || n >= def->serials->len) {
        format_chr(out, ind, c, flags);
        return;
    }
    view = *(const VkDomainChrDef *) g_ptr_array_index(def->serials, n);
    view.kind = VK_CHR_CONSOLE;
    view.target_type = VK_CHR_CONSOLE_TARGET_SERIAL;
    view.target_model = NULL;   /* a console's target has no model */
    format_chr(out, ind, &view, flags);
}

static void
format_input(GString *out, int ind, const VkDomainInputDef *i, unsigned int flags)
{
    El e = el_begin(ind, "input");

    el_attr(&e, "type", vk_input_type_to_string(i->type));
    el_attr(&e, "bus", vk_input_bus_to_string(i->bus));
    el_attr(&e, "model", vk_virtio_model_to_string(i->model));
    if (i->source_evdev)
        el_child(e.kids, ind + 2, "source", "evdev", i->source_evdev);
    format_info(e.kids, ind + 2, &i->info, flags);
    el_end(out, &e);
}

static void
format_graphics(GString *out, int ind, const VkDomainGraphicsDef *g, unsigned int flags)
{
    /* A running guest shows the port autoport picked; the config says -1. */
    bool live_port = !(flags & VK_DOMAIN_FORMAT_INACTIVE) && g->port > 0;
    El e = el_begin(ind, "graphics");
    int k = ind + 2;
    bool vnc = g->type == VK_GRAPHICS_VNC;
    bool spice = g->type == VK_GRAPHICS_SPICE;

    el_attr(&e, "type", vk_graphics_type_to_string(g->type));
    if (vnc || g->type == VK_GRAPHICS_RDP) {
        if (g->port > 0 && (g->autoport != VK_TRISTATE_ON || live_port))
            el_attrf(&e, "port", "%d", g->port);
        else if (g->autoport == VK_TRISTATE_ON)
            el_attr(&e, "port", "-1");
        el_attr(&e, "autoport", g->autoport == VK_TRISTATE_ON ? "yes" : "no");
        el_attr(&e, "websocket", g->websocket);
    } else if (spice && g->listen_type != VK_GRAPHICS_LISTEN_NONE &&
               g->listen_type != VK_GRAPHICS_LISTEN_SOCKET) {
        /* ports only mean something when spice listens on the network */
        if (g->port != 0)
            el_attrf(&e, "port", "%d", g->port);
        if (g->tls_port != 0)
            el_attrf(&e, "tlsPort", "%d", g->tls_port);
        el_attr(&e, "autoport", g->autoport == VK_TRISTATE_ON ? "yes" : "no");
    }
    if (g->listen_type == VK_GRAPHICS_LISTEN_ADDRESS && g->listen_address)
        el_attr(&e, "listen", g->listen_address);
    if (flags & VK_DOMAIN_FORMAT_SECURE)
        el_attr(&e, "passwd", g->passwd);
    el_attr(&e, "keymap", g->keymap);
    el_attr(&e, "sharePolicy", g->share_policy);
    el_attr(&e, "defaultMode", g->default_mode);
    if (g->listen_type) {
        El l = el_begin(k, "listen");
        el_attr(&l, "type", vk_graphics_listen_type_to_string(g->listen_type));
        el_attr(&l, "address", g->listen_address);
        el_attr(&l, "network", g->listen_network);
        el_attr(&l, "socket", g->listen_socket);
        el_end(e.kids, &l);
    }
    if (g->image_compression)
        el_child(e.kids, k, "image", "compression", g->image_compression);
    if (g->gl_enable) {
        El i = el_begin(k, "gl");
        el_attr(&i, "enable", g->gl_enable);
        el_attr(&i, "rendernode", g->gl_rendernode);
        el_end(e.kids, &i);
    }
    if (g->audio_id)
        el_child(e.kids, k, "audio", "id", g->audio_id);
    el_end(out, &e);
}

static void
format_video(GString *out, int ind, const VkDomainVideoDef *v, unsigned int flags)
{
    El e = el_begin(ind, "video");
    int k = ind + 2;

    if (v->driver_name)
        el_child(e.kids, k, "driver", "name", v->driver_name);
    El m = el_begin(k, "model");
    el_attr(&m, "type", vk_video_model_to_string(v->model));
    if (v->ram)
        el_attrf(&m, "ram", "%u", v->ram);
    if (v->vram)
        el_attrf(&m, "vram", "%u", v->vram);
    if (v->vram64)
        el_attrf(&m, "vram64", "%u", v->vram64);
    if (v->vgamem)
        el_attrf(&m, "vgamem", "%u", v->vgamem);
    if (v->heads)
        el_attrf(&m, "heads", "%u", v->heads);
    if (v->primary == VK_TRISTATE_ON)
        el_attr(&m, "primary", "yes");
    if (v->accel3d || v->accel2d) {
        El a = el_begin(k + 2, "acceleration");
        el_attr(&a, "accel3d", tristate_str(v->accel3d, "yes", "no"));
        el_attr(&a, "accel2d", tristate_str(v->accel2d, "yes", "no"));
        el_end(m.kids, &a);
    }
    el_end(e.kids, &m);
    format_info(e.kids, k, &v->info, flags);
    el_end(out, &e);
}

static void
format_sound(GString *out, int ind, const VkDomainSoundDef *s, unsigned int flags)
{
    El e = el_begin(ind, "sound");

    el_attr(&e, "model", vk_sound_model_to_string(s->model));
    for (guint i = 0; s->codecs && i < s->codecs->len; i++)
        el_child(e.kids, ind + 2, "codec", "type", g_ptr_array_index(s->codecs, i));
    if (s->audio_id) {
        El a = el_begin(ind + 2, "audio");
        el_attrf(&a, "id", "%u", s->audio_id);
        el_end(e.kids, &a);
    }
    format_info(e.kids, ind + 2, &s->info, flags);
    el_end(out, &e);
}

static void
format_audio(GString *out, int ind, const VkDomainAudioDef *a)
{
    El e = el_begin(ind, "audio");

    el_attrf(&e, "id", "%u", a->id);
    el_attr(&e, "type", vk_audio_type_to_string(a->type));
    el_attr(&e, "serverName", a->server_name);
    el_attr(&e, "path", a->path);
    el_end(out, &e);
}

static void
format_hostdev(GString *out, int ind, const VkDomainHostdevDef *h, unsigned int flags)
{
    El e = el_begin(ind, "hostdev");
    int k = ind + 2;

    el_attr(&e, "mode", vk_hostdev_mode_to_string(h->mode));
    el_attr(&e, "type", vk_hostdev_type_to_string(h->type));
    el_attr(&e, "managed", tristate_str(h->managed, "yes", "no"));
    el_attr(&e, "model", h->model);
    if (h->driver)
        el_child(e.kids, k, "driver", "name", vk_hostdev_driver_to_string(h->driver));
    El s = el_begin(k, "source");
    if (h->type == VK_HOSTDEV_PCI) {
        El a = el_begin(k + 2, "address");
        el_attrf(&a, "domain", "0x%04x", h->src_pci.domain);
        el_attrf(&a, "bus", "0x%02x", h->src_pci.bus);
        el_attrf(&a, "slot", "0x%02x", h->src_pci.slot);
        el_attrf(&a, "function", "0x%x", h->src_pci.function);
        el_end(s.kids, &a);
    } else if (h->type == VK_HOSTDEV_USB) {
        if (h->usb_vendor)
            el_child(s.kids, k + 2, "vendor", "id", h->usb_vendor);
        if (h->usb_product)
            el_child(s.kids, k + 2, "product", "id", h->usb_product);
        if (h->has_usb_address) {
            El v = el_begin(k + 2, "address");
            el_attrf(&v, "bus", "%u", h->usb_bus);
            el_attrf(&v, "device", "%u", h->usb_device);
            el_end(s.kids, &v);
        }
    }
    el_end(e.kids, &s);
    if (h->readonly)
        indent_to(e.kids, k), g_string_append(e.kids, "<readonly/>\n");
    if (h->shareable)
        indent_to(e.kids, k), g_string_append(e.kids, "<shareable/>\n");
    format_info(e.kids, k, &h->info, flags);
    el_end(out, &e);
}

static void
format_redirdev(GString *out, int ind, const VkDomainRedirdevDef *r, unsigned int flags)
{
    El e = el_begin(ind, "redirdev");

    el_attr(&e, "bus", vk_redirdev_bus_to_string(r->bus));
    el_attr(&e, "type", vk_chr_type_to_string(r->type));
    if (r->src_host || r->src_service) {
        El s = el_begin(ind + 2, "source");
        el_attr(&s, "mode", "connect");
        el_attr(&s, "host", r->src_host);
        el_attr(&s, "service", r->src_service);
        el_end(e.kids, &s);
    }
    if (r->protocol)
        el_child(e.kids, ind + 2, "protocol", "type", vk_chr_protocol_to_string(r->protocol));
    format_info(e.kids, ind + 2, &r->info, flags);
    el_end(out, &e);
}

static void
format_memballoon(GString *out, int ind, const VkDomainMemballoonDef *m, unsigned int flags)
{
    El e = el_begin(ind, "memballoon");

    el_attr(&e, "model", vk_memballoon_model_to_string(m->model));
    el_attr(&e, "autodeflate", tristate_str(m->autodeflate, "on", "off"));
    el_attr(&e, "freePageReporting", tristate_str(m->free_page_reporting, "on", "off"));
    if (m->stats_period) {
        El s = el_begin(ind + 2, "stats");
        el_attrf(&s, "period", "%u", m->stats_period);
        el_end(e.kids, &s);
    }
    format_info(e.kids, ind + 2, &m->info, flags);
    el_end(out, &e);
}

static void
format_rng(GString *out, int ind, const VkDomainRngDef *r, unsigned int flags)
{
    El e = el_begin(ind, "rng");
    int k = ind + 2;

    el_attr(&e, "model", vk_virtio_model_to_string(r->model));
    if (r->rate_bytes) {
        El t = el_begin(k, "rate");
        el_attrf(&t, "bytes", "%u", r->rate_bytes);
        if (r->rate_period)
            el_attrf(&t, "period", "%u", r->rate_period);
        el_end(e.kids, &t);
    }
    El b = el_begin(k, "backend");
    el_attr(&b, "model", vk_rng_backend_to_string(r->backend_model));
    if (r->backend_model == VK_RNG_BACKEND_RANDOM) {
        if (r->backend_path)
            el_end_text(e.kids, &b, r->backend_path);
        else
            el_end(e.kids, &b);
    } else {
        if (r->backend_model == VK_RNG_BACKEND_EGD)
            el_attr(&b, "type", vk_chr_type_to_string(r->egd_type));
        if (r->egd_src_mode || r->egd_src_host || r->egd_src_service || r->egd_src_path) {
            El s = el_begin(k + 2, "source");
            el_attr(&s, "mode", vk_chr_source_mode_to_string(r->egd_src_mode));
            el_attr(&s, "host", r->egd_src_host);
            el_attr(&s, "service", r->egd_src_service);
            el_attr(&s, "path", r->egd_src_path);
            el_end(b.kids, &s);
        }
        if (r->egd_protocol)
            el_child(b.kids, k + 2, "protocol", "type", vk_chr_protocol_to_string(r->egd_protocol));
        el_end(e.kids, &b);
    }
    format_info(e.kids, k, &r->info, flags);
    el_end(out, &e);
}

static void
format_tpm(GString *out, int ind, const VkDomainTpmDef *t, unsigned int flags)
{
    El e = el_begin(ind, "tpm");
    int k = ind + 2;

    el_attr(&e, "model", vk_tpm_model_to_string(t->model));
    El b = el_begin(k, "backend");
    el_attr(&b, "type", vk_tpm_backend_type_to_string(t->backend_type));
    el_attr(&b, "version", vk_tpm_version_to_string(t->backend_version));
    el_attr(&b, "persistent_state", t->persistent_state);
    if (t->device_path)
        el_child(b.kids, k + 2, "device", "path", t->device_path);
    if (t->encryption_secret)
        el_child(b.kids, k + 2, "encryption", "secret", t->encryption_secret);
    el_end(e.kids, &b);
    format_info(e.kids, k, &t->info, flags);
    el_end(out, &e);
}

static void
format_fs(GString *out, int ind, const VkDomainFsDef *f, unsigned int flags)
{
    El e = el_begin(ind, "filesystem");
    int k = ind + 2;

    el_attr(&e, "type", vk_fs_type_to_string(f->type));
    el_attr(&e, "accessmode", vk_fs_access_mode_to_string(f->accessmode));
    el_attr(&e, "model", vk_virtio_model_to_string(f->model));
    if (f->driver_type || f->driver_queue) {
        El d = el_begin(k, "driver");
        el_attr(&d, "type", vk_fs_driver_to_string(f->driver_type));
        el_attr(&d, "queue", f->driver_queue);
        el_end(e.kids, &d);
    }
    if (f->binary_xml)
        vk_xml_append_indented(e.kids, f->binary_xml, k);
    El s = el_begin(k, "source");
    if (f->type == VK_FS_TYPE_MOUNT || f->type == VK_FS_TYPE_BIND)
        el_attr(&s, "dir", f->src_dir);
    else if (f->type == VK_FS_TYPE_TEMPLATE || f->type == VK_FS_TYPE_VOLUME)
        el_attr(&s, "name", f->src_dir);
    else
        el_attr(&s, "file", f->src_dir);
    el_end(e.kids, &s);
    el_child(e.kids, k, "target", "dir", f->target_dir);
    if (f->readonly)
        indent_to(e.kids, k), g_string_append(e.kids, "<readonly/>\n");
    format_info(e.kids, k, &f->info, flags);
    el_end(out, &e);
}

static void
format_simple(GString *out, int ind, const char *name, const char *attr1, const char *val1,
              const char *attr2, const char *val2, const VkDeviceInfo *info, unsigned int flags)
{
    El e = el_begin(ind, name);

    if (attr1)
        el_attr(&e, attr1, val1);
    if (attr2)
        el_attr(&e, attr2, val2);
    format_info(e.kids, ind + 2, info, flags);
    el_end(out, &e);
}

static void
format_iommu(GString *out, int ind, const VkDomainIommuDef *i, unsigned int flags)
{
    El e = el_begin(ind, "iommu");

    el_attr(&e, "model", vk_iommu_model_to_string(i->model));
    if (i->intremap || i->caching_mode || i->eim || i->iotlb || i->aw_bits) {
        El d = el_begin(ind + 2, "driver");
        el_attr(&d, "intremap", tristate_str(i->intremap, "on", "off"));
        el_attr(&d, "caching_mode", tristate_str(i->caching_mode, "on", "off"));
        el_attr(&d, "eim", tristate_str(i->eim, "on", "off"));
        el_attr(&d, "iotlb", tristate_str(i->iotlb, "on", "off"));
        if (i->aw_bits)
            el_attrf(&d, "aw_bits", "%u", i->aw_bits);
        el_end(e.kids, &d);
    }
    format_info(e.kids, ind + 2, &i->info, flags);
    el_end(out, &e);
}

static void
format_shmem(GString *out, int ind, const VkDomainShmemDef *s, unsigned int flags)
{
    El e = el_begin(ind, "shmem");
    int k = ind + 2;

    el_attr(&e, "name", s->name);
    el_attr(&e, "role", vk_shmem_role_to_string(s->role));
    el_child(e.kids, k, "model", "type", vk_shmem_model_to_string(s->model ? s->model : VK_SHMEM_MODEL_PLAIN));
    if (s->size_kib >= 1024) {
        El z = el_begin(k, "size");
        el_attr(&z, "unit", "M");
        g_autofree char *v = g_strdup_printf("%llu", s->size_kib / 1024);
        el_end_text(e.kids, &z, v);
    }
    if (s->server_path)
        el_child(e.kids, k, "server", "path", s->server_path);
    if (s->has_msi) {
        El z = el_begin(k, "msi");
        if (s->msi_vectors)
            el_attrf(&z, "vectors", "%u", s->msi_vectors);
        el_attr(&z, "ioeventfd", tristate_str(s->msi_ioeventfd, "on", "off"));
        el_end(e.kids, &z);
    }
    format_info(e.kids, k, &s->info, flags);
    el_end(out, &e);
}

static void
format_vsock(GString *out, int ind, const VkDomainVsockDef *v, unsigned int flags)
{
    El e = el_begin(ind, "vsock");

    el_attr(&e, "model", vk_virtio_model_to_string(v->model));
    if (v->cid_auto || v->cid_address) {
        El c = el_begin(ind + 2, "cid");
        el_attr(&c, "auto", tristate_str(v->cid_auto, "yes", "no"));
        if (v->cid_address)
            el_attrf(&c, "address", "%u", v->cid_address);
        el_end(e.kids, &c);
    }
    format_info(e.kids, ind + 2, &v->info, flags);
    el_end(out, &e);
}

#define EACH(list, type, var) \
    for (guint i_ = 0; i_ < def->list->len; i_++) \
        for (const type *var = g_ptr_array_index(def->list, i_); var; var = NULL)

static void
format_devices(GString *out, const VkDomainDef *def, unsigned int flags)
{
    El e = el_begin(2, "devices");
    GString *k = e.kids;
    const int ind = 4;

    text_el(k, ind, "emulator", def->emulator);
    EACH(disks, VkDomainDiskDef, d) format_disk(k, ind, d, flags);
    EACH(controllers, VkDomainControllerDef, c)
        if (!(flags & VK_DOMAIN_FORMAT_MIGRATABLE) || !vk_domain_migratable_drops_controller(def, c))
            format_controller(k, ind, c, flags);
    format_raw(k, def->raw_devices, "lease", ind);
    EACH(filesystems, VkDomainFsDef, f) format_fs(k, ind, f, flags);
    EACH(nets, VkDomainNetDef, n) format_net(k, ind, n, flags);
    format_raw_flags(k, def->raw_devices, "smartcard", ind, flags);
    EACH(serials, VkDomainChrDef, c) format_chr(k, ind, c, flags);
    EACH(parallels, VkDomainChrDef, c) format_chr(k, ind, c, flags);
    for (guint i = 0; i < def->consoles->len; i++)
        format_console(k, ind, def, i, flags);
    EACH(channels, VkDomainChrDef, c) format_chr(k, ind, c, flags);
    EACH(inputs, VkDomainInputDef, i)
        if (!(flags & VK_DOMAIN_FORMAT_MIGRATABLE) || !vk_domain_migratable_drops_input(def, i))
            format_input(k, ind, i, flags);
    EACH(tpms, VkDomainTpmDef, t) format_tpm(k, ind, t, flags);
    EACH(graphics, VkDomainGraphicsDef, g) format_graphics(k, ind, g, flags);
    EACH(sounds, VkDomainSoundDef, s) format_sound(k, ind, s, flags);
    EACH(audios, VkDomainAudioDef, a)
        if (!(flags & VK_DOMAIN_FORMAT_MIGRATABLE) || !vk_domain_migratable_drops_audio(def, a))
            format_audio(k, ind, a);
    EACH(videos, VkDomainVideoDef, v) format_video(k, ind, v, flags);
    EACH(hostdevs, VkDomainHostdevDef, h) format_hostdev(k, ind, h, flags);
    EACH(redirdevs, VkDomainRedirdevDef, r) format_redirdev(k, ind, r, flags);
    format_raw(k, def->raw_devices, "redirfilter", ind);
    format_raw_flags(k, def->raw_devices, "hub", ind, flags);
    EACH(watchdogs, VkDomainWatchdogDef, w)
        format_simple(k, ind, "watchdog", "model", vk_watchdog_model_to_string(w->model),
                      "action", vk_watchdog_action_to_string(w->action), &w->info, flags);
    if (def->memballoon)
        format_memballoon(k, ind, def->memballoon, flags);
    EACH(rngs, VkDomainRngDef, r) format_rng(k, ind, r, flags);
    format_raw(k, def->raw_devices, "nvram", ind);
    EACH(panics, VkDomainPanicDef, p)
        format_simple(k, ind, "panic", "model", vk_panic_model_to_string(p->model), NULL, NULL,
                      &p->info, flags);
    EACH(shmems, VkDomainShmemDef, s) format_shmem(k, ind, s, flags);
    format_raw_flags(k, def->raw_devices, "memory", ind, flags);
    if (def->iommu)
        format_iommu(k, ind, def->iommu, flags);
    if (def->vsock)
        format_vsock(k, ind, def->vsock, flags);
    format_raw(k, def->raw_devices, "crypto", ind);
    el_end(out, &e);
}

/* ---- top level ------------------------------------------------------------ */

static void
format_memory_el(GString *out, const char *name, unsigned long long kib, const char *extra_name,
                 const char *extra_value)
{
    El e = el_begin(2, name);
    if (extra_name)
        el_attr(&e, extra_name, extra_value);
    el_attr(&e, "unit", "KiB");
    g_autofree char *v = g_strdup_printf("%llu", kib);
    el_end_text(out, &e, v);
}

static void
format_os(GString *out, const VkDomainDef *def)
{
    const VkDomainOsDef *o = &def->os;
    El e = el_begin(2, "os");
    GString *k = e.kids;

    el_attr(&e, "firmware", vk_os_firmware_to_string(o->firmware));
    El t = el_begin(4, "type");
    el_attr(&t, "arch", o->arch);
    el_attr(&t, "machine", o->machine);
    el_end_text(k, &t, o->type);
    if (o->firmware_features->len) {
        El f = el_begin(4, "firmware");
        for (guint i = 0; i < o->firmware_features->len; i++) {
            const VkDomainOsFwFeature *ff = g_ptr_array_index(o->firmware_features, i);
            El x = el_begin(6, "feature");
            el_attr(&x, "enabled", ff->enabled ? "yes" : "no");
            el_attr(&x, "name", ff->name);
            el_end(f.kids, &x);
        }
        el_end(k, &f);
    }
    if (o->has_loader) {
        El l = el_begin(4, "loader");
        el_attr(&l, "readonly", tristate_str(o->loader_readonly, "yes", "no"));
        el_attr(&l, "secure", tristate_str(o->loader_secure, "yes", "no"));
        el_attr(&l, "type", vk_loader_type_to_string(o->loader_type));
        if (o->loader)
            el_end_text(k, &l, o->loader);
        else
            el_end(k, &l);
    }
    if (o->nvram || o->nvram_template) {
        El n = el_begin(4, "nvram");
        el_attr(&n, "template", o->nvram_template);
        if (o->nvram)
            el_end_text(k, &n, o->nvram);
        else
            el_end(k, &n);
    }
    text_el(k, 4, "kernel", o->kernel);
    text_el(k, 4, "initrd", o->initrd);
    text_el(k, 4, "cmdline", o->cmdline);
    text_el(k, 4, "dtb", o->dtb);
    for (guint i = 0; i < o->boot_devs->len; i++)
        el_child(k, 4, "boot", "dev",
                 vk_domain_boot_dev_to_string(g_array_index(o->boot_devs, VkDomainBootDev, i)));
    if (o->bootmenu) {
        El b = el_begin(4, "bootmenu");
        el_attr(&b, "enable", tristate_str(o->bootmenu, "yes", "no"));
        if (o->bootmenu_timeout >= 0)
            el_attrf(&b, "timeout", "%d", o->bootmenu_timeout);
        el_end(k, &b);
    }
    if (o->bios_useserial || o->bios_reboot_timeout != -2) {
        El b = el_begin(4, "bios");
        el_attr(&b, "useserial", tristate_str(o->bios_useserial, "yes", "no"));
        if (o->bios_reboot_timeout != -2)
            el_attrf(&b, "rebootTimeout", "%d", o->bios_reboot_timeout);
        el_end(k, &b);
    }
    if (o->smbios_mode)
        el_child(k, 4, "smbios", "mode", vk_smbios_mode_to_string(o->smbios_mode));
    el_end(out, &e);
}

static void
format_features(GString *out, const VkDomainDef *def)
{
    const VkDomainFeatures *f = &def->features;
    El e = el_begin(2, "features");
    GString *k = e.kids;

    for (int id = 0; id < VK_FEATURE_LAST; id++) {
        VkTristate st = f->state[id];
        const char *name = vk_domain_feature_to_string(id);
        if (st == VK_TRISTATE_ABSENT)
            continue;
        switch ((VkDomainFeature) id) {
        case VK_FEATURE_ACPI:
        case VK_FEATURE_PAE:
        case VK_FEATURE_VIRIDIAN:
        case VK_FEATURE_PRIVNET: {
            El x = el_begin(4, name);
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_APIC: {
            El x = el_begin(4, name);
            el_attr(&x, "eoi", tristate_str(f->apic_eoi, "on", "off"));
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_HYPERV: {
            El x = el_begin(4, name);
            el_attr(&x, "mode", vk_hyperv_mode_to_string(f->hyperv_mode ? f->hyperv_mode
                                                                        : VK_HYPERV_MODE_CUSTOM));
            for (guint i = 0; i < f->hyperv->len; i++) {
                const VkDomainHypervFeature *h = g_ptr_array_index(f->hyperv, i);
                El y = el_begin(6, vk_hyperv_feature_name_to_string(h->name));
                el_attr(&y, "state", tristate_str(h->state, "on", "off"));
                if (h->state == VK_TRISTATE_ON && h->name == VK_HYPERV_SPINLOCKS)
                    el_attrf(&y, "retries", "%u", h->retries);
                if (h->state == VK_TRISTATE_ON && h->value)
                    el_attr(&y, "value", h->value);
                if (h->stimer_direct)
                    el_child(y.kids, 8, "direct", "state", "on");
                el_end(x.kids, &y);
            }
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_KVM: {
            El x = el_begin(4, name);
            const char *knames[] = { "hidden", "hint-dedicated", "poll-control", "pv-ipi" };
            VkTristate kv[] = { f->kvm_hidden, f->kvm_hint_dedicated, f->kvm_poll_control,
                                f->kvm_pv_ipi };
            for (int i = 0; i < 4; i++) {
                if (!kv[i])
                    continue;
                El y = el_begin(6, knames[i]);
                el_attr(&y, "state", tristate_str(kv[i], "on", "off"));
                el_end(x.kids, &y);
            }
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_IOAPIC: {
            El x = el_begin(4, name);
            el_attr(&x, "driver", vk_ioapic_driver_to_string(f->ioapic_driver));
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_SMM: {
            El x = el_begin(4, name);
            el_attr(&x, "state", tristate_str(st, "on", "off"));
            if (f->smm_has_tseg && st == VK_TRISTATE_ON) {
                El y = el_begin(6, "tseg");
                el_attr(&y, "unit", "MiB");
                g_autofree char *v = g_strdup_printf("%llu", f->smm_tseg_mib);
                el_end_text(x.kids, &y, v);
            }
            el_end(k, &x);
            break;
        }
        case VK_FEATURE_MSRS: {
            El x = el_begin(4, name);
            el_attr(&x, "unknown", vk_msrs_unknown_to_string(f->msrs_unknown));
            el_end(k, &x);
            break;
        }
        default: {
            El x = el_begin(4, name);
            el_attr(&x, "state", tristate_str(st, "on", "off"));
            el_end(k, &x);
            break;
        }
        }
    }
    el_end(out, &e);
}

static void
format_cpu(GString *out, int ind, const VkDomainCpuDef *c)
{
    El e = el_begin(ind, "cpu");
    const int ki = ind + 2;
    GString *k = e.kids;

    el_attr(&e, "mode", vk_cpu_mode_to_string(c->mode));
    if (c->mode == VK_CPU_MODE_CUSTOM)
        el_attr(&e, "match", vk_cpu_match_to_string(c->match));
    el_attr(&e, "check", vk_cpu_check_to_string(c->check));
    el_attr(&e, "migratable", tristate_str(c->migratable, "on", "off"));
    if (c->model) {
        El m = el_begin(ki, "model");
        el_attr(&m, "fallback", vk_cpu_fallback_to_string(c->model_fallback));
        el_attr(&m, "vendor_id", c->model_vendor_id);
        el_end_text(k, &m, c->model);
    }
    text_el(k, ki, "vendor", c->vendor);
    if (c->sockets) {
        El t = el_begin(ki, "topology");
        el_attrf(&t, "sockets", "%u", c->sockets);
        el_attrf(&t, "dies", "%u", c->dies);
        el_attrf(&t, "cores", "%u", c->cores);
        el_attrf(&t, "threads", "%u", c->threads);
        el_end(k, &t);
    }
    if (c->cache_mode) {
        El t = el_begin(ki, "cache");
        if (c->cache_level >= 0)
            el_attrf(&t, "level", "%d", c->cache_level);
        el_attr(&t, "mode", vk_cpu_cache_mode_to_string(c->cache_mode));
        el_end(k, &t);
    }
    for (guint i = 0; i < c->features->len; i++) {
        const VkDomainCpuFeature *f = g_ptr_array_index(c->features, i);
        El t = el_begin(ki, "feature");
        el_attr(&t, "policy", vk_cpu_feature_policy_to_string(f->policy));
        el_attr(&t, "name", f->name);
        el_end(k, &t);
    }
    if (c->numa_xml)
        vk_xml_append_indented(k, c->numa_xml, ki);
    el_end(out, &e);
}

static void
format_clock(GString *out, const VkDomainClockDef *c)
{
    El e = el_begin(2, "clock");

    el_attr(&e, "offset", vk_clock_offset_to_string(c->offset));
    el_attr(&e, "timezone", c->timezone);
    el_attr(&e, "adjustment", c->adjustment);
    el_attr(&e, "basis", vk_clock_basis_to_string(c->basis));
    for (guint i = 0; i < c->timers->len; i++) {
        const VkDomainTimerDef *t = g_ptr_array_index(c->timers, i);
        El x = el_begin(4, "timer");
        el_attr(&x, "name", vk_timer_name_to_string(t->name));
        el_attr(&x, "present", tristate_str(t->present, "yes", "no"));
        el_attr(&x, "tickpolicy", vk_timer_tickpolicy_to_string(t->tickpolicy));
        el_attr(&x, "track", vk_timer_track_to_string(t->track));
        el_attr(&x, "frequency", t->frequency);
        el_attr(&x, "mode", t->mode);
        el_end(e.kids, &x);
    }
    el_end(out, &e);
}

char *
vk_domain_def_format(const VkDomainDef *def, unsigned int flags)
{
    GString *out = g_string_new(NULL);
    g_autofree char *metadata = NULL;
    char uuid[37];
    const VkDomainCpuDef *cpu = def->cpu;

    if (flags & VK_DOMAIN_FORMAT_MIGRATABLE)
        flags |= VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_CPU_AS_STARTED;
    if ((flags & VK_DOMAIN_FORMAT_CPU_AS_STARTED) && def->cpu_migratable)
        cpu = def->cpu_migratable;

    El root = el_begin(0, "domain");
    el_attr(&root, "type", vk_domain_virt_type_to_string(def->virt_type));
    if (def->id >= 0 && !(flags & VK_DOMAIN_FORMAT_INACTIVE))
        el_attrf(&root, "id", "%d", def->id);
    GString *k = root.kids;

    text_el(k, 2, "name", def->name);
    vk_domain_uuid_format(def->uuid, uuid);
    text_el(k, 2, "uuid", uuid);
    if (def->has_genid) {
        vk_domain_uuid_format(def->genid, uuid);
        text_el(k, 2, "genid", uuid);
    }
    text_el(k, 2, "title", def->title);
    text_el(k, 2, "description", def->description);
    if (flags & VK_DOMAIN_FORMAT_PRIVATE)
        metadata = vk_domain_pci_given_metadata(def);
    if (metadata || def->metadata)
        g_string_append_printf(k, "  %s\n", metadata ? metadata : def->metadata);
    if (def->max_memory_kib) {
        g_autofree char *slots = g_strdup_printf("%u", def->max_memory_slots);
        format_memory_el(k, "maxMemory", def->max_memory_kib, "slots", slots);
    }
    format_memory_el(k, "memory", def->memory_kib, "dumpCore",
                     tristate_str(def->memory_dump_core, "on", "off"));
    format_memory_el(k, "currentMemory",
                     def->current_memory_kib ? def->current_memory_kib : def->memory_kib,
                     NULL, NULL);
    format_raw(k, def->raw, "blkiotune", 2);
    format_raw(k, def->raw, "memtune", 2);
    format_raw(k, def->raw, "memoryBacking", 2);
    {
        El v = el_begin(2, "vcpu");
        el_attr(&v, "placement", vk_vcpu_placement_to_string(def->vcpu_placement));
        el_attr(&v, "cpuset", def->cpuset);
        if (def->current_vcpus && def->current_vcpus != def->vcpus)
            el_attrf(&v, "current", "%u", def->current_vcpus);
        g_autofree char *n = g_strdup_printf("%u", def->vcpus);
        el_end_text(k, &v, n);
    }
    format_raw(k, def->raw, "vcpus", 2);
    if (def->iothreads) {
        g_autofree char *n = g_strdup_printf("%u", def->iothreads);
        text_el(k, 2, "iothreads", n);
    }
    format_iothread_ids(k, def);
    format_raw(k, def->raw, "defaultiothread", 2);
    format_raw(k, def->raw, "cputune", 2);
    format_raw(k, def->raw, "numatune", 2);
    format_raw(k, def->raw, "resource", 2);
    format_raw(k, def->raw, "sysinfo", 2);
    format_raw(k, def->raw, "bootloader", 2);
    format_raw(k, def->raw, "bootloader_args", 2);
    format_os(k, def);
    format_raw(k, def->raw, "idmap", 2);
    if (def->has_features)
        format_features(k, def);
    if (cpu)
        format_cpu(k, 2, cpu);
    /* our status file keeps the CPU as started, for --migratable after a
     * daemon restart (libvirt keeps it in its status file too) */
    if ((flags & VK_DOMAIN_FORMAT_STATUS) && def->cpu_migratable) {
        indent_to(k, 2);
        g_string_append(k, "<migratableCpu>\n");
        format_cpu(k, 4, def->cpu_migratable);
        indent_to(k, 2);
        g_string_append(k, "</migratableCpu>\n");
    }
    format_clock(k, &def->clock);
    text_el(k, 2, "on_poweroff", vk_lifecycle_action_to_string(def->on_poweroff));
    text_el(k, 2, "on_reboot", vk_lifecycle_action_to_string(def->on_reboot));
    text_el(k, 2, "on_crash", vk_lifecycle_action_to_string(def->on_crash));
    format_raw(k, def->raw, "on_lockfailure", 2);
    if (def->has_pm && (def->pm_suspend_to_mem || def->pm_suspend_to_disk)) {
        El p = el_begin(2, "pm");
        if (def->pm_suspend_to_mem)
            el_child(p.kids, 4, "suspend-to-mem", "enabled", tristate_str(def->pm_suspend_to_mem, "yes", "no"));
        if (def->pm_suspend_to_disk)
            el_child(p.kids, 4, "suspend-to-disk", "enabled", tristate_str(def->pm_suspend_to_disk, "yes", "no"));
        el_end(k, &p);
    }
    format_raw(k, def->raw, "perf", 2);
    format_devices(k, def, flags);
    format_seclabels(k, def, flags);
    format_raw(k, def->raw, "keywrap", 2);
    format_raw(k, def->raw, "launchSecurity", 2);
    format_raw(k, def->raw, "throttlegroups", 2);
    el_end(out, &root);
    return g_string_free(out, FALSE);
}
