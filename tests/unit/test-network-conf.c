/* The network definition (common/conf/network-*.c) against libvirtd 9.0:
 * every tests/data/network/NAME.xml parses and formats to the bytes of
 * NAME.expected.xml (libvirtd's net-dumpxml --inactive after net-define,
 * scripts/regenerate-network-expected.sh; manual-* are written by hand,
 * shape-* carry no uuid, mac or bridge name, which libvirtd makes up, so only
 * the rest is compared), formats the same again when its output is parsed,
 * and validates against network.rng; every invalid-NAME.xml fails with the
 * code, domain and message of invalid-NAME.error.  The same for the
 * <networkport> documents of tests/data/network-port. */
#include <string.h>

#include "common/conf/network-def.h"
#include "common/conf/network-port-def.h"
#include "common/util/error.h"
#include "corpus.h"
#include "xml-corpus.h"

static char *
network_define(const char *xml)
{
    g_autoptr(VkNetworkDef) def = vk_network_def_parse_string(xml);

    return def ? vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE) : NULL;
}

static char *
port_define(const char *xml)
{
    g_autoptr(VkNetworkPortDef) def = vk_network_port_def_parse_string(xml);

    return def ? vk_network_port_def_format(def) : NULL;
}

/* shape-*: what libvirtd invents at define (uuid, bridge MAC, bridge name)
 * blanked. */
static char *
shape(const char *name, const char *xml)
{
    g_autoptr(GRegex) uuid = NULL, mac = NULL, bridge = NULL;
    g_autofree char *a = NULL, *b = NULL;

    if (!g_str_has_prefix(name, "shape-"))
        return g_strdup(xml);
    uuid = g_regex_new("<uuid>[^<]*</uuid>", 0, 0, NULL);
    mac = g_regex_new("  <mac address='[^']*'/>\n", 0, 0, NULL);
    bridge = g_regex_new("<bridge name='[^']*'", 0, 0, NULL);
    a = g_regex_replace_literal(uuid, xml, -1, 0, "<uuid/>", 0, NULL);
    b = g_regex_replace_literal(mac, a, -1, 0, "", 0, NULL);
    return g_regex_replace_literal(bridge, b, -1, 0, "<bridge", 0, NULL);
}

static const VkTestXmlCorpus networks = { "network", "network.rng", network_define, shape };
static const VkTestXmlCorpus ports = { "network-port", "networkport.rng", port_define, NULL };

/* ---- the helpers the network driver uses -------------------------------- */

static VkNetworkDef *
parse_ok(const char *xml)
{
    VkNetworkDef *def = vk_network_def_parse_string(xml);

    if (!def)
        g_error("refused: %s", vk_error_last_message());
    return def;
}

static void
test_ip_prefix(void)
{
    g_autoptr(VkNetworkDef) def = parse_ok(
        "<network><name>p</name><bridge name='b'/>"
        "<ip address='10.0.0.1'/><ip address='172.16.0.1'/><ip address='192.168.0.1'/>"
        "<ip address='192.168.1.1' netmask='255.255.255.128'/>"
        "<ip address='192.168.2.1' prefix='20'/><ip family='ipv6' address='fd00::1'/>"
        "<ip address='192.168.3.1' netmask='255.0.255.0'/></network>");
    int want[] = { 8, 16, 24, 25, 20, 64, -1 };

    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpint(vk_network_ip_prefix(g_ptr_array_index(def->ips, i)), ==, want[i]);
}

static void
test_lookups(void)
{
    g_autoptr(VkNetworkDef) def = parse_ok(
        "<network><name>l</name><forward/><bridge name='b'/>"
        "<ip address='10.0.0.1' prefix='24'/>"
        "<ip family='ipv6' address='fd00::1' prefix='64'/>"
        "<ip address='10.1.0.1' prefix='24'><dhcp><range start='10.1.0.2' end='10.1.0.9'/>"
        "</dhcp></ip></network>");
    g_autoptr(VkNetworkDef) copy = vk_network_def_copy(def);
    g_autofree char *a = vk_network_def_format(def, 0);
    g_autofree char *b = vk_network_def_format(copy, 0);

    g_assert_true(vk_network_def_has_own_bridge(def));
    g_assert_cmpstr(vk_network_def_first_ip(def, false)->address, ==, "10.0.0.1");
    g_assert_cmpstr(vk_network_def_first_ip(def, true)->address, ==, "fd00::1");
    g_assert_cmpstr(vk_network_def_dhcp_ip(def, false)->address, ==, "10.1.0.1");
    g_assert_null(vk_network_def_dhcp_ip(def, true));
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpmem(def->uuid, 16, copy->uuid, 16);
}

static void
test_live_and_defaults(void)
{
    g_autoptr(VkNetworkDef) def = parse_ok("<network><name>d</name>"
                                           "<forward mode='passthrough' dev='eth0'/></network>");
    g_autoptr(VkNetworkDef) other = parse_ok("<network><name>d</name></network>");
    g_autofree char *live = NULL, *inactive = NULL;

    g_assert_false(vk_network_def_has_own_bridge(def));
    /* a uuid is made up for each definition without one */
    g_assert_cmpmem(def->uuid, 0, other->uuid, 0);
    g_assert_true(memcmp(def->uuid, other->uuid, 16) != 0);
    def->connections = 3;
    live = vk_network_def_format(def, 0);
    inactive = vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
    g_assert_true(g_str_has_prefix(live, "<network connections='3'>\n"));
    g_assert_true(g_str_has_prefix(inactive, "<network>\n"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/network/helpers/ip-prefix", test_ip_prefix);
    g_test_add_func("/network/helpers/lookups", test_lookups);
    g_test_add_func("/network/helpers/live-and-defaults", test_live_and_defaults);
    vk_test_xml_corpus_add(&networks);
    vk_test_xml_corpus_add(&ports);
    return g_test_run();
}
