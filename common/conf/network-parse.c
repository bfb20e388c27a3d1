/* <network>: the top-level elements, in the order libvirt 9.0 reads them,
 * with its defaults and error texts (network_conf.c); the sections are in
 * network-parse-*.c and the checks against the forward mode in
 * network-validate.c. */
#include "common/conf/network-parse.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

static int
parse_identity(xmlNodePtr root, VkNetworkDef *def)
{
    g_autofree char *uuid = vk_xml_child_text(root, "uuid");
    g_autofree char *ipv6 = vk_xml_prop(root, "ipv6");
    g_autofree char *connections = vk_xml_prop(root, "connections");

    def->name = vk_xml_child_text(root, "name");
    if (!def->name || !*def->name) {
        VK_NET_ERR(VIR_ERR_NO_NAME, NULL);
        return -1;
    }
    if (strchr(def->name, '/')) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_DETAIL, "invalid char in name: /");
        return -1;
    }
    if (!uuid || !*uuid) {
        vk_uuid_generate(def->uuid);
    } else if (vk_uuid_parse(uuid, def->uuid) < 0) {
        VK_NET_ERR(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
        return -1;
    }
    /* libvirt 9.0 reads neither <title> nor <description> of a network */
    if (ipv6 && !g_str_equal(ipv6, "yes") && !g_str_equal(ipv6, "no")) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid ipv6 setting '%s' in network '%s'", ipv6, def->name);
        return -1;
    }
    def->ipv6_enabled = !ipv6 ? VK_TRISTATE_ABSENT
                              : g_str_equal(ipv6, "yes") ? VK_TRISTATE_ON : VK_TRISTATE_OFF;
    if (connections)
        vk_xml_parse_uint(connections, 10, &def->connections);
    return vk_xml_attr_tristate(root, "trustGuestRxFilters", vk_xml_yes_no,
                                &def->trust_guest_rx_filters);
}

/* Elements kept as XML, serialized in the order libvirt prints them. */
static char *
serialize_children(xmlNodePtr node, const char *const *names)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    for (const char *const *n = names; *n; n++) {
        xmlNodePtr c = vk_xml_child(node, *n);
        if (!c)
            continue;
        g_autofree char *xml = vk_domain_xml_serialize(c);
        if (buf->len)
            g_string_append_c(buf, '\n');
        g_string_append(buf, xml);
    }
    return buf->len ? g_string_free(g_steal_pointer(&buf), FALSE) : NULL;
}

static int
parse_bridge(xmlNodePtr node, VkNetworkDef *def, bool *stp_given)
{
    g_autofree char *stp = vk_xml_prop(node, "stp");
    g_autofree char *delay = vk_xml_prop(node, "delay");
    g_autofree char *mgr = vk_xml_prop(node, "macTableManager");

    def->bridge = vk_xml_prop(node, "name");
    def->zone = vk_xml_prop(node, "zone");
    *stp_given = stp != NULL;
    if (stp)
        def->stp = g_str_equal(stp, "off") ? VK_TRISTATE_OFF : VK_TRISTATE_ON;
    if (delay) {
        if (vk_xml_parse_uint(delay, 10, &def->delay) < 0) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid delay value in network '%s'", def->name);
            return -1;
        }
        def->has_delay = true;
    }
    if (mgr && !g_str_equal(mgr, "kernel") && !g_str_equal(mgr, "libvirt")) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid macTableManager setting '%s' in network '%s'", mgr,
                   def->name);
        return -1;
    }
    def->mac_table_manager = g_steal_pointer(&mgr);
    return 0;
}

static int
parse_mac_mtu(xmlNodePtr root, VkNetworkDef *def)
{
    g_autofree char *mac = vk_xml_prop(vk_xml_child(root, "mac"), "address");
    g_autofree char *mtu = vk_xml_prop(vk_xml_child(root, "mtu"), "size");
    guint8 b[6];
    int signed_mtu;

    if (mac) {
        if (vk_network_parse_mac(mac, b) < 0) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid bridge mac address '%s' in network '%s'", mac,
                       def->name);
            return -1;
        }
        if (b[0] & 1) {
            VK_NET_ERR(VIR_ERR_XML_ERROR,
                       "Invalid multicast bridge mac address '%s' in network '%s'", mac, def->name);
            return -1;
        }
        def->mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                                   b[5]);
    }
    /* libvirt reads the size as a C unsigned: a negative number wraps */
    if (mtu && vk_xml_parse_uint(mtu, 10, &def->mtu) < 0) {
        if (vk_xml_parse_int(mtu, 10, &signed_mtu) < 0) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid mtu size '%s' in network '%s'", mtu, def->name);
            return -1;
        }
        def->mtu = (unsigned int) signed_mtu;
    }
    return 0;
}

static int
parse_portgroup(xmlNodePtr node, VkNetworkDef *def)
{
    static const char *const raw[] = { "vlan", "virtualport", "bandwidth", NULL };
    VkNetworkPortGroupDef *pg = g_new0(VkNetworkPortGroupDef, 1);
    g_autofree char *is_default = vk_xml_prop(node, "default");

    g_ptr_array_add(def->portgroups, pg);
    if (!(pg->name = vk_xml_prop(node, "name"))) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "%s", "Missing required name attribute in portgroup");
        return -1;
    }
    pg->is_default = is_default && g_ascii_strcasecmp(is_default, "yes") == 0;
    pg->raw_children = serialize_children(node, raw);
    return vk_xml_attr_tristate(node, "trustGuestRxFilters", vk_xml_yes_no,
                                &pg->trust_guest_rx_filters);
}

/* What follows <bridge>, <mac> and <mtu>, in libvirt's order. */
static int
parse_sections(xmlDocPtr doc, xmlNodePtr root, VkNetworkDef *def)
{
    xmlNodePtr node;

    if ((node = vk_xml_child(root, "dns")) && vk_network_parse_dns(def->name, node, &def->dns) < 0)
        return -1;
    for (node = root->children; node; node = node->next)
        if (vk_xml_is_element(node, "portgroup") && parse_portgroup(node, def) < 0)
            return -1;
    for (node = root->children; node; node = node->next) {
        VkNetworkIpDef *ip = NULL;
        if (!vk_xml_is_element(node, "ip"))
            continue;
        int rc = vk_network_parse_ip(def->name, node, &ip);
        g_ptr_array_add(def->ips, ip);
        if (rc < 0)
            return -1;
    }
    if (vk_network_parse_routes(def, root) < 0)
        return -1;
    if ((node = vk_xml_child(root, "forward")) &&
        vk_network_parse_forward(def->name, node, &def->forward) < 0)
        return -1;
    if ((node = vk_xml_child(root, "metadata")))
        def->metadata = vk_domain_xml_metadata(doc, node);
    return 0;
}

static VkNetworkDef *
parse_root(xmlDocPtr doc)
{
    static const char *const extra[] = { "vlan", "bandwidth", "port", NULL };
    static const char *const vport[] = { "virtualport", NULL };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    g_autoptr(VkNetworkDef) def = vk_network_def_new();
    xmlNodePtr domain, bridge;
    bool stp_given = false;

    if (!root || !xmlStrEqual(root->name, BAD_CAST "network")) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                        "expecting root element of 'network', not '%s'",
                        root ? (const char *) root->name : "");
        return NULL;
    }
    if (parse_identity(root, def) < 0)
        return NULL;
    domain = vk_xml_child(root, "domain");
    def->domain = vk_xml_prop(domain, "name");
    if (domain && vk_xml_attr_tristate(domain, "localOnly", vk_xml_yes_no,
                                       &def->domain_local_only) < 0)
        return NULL;
    def->raw_extra = serialize_children(root, extra);
    def->raw_virtualport = serialize_children(root, vport);
    if ((bridge = vk_xml_child(root, "bridge")) && parse_bridge(bridge, def, &stp_given) < 0)
        return NULL;
    if (parse_mac_mtu(root, def) < 0 || parse_sections(doc, root, def) < 0)
        return NULL;
    if (vk_network_check_mode(def, stp_given) < 0 || vk_network_validate(def, root) < 0)
        return NULL;
    /* a bridge of its own is formatted with its STP settings */
    if (vk_network_def_has_own_bridge(def) && !def->stp)
        def->stp = VK_TRISTATE_ON;
    return g_steal_pointer(&def);
}

static VkNetworkDef *
parse_doc(const char *xml, const char *path)
{
    xmlDocPtr doc = vk_xml_parse_named_from(xml, path, "(network_definition)", VIR_FROM_NETWORK);
    VkNetworkDef *def;

    if (!doc)
        return NULL;
    def = parse_root(doc);
    xmlFreeDoc(doc);
    return def;
}

VkNetworkDef *
vk_network_def_parse_string(const char *xml)
{
    return parse_doc(xml, NULL);
}

VkNetworkDef *
vk_network_def_parse_file(const char *path)
{
    return parse_doc(NULL, path);
}
