/* <network>'s <forward>: the mode, <nat> ranges and the device pool
 * (interfaces, a PF, PCI addresses), with libvirt's rules and error texts
 * (network_conf.c). */
#include "common/conf/network-parse.h"

#include <sys/socket.h>

#include "common/conf/net-addr.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

static int
count_children(xmlNodePtr node, const char *name)
{
    int n = 0;

    for (xmlNodePtr c = node->children; c; c = c->next)
        n += vk_xml_is_element(c, name);
    return n;
}

static int
parse_nat_address(const char *net, xmlNodePtr addr, VkNetworkForwardDef *fwd)
{
    g_autofree char *start = vk_xml_prop(addr, "start");
    g_autofree char *end = vk_xml_prop(addr, "end");
    VkNetAddr s, e;

    if (!start || !end) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "missing '%s' attribute in <address> element in <nat> in <forward> in network %s",
                   start ? "end" : "start", net);
        return -1;
    }
    if (vk_net_addr_parse(start, &s) < 0 || s.family != AF_INET) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Bad ipv4 start address '%s' in <nat> in <forward> in network '%s'", start, net);
        return -1;
    }
    if (vk_net_addr_parse(end, &e) < 0 || e.family != AF_INET) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Bad ipv4 end address '%s' in <nat> in <forward> in network '%s'", end, net);
        return -1;
    }
    if (vk_net_addr_check_range(&s, &e, NULL, 0) < 0)
        return -1;
    fwd->nat_address_start = vk_net_addr_format(&s);
    fwd->nat_address_end = vk_net_addr_format(&e);
    return 0;
}

static int
parse_nat_port(const char *net, xmlNodePtr port, VkNetworkForwardDef *fwd)
{
    g_autofree char *start = vk_xml_prop(port, "start");
    g_autofree char *end = vk_xml_prop(port, "end");

    if (!start || vk_xml_parse_uint(start, 10, &fwd->nat_port_start) < 0 ||
        fwd->nat_port_start > 65535) {
        VK_NET_ERR(VIR_ERR_XML_DETAIL, "Missing or invalid 'start' attribute in <port> in <nat> "
                   "in <forward> in network %s", net);
        return -1;
    }
    if (!end || vk_xml_parse_uint(end, 10, &fwd->nat_port_end) < 0 ||
        fwd->nat_port_end > 65535 || fwd->nat_port_end < fwd->nat_port_start) {
        VK_NET_ERR(VIR_ERR_XML_DETAIL, "Missing or invalid 'end' attribute in <port> in <nat> "
                   "in <forward> in network %s", net);
        return -1;
    }
    return 0;
}

static int
parse_nat(const char *net, xmlNodePtr nat, VkNetworkForwardDef *fwd)
{
    if (fwd->mode != VK_NETWORK_FORWARD_NAT) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "The <nat> element can only be used when <forward> 'mode' "
                   "is 'nat' in network %s", net);
        return -1;
    }
    if (vk_xml_attr_tristate(nat, "ipv6", vk_xml_yes_no, &fwd->nat_ipv6) < 0)
        return -1;
    if (count_children(nat, "address") > 1 || count_children(nat, "port") > 1) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Only one <%s> element is allowed in <nat> in <forward> in "
                   "network %s", count_children(nat, "address") > 1 ? "address" : "port", net);
        return -1;
    }
    if (vk_xml_child(nat, "address") && parse_nat_address(net, vk_xml_child(nat, "address"), fwd) < 0)
        return -1;
    if (vk_xml_child(nat, "port") && parse_nat_port(net, vk_xml_child(nat, "port"), fwd) < 0)
        return -1;
    return 0;
}

/* <interface dev=>s; <forward dev=> must name the first. */
static int
parse_interfaces(const char *net, xmlNodePtr node, VkNetworkForwardDef *fwd)
{
    if (fwd->dev)
        g_ptr_array_add(fwd->interfaces, g_strdup(fwd->dev));
    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *dev = NULL;

        if (!vk_xml_is_element(c, "interface"))
            continue;
        if (!(dev = vk_xml_prop(c, "dev"))) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "Missing required dev attribute in <forward> "
                       "<interface> element of network %s", net);
            return -1;
        }
        if (fwd->dev && c == vk_xml_child(node, "interface")) {
            if (!g_str_equal(dev, fwd->dev)) {
                VK_NET_ERR(VIR_ERR_XML_ERROR, "<forward dev='%s'> must match first <interface "
                           "dev='%s'/> in network %s", fwd->dev, dev, net);
                return -1;
            }
            continue;
        }
        for (guint i = 0; i < fwd->interfaces->len; i++) {
            if (g_str_equal(g_ptr_array_index(fwd->interfaces, i), dev)) {
                VK_NET_ERR(VIR_ERR_XML_ERROR, "interface '%s' can only be listed once in network %s",
                           dev, net);
                return -1;
            }
        }
        g_ptr_array_add(fwd->interfaces, g_steal_pointer(&dev));
    }
    return 0;
}

static int
parse_pci_pool(const char *net, xmlNodePtr node, VkNetworkForwardDef *fwd)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *type = NULL;
        VkPciAddress addr;

        if (!vk_xml_is_element(c, "address"))
            continue;
        if (!(type = vk_xml_prop(c, "type"))) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "missing address type in network %s", net);
            return -1;
        }
        if (!g_str_equal(type, "pci")) {
            bool known = g_str_equal(type, "none") || g_str_equal(type, "netdev");
            VK_NET_ERR(known ? VIR_ERR_XML_ERROR : VIR_ERR_CONFIG_UNSUPPORTED,
                       known ? "unsupported address type '%s' in network %s"
                             : "unknown address type '%s' in network %s", type, net);
            return -1;
        }
        if (vk_xml_pci_address(c, &addr) < 0)
            return -1;
        addr.multifunction = VK_TRISTATE_ABSENT;
        for (guint i = 0; i < fwd->pci_addresses->len; i++) {
            if (vk_pci_address_equal(&addr, &g_array_index(fwd->pci_addresses, VkPciAddress, i))) {
                VK_NET_ERR(VIR_ERR_XML_ERROR, "PCI device '%04x:%02x:%02x.%x' can only be listed "
                           "once in network %s", addr.domain, addr.bus, addr.slot, addr.function, net);
                return -1;
            }
        }
        g_array_append_val(fwd->pci_addresses, addr);
    }
    return 0;
}

static int
parse_pool(const char *net, xmlNodePtr node, VkNetworkForwardDef *fwd)
{
    int n_addrs = count_children(node, "address"), n_pfs = count_children(node, "pf");

    if (fwd->dev && (n_addrs > 0 || n_pfs > 0)) {
        /* libvirt's message has a %s it gives no value for */
        VK_NET_ERR(VIR_ERR_XML_ERROR, "%s", "the <forward> 'dev' attribute cannot be used when "
                   "<address> or <pf> sub-elements are present in network %s");
        return -1;
    }
    if (count_children(node, "interface") > 0 || fwd->dev)
        return parse_interfaces(net, node, fwd);
    if (n_addrs > 0)
        return parse_pci_pool(net, node, fwd);
    if (n_pfs > 1) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Only one <pf> element is allowed in <forward> of network %s",
                   net);
        return -1;
    }
    if (n_pfs == 1 && !(fwd->pf_dev = vk_xml_prop(vk_xml_child(node, "pf"), "dev"))) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Missing required dev attribute in <pf> element of network "
                   "'%s'", net);
        return -1;
    }
    return 0;
}

int
vk_network_parse_forward(const char *net, xmlNodePtr node, VkNetworkForwardDef *fwd)
{
    g_autofree char *mode = vk_xml_prop(node, "mode");
    g_autofree char *managed = vk_xml_prop(node, "managed");
    g_autofree char *driver = vk_xml_prop(vk_xml_child(node, "driver"), "name");
    int m = mode ? vk_network_forward_mode_from_string(mode) : VK_NETWORK_FORWARD_NAT;

    fwd->has_forward = true;
    if (m < 0) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'", mode);
        return -1;
    }
    fwd->mode = m;
    fwd->managed = managed && g_ascii_strcasecmp(managed, "yes") == 0 ? VK_TRISTATE_ON
                                                                    : VK_TRISTATE_OFF;
    if (driver && !g_str_equal(driver, "kvm") && !g_str_equal(driver, "vfio")) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown forward <driver name='%s'/> in network %s",
                   driver, net);
        return -1;
    }
    fwd->driver_name = g_steal_pointer(&driver);
    if (count_children(node, "nat") > 1) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Only one <nat> element is allowed in <forward> of network %s",
                   net);
        return -1;
    }
    if (vk_xml_child(node, "nat") && parse_nat(net, vk_xml_child(node, "nat"), fwd) < 0)
        return -1;
    fwd->dev = vk_xml_prop(node, "dev");
    return parse_pool(net, node, fwd);
}
