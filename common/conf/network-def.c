/* The network definition's life cycle (free, copy) and the questions the
 * network driver asks of it; parsing and formatting are in network-parse*.c
 * and network-format.c. */
#include "common/conf/network-def.h"

#include <sys/socket.h>

#include "common/conf/net-addr.h"

VK_ENUM_IMPL(vk_network_forward_mode, "none", "nat", "route", "open", "bridge", "private",
             "vepa", "passthrough", "hostdev")

static void
dhcp_range_free(gpointer data)
{
    VkNetworkDhcpRange *range = data;

    g_free(range->start);
    g_free(range->end);
    g_free(range->lease_unit);
    g_free(range);
}

static void
dhcp_host_free(gpointer data)
{
    VkNetworkDhcpHost *host = data;

    g_free(host->mac);
    g_free(host->id);
    g_free(host->name);
    g_free(host->ip);
    g_free(host->lease_unit);
    g_free(host);
}

VkNetworkIpDef *
vk_network_ip_new(void)
{
    VkNetworkIpDef *ip = g_new0(VkNetworkIpDef, 1);

    ip->ranges = g_ptr_array_new_with_free_func(dhcp_range_free);
    ip->hosts = g_ptr_array_new_with_free_func(dhcp_host_free);
    return ip;
}

void
vk_network_ip_free(gpointer data)
{
    VkNetworkIpDef *ip = data;

    g_free(ip->family);
    g_free(ip->address);
    g_free(ip->netmask);
    g_free(ip->local_ptr);
    g_free(ip->tftp_root);
    g_ptr_array_unref(ip->ranges);
    g_ptr_array_unref(ip->hosts);
    g_free(ip->bootp_file);
    g_free(ip->bootp_server);
    g_free(ip);
}

static void
route_free(gpointer data)
{
    VkNetworkRouteDef *route = data;

    g_free(route->family);
    g_free(route->address);
    g_free(route->netmask);
    g_free(route->gateway);
    g_free(route);
}

static void
portgroup_free(gpointer data)
{
    VkNetworkPortGroupDef *pg = data;

    g_free(pg->name);
    g_free(pg->raw_children);
    g_free(pg);
}

static void
dns_host_free(gpointer data)
{
    VkNetworkDnsHost *host = data;

    g_free(host->ip);
    g_ptr_array_unref(host->hostnames);
    g_free(host);
}

static void
dns_forwarder_free(gpointer data)
{
    VkNetworkDnsForwarder *fwd = data;

    g_free(fwd->addr);
    g_free(fwd->domain);
    g_free(fwd);
}

static void
dns_txt_free(gpointer data)
{
    VkNetworkDnsTxt *txt = data;

    g_free(txt->name);
    g_free(txt->value);
    g_free(txt);
}

static void
dns_srv_free(gpointer data)
{
    VkNetworkDnsSrv *srv = data;

    g_free(srv->service);
    g_free(srv->protocol);
    g_free(srv->domain);
    g_free(srv->target);
    g_free(srv);
}

static void
dns_clear(VkNetworkDnsDef *dns)
{
    g_clear_pointer(&dns->forwarders, g_ptr_array_unref);
    g_clear_pointer(&dns->txts, g_ptr_array_unref);
    g_clear_pointer(&dns->srvs, g_ptr_array_unref);
    g_clear_pointer(&dns->hosts, g_ptr_array_unref);
}

static void
forward_clear(VkNetworkForwardDef *fwd)
{
    g_free(fwd->dev);
    g_free(fwd->nat_address_start);
    g_free(fwd->nat_address_end);
    g_clear_pointer(&fwd->interfaces, g_ptr_array_unref);
    g_free(fwd->pf_dev);
    g_clear_pointer(&fwd->pci_addresses, g_array_unref);
    g_free(fwd->driver_name);
}

void
vk_network_def_free(VkNetworkDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->bridge);
    g_free(def->mac_table_manager);
    g_free(def->zone);
    g_free(def->mac);
    g_free(def->domain);
    forward_clear(&def->forward);
    dns_clear(&def->dns);
    g_ptr_array_unref(def->ips);
    g_ptr_array_unref(def->routes);
    g_ptr_array_unref(def->portgroups);
    g_free(def->raw_extra);
    g_free(def->raw_virtualport);
    g_free(def->metadata);
    g_free(def->title);
    g_free(def->description);
    g_free(def);
}

VkNetworkDef *
vk_network_def_new(void)
{
    VkNetworkDef *def = g_new0(VkNetworkDef, 1);

    def->ips = g_ptr_array_new_with_free_func(vk_network_ip_free);
    def->routes = g_ptr_array_new_with_free_func(route_free);
    def->portgroups = g_ptr_array_new_with_free_func(portgroup_free);
    def->forward.interfaces = g_ptr_array_new_with_free_func(g_free);
    def->forward.pci_addresses = g_array_new(FALSE, TRUE, sizeof(VkPciAddress));
    def->dns.forwarders = g_ptr_array_new_with_free_func(dns_forwarder_free);
    def->dns.txts = g_ptr_array_new_with_free_func(dns_txt_free);
    def->dns.srvs = g_ptr_array_new_with_free_func(dns_srv_free);
    def->dns.hosts = g_ptr_array_new_with_free_func(dns_host_free);
    return def;
}

/* As libvirt copies a definition: through its XML, live parts included. */
VkNetworkDef *
vk_network_def_copy(const VkNetworkDef *def)
{
    g_autofree char *xml = vk_network_def_format(def, 0);
    VkNetworkDef *copy = xml ? vk_network_def_parse_string(xml) : NULL;

    if (copy)
        copy->connections = def->connections;
    return copy;
}

bool
vk_network_def_has_own_bridge(const VkNetworkDef *def)
{
    switch (def->forward.mode) {
    case VK_NETWORK_FORWARD_NONE:
    case VK_NETWORK_FORWARD_NAT:
    case VK_NETWORK_FORWARD_ROUTE:
    case VK_NETWORK_FORWARD_OPEN:
        return true;
    default:
        return false;
    }
}

/* IPv4's classful prefix: class A, B or C by the leading bits. */
static int
classful_prefix(const VkNetAddr *addr)
{
    guint8 first = addr->bytes[0];

    if ((first & 0x80) == 0)
        return 8;
    if ((first & 0xC0) == 0x80)
        return 16;
    if ((first & 0xE0) == 0xC0)
        return 24;
    return -1;
}

int
vk_network_ip_prefix(const VkNetworkIpDef *ip)
{
    VkNetAddr addr, mask;

    if (ip->prefix > 0)
        return (int) ip->prefix;
    if (ip->netmask && vk_net_addr_parse(ip->netmask, &mask) == 0)
        return vk_net_addr_netmask_prefix(&mask);
    if (vk_net_addr_parse(ip->address, &addr) < 0)
        return -1;
    return addr.family == AF_INET ? classful_prefix(&addr) : 64;
}

const VkNetworkIpDef *
vk_network_def_first_ip(const VkNetworkDef *def, bool ipv6)
{
    for (guint i = 0; i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (ip->is_ipv6 == ipv6)
            return ip;
    }
    return NULL;
}

/* libvirt's test for "this <ip> serves DHCP": ranges or static hosts. */
bool
vk_network_ip_serves_dhcp(const VkNetworkIpDef *ip)
{
    return ip->ranges->len > 0 || ip->hosts->len > 0;
}

const VkNetworkIpDef *
vk_network_def_dhcp_ip(const VkNetworkDef *def, bool ipv6)
{
    for (guint i = 0; i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (ip->is_ipv6 == ipv6 && vk_network_ip_serves_dhcp(ip))
            return ip;
    }
    return NULL;
}
