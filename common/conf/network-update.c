/* virNetworkUpdate on a definition: libvirt 9.0's rules and error texts
 * (network_conf.c's virNetworkDefUpdate*, bridge_driver.c's networkUpdate).
 * Each section's element is read by the <network> parser's own element
 * parsers (network-parse.h); the edit is made on a copy that replaces DEF
 * only when it succeeded. */
#include "common/conf/network-update.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/network-parse.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

typedef int (*SectionUpdater)(VkNetworkDef *def, unsigned int command, int parent_index,
                              xmlNodePtr node);

static bool
is_add(unsigned int command)
{
    return command == VK_NETWORK_UPDATE_COMMAND_ADD_FIRST ||
           command == VK_NETWORK_UPDATE_COMMAND_ADD_LAST;
}

/* ITEM into ARRAY: first for add-first, last for add-last */
static void
insert_item(GPtrArray *array, unsigned int command, gpointer item)
{
    g_ptr_array_insert(array, command == VK_NETWORK_UPDATE_COMMAND_ADD_FIRST ? 0 : -1, item);
}

static int
unknown_command(unsigned int command)
{
    VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "unrecognized network update command code %d",
               (int) command);
    return -1;
}

static int
no_support(VkNetworkDef *def, const char *section)
{
    VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "can't update '%s' section of network '%s'",
               section, def->name);
    return -1;
}

static int
check_element(const VkNetworkDef *def, xmlNodePtr node, const char *name)
{
    if (vk_xml_is_element(node, name))
        return 0;
    VK_NET_ERR(VIR_ERR_XML_ERROR,
               "unexpected element <%s>, expecting <%s>, while updating network '%s'",
               (const char *) node->name, name, def->name);
    return -1;
}

static int
update_bridge(VkNetworkDef *def, unsigned int c G_GNUC_UNUSED, int p G_GNUC_UNUSED,
              xmlNodePtr n G_GNUC_UNUSED)
{
    return no_support(def, "bridge");
}

static int
update_domain(VkNetworkDef *def, unsigned int c G_GNUC_UNUSED, int p G_GNUC_UNUSED,
              xmlNodePtr n G_GNUC_UNUSED)
{
    return no_support(def, "domain");
}

static int
update_ip(VkNetworkDef *def, unsigned int c G_GNUC_UNUSED, int p G_GNUC_UNUSED,
          xmlNodePtr n G_GNUC_UNUSED)
{
    return no_support(def, "ip");
}

static int
update_forward(VkNetworkDef *def, unsigned int c G_GNUC_UNUSED, int p G_GNUC_UNUSED,
               xmlNodePtr n G_GNUC_UNUSED)
{
    return no_support(def, "forward");
}

static int
update_forward_pf(VkNetworkDef *def, unsigned int c G_GNUC_UNUSED, int p G_GNUC_UNUSED,
                  xmlNodePtr n G_GNUC_UNUSED)
{
    return no_support(def, "forward pf");
}

/* The <ip> whose <dhcp> a DHCP section edits: PARENT_INDEX among all of
 * them, or for -1 the one serving DHCP, else the first IPv4, else IPv6.
 * (libvirt's texts say "dhcp host" for ranges too.) */
static VkNetworkIpDef *
dhcp_parent(VkNetworkDef *def, int parent_index)
{
    const VkNetworkIpDef *ip = NULL;

    if (parent_index >= 0) {
        if ((guint) parent_index < def->ips->len)
            return g_ptr_array_index(def->ips, parent_index);
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't update dhcp host entry - no <ip> "
                   "element found at index %d in network '%s'", parent_index, def->name);
        return NULL;
    }
    for (guint i = 0; i < def->ips->len && !ip; i++)
        if (vk_network_ip_serves_dhcp(g_ptr_array_index(def->ips, i)))
            ip = g_ptr_array_index(def->ips, i);
    if (!ip && !(ip = vk_network_def_first_ip(def, false)))
        ip = vk_network_def_first_ip(def, true);
    if (!ip)
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't update dhcp host entry - no <ip> "
                   "element found in network '%s'", def->name);
    return (VkNetworkIpDef *) ip;
}

/* Adding DHCP to IP while another <ip> of its family serves it. */
static int
check_single_dhcp(const VkNetworkDef *def, const VkNetworkIpDef *ip)
{
    for (guint i = 0; i < def->ips->len; i++) {
        const VkNetworkIpDef *other = g_ptr_array_index(def->ips, i);
        if (other != ip && other->is_ipv6 == ip->is_ipv6 && vk_network_ip_serves_dhcp(other)) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "dhcp is supported only for a single %s "
                       "address on each network", ip->is_ipv6 ? "IPv6" : "IPv4");
            return -1;
        }
    }
    return 0;
}

/* libvirt compares MAC addresses by value, whatever their case or zeros */
static bool
same_mac(const char *a, const char *b)
{
    guint8 x[6], y[6];

    if (vk_network_parse_mac(a, x) < 0 || vk_network_parse_mac(b, y) < 0)
        return g_ascii_strcasecmp(a, b) == 0;
    return memcmp(x, y, sizeof(x)) == 0;
}

static bool
is_ipv6_text(const char *addr)
{
    return strchr(addr, ':') != NULL;
}

/* An existing host that add refuses / modify replaces: any of mac, name
 * or ip the same. */
static bool
dhcp_host_conflicts(const VkNetworkDhcpHost *want, const VkNetworkDhcpHost *h)
{
    return (want->mac && h->mac && same_mac(want->mac, h->mac)) ||
           (want->name && g_strcmp0(want->name, h->name) == 0) ||
           (want->ip && g_strcmp0(want->ip, h->ip) == 0);
}

/* The host a delete removes: every attribute given matches (a host
 * without a MAC matches any mac=). */
static bool
dhcp_host_matches(const VkNetworkDhcpHost *want, const VkNetworkDhcpHost *h)
{
    return (!want->mac || !h->mac || same_mac(want->mac, h->mac)) &&
           (!want->name || g_strcmp0(want->name, h->name) == 0) &&
           (!want->ip || g_strcmp0(want->ip, h->ip) == 0);
}

static guint
find_dhcp_host(const VkNetworkIpDef *ip, const VkNetworkDhcpHost *want, bool delete)
{
    guint i;

    for (i = 0; i < ip->hosts->len; i++) {
        const VkNetworkDhcpHost *h = g_ptr_array_index(ip->hosts, i);
        if (delete ? dhcp_host_matches(want, h) : dhcp_host_conflicts(want, h))
            break;
    }
    return i;
}

/* The host's fields in libvirt's not-found and duplicate texts */
#define HOST_MAC(h) ((h)->mac ? (h)->mac : "unknown")
#define HOST_IP(h) ((h)->ip ? (h)->ip : "unknown")

static int
apply_dhcp_host(VkNetworkDef *def, VkNetworkIpDef *ip, unsigned int command,
                VkNetworkDhcpHost *host)
{
    guint i = find_dhcp_host(ip, host, command == VK_NETWORK_UPDATE_COMMAND_DELETE);

    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        if (i == ip->hosts->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't locate an existing dhcp host entry "
                       "with \"mac='%s'\" \"name='%s'\" \"ip='%s'\" in network '%s'",
                       HOST_MAC(host), host->name, HOST_IP(host), def->name);
            return -1;
        }
        vk_network_dhcp_host_free(g_ptr_array_index(ip->hosts, i));
        g_ptr_array_index(ip->hosts, i) = host;
    } else if (is_add(command)) {
        if (check_single_dhcp(def, ip) < 0)
            return -1;
        if (i < ip->hosts->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is an existing dhcp host entry in "
                       "network '%s' that matches \"<host mac='%s' name='%s' ip='%s'/>\"",
                       def->name, HOST_MAC(host), host->name, HOST_IP(host));
            return -1;
        }
        insert_item(ip->hosts, command, host);
        ip->has_dhcp = true;
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (i == ip->hosts->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching dhcp host entry "
                       "in network '%s'", def->name);
            return -1;
        }
        g_ptr_array_remove_index(ip->hosts, i);
        vk_network_dhcp_host_free(host);
    } else {
        return unknown_command(command);
    }
    return 0;
}

static int
update_dhcp_host(VkNetworkDef *def, unsigned int command, int parent_index, xmlNodePtr node)
{
    bool partial = command == VK_NETWORK_UPDATE_COMMAND_DELETE;
    VkNetworkIpDef *ip;
    VkNetworkDhcpHost *host;

    if (check_element(def, node, "host") < 0 || !(ip = dhcp_parent(def, parent_index)))
        return -1;
    if (!(host = vk_network_parse_dhcp_host(def->name, ip, node, partial)))
        return -1;
    if (!partial && is_ipv6_text(host->ip) != ip->is_ipv6) {
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "%s", "the address family of a host entry IP "
                   "must match the address family of the dhcp element's parent");
        vk_network_dhcp_host_free(host);
        return -1;
    }
    /* apply_dhcp_host owns HOST from here on when it succeeds */
    if (apply_dhcp_host(def, ip, command, host) < 0) {
        vk_network_dhcp_host_free(host);
        return -1;
    }
    return 0;
}

static guint
find_dhcp_range(const VkNetworkIpDef *ip, const VkNetworkDhcpRange *want)
{
    guint i;

    for (i = 0; i < ip->ranges->len; i++) {
        const VkNetworkDhcpRange *r = g_ptr_array_index(ip->ranges, i);
        if (g_str_equal(r->start, want->start) && g_str_equal(r->end, want->end))
            break;
    }
    return i;
}

static int
apply_dhcp_range(VkNetworkDef *def, VkNetworkIpDef *ip, unsigned int command,
                 VkNetworkDhcpRange *range)
{
    guint i = find_dhcp_range(ip, range);

    if (is_add(command)) {
        if (check_single_dhcp(def, ip) < 0)
            return -1;
        if (i < ip->ranges->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is an existing dhcp range entry in "
                       "network '%s' that matches \"<range start='%s' end='%s'/>\"",
                       def->name, range->start, range->end);
            return -1;
        }
        insert_item(ip->ranges, command, range);
        ip->has_dhcp = true;
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (i == ip->ranges->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching dhcp range entry "
                       "in network '%s'", def->name);
            return -1;
        }
        g_ptr_array_remove_index(ip->ranges, i);
        vk_network_dhcp_range_free(range);
    } else {
        return unknown_command(command);
    }
    return 0;
}

static int
update_dhcp_range(VkNetworkDef *def, unsigned int command, int parent_index, xmlNodePtr node)
{
    VkNetworkIpDef *ip;
    VkNetworkDhcpRange *range;

    if (check_element(def, node, "range") < 0 || !(ip = dhcp_parent(def, parent_index)))
        return -1;
    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "dhcp ranges cannot be modified, only added or deleted");
        return -1;
    }
    if (!(range = vk_network_parse_dhcp_range(def->name, ip, node)))
        return -1;
    if (is_ipv6_text(range->start) != ip->is_ipv6) {
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "%s", "the address family of a dhcp range must "
                   "match the address family of the dhcp element's parent");
        vk_network_dhcp_range_free(range);
        return -1;
    }
    if (apply_dhcp_range(def, ip, command, range) < 0) {
        vk_network_dhcp_range_free(range);
        return -1;
    }
    return 0;
}

static int
apply_forward_interface(VkNetworkDef *def, unsigned int command, char *dev)
{
    GPtrArray *ifs = def->forward.interfaces;
    guint i;

    for (i = 0; i < ifs->len && !g_str_equal(g_ptr_array_index(ifs, i), dev); i++)
        ;
    if (is_add(command)) {
        if (i < ifs->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is an existing interface entry in "
                       "network '%s' that matches \"<interface dev='%s'>\"", def->name, dev);
            return -1;
        }
        insert_item(ifs, command, dev);
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (i == ifs->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't find an interface entry in network "
                       "'%s' matching <interface dev='%s'>", def->name, dev);
            return -1;
        }
        /* a definition carries no per-interface connection count: the
         * driver refuses deleting one in use before it gets here */
        g_ptr_array_remove_index(ifs, i);
        g_free(dev);
    } else {
        return unknown_command(command);
    }
    /* <forward dev=> is the first interface */
    g_free(def->forward.dev);
    def->forward.dev = ifs->len ? g_strdup(g_ptr_array_index(ifs, 0)) : NULL;
    return 0;
}

static int
update_forward_interface(VkNetworkDef *def, unsigned int command, int p G_GNUC_UNUSED,
                         xmlNodePtr node)
{
    char *dev;

    if (check_element(def, node, "interface") < 0)
        return -1;
    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "forward interface entries cannot be modified, only added or deleted");
        return -1;
    }
    if (!(dev = vk_xml_prop(node, "dev"))) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "%s", "missing dev attribute in <interface> element");
        return -1;
    }
    if (apply_forward_interface(def, command, dev) < 0) {
        g_free(dev);
        return -1;
    }
    return 0;
}

/* The portgroup named NAME, and the default one: indexes or -1 */
static void
find_portgroups(const VkNetworkDef *def, const char *name, int *named, int *dflt)
{
    *named = *dflt = -1;
    for (guint i = 0; i < def->portgroups->len; i++) {
        const VkNetworkPortGroupDef *pg = g_ptr_array_index(def->portgroups, i);
        if (g_str_equal(pg->name, name))
            *named = (int) i;
        if (pg->is_default)
            *dflt = (int) i;
    }
}

static int
check_portgroup(const VkNetworkDef *def, unsigned int command, const VkNetworkPortGroupDef *pg,
                int named, int dflt)
{
    bool edit = command == VK_NETWORK_UPDATE_COMMAND_MODIFY ||
                command == VK_NETWORK_UPDATE_COMMAND_DELETE;

    if (named < 0 && edit) {
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't find a portgroup entry in network '%s' "
                   "matching <portgroup name='%s'>", def->name, pg->name);
        return -1;
    }
    if (named >= 0 && is_add(command)) {
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is an existing portgroup entry in network "
                   "'%s' that matches \"<portgroup name='%s'>\"", def->name, pg->name);
        return -1;
    }
    if (command != VK_NETWORK_UPDATE_COMMAND_DELETE && pg->is_default && dflt >= 0 &&
        dflt != named) {
        VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "a different portgroup entry in network '%s' is "
                   "already set as the default. Only one default is allowed.", def->name);
        return -1;
    }
    return 0;
}

static int
update_portgroup(VkNetworkDef *def, unsigned int command, int p G_GNUC_UNUSED, xmlNodePtr node)
{
    VkNetworkPortGroupDef *pg;
    int named, dflt;

    if (check_element(def, node, "portgroup") < 0 || !(pg = vk_network_parse_portgroup(node)))
        return -1;
    find_portgroups(def, pg->name, &named, &dflt);
    if (check_portgroup(def, command, pg, named, dflt) < 0) {
        vk_network_portgroup_free(pg);
        return -1;
    }
    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        vk_network_portgroup_free(g_ptr_array_index(def->portgroups, named));
        g_ptr_array_index(def->portgroups, named) = pg;
    } else if (is_add(command)) {
        insert_item(def->portgroups, command, pg);
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        g_ptr_array_remove_index(def->portgroups, named);
        vk_network_portgroup_free(pg);
    } else {
        vk_network_portgroup_free(pg);
        return unknown_command(command);
    }
    return 0;
}

static bool
share_hostname(const VkNetworkDnsHost *a, const VkNetworkDnsHost *b)
{
    for (guint i = 0; i < a->hostnames->len; i++)
        for (guint j = 0; j < b->hostnames->len; j++)
            if (g_str_equal(g_ptr_array_index(a->hostnames, i), g_ptr_array_index(b->hostnames, j)))
                return true;
    return false;
}

/* How many DNS hosts match WANT, the last in *AT: the same address, or for
 * a delete also a hostname in common (an add refuses only a second record
 * of an address: several addresses of one name are fine). */
static guint
find_dns_hosts(const VkNetworkDnsDef *dns, const VkNetworkDnsHost *want, bool add, guint *at)
{
    guint count = 0;

    for (guint i = 0; i < dns->hosts->len; i++) {
        const VkNetworkDnsHost *h = g_ptr_array_index(dns->hosts, i);
        if ((want->ip && g_str_equal(want->ip, h->ip)) || (!add && share_hostname(want, h))) {
            count++;
            *at = i;
        }
    }
    return count;
}

static int
apply_dns_host(VkNetworkDef *def, unsigned int command, VkNetworkDnsHost *host)
{
    guint at = 0, found = find_dns_hosts(&def->dns, host, is_add(command), &at);

    if (is_add(command)) {
        if (found > 0) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is already at least one DNS HOST record "
                       "with a matching field in network %s", def->name);
            return -1;
        }
        insert_item(def->dns.hosts, command, host);
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (found != 1) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, found ? "multiple matching DNS HOST records "
                       "were found in network %s" : "couldn't locate a matching DNS HOST record "
                       "in network %s", def->name);
            return -1;
        }
        g_ptr_array_remove_index(def->dns.hosts, at);
        vk_network_dns_host_free(host);
    } else {
        return unknown_command(command);
    }
    return 0;
}

static int
update_dns_host(VkNetworkDef *def, unsigned int command, int p G_GNUC_UNUSED, xmlNodePtr node)
{
    VkNetworkDnsHost *host;

    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "DNS HOST records cannot be modified, only added or deleted");
        return -1;
    }
    if (check_element(def, node, "host") < 0 ||
        !(host = vk_network_parse_dns_host(def->name, node, !is_add(command))))
        return -1;
    if (apply_dns_host(def, command, host) < 0) {
        vk_network_dns_host_free(host);
        return -1;
    }
    return 0;
}

/* WANT's given fields (domain, service, protocol, target) equal H's */
static bool
dns_srv_matches(const VkNetworkDnsSrv *want, const VkNetworkDnsSrv *h)
{
    return (!want->domain || g_strcmp0(want->domain, h->domain) == 0) &&
           (!want->service || g_strcmp0(want->service, h->service) == 0) &&
           (!want->protocol || g_strcmp0(want->protocol, h->protocol) == 0) &&
           (!want->target || g_strcmp0(want->target, h->target) == 0);
}

static int
apply_dns_srv(VkNetworkDef *def, unsigned int command, VkNetworkDnsSrv *srv)
{
    GPtrArray *srvs = def->dns.srvs;
    guint found = 0, at = 0;

    for (guint i = 0; i < srvs->len; i++) {
        if (dns_srv_matches(srv, g_ptr_array_index(srvs, i))) {
            found++;
            at = i;
        }
    }
    if (is_add(command)) {
        if (found > 0) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is already at least one DNS SRV record "
                       "matching all specified fields in network %s", def->name);
            return -1;
        }
        insert_item(srvs, command, srv);
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (found != 1) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, found ? "multiple DNS SRV records matching all "
                       "specified fields were found in network %s" : "couldn't locate a "
                       "matching DNS SRV record in network %s", def->name);
            return -1;
        }
        g_ptr_array_remove_index(srvs, at);
        vk_network_dns_srv_free(srv);
    } else {
        return unknown_command(command);
    }
    return 0;
}

static int
update_dns_srv(VkNetworkDef *def, unsigned int command, int p G_GNUC_UNUSED, xmlNodePtr node)
{
    VkNetworkDnsSrv *srv;

    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "DNS SRV records cannot be modified, only added or deleted");
        return -1;
    }
    if (check_element(def, node, "srv") < 0 ||
        !(srv = vk_network_parse_dns_srv(def->name, node, !is_add(command))))
        return -1;
    if (apply_dns_srv(def, command, srv) < 0) {
        vk_network_dns_srv_free(srv);
        return -1;
    }
    return 0;
}

static int
apply_dns_txt(VkNetworkDef *def, unsigned int command, VkNetworkDnsTxt *txt)
{
    GPtrArray *txts = def->dns.txts;
    guint i;

    for (i = 0; i < txts->len; i++)
        if (g_str_equal(((VkNetworkDnsTxt *) g_ptr_array_index(txts, i))->name, txt->name))
            break;
    if (is_add(command)) {
        if (i < txts->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "there is already a DNS TXT record with name "
                       "'%s' in network %s", txt->name, def->name);
            return -1;
        }
        insert_item(txts, command, txt);
    } else if (command == VK_NETWORK_UPDATE_COMMAND_DELETE) {
        if (i == txts->len) {
            VK_NET_ERR(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching DNS TXT record in "
                       "network %s", def->name);
            return -1;
        }
        g_ptr_array_remove_index(txts, i);
        vk_network_dns_txt_free(txt);
    } else {
        return unknown_command(command);
    }
    return 0;
}

static int
update_dns_txt(VkNetworkDef *def, unsigned int command, int p G_GNUC_UNUSED, xmlNodePtr node)
{
    VkNetworkDnsTxt *txt;

    if (command == VK_NETWORK_UPDATE_COMMAND_MODIFY) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "DNS TXT records cannot be modified, only added or deleted");
        return -1;
    }
    if (check_element(def, node, "txt") < 0 ||
        !(txt = vk_network_parse_dns_txt(def->name, node, !is_add(command))))
        return -1;
    if (apply_dns_txt(def, command, txt) < 0) {
        vk_network_dns_txt_free(txt);
        return -1;
    }
    return 0;
}

/* indexed by VkNetworkUpdateSection */
static const SectionUpdater updaters[] = {
    [VK_NETWORK_SECTION_BRIDGE] = update_bridge,
    [VK_NETWORK_SECTION_DOMAIN] = update_domain,
    [VK_NETWORK_SECTION_IP] = update_ip,
    [VK_NETWORK_SECTION_IP_DHCP_HOST] = update_dhcp_host,
    [VK_NETWORK_SECTION_IP_DHCP_RANGE] = update_dhcp_range,
    [VK_NETWORK_SECTION_FORWARD] = update_forward,
    [VK_NETWORK_SECTION_FORWARD_INTERFACE] = update_forward_interface,
    [VK_NETWORK_SECTION_FORWARD_PF] = update_forward_pf,
    [VK_NETWORK_SECTION_PORTGROUP] = update_portgroup,
    [VK_NETWORK_SECTION_DNS_HOST] = update_dns_host,
    [VK_NETWORK_SECTION_DNS_TXT] = update_dns_txt,
    [VK_NETWORK_SECTION_DNS_SRV] = update_dns_srv,
};

/* DEF's contents and OTHER's traded, so that freeing OTHER frees the old */
static void
swap_defs(VkNetworkDef *def, VkNetworkDef *other)
{
    VkNetworkDef tmp = *def;

    *def = *other;
    *other = tmp;
}

int
vk_network_def_update(VkNetworkDef *def, unsigned int command, unsigned int section,
                      int parent_index, const char *xml)
{
    g_autoptr(VkNetworkDef) work = NULL;
    xmlDocPtr doc;
    int rc = -1;

    /* libvirt reads the fragment before it looks at the section */
    if (!(doc = vk_xml_parse_named_from(xml, NULL, "network_update_xml", VIR_FROM_NETWORK)))
        return -1;
    if (section >= G_N_ELEMENTS(updaters) || !updaters[section]) {
        VK_NET_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "can't update unrecognized section of network");
    } else if ((work = vk_network_def_copy(def)) &&
               updaters[section](work, command, parent_index, xmlDocGetRootElement(doc)) == 0 &&
               vk_network_def_check_reparse(work) == 0) {
        swap_defs(def, work);
        rc = 0;
    }
    xmlFreeDoc(doc);
    return rc;
}

/* libvirt's "listening for DHCP": an IPv4 <ip> with ranges or hosts */
static bool
ipv4_dhcp_active(const VkNetworkDef *def)
{
    return def && vk_network_def_dhcp_ip(def, false) != NULL;
}

unsigned int
vk_network_update_actions(const VkNetworkDef *before, const VkNetworkDef *after,
                          unsigned int section)
{
    unsigned int actions = 0;

    switch (section) {
    case VK_NETWORK_SECTION_BRIDGE:
    case VK_NETWORK_SECTION_DOMAIN:
    case VK_NETWORK_SECTION_IP:
    case VK_NETWORK_SECTION_IP_DHCP_RANGE:
    case VK_NETWORK_SECTION_DNS_TXT:
    case VK_NETWORK_SECTION_DNS_SRV:
        /* on dnsmasq's command line / in its .conf: only a restart reads it */
        actions |= VK_NETWORK_UPDATE_RESTART_DNSMASQ;
        break;
    case VK_NETWORK_SECTION_IP_DHCP_HOST:
        /* the hostsfile is re-read on SIGHUP; DHCP turned on or off is not */
        if (ipv4_dhcp_active(before) != ipv4_dhcp_active(after))
            actions |= VK_NETWORK_UPDATE_RESTART_DNSMASQ;
        actions |= VK_NETWORK_UPDATE_REFRESH_DNSMASQ;
        break;
    case VK_NETWORK_SECTION_DNS_HOST:
        /* the addnhosts file is re-read on SIGHUP */
        actions |= VK_NETWORK_UPDATE_REFRESH_DNSMASQ;
        break;
    default:
        break;
    }
    if (section == VK_NETWORK_SECTION_IP)
        actions |= VK_NETWORK_UPDATE_REFRESH_RADVD;
    /* the rules of the modes with rules of their own (not open) */
    if (before && (before->forward.mode == VK_NETWORK_FORWARD_NONE ||
                   before->forward.mode == VK_NETWORK_FORWARD_NAT ||
                   before->forward.mode == VK_NETWORK_FORWARD_ROUTE) &&
        (section == VK_NETWORK_SECTION_FORWARD || section == VK_NETWORK_SECTION_FORWARD_INTERFACE ||
         section == VK_NETWORK_SECTION_IP || section == VK_NETWORK_SECTION_IP_DHCP_RANGE ||
         section == VK_NETWORK_SECTION_IP_DHCP_HOST))
        actions |= VK_NETWORK_UPDATE_RELOAD_FIREWALL;
    return actions;
}
