#include "drivers/network/dnsmasq/dnsmasq-conf.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/util/error.h"

/* ---- addresses ---- */

typedef struct {
    int family;                 /* AF_INET, AF_INET6, 0 when unparsable */
    unsigned char bytes[16];
} Addr;

static bool
addr_parse(const char *text, Addr *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (!text)
        return false;
    if (inet_pton(AF_INET, text, addr->bytes) == 1)
        addr->family = AF_INET;
    else if (inet_pton(AF_INET6, text, addr->bytes) == 1)
        addr->family = AF_INET6;
    return addr->family != 0;
}

static char *
addr_format(const Addr *addr)
{
    char buf[INET6_ADDRSTRLEN];

    if (!inet_ntop(addr->family, addr->bytes, buf, sizeof(buf)))
        return NULL;
    return g_strdup(buf);
}

/* TEXT as libvirt prints an address it parsed (inet_ntop's canonical form:
 * "2001:DB8::01" becomes "2001:db8::1"); an unparsable text is kept. */
static char *
addr_canonical(const char *text)
{
    Addr addr;

    if (!addr_parse(text, &addr))
        return g_strdup(text);
    return addr_format(&addr);
}

static int
netmask_prefix(const char *netmask)
{
    Addr mask;
    int bits = 0;
    int len, i;

    if (!addr_parse(netmask, &mask))
        return -1;
    len = mask.family == AF_INET ? 4 : 16;
    for (i = 0; i < len * 8; i++) {
        bool set = mask.bytes[i / 8] & (0x80 >> (i % 8));
        if (set && bits != i)
            return -1;           /* a one after a zero: not contiguous */
        if (set)
            bits++;
    }
    return bits;
}

int
vk_dnsmasq_ip_prefix(const VkNetworkIpDef *ip)
{
    Addr addr;

    if (ip->prefix > 0)
        return ip->prefix;
    if (ip->netmask)
        return netmask_prefix(ip->netmask);
    if (!addr_parse(ip->address, &addr))
        return -1;
    if (addr.family == AF_INET6)
        return 64;
    /* virSocketAddrGetIPPrefix: the classful default */
    if (addr.bytes[0] < 128)
        return 8;
    if (addr.bytes[0] < 192)
        return 16;
    if (addr.bytes[0] < 224)
        return 24;
    return -1;
}

/* The last 32 bits of an address as a number (the whole of an IPv4 one). */
static guint32
addr_low32(const Addr *addr)
{
    int off = addr->family == AF_INET ? 0 : 12;

    return ((guint32) addr->bytes[off] << 24) | ((guint32) addr->bytes[off + 1] << 16) |
           ((guint32) addr->bytes[off + 2] << 8) | addr->bytes[off + 3];
}

/* virSocketAddrGetRange: how many addresses START..END holds (both
 * included); the part counted in dhcp-lease-max. */
static int
range_size(const char *start_text, const char *end_text)
{
    Addr start, end;

    if (!addr_parse(start_text, &start) || !addr_parse(end_text, &end) ||
        start.family != end.family) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "invalid DHCP range %s - %s", start_text, end_text);
        return -1;
    }
    if (start.family == AF_INET6 && memcmp(start.bytes, end.bytes, 12) != 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "range %s - %s is too large", start_text, end_text);
        return -1;
    }
    if (addr_low32(&end) < addr_low32(&start)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "range %s - %s is reversed", start_text, end_text);
        return -1;
    }
    return (int) (addr_low32(&end) - addr_low32(&start) + 1);
}

/* virSocketAddrPTRDomain: the reverse zone of IP's network, for
 * localPtr='yes'.  Only whole octets (IPv4) or nibbles (IPv6) can be named. */
static char *
ptr_domain(const VkNetworkIpDef *ip)
{
    Addr addr;
    int prefix = vk_dnsmasq_ip_prefix(ip);
    GString *out = g_string_new(NULL);
    int i;

    if (!addr_parse(ip->address, &addr) || prefix < 0 ||
        prefix % (addr.family == AF_INET ? 8 : 4) != 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_CONFIG_UNSUPPORTED,
                        "PTR domain for %s network with prefix %d cannot be automatically created",
                        addr.family == AF_INET ? "IPv4" : "IPv6", prefix);
        g_string_free(out, TRUE);
        return NULL;
    }
    if (addr.family == AF_INET) {
        for (i = prefix / 8 - 1; i >= 0; i--)
            g_string_append_printf(out, "%u.", addr.bytes[i]);
        g_string_append(out, "in-addr.arpa");
    } else {
        for (i = prefix / 4 - 1; i >= 0; i--)
            g_string_append_printf(out, "%x.", (addr.bytes[i / 2] >> (i % 2 ? 0 : 4)) & 0xf);
        g_string_append(out, "ip6.arpa");
    }
    return g_string_free(out, FALSE);
}

static char *
prefix_netmask(int prefix)
{
    guint32 mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);

    return g_strdup_printf("%u.%u.%u.%u", mask >> 24, (mask >> 16) & 0xff,
                           (mask >> 8) & 0xff, mask & 0xff);
}

/* networkBuildDnsmasqLeaseTime: "infinite" for expiry 0, else the number
 * and the unit's first letter (s, m, h; libvirt's default unit is minutes).
 * NULL when no <lease> was given (neither an expiry nor a unit). */
static char *
lease_time(unsigned long long expiry, const char *unit)
{
    if (expiry == 0 && !unit)
        return NULL;
    if (expiry == 0)
        return g_strdup("infinite");
    return g_strdup_printf("%llu%c", expiry, unit ? unit[0] : 'm');
}

/* ---- hosts files ---- */

static bool
ip_has_dhcp(const VkNetworkIpDef *ip)
{
    return (ip->ranges && ip->ranges->len) || (ip->hosts && ip->hosts->len);
}

/* hostsfileAdd: one dhcp-hostsfile line for HOST of an IPv4 or IPv6 <ip>. */
static void
hostsfile_add(GString *out, const VkNetworkDhcpHost *host, bool ipv6)
{
    g_autofree char *ip = addr_canonical(host->ip);
    g_autofree char *lease = lease_time(host->lease_expiry, host->lease_unit);

    if (ipv6) {
        if (host->name && host->id)
            g_string_append_printf(out, "id:%s,%s", host->id, host->name);
        else if (host->name)
            g_string_append(out, host->name);
        else if (host->id)
            g_string_append_printf(out, "id:%s", host->id);
        g_string_append_printf(out, ",[%s]", ip);
    } else if (host->name && host->mac) {
        g_string_append_printf(out, "%s,%s,%s", host->mac, ip, host->name);
    } else if (host->name) {
        g_string_append_printf(out, "%s,%s", host->name, ip);
    } else {
        g_string_append_printf(out, "%s,%s", host->mac, ip);
    }
    if (lease)
        g_string_append_printf(out, ",%s", lease);
    g_string_append_c(out, '\n');
}

static void
hostsfile_add_ip(GString *out, const VkNetworkIpDef *ip)
{
    for (guint i = 0; ip && ip->hosts && i < ip->hosts->len; i++) {
        const VkNetworkDhcpHost *host = g_ptr_array_index(ip->hosts, i);
        if (host->ip)
            hostsfile_add(out, host, ip->is_ipv6);
    }
}

static void
gstring_free(gpointer s)
{
    g_string_free(s, TRUE);
}

/* addnhostsAdd/addnhostsWrite: one line per address, the names of every
 * <dns><host> with that address after it, each followed by a tab. */
static char *
addnhosts_text(const VkNetworkDnsDef *dns)
{
    g_autoptr(GPtrArray) ips = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(gstring_free);
    GString *out = g_string_new(NULL);

    for (guint i = 0; dns->hosts && i < dns->hosts->len; i++) {
        const VkNetworkDnsHost *host = g_ptr_array_index(dns->hosts, i);
        g_autofree char *ip = NULL;
        GString *line = NULL;
        guint idx;

        if (!host->ip)
            continue;
        ip = addr_canonical(host->ip);
        if (g_ptr_array_find_with_equal_func(ips, ip, g_str_equal, &idx)) {
            line = g_ptr_array_index(lines, idx);
        } else {
            line = g_string_new(NULL);
            g_string_append_printf(line, "%s\t", ip);
            g_ptr_array_add(ips, g_steal_pointer(&ip));
            g_ptr_array_add(lines, line);
        }
        for (guint j = 0; host->hostnames && j < host->hostnames->len; j++)
            g_string_append_printf(line, "%s\t", (char *) g_ptr_array_index(host->hostnames, j));
    }
    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(out, "%s\n", ((GString *) g_ptr_array_index(lines, i))->str);
    return g_string_free(out, FALSE);
}

/* The IPv4 and the IPv6 <ip> that serve DHCP (those with a range or a
 * host); libvirt allows one of each. */
static int
dhcp_ips(const VkNetworkDef *def, const VkNetworkIpDef **v4, const VkNetworkIpDef **v6)
{
    *v4 = *v6 = NULL;
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        const VkNetworkIpDef **slot = ip->is_ipv6 ? v6 : v4;

        if (!ip_has_dhcp(ip))
            continue;
        if (*slot) {
            vk_error_report(VIR_FROM_NETWORK, VIR_ERR_CONFIG_UNSUPPORTED,
                            "For %s, multiple DHCP definitions cannot be specified.",
                            ip->is_ipv6 ? "IPv6" : "IPv4");
            return -1;
        }
        *slot = ip;
    }
    return 0;
}

static VkDnsmasqConfig *
config_hosts(const VkNetworkDef *def, const VkNetworkIpDef *v4, const VkNetworkIpDef *v6)
{
    VkDnsmasqConfig *config = g_new0(VkDnsmasqConfig, 1);
    GString *hosts = g_string_new(NULL);

    hostsfile_add_ip(hosts, v4);
    hostsfile_add_ip(hosts, v6);
    config->hostsfile = g_string_free(hosts, FALSE);
    config->addnhosts = addnhosts_text(&def->dns);
    return config;
}

VkDnsmasqConfig *
vk_dnsmasq_config_new_hosts(const VkNetworkDef *def)
{
    const VkNetworkIpDef *v4, *v6;

    if (dhcp_ips(def, &v4, &v6) < 0)
        return NULL;
    return config_hosts(def, v4, v6);
}

/* ---- the conf file, in libvirt's order ---- */

static bool
want_dns(const VkNetworkDef *def)
{
    return def->dns.enable != VK_TRISTATE_OFF;
}

/* server= lines; no-resolv when one of them takes every unqualified query. */
static void
conf_forwarders(GString *out, const VkNetworkDef *def)
{
    bool no_resolv = false;

    for (guint i = 0; def->dns.forwarders && i < def->dns.forwarders->len; i++) {
        const VkNetworkDnsForwarder *fwd = g_ptr_array_index(def->dns.forwarders, i);

        g_string_append(out, "server=");
        if (fwd->domain)
            g_string_append_printf(out, "/%s/", fwd->domain);
        if (fwd->addr) {
            g_autofree char *addr = addr_canonical(fwd->addr);
            g_string_append_printf(out, "%s\n", addr);
            if (!fwd->domain)
                no_resolv = true;
        } else {
            g_string_append(out, "#\n");   /* "don't forward this domain" */
        }
    }
    if (no_resolv)
        g_string_append(out, "no-resolv\n");
}

static int
conf_names(GString *out, const VkNetworkDef *def)
{
    if (want_dns(def))
        conf_forwarders(out, def);
    if (def->domain) {
        if (def->domain_local_only == VK_TRISTATE_ON)
            g_string_append_printf(out, "local=/%s/\n", def->domain);
        g_string_append_printf(out, "domain=%s\nexpand-hosts\n", def->domain);
    }
    for (guint i = 0; want_dns(def) && def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        g_autofree char *ptr = NULL;

        if (g_strcmp0(ip->local_ptr, "yes") != 0)
            continue;
        if (!(ptr = ptr_domain(ip)))
            return -1;
        g_string_append_printf(out, "local=/%s/\n", ptr);
    }
    if (want_dns(def) && def->dns.forward_plain_names == VK_TRISTATE_OFF)
        g_string_append(out, "domain-needed\nlocal=//\n");
    return 0;
}

/* srv-host=_SERVICE._PROTO[.DOMAIN][,TARGET[,PORT[,PRIORITY[,WEIGHT]]]]: the
 * fields are positional, so a later one given brings the earlier ones with
 * their defaults (port 1, priority 0). */
static int
conf_srv(GString *out, const VkNetworkDef *def, const VkNetworkDnsSrv *srv)
{
    if (!srv->service || !srv->protocol) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "Missing required 'service' attribute in SRV record of network '%s'",
                        def->name);
        return -1;
    }
    g_string_append_printf(out, "srv-host=_%s._%s", srv->service, srv->protocol);
    if (srv->domain)
        g_string_append_printf(out, ".%s", srv->domain);
    if (srv->target && strcmp(srv->target, ".") != 0) {
        g_string_append_printf(out, ",%s", srv->target);
        if (srv->port || srv->priority || srv->weight)
            g_string_append_printf(out, ",%u", srv->port ? srv->port : 1);
        if (srv->priority || srv->weight)
            g_string_append_printf(out, ",%u", srv->priority);
        if (srv->weight)
            g_string_append_printf(out, ",%u", srv->weight);
    }
    g_string_append_c(out, '\n');
    return 0;
}

static int
conf_records(GString *out, const VkNetworkDef *def)
{
    if (!want_dns(def))
        return 0;
    for (guint i = 0; def->dns.txts && i < def->dns.txts->len; i++) {
        const VkNetworkDnsTxt *txt = g_ptr_array_index(def->dns.txts, i);
        g_string_append_printf(out, "txt-record=%s,%s\n", txt->name, txt->value);
    }
    for (guint i = 0; def->dns.srvs && i < def->dns.srvs->len; i++) {
        if (conf_srv(out, def, g_ptr_array_index(def->dns.srvs, i)) < 0)
            return -1;
    }
    return 0;
}

/* dhcp-range lines of one DHCP <ip>, then its IPv4-only options; adds the
 * range sizes to *LEASES. */
static int
conf_dhcp_ip(GString *out, const VkNetworkDef *def, const VkNetworkIpDef *ip, int *leases)
{
    int prefix = vk_dnsmasq_ip_prefix(ip);
    g_autofree char *netmask = NULL;

    if (prefix < 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "bridge '%s' has an invalid prefix", def->bridge);
        return -1;
    }
    if (!ip->is_ipv6)
        netmask = prefix_netmask(prefix);
    for (guint r = 0; ip->ranges && r < ip->ranges->len; r++) {
        const VkNetworkDhcpRange *range = g_ptr_array_index(ip->ranges, r);
        g_autofree char *start = addr_canonical(range->start);
        g_autofree char *end = addr_canonical(range->end);
        g_autofree char *lease = lease_time(range->lease_expiry, range->lease_unit);
        int size = range_size(range->start, range->end);

        if (size < 0)
            return -1;
        /* IPv6 takes a prefix length, IPv4 a netmask */
        if (ip->is_ipv6)
            g_string_append_printf(out, "dhcp-range=%s,%s,%d", start, end, prefix);
        else
            g_string_append_printf(out, "dhcp-range=%s,%s,%s", start, end, netmask);
        if (lease)
            g_string_append_printf(out, ",%s", lease);
        g_string_append_c(out, '\n');
        *leases += size;
    }
    /* static hosts only: a "static" range turns DHCP on for them */
    if ((!ip->ranges || !ip->ranges->len) && ip->hosts && ip->hosts->len) {
        g_autofree char *addr = addr_canonical(ip->address);
        g_string_append_printf(out, "dhcp-range=%s,static", addr);
        if (ip->is_ipv6)
            g_string_append_printf(out, ",%d", prefix);
        g_string_append_c(out, '\n');
    }
    if (ip->is_ipv6)
        return 0;
    g_string_append(out, "dhcp-no-override\ndhcp-authoritative\n");
    if (ip->tftp_root)
        g_string_append_printf(out, "enable-tftp\ntftp-root=%s\n", ip->tftp_root);
    if (ip->bootp_file && ip->bootp_server) {
        g_autofree char *server = addr_canonical(ip->bootp_server);
        g_string_append_printf(out, "dhcp-boot=%s,,%s\n", ip->bootp_file, server);
    } else if (ip->bootp_file) {
        g_string_append_printf(out, "dhcp-boot=%s\n", ip->bootp_file);
    }
    return 0;
}

/* After the files: the MTU option, then router advertisements (stateful
 * with DHCPv6, else "ra-only" for each IPv6 address). */
static void
conf_tail(GString *out, const VkNetworkDef *def, const VkNetworkIpDef *v6)
{
    if (def->mtu > 0)
        g_string_append_printf(out, "dhcp-option=option:mtu,%u\n", def->mtu);
    if (v6) {
        g_string_append(out, "enable-ra\n");
        return;
    }
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (ip->is_ipv6 && !ip_has_dhcp(ip)) {
            g_autofree char *addr = addr_canonical(ip->address);
            g_string_append_printf(out, "dhcp-range=%s,ra-only\n", addr);
        }
    }
}

static char *
conf_text(const VkNetworkDef *def, const char *state_dir, const char *pidfile,
          const VkNetworkIpDef *v4, const VkNetworkIpDef *v6)
{
    g_autoptr(GString) out = g_string_new(NULL);
    int leases = 0;

    g_string_append_printf(out,
        "##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
        "##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n"
        "##    virsh net-edit %s\n"
        "## or other application using the libvirt API.\n"
        "##\n## dnsmasq conf file created by libvirt\n"
        "strict-order\n", def->name);
    if (!want_dns(def))
        g_string_append(out, "port=0\n");   /* no DNS: listen on no port */
    if (conf_names(out, def) < 0)
        return NULL;
    if (pidfile)
        g_string_append_printf(out, "pid-file=%s\n", pidfile);
    /* bind-dynamic with interface= only: no answers to queries from other
     * interfaces (CVE-2012-3411) */
    g_string_append_printf(out, "except-interface=lo\nbind-dynamic\ninterface=%s\n",
                           def->bridge);
    /* isolated: no default route (option 3 empty, RA router lifetime 0) and
     * no forwarding to the host's resolvers */
    if (def->forward.mode == VK_NETWORK_FORWARD_NONE)
        g_string_append(out, "dhcp-option=3\nno-resolv\nra-param=*,0,0\n");
    if (conf_records(out, def) < 0)
        return NULL;
    if (v4 && conf_dhcp_ip(out, def, v4, &leases) < 0)
        return NULL;
    if (v6 && conf_dhcp_ip(out, def, v6, &leases) < 0)
        return NULL;
    if (leases > 0)
        g_string_append_printf(out, "dhcp-lease-max=%d\n", leases);
    /* both files always, so that hosts can be added at run time */
    if (v4 || v6)
        g_string_append_printf(out, "dhcp-hostsfile=%s/%s.hostsfile\n", state_dir, def->name);
    if (want_dns(def))
        g_string_append_printf(out, "addn-hosts=%s/%s.addnhosts\n", state_dir, def->name);
    conf_tail(out, def, v6);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

VkDnsmasqConfig *
vk_dnsmasq_config_new(const VkNetworkDef *def, const char *state_dir, const char *pidfile)
{
    const VkNetworkIpDef *v4, *v6;
    g_autoptr(VkDnsmasqConfig) config = NULL;

    if (dhcp_ips(def, &v4, &v6) < 0)
        return NULL;
    config = config_hosts(def, v4, v6);
    if (!(config->conf = conf_text(def, state_dir, pidfile, v4, v6)))
        return NULL;
    return g_steal_pointer(&config);
}

void
vk_dnsmasq_config_free(VkDnsmasqConfig *config)
{
    if (!config)
        return;
    g_free(config->conf);
    g_free(config->hostsfile);
    g_free(config->addnhosts);
    g_free(config);
}

bool
vk_dnsmasq_needed(const VkNetworkDef *def)
{
    bool dhcp = false;

    if (!def->ips || def->ips->len == 0)
        return false;
    for (guint i = 0; i < def->ips->len; i++)
        dhcp = dhcp || ip_has_dhcp(g_ptr_array_index(def->ips, i));
    return dhcp || want_dns(def);
}
