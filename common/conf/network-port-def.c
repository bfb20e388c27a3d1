/* <networkport>: parse and format as libvirt 9.0's virnetworkportdef.c
 * does (element order, error texts, all in VIR_FROM_NETWORK). */
#include "common/conf/network-port-def.h"

#include <string.h>

#include <libxml/tree.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/conf/network-parse.h"
#include "common/util/uuid.h"

#define PORT_ERR(code, ...) (vk_error_report(VIR_FROM_NETWORK, code, __VA_ARGS__), -1)

VK_ENUM_IMPL(vk_network_port_plug_type, "none", "network", "bridge", "direct", "hostdev-pci")

static const char *const macvlan_modes[] = { "vepa", "private", "bridge", "passthrough", NULL };

void
vk_network_port_def_free(VkNetworkPortDef *def)
{
    if (!def)
        return;
    g_free(def->owner_name);
    g_free(def->group);
    g_free(def->mac);
    g_free(def->raw_extra);
    g_free(def->plug_bridge);
    g_free(def->plug_mac_table_manager);
    g_free(def->plug_dev);
    g_free(def->plug_mode);
    g_free(def->plug_driver);
    g_free(def);
}

static int
parse_uuid(const char *text, unsigned char uuid[16], const char *missing)
{
    if (!text)
        return PORT_ERR(VIR_ERR_INTERNAL_ERROR, "%s", missing);
    if (vk_uuid_parse(text, uuid) < 0)
        return PORT_ERR(VIR_ERR_INTERNAL_ERROR, "Unable to parse UUID '%s'", text);
    return 0;
}

static int
parse_plug_bridge(xmlNodePtr plug, VkNetworkPortDef *def)
{
    if (!(def->plug_bridge = vk_xml_prop(plug, "bridge")))
        return PORT_ERR(VIR_ERR_XML_ERROR, "%s", "Missing network port bridge name");
    def->plug_mac_table_manager = vk_xml_prop(plug, "macTableManager");
    if (def->plug_mac_table_manager && !g_str_equal(def->plug_mac_table_manager, "kernel") &&
        !g_str_equal(def->plug_mac_table_manager, "libvirt"))
        return PORT_ERR(VIR_ERR_XML_ERROR, "Invalid macTableManager setting '%s' in network port",
                        def->plug_mac_table_manager);
    return 0;
}

static int
parse_plug_hostdev(xmlNodePtr plug, VkNetworkPortDef *def)
{
    xmlNodePtr addr = vk_xml_child(plug, "address");

    if (vk_xml_attr_tristate(plug, "managed", vk_xml_yes_no, &def->plug_managed) < 0)
        return -1;
    def->plug_driver = vk_xml_prop(vk_xml_child(plug, "driver"), "name");
    if (def->plug_driver && !g_str_equal(def->plug_driver, "kvm") &&
        !g_str_equal(def->plug_driver, "vfio"))
        return PORT_ERR(VIR_ERR_XML_ERROR, "%s", "Missing network port driver name");
    if (!addr)
        return PORT_ERR(VIR_ERR_XML_ERROR, "%s", "Missing network port PCI address");
    return vk_xml_pci_address(addr, &def->plug_address);
}

static int
parse_plug(xmlNodePtr plug, VkNetworkPortDef *def)
{
    if (vk_xml_attr_enum(plug, "type", vk_network_port_plug_type_from_string,
                         VK_XML_ENUM_OUT(def->plug_type)) < 0)
        return -1;
    switch (def->plug_type) {
    case VK_NETWORK_PORT_PLUG_NETWORK:
    case VK_NETWORK_PORT_PLUG_BRIDGE:
        return parse_plug_bridge(plug, def);
    case VK_NETWORK_PORT_PLUG_DIRECT:
        if (!(def->plug_dev = vk_xml_prop(plug, "dev")))
            return PORT_ERR(VIR_ERR_XML_ERROR, "%s", "Missing network port link device name");
        def->plug_mode = vk_xml_prop(plug, "mode");
        if (def->plug_mode && vk_enum_from_string(macvlan_modes, def->plug_mode) < 0)
            return PORT_ERR(VIR_ERR_XML_ERROR, "Invalid mode setting '%s' in network port",
                            def->plug_mode);
        return 0;
    case VK_NETWORK_PORT_PLUG_HOSTDEV_PCI:
        return parse_plug_hostdev(plug, def);
    default:
        return 0;
    }
}

/* <virtualport>, <bandwidth>, <vlan>, <port>: kept as XML, in libvirt's order */
static char *
raw_children(xmlNodePtr root)
{
    static const char *const names[] = { "virtualport", "bandwidth", "vlan", "port", NULL };
    g_autoptr(GString) buf = g_string_new(NULL);

    for (const char *const *n = names; *n; n++) {
        xmlNodePtr c = vk_xml_child(root, *n);
        g_autofree char *xml = c ? vk_domain_xml_serialize(c) : NULL;
        if (xml)
            g_string_append_printf(buf, "%s%s", buf->len ? "\n" : "", xml);
    }
    return buf->len ? g_string_free(g_steal_pointer(&buf), FALSE) : NULL;
}

static int
parse_root(xmlNodePtr root, VkNetworkPortDef *def)
{
    xmlNodePtr owner = vk_xml_child(root, "owner");
    g_autofree char *uuid = vk_xml_child_text(root, "uuid");
    g_autofree char *owner_uuid = vk_xml_child_text(owner, "uuid");
    g_autofree char *mac = vk_xml_prop(vk_xml_child(root, "mac"), "address");
    guint8 b[6];

    if (!xmlStrEqual(root->name, BAD_CAST "networkport")) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                        "expecting root element of 'networkport', not '%s'", root->name);
        return -1;
    }
    if (parse_uuid(uuid, def->uuid, "network port has no uuid") < 0)
        return -1;
    if (!(def->owner_name = vk_xml_child_text(owner, "name")))
        return PORT_ERR(VIR_ERR_INTERNAL_ERROR, "%s", "network port has no owner name");
    if (parse_uuid(owner_uuid, def->owner_uuid, "network port has no owner UUID") < 0)
        return -1;
    def->group = vk_xml_child_text(root, "group");
    if (!mac)
        return PORT_ERR(VIR_ERR_INTERNAL_ERROR, "%s", "network port has no mac");
    if (vk_network_parse_mac(mac, b) < 0)
        return PORT_ERR(VIR_ERR_INTERNAL_ERROR, "Unable to parse MAC '%s'", mac);
    def->mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    def->raw_extra = raw_children(root);
    if (vk_xml_attr_tristate(vk_xml_child(root, "rxfilters"), "trustGuest", vk_xml_yes_no,
                             &def->trust_guest_rx_filters) < 0)
        return -1;
    return vk_xml_child(root, "plug") ? parse_plug(vk_xml_child(root, "plug"), def) : 0;
}

static VkNetworkPortDef *
parse_doc(const char *xml, const char *path)
{
    xmlDocPtr doc = vk_xml_parse_named_from(xml, path, "(networkport_definition)",
                                            VIR_FROM_NETWORK);
    g_autoptr(VkNetworkPortDef) def = g_new0(VkNetworkPortDef, 1);
    int rc;

    if (!doc)
        return NULL;
    rc = parse_root(xmlDocGetRootElement(doc), def);
    xmlFreeDoc(doc);
    return rc < 0 ? NULL : g_steal_pointer(&def);
}

VkNetworkPortDef *
vk_network_port_def_parse_string(const char *xml)
{
    return parse_doc(xml, NULL);
}

VkNetworkPortDef *
vk_network_port_def_parse_file(const char *path)
{
    return parse_doc(NULL, path);
}

static void
format_plug(GString *buf, const VkNetworkPortDef *def)
{
    const VkPciAddress *a = &def->plug_address;

    g_string_append_printf(buf, "  <plug type='%s'",
                           vk_network_port_plug_type_to_string(def->plug_type));
    switch (def->plug_type) {
    case VK_NETWORK_PORT_PLUG_HOSTDEV_PCI:
        if (def->plug_managed)
            g_string_append_printf(buf, " managed='%s'",
                                   def->plug_managed == VK_TRISTATE_ON ? "yes" : "no");
        g_string_append(buf, ">\n");
        if (def->plug_driver)
            g_string_append_printf(buf, "    <driver name='%s'/>\n", def->plug_driver);
        g_string_append_printf(buf, "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                               "function='0x%x'/>\n  </plug>\n",
                               a->domain, a->bus, a->slot, a->function);
        return;
    case VK_NETWORK_PORT_PLUG_DIRECT:
        g_string_append(buf, " dev='");
        vk_xml_escape_append(buf, def->plug_dev);
        g_string_append_printf(buf, "' mode='%s'", def->plug_mode ? def->plug_mode : "vepa");
        break;
    default:
        g_string_append(buf, " bridge='");
        vk_xml_escape_append(buf, def->plug_bridge);
        g_string_append_c(buf, '\'');
        if (def->plug_mac_table_manager)
            g_string_append_printf(buf, " macTableManager='%s'", def->plug_mac_table_manager);
        break;
    }
    g_string_append(buf, "/>\n");
}

char *
vk_network_port_def_format(const VkNetworkPortDef *def)
{
    g_autoptr(GString) buf = g_string_new("<networkport>\n");
    char uuid[VK_UUID_STRING_BUFLEN];

    g_string_append_printf(buf, "  <uuid>%s</uuid>\n  <owner>\n    <name>",
                           vk_uuid_format(def->uuid, uuid));
    vk_xml_escape_append(buf, def->owner_name);
    g_string_append_printf(buf, "</name>\n    <uuid>%s</uuid>\n  </owner>\n",
                           vk_uuid_format(def->owner_uuid, uuid));
    if (def->group) {
        g_string_append(buf, "  <group>");
        vk_xml_escape_append(buf, def->group);
        g_string_append(buf, "</group>\n");
    }
    g_string_append_printf(buf, "  <mac address='%s'/>\n", def->mac);
    if (def->raw_extra)
        vk_xml_append_indented(buf, def->raw_extra, 2);
    if (def->trust_guest_rx_filters)
        g_string_append_printf(buf, "  <rxfilters trustGuest='%s'/>\n",
                               def->trust_guest_rx_filters == VK_TRISTATE_ON ? "yes" : "no");
    if (def->plug_type != VK_NETWORK_PORT_PLUG_NONE)
        format_plug(buf, def);
    g_string_append(buf, "</networkport>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
