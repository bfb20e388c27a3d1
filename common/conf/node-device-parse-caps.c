/* The capabilities of <device> other than mdev, as nodedev-dumpxml writes
 * them: each reads back to the same definition, so that what libvirtd 9.0
 * formats survives a parse and format unchanged (the unit tests' corpus). */
#include <string.h>

#include "common/conf/node-device-parse.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

static int
invalid(const char *what, const char *device)
{
    vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_XML_ERROR, "invalid %s for '%s'", what, device);
    return -1;
}

/* The text of NODE's child NAME as a number (BASE 0: 0x allowed); absent
 * leaves OUT alone unless REQUIRED. */
static int
child_uint(xmlNodePtr node, const char *name, unsigned int *out, bool required,
           const char *device)
{
    g_autofree char *text = vk_xml_child_text(node, name);

    if (!text)
        return required ? invalid(name, device) : 0;
    if (vk_xml_parse_uint(g_strstrip(text), 0, out) < 0)
        return invalid(name, device);
    return 0;
}

static int
child_ull(xmlNodePtr node, const char *name, unsigned long long *out, const char *device)
{
    g_autofree char *text = vk_xml_child_text(node, name);

    if (text && vk_xml_parse_ull(g_strstrip(text), 0, out) < 0)
        return invalid(name, device);
    return 0;
}

static int
child_int(xmlNodePtr node, const char *name, int *out, const char *device)
{
    g_autofree char *text = vk_xml_child_text(node, name);

    if (text && vk_xml_parse_int(g_strstrip(text), 0, out) < 0)
        return invalid(name, device);
    return 0;
}

static int
attr_uint(xmlNodePtr node, const char *name, unsigned int *out, const char *device)
{
    g_autofree char *v = vk_xml_prop(node, name);

    if (v && vk_xml_parse_uint(v, 0, out) < 0)
        return invalid(name, device);
    return 0;
}

/* <capability type='TYPE'> among NODE's children, or NULL. */
static xmlNodePtr
sub_cap(xmlNodePtr node, const char *type)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *t = NULL;

        if (vk_xml_is_element(c, "capability") && (t = vk_xml_prop(c, "type")) &&
            strcmp(t, type) == 0)
            return c;
    }
    return NULL;
}

/* <address domain= bus= slot= function=/> with libvirt's range checks */
static int
address(xmlNodePtr node, VkPciAddress *a)
{
    return vk_xml_pci_address(node, a);
}

static int
addresses(xmlNodePtr node, GArray *out, const char *device)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        VkPciAddress a;

        if (!vk_xml_is_element(c, "address"))
            continue;
        if (address(c, &a) < 0)
            return -1;
        g_array_append_val(out, a);
    }
    return 0;
}

/* <product id='0x..'>NAME</product> and the same for vendor */
static int
id_and_name(xmlNodePtr node, const char *elem, unsigned int *id, char **name, const char *device)
{
    xmlNodePtr n = vk_xml_child(node, elem);

    if (!n || attr_uint(n, "id", id, device) < 0)
        return n ? -1 : invalid(elem, device);
    *name = vk_xml_text(n);
    if (*name && !**name)
        g_clear_pointer(name, g_free);
    return 0;
}

static int
parse_system(xmlNodePtr node, VkNodeDevSystem *s, const char *device)
{
    xmlNodePtr hw = vk_xml_child(node, "hardware");
    xmlNodePtr fw = vk_xml_child(node, "firmware");
    g_autofree char *uuid = vk_xml_child_text(hw, "uuid");

    s->product = vk_xml_child_text(node, "product");
    s->hw_vendor = vk_xml_child_text(hw, "vendor");
    s->hw_version = vk_xml_child_text(hw, "version");
    s->hw_serial = vk_xml_child_text(hw, "serial");
    s->fw_vendor = vk_xml_child_text(fw, "vendor");
    s->fw_version = vk_xml_child_text(fw, "version");
    s->fw_date = vk_xml_child_text(fw, "release_date");
    if (uuid && vk_uuid_parse(uuid, s->uuid) < 0)
        return invalid("uuid", device);
    return 0;
}

static int
parse_mdev_types(xmlNodePtr node, GPtrArray **out, const char *device)
{
    *out = g_ptr_array_new_with_free_func((GDestroyNotify) vk_mdev_type_free);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        VkMdevType *t;

        if (!vk_xml_is_element(c, "type"))
            continue;
        t = g_new0(VkMdevType, 1);
        g_ptr_array_add(*out, t);
        if (!(t->id = vk_xml_prop(c, "id")))
            return invalid("mdev type id", device);
        t->name = vk_xml_child_text(c, "name");
        t->device_api = vk_xml_child_text(c, "deviceAPI");
        if (child_uint(c, "availableInstances", &t->available, false, device) < 0)
            return -1;
    }
    return 0;
}

static const char *
link_speed(const char *text)
{
    static const char *const speeds[] = { "2.5", "5", "8", "16", "32", "64" };

    for (guint i = 0; text && i < G_N_ELEMENTS(speeds); i++)
        if (strcmp(text, speeds[i]) == 0)
            return speeds[i];
    return NULL;
}

static int
parse_pcie(xmlNodePtr node, VkNodeDevPci *p, const char *device)
{
    p->pcie = true;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *validity = NULL;
        g_autofree char *speed = NULL;
        bool cap;

        if (!vk_xml_is_element(c, "link"))
            continue;
        validity = vk_xml_prop(c, "validity");
        speed = vk_xml_prop(c, "speed");
        cap = g_strcmp0(validity, "cap") == 0;
        if (cap) {
            unsigned int port;
            g_autofree char *port_text = vk_xml_prop(c, "port");

            p->has_link_cap = true;
            p->link_cap_speed = link_speed(speed);
            if (port_text) {
                if (vk_xml_parse_uint(port_text, 10, &port) < 0)
                    return invalid("link port", device);
                p->link_port = port;
            }
            if (attr_uint(c, "width", &p->link_cap_width, device) < 0)
                return -1;
        } else {
            p->has_link_sta = true;
            p->link_sta_speed = link_speed(speed);
            if (attr_uint(c, "width", &p->link_sta_width, device) < 0)
                return -1;
        }
    }
    return 0;
}

static int
parse_pci_subcaps(xmlNodePtr node, VkNodeDevPci *p, const char *device)
{
    xmlNodePtr c;

    if ((c = sub_cap(node, "phys_function")) && vk_xml_child(c, "address")) {
        p->phys_function = g_new0(VkPciAddress, 1);
        if (address(vk_xml_child(c, "address"), p->phys_function) < 0)
            return -1;
    }
    if ((c = sub_cap(node, "virt_functions"))) {
        p->has_virt_functions = true;
        if (attr_uint(c, "maxCount", &p->max_vfs, device) < 0 ||
            addresses(c, p->virt_functions, device) < 0)
            return -1;
    }
    if ((c = sub_cap(node, "mdev_types")) && parse_mdev_types(c, &p->mdev_types, device) < 0)
        return -1;
    return 0;
}

static int
parse_pci(xmlNodePtr node, VkNodeDevPci *p, const char *device)
{
    xmlNodePtr c;
    unsigned int dom = 0, bus = 0, slot = 0, fn = 0, klass;
    g_autofree char *class_text = vk_xml_child_text(node, "class");

    if (!vk_xml_child(node, "domain") || !vk_xml_child(node, "bus") ||
        !vk_xml_child(node, "slot") || !vk_xml_child(node, "function")) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "no PCI bus ID supplied for '%s'", device);
        return -1;
    }
    if (child_uint(node, "domain", &dom, true, device) < 0 ||
        child_uint(node, "bus", &bus, true, device) < 0 ||
        child_uint(node, "slot", &slot, true, device) < 0 ||
        child_uint(node, "function", &fn, true, device) < 0 ||
        id_and_name(node, "product", &p->product, &p->product_name, device) < 0 ||
        id_and_name(node, "vendor", &p->vendor, &p->vendor_name, device) < 0 ||
        parse_pci_subcaps(node, p, device) < 0)
        return -1;
    p->addr = (VkPciAddress) { .domain = dom, .bus = bus, .slot = slot, .function = fn };
    if (class_text) {
        if (vk_xml_parse_uint(class_text, 0, &klass) < 0 || klass > 0xffffff)
            return invalid("class", device);
        p->klass = klass;
    }
    if ((c = vk_xml_child(node, "iommuGroup"))) {
        g_autofree char *number = vk_xml_prop(c, "number");
        if (!number || vk_xml_parse_int(number, 10, &p->iommu_group) < 0)
            return invalid("iommuGroup number", device);
        if (addresses(c, p->iommu_members, device) < 0)
            return -1;
    }
    if ((c = vk_xml_child(node, "numa"))) {
        g_autofree char *n = vk_xml_prop(c, "node");
        if (!n || vk_xml_parse_int(n, 10, &p->numa_node) < 0)
            return invalid("NUMA node", device);
    }
    if ((c = vk_xml_child(node, "pci-express")) && parse_pcie(c, p, device) < 0)
        return -1;
    return 0;
}

static int
parse_net(xmlNodePtr node, VkNodeDevNet *n, const char *device)
{
    xmlNodePtr link = vk_xml_child(node, "link");
    xmlNodePtr sub = sub_cap(node, "80203") ? sub_cap(node, "80203") : sub_cap(node, "80211");

    if (!(n->ifname = vk_xml_child_text(node, "interface")))
        return invalid("network interface", device);
    n->address = vk_xml_child_text(node, "address");
    if (link) {
        g_autofree char *state = vk_xml_prop(link, "state");
        if (attr_uint(link, "speed", &n->speed, device) < 0)
            return -1;
        if (state && (n->state = vk_nodedev_link_state_from_string(state)) < 0)
            return invalid("link state", device);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *name = NULL;
        int f;

        if (!vk_xml_is_element(c, "feature"))
            continue;
        name = vk_xml_prop(c, "name");
        if (!name || (f = vk_netdev_feature_from_string(name)) < 0)
            return invalid("network device feature", device);
        n->features |= 1u << f;
    }
    if (sub) {
        g_autofree char *t = vk_xml_prop(sub, "type");
        n->subtype = strcmp(t, "80203") == 0 ? 0 : 1;
    }
    return 0;
}

static int
parse_scsi_host(xmlNodePtr node, VkNodeDevScsiHost *h, const char *device)
{
    xmlNodePtr c;

    if (child_uint(node, "host", &h->host, true, device) < 0 ||
        child_int(node, "unique_id", &h->unique_id, device) < 0)
        return -1;
    if ((c = sub_cap(node, "fc_host"))) {
        h->fc_host = true;
        h->wwnn = vk_xml_child_text(c, "wwnn");
        h->wwpn = vk_xml_child_text(c, "wwpn");
        h->fabric_wwn = vk_xml_child_text(c, "fabric_wwn");
    }
    if ((c = sub_cap(node, "vport_ops"))) {
        h->vport_ops = true;
        if (child_int(c, "max_vports", &h->max_vports, device) < 0 ||
            child_int(c, "vports", &h->vports, device) < 0)
            return -1;
    }
    return 0;
}

static int
parse_storage(xmlNodePtr node, VkNodeDevStorage *s, const char *device)
{
    xmlNodePtr rem = sub_cap(node, "removable");
    xmlNodePtr sizes = rem ? rem : node;

    if (!(s->block = vk_xml_child_text(node, "block")))
        return invalid("block device", device);
    s->bus = vk_xml_child_text(node, "bus");
    s->drive_type = vk_xml_child_text(node, "drive_type");
    s->model = vk_xml_child_text(node, "model");
    s->vendor = vk_xml_child_text(node, "vendor");
    s->serial = vk_xml_child_text(node, "serial");
    s->hotpluggable = sub_cap(node, "hotpluggable") != NULL;
    if (rem) {
        unsigned int avail = 0;
        s->removable = true;
        if (child_uint(rem, "media_available", &avail, false, device) < 0 ||
            child_ull(rem, "media_size", &s->removable_media_size, device) < 0)
            return -1;
        s->media_available = avail != 0;
        s->media_label = vk_xml_child_text(rem, "media_label");
    } else if (child_ull(node, "size", &s->size, device) < 0) {
        return -1;
    }
    return child_ull(sizes, "logical_block_size", &s->logical_block_size, device) < 0 ||
                   child_ull(sizes, "num_blocks", &s->num_blocks, device) < 0
               ? -1 : 0;
}

static int
parse_usb_device(xmlNodePtr node, VkNodeDevUsbDev *u, const char *device)
{
    if (child_uint(node, "bus", &u->bus, true, device) < 0 ||
        child_uint(node, "device", &u->device, true, device) < 0 ||
        id_and_name(node, "product", &u->product, &u->product_name, device) < 0 ||
        id_and_name(node, "vendor", &u->vendor, &u->vendor_name, device) < 0)
        return -1;
    return 0;
}

static int
parse_usb_interface(xmlNodePtr node, VkNodeDevUsbIf *u, const char *device)
{
    if (child_uint(node, "number", &u->number, true, device) < 0 ||
        child_uint(node, "class", &u->klass, true, device) < 0 ||
        child_uint(node, "subclass", &u->subclass, true, device) < 0 ||
        child_uint(node, "protocol", &u->protocol, true, device) < 0)
        return -1;
    u->description = vk_xml_child_text(node, "description");
    return 0;
}

int
vk_node_device_parse_cap_data(xmlNodePtr node, VkNodeDevCap *cap, const char *device)
{
    g_autofree char *text = NULL;

    switch (cap->type) {
    case VK_NODEDEV_CAP_SYSTEM:
        return parse_system(node, &cap->system, device);
    case VK_NODEDEV_CAP_PCI_DEV:
        return parse_pci(node, &cap->pci, device);
    case VK_NODEDEV_CAP_USB_DEV:
        return parse_usb_device(node, &cap->usb_dev, device);
    case VK_NODEDEV_CAP_USB_INTERFACE:
        return parse_usb_interface(node, &cap->usb_if, device);
    case VK_NODEDEV_CAP_NET:
        return parse_net(node, &cap->net, device);
    case VK_NODEDEV_CAP_SCSI_HOST:
        return parse_scsi_host(node, &cap->scsi_host, device);
    case VK_NODEDEV_CAP_SCSI_TARGET:
        cap->scsi_target = vk_xml_child_text(node, "target");
        return 0;
    case VK_NODEDEV_CAP_SCSI:
        if (child_uint(node, "host", &cap->scsi.host, true, device) < 0 ||
            child_uint(node, "bus", &cap->scsi.bus, true, device) < 0 ||
            child_uint(node, "target", &cap->scsi.target, true, device) < 0 ||
            child_uint(node, "lun", &cap->scsi.lun, true, device) < 0)
            return -1;
        cap->scsi.type = vk_xml_child_text(node, "type");
        return 0;
    case VK_NODEDEV_CAP_STORAGE:
        return parse_storage(node, &cap->storage, device);
    case VK_NODEDEV_CAP_SCSI_GENERIC:
        cap->sg_path = vk_xml_child_text(node, "char");
        return 0;
    case VK_NODEDEV_CAP_DRM:
        text = vk_xml_child_text(node, "type");
        if (!text || (cap->drm = vk_nodedev_drm_from_string(text)) < 0)
            return invalid("drm type", device);
        return 0;
    case VK_NODEDEV_CAP_CCW_DEV:
        return child_uint(node, "cssid", &cap->ccw.cssid, true, device) < 0 ||
                       child_uint(node, "ssid", &cap->ccw.ssid, true, device) < 0 ||
                       child_uint(node, "devno", &cap->ccw.devno, true, device) < 0
                   ? -1 : 0;
    default:
        return 0;
    }
}
