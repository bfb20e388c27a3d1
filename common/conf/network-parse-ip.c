/* <network>'s <ip> elements (with <dhcp> and <tftp>) and its <route>s:
 * libvirt's rules and error texts (network_conf.c, networkcommon_conf.c). */
#include "common/conf/network-parse.h"

#include <string.h>
#include <sys/socket.h>

#include "common/conf/net-addr.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

int
vk_network_parse_mac(const char *str, guint8 mac[6])
{
    g_auto(GStrv) parts = g_strsplit(str, ":", -1);

    if (g_strv_length(parts) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        unsigned int byte;
        size_t len = strlen(parts[i]);
        if (len < 1 || len > 2 || strspn(parts[i], "0123456789abcdefABCDEF") != len ||
            vk_xml_parse_uint(parts[i], 16, &byte) < 0)
            return -1;
        mac[i] = (guint8) byte;
    }
    return 0;
}

/* dnsmasq will not take a lease under two minutes */
int
vk_network_parse_lease(xmlNodePtr node, bool *has, unsigned long long *expiry, char **unit)
{
    static const char *const units[] = { "seconds", "minutes", "hours", NULL };
    xmlNodePtr lease = vk_xml_child(node, "lease");
    g_autofree char *text = lease ? vk_xml_prop(lease, "expiry") : NULL;
    g_autofree char *u = NULL;
    int which = 1;

    if (!text)
        return 0;
    if (vk_xml_parse_ull(text, 10, expiry) < 0)
        return vk_xml_invalid_attr(lease, "expiry", text, NULL);
    if ((u = vk_xml_prop(lease, "unit")) && (which = vk_enum_from_string(units, u)) < 0)
        return vk_xml_invalid_attr(lease, "unit", u, NULL);
    if (*expiry > 0 && ((which == 0 && *expiry < 120) || (which == 1 && *expiry < 2))) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                   "The minimum lease time should be greater than 2 minutes");
        return -1;
    }
    *has = true;
    *unit = g_strdup(units[which]);
    return 0;
}

static int
parse_range(const char *net, VkNetworkIpDef *ip, xmlNodePtr node)
{
    g_autofree char *start = vk_xml_prop(node, "start");
    g_autofree char *end = vk_xml_prop(node, "end");
    VkNetworkDhcpRange *range;
    VkNetAddr s, e, addr;

    if (!start) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Missing 'start' attribute in dhcp range for network '%s'",
                   net);
        return -1;
    }
    if (vk_net_addr_parse(start, &s) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot parse socket address '%s': Name or service not known", start);
        return -1;
    }
    if (!end) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Missing 'end' attribute in dhcp range for network '%s'",
                   net);
        return -1;
    }
    if (vk_net_addr_parse(end, &e) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot parse socket address '%s': Name or service not known", end);
        return -1;
    }
    vk_net_addr_parse(ip->address, &addr);
    if (vk_net_addr_check_range(&s, &e, &addr, vk_network_ip_prefix(ip)) < 0)
        return -1;
    range = g_new0(VkNetworkDhcpRange, 1);
    g_ptr_array_add(ip->ranges, range);
    range->start = vk_net_addr_format(&s);
    range->end = vk_net_addr_format(&e);
    return vk_network_parse_lease(node, &range->has_lease, &range->lease_expiry,
                                  &range->lease_unit);
}

static int
check_host_mac(const char *net, const VkNetworkIpDef *ip, const char *mac)
{
    guint8 bytes[6];

    if (ip->is_ipv6) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Invalid to specify MAC address '%s' in network '%s' IPv6 static host definition",
                   mac, net);
        return -1;
    }
    if (vk_network_parse_mac(mac, bytes) < 0) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Cannot parse MAC address '%s' in network '%s'", mac, net);
        return -1;
    }
    if (bytes[0] & 1) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "expected unicast mac address, found multicast '%s' in network '%s'", mac, net);
        return -1;
    }
    return 0;
}

/* The attributes of a <host>, checked in libvirt's order. */
static int
check_host(const char *net, const VkNetworkIpDef *ip, const VkNetworkDhcpHost *h,
           const char *ip_text)
{
    if (h->mac && check_host_mac(net, ip, h->mac) < 0)
        return -1;
    if (h->id) {
        const char *bad = h->id + strspn(h->id, "0123456789abcdefABCDEF:");
        if (*bad) {
            VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid character '%c' in id '%s' of network '%s'",
                       *bad, h->id, net);
            return -1;
        }
    }
    if (h->name && !g_ascii_isalnum(h->name[0])) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Cannot use host name '%s' in network '%s'", h->name, net);
        return -1;
    }
    if (ip_text && !h->ip) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Invalid IP address in static host definition for network '%s'", net);
        return -1;
    }
    if (ip->is_ipv6 && !h->id && !h->name) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Static host definition in IPv6 network '%s' must have id or name attribute",
                   net);
        return -1;
    }
    if (!ip->is_ipv6 && !h->mac && !h->name) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Static host definition in IPv4 network '%s' must have mac or name attribute",
                   net);
        return -1;
    }
    if (!ip_text) {
        VK_NET_ERR(VIR_ERR_XML_ERROR,
                   "Missing IP address in static host definition for network '%s'", net);
        return -1;
    }
    return 0;
}

static int
parse_host(const char *net, VkNetworkIpDef *ip, xmlNodePtr node)
{
    VkNetworkDhcpHost *h = g_new0(VkNetworkDhcpHost, 1);
    g_autofree char *ip_text = vk_xml_prop(node, "ip");

    g_ptr_array_add(ip->hosts, h);
    h->mac = vk_xml_prop(node, "mac");
    h->id = vk_xml_prop(node, "id");
    h->name = vk_xml_prop(node, "name");
    h->ip = vk_net_addr_canonical(ip_text);
    if (check_host(net, ip, h, ip_text) < 0)
        return -1;
    return vk_network_parse_lease(node, &h->has_lease, &h->lease_expiry, &h->lease_unit);
}

static int
parse_dhcp(const char *net, VkNetworkIpDef *ip, xmlNodePtr dhcp)
{
    xmlNodePtr bootp = vk_xml_child(dhcp, "bootp");

    ip->has_dhcp = true;
    for (xmlNodePtr c = dhcp->children; c; c = c->next)
        if (vk_xml_is_element(c, "range") && parse_range(net, ip, c) < 0)
            return -1;
    for (xmlNodePtr c = dhcp->children; c; c = c->next)
        if (vk_xml_is_element(c, "host") && parse_host(net, ip, c) < 0)
            return -1;
    if (bootp && !ip->is_ipv6) {
        g_autofree char *server = vk_xml_prop(bootp, "server");
        if (!(ip->bootp_file = vk_xml_prop(bootp, "file"))) {
            vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                            "Missing required attribute 'file' in element 'bootp'");
            return -1;
        }
        if (server && !(ip->bootp_server = vk_net_addr_canonical(server))) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                            "Cannot parse socket address '%s': Name or service not known", server);
            return -1;
        }
    }
    return 0;
}

/* The family rules: family= must match the address, netmask only for IPv4
 * and never with prefix=, prefix within the address's length. */
static int
check_family(const char *net, const VkNetworkIpDef *ip, const char *address,
             const char *netmask, const VkNetAddr *mask)
{
    if (!ip->family || g_str_equal(ip->family, "ipv4")) {
        if (ip->is_ipv6) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s family specified for non-IPv4 address '%s' in network '%s'",
                       ip->family ? "ipv4" : "no", address, net);
            return -1;
        }
        if (netmask && mask->family != AF_INET) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Invalid netmask '%s' for address '%s' in network '%s' (both must be IPv4)",
                       netmask, address, net);
            return -1;
        }
        if (netmask && ip->prefix > 0) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Network '%s' IP address cannot have both a prefix and a netmask", net);
            return -1;
        }
        if (!netmask && ip->prefix > 32) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid IPv4 prefix '%u' in network '%s'",
                       ip->prefix, net);
            return -1;
        }
        return 0;
    }
    if (!g_str_equal(ip->family, "ipv6")) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'", ip->family, net);
        return -1;
    }
    if (!ip->is_ipv6) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                   "Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'", address, net);
        return -1;
    }
    if (netmask) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                   "netmask not allowed for IPv6 address '%s' in network '%s'", address, net);
        return -1;
    }
    if (ip->prefix > 128) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid IPv6 prefix '%u' in network '%s'",
                   ip->prefix, net);
        return -1;
    }
    return 0;
}

static int
parse_ip_attrs(const char *net, xmlNodePtr node, VkNetworkIpDef *ip)
{
    g_autofree char *address = vk_xml_prop(node, "address");
    g_autofree char *netmask = vk_xml_prop(node, "netmask");
    VkNetAddr addr, mask = { 0 };
    VkTristate local_ptr = VK_TRISTATE_ABSENT;

    ip->family = vk_xml_prop(node, "family");
    if (!address) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Missing required address attribute in network '%s'", net);
        return -1;
    }
    if (vk_net_addr_parse(address, &addr) < 0) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid address '%s' in network '%s'", address, net);
        return -1;
    }
    ip->is_ipv6 = addr.family == AF_INET6;
    ip->address = vk_net_addr_format(&addr);
    if (netmask && vk_net_addr_parse(netmask, &mask) < 0) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'", netmask, net);
        return -1;
    }
    ip->netmask = netmask ? vk_net_addr_format(&mask) : NULL;
    if (vk_xml_attr_uint(node, "prefix", 10, &ip->prefix) < 0 ||
        vk_xml_attr_tristate(node, "localPtr", vk_xml_yes_no, &local_ptr) < 0)
        return -1;
    if (local_ptr)
        ip->local_ptr = g_strdup(local_ptr == VK_TRISTATE_ON ? "yes" : "no");
    return check_family(net, ip, address, netmask, &mask);
}

int
vk_network_parse_ip(const char *net, xmlNodePtr node, VkNetworkIpDef **out)
{
    VkNetworkIpDef *ip = vk_network_ip_new();
    xmlNodePtr dhcp, tftp;

    *out = ip;
    if (parse_ip_attrs(net, node, ip) < 0)
        return -1;
    if ((dhcp = vk_xml_child(node, "dhcp")) && parse_dhcp(net, ip, dhcp) < 0)
        return -1;
    if ((tftp = vk_xml_child(node, "tftp"))) {
        if (ip->is_ipv6) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Unsupported <tftp> element in an IPv6 element in network '%s'", net);
            return -1;
        }
        ip->tftp_root = vk_xml_prop(tftp, "root");
    }
    return 0;
}
