#include "network-builder.h"

#include <string.h>

struct NetBuilder {
    VkNetworkDef def;
    GPtrArray *mem;      /* strings and structs: g_free */
    GPtrArray *arrays;   /* GPtrArrays: unref */
};

char *
nb_str(NetBuilder *nb, const char *s)
{
    char *copy = g_strdup(s);

    if (copy)
        g_ptr_array_add(nb->mem, copy);
    return copy;
}

static gpointer
nb_alloc(NetBuilder *nb, gsize size)
{
    gpointer p = g_malloc0(size);

    g_ptr_array_add(nb->mem, p);
    return p;
}

static GPtrArray *
nb_array(NetBuilder *nb, GPtrArray **slot)
{
    if (!*slot) {
        *slot = g_ptr_array_new();
        g_ptr_array_add(nb->arrays, *slot);
    }
    return *slot;
}

NetBuilder *
nb_new(const char *name, const char *bridge, VkNetworkForwardMode mode)
{
    NetBuilder *nb = g_new0(NetBuilder, 1);

    nb->mem = g_ptr_array_new_with_free_func(g_free);
    nb->arrays = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
    nb->def.name = nb_str(nb, name);
    nb->def.bridge = nb_str(nb, bridge);
    nb->def.forward.mode = mode;
    nb->def.forward.has_forward = mode != VK_NETWORK_FORWARD_NONE;
    return nb;
}

VkNetworkDef *
nb_def(NetBuilder *nb)
{
    return &nb->def;
}

void
nb_free(NetBuilder *nb)
{
    g_ptr_array_unref(nb->arrays);
    g_ptr_array_unref(nb->mem);
    g_free(nb);
}

VkNetworkIpDef *
nb_ip(NetBuilder *nb, const char *address, const char *netmask, unsigned int prefix)
{
    VkNetworkIpDef *ip = nb_alloc(nb, sizeof(*ip));

    ip->address = nb_str(nb, address);
    ip->netmask = nb_str(nb, netmask);
    ip->prefix = prefix;
    ip->is_ipv6 = strchr(address, ':') != NULL;
    g_ptr_array_add(nb_array(nb, &nb->def.ips), ip);
    return ip;
}

VkNetworkDhcpRange *
nb_range(NetBuilder *nb, VkNetworkIpDef *ip, const char *start, const char *end)
{
    VkNetworkDhcpRange *range = nb_alloc(nb, sizeof(*range));

    range->start = nb_str(nb, start);
    range->end = nb_str(nb, end);
    ip->has_dhcp = true;
    g_ptr_array_add(nb_array(nb, &ip->ranges), range);
    return range;
}

VkNetworkDhcpHost *
nb_host(NetBuilder *nb, VkNetworkIpDef *ip, const char *mac, const char *id,
        const char *name, const char *addr)
{
    VkNetworkDhcpHost *host = nb_alloc(nb, sizeof(*host));

    host->mac = nb_str(nb, mac);
    host->id = nb_str(nb, id);
    host->name = nb_str(nb, name);
    host->ip = nb_str(nb, addr);
    ip->has_dhcp = true;
    g_ptr_array_add(nb_array(nb, &ip->hosts), host);
    return host;
}

void
nb_forwarder(NetBuilder *nb, const char *domain, const char *addr)
{
    VkNetworkDnsForwarder *fwd = nb_alloc(nb, sizeof(*fwd));

    fwd->domain = nb_str(nb, domain);
    fwd->addr = nb_str(nb, addr);
    g_ptr_array_add(nb_array(nb, &nb->def.dns.forwarders), fwd);
}

void
nb_dns_host(NetBuilder *nb, const char *ip, const char *const *names)
{
    VkNetworkDnsHost *host = nb_alloc(nb, sizeof(*host));

    host->ip = nb_str(nb, ip);
    for (; *names; names++)
        g_ptr_array_add(nb_array(nb, &host->hostnames), nb_str(nb, *names));
    g_ptr_array_add(nb_array(nb, &nb->def.dns.hosts), host);
}

void
nb_srv(NetBuilder *nb, const char *service, const char *protocol, const char *domain,
       const char *target, unsigned int port, unsigned int priority, unsigned int weight)
{
    VkNetworkDnsSrv *srv = nb_alloc(nb, sizeof(*srv));

    srv->service = nb_str(nb, service);
    srv->protocol = nb_str(nb, protocol);
    srv->domain = nb_str(nb, domain);
    srv->target = nb_str(nb, target);
    srv->port = port;
    srv->priority = priority;
    srv->weight = weight;
    g_ptr_array_add(nb_array(nb, &nb->def.dns.srvs), srv);
}
