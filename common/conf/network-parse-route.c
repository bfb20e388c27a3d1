/* <network>'s static <route>s: libvirt's rules and error texts
 * (networkcommon_conf.c, and the gateway check of network_conf.c). */
#include "common/conf/network-parse.h"

#include <sys/socket.h>

#include "common/conf/net-addr.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

#define ROUTE_ERR(net, fmt, ...) \
    (VK_NET_ERR(VIR_ERR_XML_ERROR, "%s: " fmt, net, __VA_ARGS__), -1)

static int
check_ipv4(const char *net, const VkNetworkRouteDef *r, const VkNetAddr *addr,
           const VkNetAddr *gw, VkNetAddr *mask)
{
    const char *which = r->family ? "IPv4" : "No";

    if (addr->family != AF_INET)
        return ROUTE_ERR(net, "%s family specified for non-IPv4 address '%s' in route definition",
                         which, r->address);
    /* libvirt names the address here, not the gateway */
    if (gw->family != AF_INET)
        return ROUTE_ERR(net, "%s family specified for non-IPv4 gateway '%s' in route definition",
                         which, r->address);
    if (r->netmask) {
        if (vk_net_addr_parse(r->netmask, mask) < 0)
            return ROUTE_ERR(net, "Bad netmask address '%s' in route definition", r->netmask);
        if (mask->family != AF_INET)
            return ROUTE_ERR(net, "Invalid netmask '%s' for address '%s' (both must be IPv4)",
                             r->netmask, r->address);
        if (r->has_prefix)
            return ROUTE_ERR(net, "%s", "Route definition cannot have both a prefix and a netmask");
    }
    if (r->prefix > 32)
        return ROUTE_ERR(net, "Invalid prefix %u specified in route definition, must be 0 - 32",
                         r->prefix);
    return 0;
}

static int
check_ipv6(const char *net, const VkNetworkRouteDef *r, const VkNetAddr *addr,
           const VkNetAddr *gw)
{
    if (addr->family != AF_INET6)
        return ROUTE_ERR(net, "ipv6 family specified for non-IPv6 address '%s' in route definition",
                         r->address);
    if (r->netmask)
        return ROUTE_ERR(net, "Specifying netmask invalid for IPv6 address '%s' in route definition",
                         r->address);
    if (gw->family != AF_INET6)
        return ROUTE_ERR(net,
                         "ipv6 specified for non-IPv6 gateway address '%s' in route definition",
                         r->gateway);
    if (r->prefix > 128)
        return ROUTE_ERR(net, "Invalid prefix %u specified in route definition, must be 0 - 128",
                         r->prefix);
    return 0;
}

/* The address must be the network address of its netmask or prefix. */
static int
check_route(const char *net, VkNetworkRouteDef *r)
{
    VkNetAddr addr, gw, mask = { 0 }, masked;

    if (!r->address)
        return ROUTE_ERR(net, "%s", "Missing required address attribute in route definition");
    if (!r->gateway)
        return ROUTE_ERR(net, "%s", "Missing required gateway attribute in route definition");
    if (vk_net_addr_parse(r->address, &addr) < 0)
        return ROUTE_ERR(net, "Bad network address '%s' in route definition", r->address);
    if (vk_net_addr_parse(r->gateway, &gw) < 0)
        return ROUTE_ERR(net, "Bad gateway address '%s' in route definition", r->gateway);
    if (!r->family || g_str_equal(r->family, "ipv4")) {
        if (check_ipv4(net, r, &addr, &gw, &mask) < 0)
            return -1;
    } else if (g_str_equal(r->family, "ipv6")) {
        if (check_ipv6(net, r, &addr, &gw) < 0)
            return -1;
    } else {
        return ROUTE_ERR(net, "Unrecognized family '%s' in route definition", r->family);
    }
    vk_net_addr_mask(&addr, r->netmask ? vk_net_addr_netmask_prefix(&mask) : (int) r->prefix,
                     &masked);
    if (!vk_net_addr_equal(&addr, &masked))
        return ROUTE_ERR(net, "Address '%s' in route definition is not a network address",
                         r->address);
    g_free(r->address);
    r->address = vk_net_addr_format(&addr);
    g_free(r->gateway);
    r->gateway = vk_net_addr_format(&gw);
    if (r->netmask) {
        g_free(r->netmask);
        r->netmask = vk_net_addr_format(&mask);
    }
    return 0;
}

static int
parse_route(const char *net, xmlNodePtr node, VkNetworkRouteDef *r)
{
    g_autofree char *metric = vk_xml_prop(node, "metric");
    int rc;

    r->family = vk_xml_prop(node, "family");
    r->address = vk_xml_prop(node, "address");
    r->netmask = vk_xml_prop(node, "netmask");
    r->gateway = vk_xml_prop(node, "gateway");
    if ((rc = vk_xml_attr_uint(node, "prefix", 10, &r->prefix)) < 0)
        return -1;
    r->has_prefix = rc == 1;
    if (vk_xml_attr_uint(node, "metric", 10, &r->metric) < 0)
        return -1;
    if (metric && r->metric == 0) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                        "Invalid value for attribute 'metric' in element 'route': "
                        "Zero is not permitted");
        return -1;
    }
    return check_route(net, r);
}

/* A static route's gateway must be directly reachable from one of the
 * network's own addresses. */
static int
check_gateway(const VkNetworkDef *def, const VkNetworkRouteDef *r)
{
    VkNetAddr gw, addr;

    vk_net_addr_parse(r->gateway, &gw);
    for (guint i = 0; i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (vk_net_addr_parse(ip->address, &addr) == 0 &&
            vk_net_addr_same_subnet(&addr, &gw, vk_network_ip_prefix(ip)))
            return 0;
    }
    VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
               "unreachable static route gateway '%s' specified for network '%s'", r->gateway,
               def->name);
    return -1;
}

int
vk_network_parse_routes(VkNetworkDef *def, xmlNodePtr root)
{
    for (xmlNodePtr c = root->children; c; c = c->next) {
        VkNetworkRouteDef *r;

        if (!vk_xml_is_element(c, "route"))
            continue;
        r = g_new0(VkNetworkRouteDef, 1);
        g_ptr_array_add(def->routes, r);
        if (parse_route(def->name, c, r) < 0)
            return -1;
    }
    for (guint i = 0; i < def->routes->len; i++)
        if (check_gateway(def, g_ptr_array_index(def->routes, i)) < 0)
            return -1;
    return 0;
}
