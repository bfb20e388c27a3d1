/* The networks' nftables firewall (see firewall.h). */
#include "drivers/network/firewall/firewall.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#include <nftables/libnftables.h>

#include "common/util/error.h"

struct VkFirewall {
    char *table;
    GMutex lock;            /* an nft_ctx serves one command at a time */
    struct nft_ctx *nft;
};

/* A network's chains: name prefix and base chain specification. */
static const struct {
    const char *prefix;
    const char *spec;
} chains[] = {
    { "forward", "type filter hook forward priority filter; policy accept;" },
    { "input", "type filter hook input priority filter; policy accept;" },
    { "output", "type filter hook output priority filter; policy accept;" },
    { "nat", "type nat hook postrouting priority srcnat; policy accept;" },
};
enum { CHAIN_FORWARD, CHAIN_INPUT, CHAIN_OUTPUT, CHAIN_NAT, N_CHAINS };

/* libvirt's exemptions from masquerading: local multicast and broadcast. */
static const char local_multicast_v4[] = "224.0.0.0/24";
static const char local_multicast_v6[] = "ff02::/16";
static const char local_broadcast[] = "255.255.255.255";

/* Table and bridge names go into nft's commands, chain names unquoted. */
static bool
name_ok(const char *name, size_t max)
{
    if (!name || !*name || strlen(name) > max)
        return false;
    for (const char *c = name; *c; c++) {
        if (!g_ascii_isalnum(*c) && !strchr("_-.", *c))
            return false;
    }
    return true;
}

VkFirewall *
vk_firewall_new(const char *table_name)
{
    VkFirewall *fw;

    table_name = table_name ? table_name : VK_FIREWALL_TABLE;
    if (!name_ok(table_name, 64) || !g_ascii_isalpha(*table_name)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "invalid nftables table name '%s'",
                        table_name);
        return NULL;
    }
    fw = g_new0(VkFirewall, 1);
    fw->table = g_strdup(table_name);
    g_mutex_init(&fw->lock);
    return fw;
}

/* The nftables context, made on first use (FW locked): a daemon without
 * networks to firewall does not carry libnftables' state (about 0.6 MB). */
static struct nft_ctx *
context(VkFirewall *fw)
{
    if (fw->nft)
        return fw->nft;
    fw->nft = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!fw->nft || nft_ctx_buffer_output(fw->nft) < 0 || nft_ctx_buffer_error(fw->nft) < 0) {
        if (fw->nft)
            nft_ctx_free(fw->nft);
        fw->nft = NULL;
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "%s", "cannot set up libnftables");
    }
    return fw->nft;
}

void
vk_firewall_free(VkFirewall *fw)
{
    if (!fw)
        return;
    if (fw->nft)
        nft_ctx_free(fw->nft);
    g_mutex_clear(&fw->lock);
    g_free(fw->table);
    g_free(fw);
}

/* nft's "Error: ..." lines of ERRORS, without the echoed command lines
 * and carets around them. */
static char *
nft_errors(const char *errors)
{
    g_auto(GStrv) lines = g_strsplit(errors ? errors : "", "\n", -1);
    g_autoptr(GString) out = g_string_new(NULL);

    for (char **l = lines; *l; l++) {
        if (!g_str_has_prefix(*l, "Error: "))
            continue;
        if (out->len)
            g_string_append(out, "; ");
        g_string_append(out, *l + strlen("Error: "));
    }
    return out->len ? g_strdup(out->str) : g_strdup("nft failed");
}

/* Run COMMANDS as one transaction; WHAT names it in the error. */
static int
run(VkFirewall *fw, const char *commands, const char *what)
{
    g_autofree char *message = NULL;
    int rc;

    g_mutex_lock(&fw->lock);
    if (!context(fw)) {
        g_mutex_unlock(&fw->lock);
        return -1;
    }
    rc = nft_run_cmd_from_buffer(fw->nft, commands);
    if (rc != 0)
        message = nft_errors(nft_ctx_get_error_buffer(fw->nft));
    else
        nft_ctx_get_error_buffer(fw->nft);   /* drop warnings */
    nft_ctx_get_output_buffer(fw->nft);
    g_mutex_unlock(&fw->lock);
    if (rc != 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "Failed to apply firewall rules %s: %s",
                        what, message);
        return -1;
    }
    return 0;
}

static int
check_bridge(const char *bridge)
{
    if (name_ok(bridge, IFNAMSIZ - 1))
        return 0;
    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                    "bridge name '%s' is not usable in firewall rules", bridge ? bridge : "");
    return -1;
}

/* Append to CMDS what makes BRIDGE's chain I exist and empty. */
static void
empty_chain(GString *cmds, const char *table, const char *bridge, int i)
{
    g_string_append_printf(cmds, "add chain inet %s %s_%s { %s }\n", table, chains[i].prefix, bridge,
                           chains[i].spec);
    g_string_append_printf(cmds, "flush chain inet %s %s_%s\n", table, chains[i].prefix, bridge);
}

/* Append to CMDS what leaves BRIDGE's chain I absent: adding an existing
 * chain is no error, so add-then-delete works whether or not it exists. */
static void
drop_chain(GString *cmds, const char *table, const char *bridge, int i)
{
    empty_chain(cmds, table, bridge, i);
    g_string_append_printf(cmds, "delete chain inet %s %s_%s\n", table, chains[i].prefix, bridge);
}

int
vk_firewall_remove_network(VkFirewall *fw, const char *bridge)
{
    g_autoptr(GString) cmds = g_string_new(NULL);
    g_autofree char *what = NULL;

    if (check_bridge(bridge) < 0)
        return -1;
    g_string_append_printf(cmds, "add table inet %s\n", fw->table);
    for (int i = 0; i < N_CHAINS; i++)
        drop_chain(cmds, fw->table, bridge, i);
    what = g_strdup_printf("of bridge %s", bridge);
    return run(fw, cmds->str, what);
}

int
vk_firewall_reset(VkFirewall *fw)
{
    g_autofree char *cmds = g_strdup_printf("add table inet %s\ndelete table inet %s\n", fw->table,
                                            fw->table);

    return run(fw, cmds, "of the networks");
}

/* ADDRESS as bytes (4 or 16 in *LEN), false when it is no IP address. */
static bool
parse_ip(const char *address, guint8 bytes[16], gsize *len)
{
    if (address && inet_pton(AF_INET, address, bytes) == 1) {
        *len = 4;
        return true;
    }
    *len = 16;
    return address && inet_pton(AF_INET6, address, bytes) == 1;
}

/* The prefix length of IP: prefix=, else the netmask counted, else
 * libvirt's default (classful for IPv4, 64 for IPv6); -1 when invalid.
 * network-def.h promises vk_network_ip_prefix() for this: use that once
 * common/conf implements it. */
static int
ip_prefix(const VkNetworkIpDef *ip)
{
    guint8 bytes[16];
    gsize len;
    int prefix = 0;

    if (ip->prefix)
        return ip->prefix;
    if (!ip->netmask) {
        if (!parse_ip(ip->address, bytes, &len))
            return -1;
        if (len == 16)
            return 64;
        return bytes[0] < 128 ? 8 : bytes[0] < 192 ? 16 : 24;
    }
    if (!parse_ip(ip->netmask, bytes, &len))
        return -1;
    for (gsize bit = 0; bit < len * 8; bit++) {
        if (!(bytes[bit / 8] & (0x80 >> (bit % 8))))
            continue;
        if (prefix < (int)bit)
            return -1;   /* not contiguous */
        prefix++;
    }
    return prefix;
}

/* IP's subnet as nft writes it ("192.168.122.0/24"), or NULL. */
static char *
ip_subnet(const VkNetworkIpDef *ip)
{
    char text[INET6_ADDRSTRLEN];
    int prefix = ip_prefix(ip);
    guint8 bytes[16];
    gsize len;

    if (!parse_ip(ip->address, bytes, &len) || prefix < 0 || prefix > (int)len * 8)
        return NULL;
    for (gsize bit = prefix; bit < len * 8; bit++)
        bytes[bit / 8] &= ~(0x80 >> (bit % 8));
    inet_ntop(len == 4 ? AF_INET : AF_INET6, bytes, text, sizeof(text));
    return g_strdup_printf("%s/%d", text, prefix);
}

/* What the rules of one network are written with. */
typedef struct {
    GString *cmds;          /* the rules */
    bool used[N_CHAINS];    /* which chains got any */
    const char *table;
    const char *bridge;
    const VkNetworkDef *def;
    const char *dev;   /* <forward dev=>: "" when absent */
} RuleWriter;

static void G_GNUC_PRINTF(3, 4)
rule(RuleWriter *w, int chain, const char *fmt, ...)
{
    va_list ap;

    w->used[chain] = true;
    g_string_append_printf(w->cmds, "add rule inet %s %s_%s ", w->table, chains[chain].prefix, w->bridge);
    va_start(ap, fmt);
    g_string_append_vprintf(w->cmds, fmt, ap);
    va_end(ap);
    g_string_append_c(w->cmds, '\n');
}

/* "oifname DEV " / "iifname DEV " when the network forwards through one
 * device only, else "". */
static char *
dev_match(const RuleWriter *w, const char *dir)
{
    return *w->dev ? g_strdup_printf("%s \"%s\" ", dir, w->dev) : g_strdup("");
}

/* Forwarding out of SUBNET on the bridge, and in to it: only replies when
 * RELATED_ONLY (nat), everything otherwise (route). */
static void
forward_rules(RuleWriter *w, const char *fam, const char *subnet, bool related_only)
{
    g_autofree char *out_dev = dev_match(w, "oifname");
    g_autofree char *in_dev = dev_match(w, "iifname");

    rule(w, CHAIN_FORWARD, "iifname \"%s\" %s%s saddr %s accept", w->bridge, out_dev, fam, subnet);
    rule(w, CHAIN_FORWARD, "%soifname \"%s\" %s daddr %s %saccept", in_dev, w->bridge, fam, subnet,
         related_only ? "ct state related,established " : "");
}

/* libvirt's five masquerading rules, in the order they must match. */
static int
masquerade_rules(RuleWriter *w, const char *fam, const char *subnet, bool ipv6)
{
    const VkNetworkForwardDef *fwd = &w->def->forward;
    g_autofree char *out_dev = dev_match(w, "oifname");
    g_autofree char *ports = NULL;
    g_autofree char *snat = NULL;
    unsigned int port_start = fwd->nat_port_start, port_end = fwd->nat_port_end;
    guint8 bytes[16];
    gsize len;

    if (port_start == 0 && port_end == 0) {
        port_start = 1024;
        port_end = 65535;
    }
    if (port_start >= port_end || port_end > 65535) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "Invalid port range '%u-%u'.",
                        port_start, port_end);
        return -1;
    }
    ports = g_strdup_printf(":%u-%u", port_start, port_end);
    /* nft would take a name for a host to look up: only addresses go in */
    if ((fwd->nat_address_start && !parse_ip(fwd->nat_address_start, bytes, &len)) ||
        (fwd->nat_address_end && !parse_ip(fwd->nat_address_end, bytes, &len))) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "Invalid NAT address range '%s-%s'",
                        fwd->nat_address_start ? fwd->nat_address_start : "",
                        fwd->nat_address_end ? fwd->nat_address_end : "");
        return -1;
    }
    /* <nat><address>: SNAT to those, when of this family */
    if (fwd->nat_address_start && (strchr(fwd->nat_address_start, ':') != NULL) == ipv6) {
        snat = g_strdup_printf("%s%s%s", fwd->nat_address_start, fwd->nat_address_end ? "-" : "",
                               fwd->nat_address_end ? fwd->nat_address_end : "");
    }

    rule(w, CHAIN_NAT, "%s%s saddr %s %s daddr %s return", out_dev, fam, subnet, fam,
         ipv6 ? local_multicast_v6 : local_multicast_v4);
    if (!ipv6)
        rule(w, CHAIN_NAT, "%s%s saddr %s %s daddr %s return", out_dev, fam, subnet, fam, local_broadcast);
    for (int i = 0; i < 3; i++) {
        const char *proto = i == 0 ? "meta l4proto tcp " : i == 1 ? "meta l4proto udp " : "";
        const char *port_range = i < 2 ? ports : "";

        if (snat)
            rule(w, CHAIN_NAT, "%s%s saddr %s %s daddr != %s %ssnat %s to %s%s", proto, fam, subnet,
                 fam, subnet, out_dev, fam, snat, port_range);
        else
            rule(w, CHAIN_NAT, "%s%s saddr %s %s daddr != %s %smasquerade%s%s", proto, fam, subnet, fam,
                 subnet, out_dev, *port_range ? " to " : "", port_range);
    }
    return 0;
}

/* The rules for one <ip> of a nat or route network. */
static int
ip_rules(RuleWriter *w, const VkNetworkIpDef *ip)
{
    VkNetworkForwardMode mode = w->def->forward.mode;
    g_autofree char *subnet = ip_subnet(ip);
    const char *fam = ip->is_ipv6 ? "ip6" : "ip";
    bool masquerade;

    if (!subnet) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "Invalid prefix or netmask for '%s'",
                        w->bridge);
        return -1;
    }
    if (mode != VK_NETWORK_FORWARD_NAT && mode != VK_NETWORK_FORWARD_ROUTE)
        return 0;
    /* IPv6 has no NAT unless asked for: a nat network routes it */
    masquerade = mode == VK_NETWORK_FORWARD_NAT &&
                 (!ip->is_ipv6 || w->def->forward.nat_ipv6 == VK_TRISTATE_ON);
    forward_rules(w, fam, subnet, masquerade);
    return masquerade ? masquerade_rules(w, fam, subnet, ip->is_ipv6) : 0;
}

/* DNS, DHCP and TFTP between the guests and the host's dnsmasq. */
static void
host_rules(RuleWriter *w, bool has_v6)
{
    bool tftp = false;

    for (guint i = 0; w->def->ips && i < w->def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(w->def->ips, i);

        tftp |= !ip->is_ipv6 && ip->tftp_root;
    }
    rule(w, CHAIN_INPUT, "iifname \"%s\" meta nfproto ipv4 meta l4proto { tcp, udp } th dport { 53, 67 } accept",
         w->bridge);
    rule(w, CHAIN_OUTPUT, "oifname \"%s\" meta nfproto ipv4 meta l4proto { tcp, udp } th dport { 53, 68 } accept",
         w->bridge);
    if (tftp) {
        rule(w, CHAIN_INPUT, "iifname \"%s\" meta nfproto ipv4 udp dport 69 accept", w->bridge);
        rule(w, CHAIN_OUTPUT, "oifname \"%s\" meta nfproto ipv4 udp dport 69 accept", w->bridge);
    }
    if (has_v6) {
        rule(w, CHAIN_INPUT, "iifname \"%s\" meta nfproto ipv6 meta l4proto { tcp, udp } th dport 53 accept",
             w->bridge);
        rule(w, CHAIN_INPUT, "iifname \"%s\" meta nfproto ipv6 udp dport 547 accept", w->bridge);
        rule(w, CHAIN_OUTPUT, "oifname \"%s\" meta nfproto ipv6 meta l4proto { tcp, udp } th dport 53 accept",
             w->bridge);
        rule(w, CHAIN_OUTPUT, "oifname \"%s\" meta nfproto ipv6 udp dport 546 accept", w->bridge);
    }
}

/* Every rule of W's network. */
static int
network_rules(RuleWriter *w)
{
    const VkNetworkDef *def = w->def;
    bool has_v6 = def->ipv6_enabled == VK_TRISTATE_ON;

    for (guint i = 0; def->ips && i < def->ips->len; i++)
        has_v6 |= ((const VkNetworkIpDef *)g_ptr_array_index(def->ips, i))->is_ipv6;
    /* guests of the network with each other */
    rule(w, CHAIN_FORWARD, "iifname \"%s\" oifname \"%s\" accept", w->bridge, w->bridge);
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        if (ip_rules(w, g_ptr_array_index(def->ips, i)) < 0)
            return -1;
    }
    /* everything else from and to the bridge */
    for (int v6 = 0; v6 <= has_v6; v6++) {
        const char *proto = v6 ? "ipv6" : "ipv4";

        rule(w, CHAIN_FORWARD, "meta nfproto %s iifname \"%s\" reject", proto, w->bridge);
        rule(w, CHAIN_FORWARD, "meta nfproto %s oifname \"%s\" reject", proto, w->bridge);
    }
    host_rules(w, has_v6);
    return 0;
}

char *
vk_firewall_network_commands(VkFirewall *fw, const VkNetworkDef *def)
{
    g_autoptr(GString) rules = g_string_new(NULL);
    RuleWriter w = { rules, { false }, fw->table, def->bridge, def, def->forward.dev ? def->forward.dev : "" };
    GString *cmds;

    if (check_bridge(def->bridge) < 0)
        return NULL;
    if (def->forward.dev && !name_ok(def->forward.dev, IFNAMSIZ - 1)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "forward device name '%s' is not usable in firewall rules", def->forward.dev);
        return NULL;
    }
    if (def->forward.mode != VK_NETWORK_FORWARD_OPEN && network_rules(&w) < 0)
        return NULL;
    /* the chains the rules go in emptied, the others gone, then the rules */
    cmds = g_string_new(NULL);
    g_string_append_printf(cmds, "add table inet %s\n", fw->table);
    for (int i = 0; i < N_CHAINS; i++) {
        if (w.used[i])
            empty_chain(cmds, fw->table, def->bridge, i);
        else
            drop_chain(cmds, fw->table, def->bridge, i);
    }
    g_string_append(cmds, rules->str);
    return g_string_free(cmds, FALSE);
}

int
vk_firewall_add_network(VkFirewall *fw, const VkNetworkDef *def)
{
    g_autofree char *cmds = vk_firewall_network_commands(fw, def);
    g_autofree char *what = NULL;

    if (!cmds)
        return -1;
    what = g_strdup_printf("of network '%s'", def->name ? def->name : def->bridge);
    return run(fw, cmds, what);
}
