/* The networks' nftables rules (drivers/network/firewall) in a network
 * namespace of the test's own, checked with `nft list`.  Skipped when no
 * namespace can be made (not root).  The definitions are built by hand: the
 * network XML parser is elsewhere. */
#include <string.h>

#include "common/host/bridge.h"
#include "common/util/error.h"
#include "drivers/network/firewall/firewall.h"
#include "netns.h"

static void
ip_free(gpointer p)
{
    VkNetworkIpDef *ip = p;

    g_free(ip->address);
    g_free(ip->netmask);
    g_free(ip->tftp_root);
    g_free(ip);
}

/* Only what these tests fill. */
static void
def_free(VkNetworkDef *def)
{
    g_free(def->name);
    g_free(def->bridge);
    g_free(def->forward.dev);
    g_free(def->forward.nat_address_start);
    g_free(def->forward.nat_address_end);
    g_ptr_array_unref(def->ips);
    g_free(def);
}
typedef VkNetworkDef TestDef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestDef, def_free)

static VkNetworkDef *
new_def(const char *name, const char *bridge, VkNetworkForwardMode mode)
{
    VkNetworkDef *def = g_new0(VkNetworkDef, 1);

    def->name = g_strdup(name);
    def->bridge = g_strdup(bridge);
    def->forward.mode = mode;
    def->forward.has_forward = mode != VK_NETWORK_FORWARD_NONE;
    def->ips = g_ptr_array_new_with_free_func(ip_free);
    return def;
}

/* An <ip address= prefix=> (NETMASK instead when given). */
static VkNetworkIpDef *
add_ip(VkNetworkDef *def, const char *address, unsigned int prefix, const char *netmask)
{
    VkNetworkIpDef *ip = g_new0(VkNetworkIpDef, 1);

    ip->address = g_strdup(address);
    ip->is_ipv6 = strchr(address, ':') != NULL;
    ip->prefix = prefix;
    ip->netmask = g_strdup(netmask);
    g_ptr_array_add(def->ips, ip);
    return ip;
}

/* What nft lists of our table ("" when there is none). */
static char *
list_table(void)
{
    char *out = vk_test_run("nft list table inet libvirt_network");

    return out ? out : g_strdup("");
}

static char *
list_chain(const char *chain)
{
    g_autofree char *cmd = g_strdup_printf("nft list chain inet libvirt_network %s", chain);

    return vk_test_run(cmd);
}

/* CHAIN exists and has every one of the rules in WANT, in this order. */
static void
assert_rules(const char *chain, const char *const *want)
{
    g_autofree char *out = list_chain(chain);
    const char *at;

    if (!out)
        g_error("no chain %s", chain);
    at = out;
    for (; *want; want++) {
        const char *found = strstr(at, *want);

        if (!found)
            g_error("chain %s has no '%s' (after what came before):\n%s", chain, *want, out);
        at = found + strlen(*want);
    }
}

static void
assert_no_chain(const char *chain)
{
    g_autofree char *out = list_chain(chain);

    if (out)
        g_error("chain %s is there:\n%s", chain, out);
}

static void
assert_not_in_table(const char *needle)
{
    g_autofree char *out = list_table();

    if (strstr(out, needle))
        g_error("the table still has '%s':\n%s", needle, out);
}

static void
test_nat(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) def = new_def("default", "vkbr0", VK_NETWORK_FORWARD_NAT);
    const char *forward[] = {
        "type filter hook forward priority filter; policy accept;",
        "iifname \"vkbr0\" oifname \"vkbr0\" accept",
        "iifname \"vkbr0\" ip saddr 192.168.122.0/24 accept",
        "oifname \"vkbr0\" ip daddr 192.168.122.0/24 ct state established,related accept",
        /* IPv6 is routed, not masqueraded */
        "iifname \"vkbr0\" ip6 saddr fd00:122::/64 accept",
        "oifname \"vkbr0\" ip6 daddr fd00:122::/64 accept",
        "iifname \"vkbr0\" reject with icmp port-unreachable",
        "oifname \"vkbr0\" reject with icmp port-unreachable",
        "iifname \"vkbr0\" reject with icmpv6 port-unreachable",
        "oifname \"vkbr0\" reject with icmpv6 port-unreachable",
        NULL
    };
    const char *nat[] = {
        "type nat hook postrouting priority srcnat; policy accept;",
        "ip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24 return",
        "ip saddr 192.168.122.0/24 ip daddr 255.255.255.255 return",
        "meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade to :1024-65535",
        "meta l4proto udp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade to :1024-65535",
        "ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade\n",
        NULL
    };
    const char *input[] = {
        "type filter hook input priority filter; policy accept;",
        "iifname \"vkbr0\" meta nfproto ipv4 meta l4proto { tcp, udp } th dport { 53, 67 } accept",
        "iifname \"vkbr0\" meta nfproto ipv6 meta l4proto { tcp, udp } th dport 53 accept",
        "iifname \"vkbr0\" meta nfproto ipv6 udp dport 547 accept",
        NULL
    };
    const char *output[] = {
        "type filter hook output priority filter; policy accept;",
        "oifname \"vkbr0\" meta nfproto ipv4 meta l4proto { tcp, udp } th dport { 53, 68 } accept",
        "oifname \"vkbr0\" meta nfproto ipv6 udp dport 546 accept",
        NULL
    };
    g_autofree char *nat_chain = NULL;

    VK_TEST_NEED_NETNS();
    g_assert_nonnull(fw);
    add_ip(def, "192.168.122.1", 0, "255.255.255.0");
    add_ip(def, "fd00:122::1", 64, NULL);
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_rules("forward_vkbr0", forward);
    assert_rules("nat_vkbr0", nat);
    assert_rules("input_vkbr0", input);
    assert_rules("output_vkbr0", output);
    nat_chain = list_chain("nat_vkbr0");
    g_assert_null(strstr(nat_chain, "ip6"));
    g_assert_null(strstr(nat_chain, "tftp"));

    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbr0"));
    assert_not_in_table("vkbr0");
}

static void
test_nat_options(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) def = new_def("natopts", "vkbr6", VK_NETWORK_FORWARD_NAT);
    const char *nat[] = {
        "oifname \"eth9\" ip saddr 10.6.0.0/16 ip daddr 224.0.0.0/24 return",
        "meta l4proto tcp ip saddr 10.6.0.0/16 ip daddr != 10.6.0.0/16 oifname \"eth9\" "
            "snat ip to 203.0.113.10-203.0.113.20:2000-3000",
        "ip saddr 10.6.0.0/16 ip daddr != 10.6.0.0/16 oifname \"eth9\" snat ip to 203.0.113.10-203.0.113.20\n",
        "oifname \"eth9\" ip6 saddr fd00:6::/64 ip6 daddr ff02::/16 return",
        "ip6 saddr fd00:6::/64 ip6 daddr != fd00:6::/64 oifname \"eth9\" masquerade\n",
        NULL
    };
    const char *forward[] = {
        "iifname \"vkbr6\" oifname \"eth9\" ip saddr 10.6.0.0/16 accept",
        "iifname \"eth9\" oifname \"vkbr6\" ip daddr 10.6.0.0/16 ct state established,related accept",
        NULL
    };
    const char *input[] = { "iifname \"vkbr6\" meta nfproto ipv4 udp dport 69 accept", NULL };
    VkNetworkIpDef *ip;

    VK_TEST_NEED_NETNS();
    def->forward.dev = g_strdup("eth9");
    def->forward.nat_port_start = 2000;
    def->forward.nat_port_end = 3000;
    def->forward.nat_address_start = g_strdup("203.0.113.10");
    def->forward.nat_address_end = g_strdup("203.0.113.20");
    def->forward.nat_ipv6 = VK_TRISTATE_ON;
    ip = add_ip(def, "10.6.0.1", 16, NULL);
    ip->tftp_root = g_strdup("/srv/tftp");
    add_ip(def, "fd00:6::1", 0, NULL);       /* IPv6 default: /64 */
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_rules("nat_vkbr6", nat);
    assert_rules("forward_vkbr6", forward);
    assert_rules("input_vkbr6", input);

    /* a port range libvirt refuses changes nothing */
    def->forward.nat_port_start = 3000;
    def->forward.nat_port_end = 2000;
    g_assert_cmpint(vk_firewall_add_network(fw, def), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, "internal error: Invalid port range '3000-2000'.");
    assert_rules("nat_vkbr6", nat);

    /* no host names for nft to look up */
    def->forward.nat_port_start = 0;
    def->forward.nat_port_end = 0;
    g_free(def->forward.nat_address_start);
    def->forward.nat_address_start = g_strdup("203.0.113.300");
    g_assert_cmpint(vk_firewall_add_network(fw, def), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: Invalid NAT address range '203.0.113.300-203.0.113.20'");
    assert_rules("nat_vkbr6", nat);

    /* what nft refuses comes back with nft's own words, nothing changed */
    g_free(def->forward.nat_address_start);
    def->forward.nat_address_start = g_strdup("203.0.113.10");
    def->bridge[4] = '9';   /* vkbr9, whose forward chain is in the way */
    g_free(vk_test_run("nft add chain inet libvirt_network forward_vkbr9 "
                       "{ type filter hook input priority 0; }"));
    g_assert_cmpint(vk_firewall_add_network(fw, def), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: Failed to apply firewall rules of network 'natopts': "
                    "Could not process rule: Operation not supported");
    assert_no_chain("nat_vkbr9");
    assert_rules("nat_vkbr6", nat);
    g_assert_cmpint(vk_firewall_remove_network(fw, "vkbr9"), ==, -1);   /* still in the way */
    g_free(vk_test_run("nft delete chain inet libvirt_network forward_vkbr9"));
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbr9"));
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbr6"));
}

static void
test_route(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) def = new_def("routed", "vkbr1", VK_NETWORK_FORWARD_ROUTE);
    const char *forward[] = {
        "iifname \"vkbr1\" oifname \"vkbr1\" accept",
        "iifname \"vkbr1\" ip saddr 10.1.0.0/16 accept",
        "oifname \"vkbr1\" ip daddr 10.1.0.0/16 accept",
        "iifname \"vkbr1\" reject with icmp port-unreachable",
        "oifname \"vkbr1\" reject with icmp port-unreachable",
        NULL
    };
    g_autofree char *out = NULL;

    VK_TEST_NEED_NETNS();
    add_ip(def, "10.1.2.3", 16, NULL);
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_rules("forward_vkbr1", forward);
    assert_no_chain("nat_vkbr1");
    out = list_chain("forward_vkbr1");
    g_assert_null(strstr(out, "ct state"));
    g_assert_null(strstr(out, "ipv6"));   /* no IPv6 in this network */
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbr1"));
    assert_not_in_table("vkbr1");
}

static void
test_isolated(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) def = new_def("isolated", "vkbr2", VK_NETWORK_FORWARD_NONE);
    const char *forward[] = {
        "iifname \"vkbr2\" oifname \"vkbr2\" accept",
        "iifname \"vkbr2\" reject with icmp port-unreachable",
        "oifname \"vkbr2\" reject with icmp port-unreachable",
        NULL
    };
    const char *input[] = {
        "iifname \"vkbr2\" meta nfproto ipv4 meta l4proto { tcp, udp } th dport { 53, 67 } accept", NULL
    };
    g_autofree char *out = NULL;

    VK_TEST_NEED_NETNS();
    add_ip(def, "192.168.100.1", 24, NULL);
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_rules("forward_vkbr2", forward);
    assert_rules("input_vkbr2", input);
    assert_no_chain("nat_vkbr2");
    out = list_chain("forward_vkbr2");
    g_assert_null(strstr(out, "192.168.100"));   /* nothing forwarded for the subnet */
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbr2"));
    assert_not_in_table("vkbr2");
}

static void
test_open(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) def = new_def("open", "vkbr3", VK_NETWORK_FORWARD_OPEN);

    VK_TEST_NEED_NETNS();
    add_ip(def, "192.168.103.1", 24, NULL);
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_not_in_table("vkbr3");

    /* a network turned open loses the rules it had */
    def->forward.mode = VK_NETWORK_FORWARD_NAT;
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    g_free(list_chain("nat_vkbr3"));
    def->forward.mode = VK_NETWORK_FORWARD_OPEN;
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    assert_not_in_table("vkbr3");
}

static void
test_independent_idempotent(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new(NULL);
    g_autoptr(TestDef) a = new_def("a", "vkbra", VK_NETWORK_FORWARD_NAT);
    g_autoptr(TestDef) b = new_def("b", "vkbrb", VK_NETWORK_FORWARD_ROUTE);
    g_autofree char *both = NULL, *again = NULL, *b_alone = NULL, *b_after = NULL;
    g_autofree char *table = NULL;

    VK_TEST_NEED_NETNS();
    add_ip(a, "192.168.10.1", 24, NULL);
    add_ip(b, "192.168.20.1", 24, NULL);
    vk_test_assert_ok(vk_firewall_add_network(fw, a));
    vk_test_assert_ok(vk_firewall_add_network(fw, b));
    both = list_table();
    b_alone = list_chain("forward_vkbrb");

    /* adding again (a restarted daemon) changes nothing, duplicates nothing */
    vk_test_assert_ok(vk_firewall_add_network(fw, a));
    vk_test_assert_ok(vk_firewall_add_network(fw, b));
    again = list_table();
    g_assert_cmpstr(both, ==, again);

    /* a changes mode: its nat chain goes, b stays as it was */
    a->forward.mode = VK_NETWORK_FORWARD_NONE;
    vk_test_assert_ok(vk_firewall_add_network(fw, a));
    assert_no_chain("nat_vkbra");
    b_after = list_chain("forward_vkbrb");
    g_assert_cmpstr(b_alone, ==, b_after);

    /* removing a leaves b alone; removing what is gone is fine */
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbra"));
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbra"));
    vk_test_assert_ok(vk_firewall_remove_network(fw, "vkbrnever"));
    assert_not_in_table("vkbra");
    g_free(b_after);
    b_after = list_chain("forward_vkbrb");
    g_assert_cmpstr(b_alone, ==, b_after);

    /* reset takes the whole table away, and then starting over works */
    vk_test_assert_ok(vk_firewall_reset(fw));
    table = vk_test_run("nft list tables");
    g_assert_nonnull(table);
    g_assert_null(strstr(table, "libvirt_network"));
    vk_test_assert_ok(vk_firewall_reset(fw));
    vk_test_assert_ok(vk_firewall_add_network(fw, b));
    g_free(b_after);
    b_after = list_chain("forward_vkbrb");
    g_assert_cmpstr(b_alone, ==, b_after);
    vk_test_assert_ok(vk_firewall_reset(fw));
}

static void
test_bad_names(void)
{
    g_autoptr(VkFirewall) fw = vk_firewall_new("my_table");
    g_autoptr(TestDef) def = new_def("bad", "br0;flush", VK_NETWORK_FORWARD_NAT);
    g_autofree char *tables = NULL;

    VK_TEST_NEED_NETNS();
    g_assert_cmpint(vk_firewall_add_network(fw, def), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "br0;flush"));
    g_assert_cmpint(vk_firewall_remove_network(fw, "a\"b"), ==, -1);
    g_assert_cmpint(vk_firewall_remove_network(fw, NULL), ==, -1);
    /* a table of another name */
    g_free(def->bridge);
    def->bridge = g_strdup("vkbr7");
    vk_test_assert_ok(vk_firewall_add_network(fw, def));
    tables = vk_test_run("nft list tables");
    g_assert_nonnull(strstr(tables, "table inet my_table"));
    vk_test_assert_ok(vk_firewall_reset(fw));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vk_test_netns_enter();
    g_test_add_func("/network-firewall/nat", test_nat);
    g_test_add_func("/network-firewall/nat-options", test_nat_options);
    g_test_add_func("/network-firewall/route", test_route);
    g_test_add_func("/network-firewall/isolated", test_isolated);
    g_test_add_func("/network-firewall/open", test_open);
    g_test_add_func("/network-firewall/independent-idempotent", test_independent_idempotent);
    g_test_add_func("/network-firewall/bad-names", test_bad_names);
    return g_test_run();
}
