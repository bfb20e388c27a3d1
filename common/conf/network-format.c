/* <network> formatted as libvirt 9.0's net-dumpxml prints it: element and
 * attribute order, 2-space indents, <ip> and <portgroup> never self-closed. */
#include "common/conf/network-def.h"

#include "common/conf/domain-xml.h"
#include "common/util/uuid.h"

/* " NAME='VALUE'" escaped, nothing for a NULL VALUE. */
static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    vk_xml_escape_append(buf, value);
    g_string_append_c(buf, '\'');
}

static const char *
yes_no(VkTristate t)
{
    return t == VK_TRISTATE_ON ? "yes" : t == VK_TRISTATE_OFF ? "no" : NULL;
}

static void
format_lease(GString *buf, const char *indent, bool has, unsigned long long expiry,
             const char *unit, const char *element)
{
    if (!has) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append_printf(buf, ">\n%s  <lease expiry='%llu'", indent, expiry);
    if (expiry)
        attr(buf, "unit", unit);
    g_string_append_printf(buf, "/>\n%s</%s>\n", indent, element);
}

static void
format_dhcp(GString *buf, const VkNetworkIpDef *ip)
{
    g_string_append(buf, "    <dhcp>\n");
    for (guint i = 0; i < ip->ranges->len; i++) {
        const VkNetworkDhcpRange *r = g_ptr_array_index(ip->ranges, i);
        g_string_append_printf(buf, "      <range start='%s' end='%s'", r->start, r->end);
        format_lease(buf, "      ", r->has_lease, r->lease_expiry, r->lease_unit, "range");
    }
    for (guint i = 0; i < ip->hosts->len; i++) {
        const VkNetworkDhcpHost *h = g_ptr_array_index(ip->hosts, i);
        g_string_append(buf, "      <host");
        attr(buf, "mac", h->mac);
        attr(buf, "id", h->id);
        attr(buf, "name", h->name);
        attr(buf, "ip", h->ip);
        format_lease(buf, "      ", h->has_lease, h->lease_expiry, h->lease_unit, "host");
    }
    if (ip->bootp_file) {
        g_string_append(buf, "      <bootp");
        attr(buf, "file", ip->bootp_file);
        attr(buf, "server", ip->bootp_server);
        g_string_append(buf, "/>\n");
    }
    g_string_append(buf, "    </dhcp>\n");
}

static void
format_ip(GString *buf, const VkNetworkIpDef *ip)
{
    g_string_append(buf, "  <ip");
    attr(buf, "family", ip->family);
    attr(buf, "address", ip->address);
    attr(buf, "netmask", ip->netmask);
    if (ip->prefix > 0)
        g_string_append_printf(buf, " prefix='%u'", ip->prefix);
    attr(buf, "localPtr", ip->local_ptr);
    g_string_append(buf, ">\n");
    if (ip->tftp_root) {
        g_string_append(buf, "    <tftp");
        attr(buf, "root", ip->tftp_root);
        g_string_append(buf, "/>\n");
    }
    if (vk_network_ip_serves_dhcp(ip))
        format_dhcp(buf, ip);
    g_string_append(buf, "  </ip>\n");
}

static void
format_route(GString *buf, const VkNetworkRouteDef *r)
{
    g_string_append(buf, "  <route");
    attr(buf, "family", r->family);
    attr(buf, "address", r->address);
    attr(buf, "netmask", r->netmask);
    if (r->has_prefix)
        g_string_append_printf(buf, " prefix='%u'", r->prefix);
    attr(buf, "gateway", r->gateway);
    if (r->metric)
        g_string_append_printf(buf, " metric='%u'", r->metric);
    g_string_append(buf, "/>\n");
}

static void
format_dns_records(GString *buf, const VkNetworkDnsDef *dns)
{
    for (guint i = 0; i < dns->forwarders->len; i++) {
        const VkNetworkDnsForwarder *f = g_ptr_array_index(dns->forwarders, i);
        g_string_append(buf, "    <forwarder");
        attr(buf, "domain", f->domain);
        attr(buf, "addr", f->addr);
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < dns->txts->len; i++) {
        const VkNetworkDnsTxt *t = g_ptr_array_index(dns->txts, i);
        g_string_append(buf, "    <txt");
        attr(buf, "name", t->name);
        attr(buf, "value", t->value);
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < dns->srvs->len; i++) {
        const VkNetworkDnsSrv *s = g_ptr_array_index(dns->srvs, i);
        g_string_append(buf, "    <srv");
        attr(buf, "service", s->service);
        attr(buf, "protocol", s->protocol);
        attr(buf, "domain", s->domain);
        attr(buf, "target", s->target);
        if (s->port)
            g_string_append_printf(buf, " port='%u'", s->port);
        if (s->priority)
            g_string_append_printf(buf, " priority='%u'", s->priority);
        if (s->weight)
            g_string_append_printf(buf, " weight='%u'", s->weight);
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < dns->hosts->len; i++) {
        const VkNetworkDnsHost *h = g_ptr_array_index(dns->hosts, i);
        g_string_append_printf(buf, "    <host ip='%s'>\n", h->ip);
        for (guint j = 0; j < h->hostnames->len; j++) {
            g_string_append(buf, "      <hostname>");
            vk_xml_escape_append(buf, g_ptr_array_index(h->hostnames, j));
            g_string_append(buf, "</hostname>\n");
        }
        g_string_append(buf, "    </host>\n");
    }
}

static void
format_dns(GString *buf, const VkNetworkDnsDef *dns)
{
    bool records = dns->forwarders->len || dns->txts->len || dns->srvs->len || dns->hosts->len;

    if (!dns->enable && !dns->forward_plain_names && !records)
        return;
    g_string_append(buf, "  <dns");
    attr(buf, "enable", yes_no(dns->enable));
    attr(buf, "forwardPlainNames", yes_no(dns->forward_plain_names));
    if (!records) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    format_dns_records(buf, dns);
    g_string_append(buf, "  </dns>\n");
}

static void
format_nat(GString *buf, const VkNetworkForwardDef *fwd)
{
    bool inner = fwd->nat_address_start || fwd->nat_port_start || fwd->nat_port_end;

    if (!inner && !fwd->nat_ipv6)
        return;
    g_string_append(buf, "    <nat");
    attr(buf, "ipv6", yes_no(fwd->nat_ipv6));
    if (!inner) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    if (fwd->nat_address_start) {
        g_string_append_printf(buf, "      <address start='%s'", fwd->nat_address_start);
        attr(buf, "end", fwd->nat_address_end);
        g_string_append(buf, "/>\n");
    }
    if (fwd->nat_port_start || fwd->nat_port_end) {
        g_string_append_printf(buf, "      <port start='%u'", fwd->nat_port_start);
        if (fwd->nat_port_end)
            g_string_append_printf(buf, " end='%u'", fwd->nat_port_end);
        g_string_append(buf, "/>\n");
    }
    g_string_append(buf, "    </nat>\n");
}

static void
format_pool(GString *buf, const VkNetworkForwardDef *fwd, unsigned int flags)
{
    if (fwd->pf_dev) {
        g_string_append(buf, "    <pf");
        attr(buf, "dev", fwd->pf_dev);
        g_string_append(buf, "/>\n");
    }
    /* the pool a PF expands to is live state */
    if (fwd->pf_dev && (flags & VK_NETWORK_FORMAT_INACTIVE))
        return;
    for (guint i = 0; i < fwd->interfaces->len; i++) {
        g_string_append(buf, "    <interface");
        attr(buf, "dev", g_ptr_array_index(fwd->interfaces, i));
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < fwd->pci_addresses->len; i++) {
        const VkPciAddress *a = &g_array_index(fwd->pci_addresses, VkPciAddress, i);
        g_string_append_printf(buf, "    <address type='pci' domain='0x%04x' bus='0x%02x' "
                               "slot='0x%02x' function='0x%x'/>\n",
                               a->domain, a->bus, a->slot, a->function);
    }
}

static void
format_forward(GString *buf, const VkNetworkForwardDef *fwd, unsigned int flags)
{
    bool is_short = !(fwd->interfaces->len || fwd->pci_addresses->len || fwd->pf_dev ||
                      fwd->nat_address_start || fwd->nat_port_start || fwd->nat_port_end ||
                      fwd->driver_name || fwd->nat_ipv6);

    if (fwd->mode == VK_NETWORK_FORWARD_NONE)
        return;
    g_string_append(buf, "  <forward");
    if (!fwd->pf_dev && fwd->interfaces->len)
        attr(buf, "dev", g_ptr_array_index(fwd->interfaces, 0));
    attr(buf, "mode", vk_network_forward_mode_to_string(fwd->mode));
    if (fwd->mode == VK_NETWORK_FORWARD_HOSTDEV)
        attr(buf, "managed", fwd->managed == VK_TRISTATE_ON ? "yes" : "no");
    g_string_append(buf, is_short ? "/>\n" : ">\n");
    if (is_short)
        return;
    if (fwd->driver_name)
        g_string_append_printf(buf, "    <driver name='%s'/>\n", fwd->driver_name);
    if (fwd->mode == VK_NETWORK_FORWARD_NAT)
        format_nat(buf, fwd);
    format_pool(buf, fwd, flags);
    g_string_append(buf, "  </forward>\n");
}

static void
format_bridge(GString *buf, const VkNetworkDef *def)
{
    bool own = vk_network_def_has_own_bridge(def);

    if (!own && !def->bridge && !def->mac_table_manager)
        return;
    g_string_append(buf, "  <bridge");
    attr(buf, "name", def->bridge);
    attr(buf, "zone", def->zone);
    if (own)
        g_string_append_printf(buf, " stp='%s' delay='%u'",
                               def->stp == VK_TRISTATE_OFF ? "off" : "on", def->delay);
    attr(buf, "macTableManager", def->mac_table_manager);
    g_string_append(buf, "/>\n");
}

static void
format_portgroup(GString *buf, const VkNetworkPortGroupDef *pg)
{
    g_string_append(buf, "  <portgroup");
    attr(buf, "name", pg->name);
    if (pg->is_default)
        g_string_append(buf, " default='yes'");
    attr(buf, "trustGuestRxFilters", yes_no(pg->trust_guest_rx_filters));
    g_string_append(buf, ">\n");
    if (pg->raw_children)
        vk_xml_append_indented(buf, pg->raw_children, 4);
    g_string_append(buf, "  </portgroup>\n");
}

static void
format_head(GString *buf, const VkNetworkDef *def, unsigned int flags)
{
    char uuid[VK_UUID_STRING_BUFLEN];

    g_string_append(buf, "<network");
    if (!(flags & VK_NETWORK_FORMAT_INACTIVE) && def->connections)
        g_string_append_printf(buf, " connections='%u'", def->connections);
    if (def->ipv6_enabled == VK_TRISTATE_ON)
        g_string_append(buf, " ipv6='yes'");
    attr(buf, "trustGuestRxFilters", yes_no(def->trust_guest_rx_filters));
    g_string_append(buf, ">\n  <name>");
    vk_xml_escape_append(buf, def->name);
    g_string_append_printf(buf, "</name>\n  <uuid>%s</uuid>\n", vk_uuid_format(def->uuid, uuid));
    if (def->metadata)
        g_string_append_printf(buf, "  %s\n", def->metadata);
}

char *
vk_network_def_format(const VkNetworkDef *def, unsigned int flags)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    format_head(buf, def, flags);
    format_forward(buf, &def->forward, flags);
    format_bridge(buf, def);
    if (def->mtu)
        g_string_append_printf(buf, "  <mtu size='%u'/>\n", def->mtu);
    if (def->mac)
        g_string_append_printf(buf, "  <mac address='%s'/>\n", def->mac);
    if (def->domain) {
        g_string_append(buf, "  <domain");
        attr(buf, "name", def->domain);
        attr(buf, "localOnly", yes_no(def->domain_local_only));
        g_string_append(buf, "/>\n");
    }
    format_dns(buf, &def->dns);
    if (def->raw_extra)
        vk_xml_append_indented(buf, def->raw_extra, 2);
    for (guint i = 0; i < def->ips->len; i++)
        format_ip(buf, g_ptr_array_index(def->ips, i));
    for (guint i = 0; i < def->routes->len; i++)
        format_route(buf, g_ptr_array_index(def->routes, i));
    if (def->raw_virtualport)
        vk_xml_append_indented(buf, def->raw_virtualport, 2);
    for (guint i = 0; i < def->portgroups->len; i++)
        format_portgroup(buf, g_ptr_array_index(def->portgroups, i));
    g_string_append(buf, "</network>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
