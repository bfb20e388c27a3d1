/* dnsmasq's conf, hostsfile and addnhosts texts against libvirt's own
 * expected files (tests/data/dnsmasq, see its README), for network
 * definitions built from libvirt's networkxml2confdata/NAME.xml by hand. */
#include "drivers/network/dnsmasq/dnsmasq-conf.h"
#include "common/util/error.h"
#include "network-builder.h"

#include <string.h>

#define STATE_DIR "/var/lib/libvirt/dnsmasq"

static const char *const two_hosts[][3] = {
    { "00:16:3e:77:e2:ed", "a.example.com", "192.168.122.10" },
    { "00:16:3e:3e:a9:1a", "b.example.com", "192.168.122.11" },
};

/* The <ip>s of nat-network.xml after the first one. */
static void
nat_extra_ips(NetBuilder *nb)
{
    nb_ip(nb, "192.168.123.1", "255.255.255.0", 0);
    nb_ip(nb, "2001:db8:ac10:fe01::1", NULL, 64);
    nb_ip(nb, "2001:db8:ac10:fd01::1", NULL, 64);
    nb_ip(nb, "10.24.10.1", NULL, 0);
}

/* nat-network.xml's first <ip>: range .2-.254 and the two hosts */
static VkNetworkIpDef *
nat_dhcp_ip(NetBuilder *nb)
{
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);

    nb_range(nb, ip, "192.168.122.2", "192.168.122.254");
    for (guint i = 0; i < G_N_ELEMENTS(two_hosts); i++)
        nb_host(nb, ip, two_hosts[i][0], NULL, two_hosts[i][1], two_hosts[i][2]);
    return ip;
}

static NetBuilder *
build_nat_network(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nat_dhcp_ip(nb);
    nat_extra_ips(nb);
    return nb;
}

static NetBuilder *
build_nat_network_mtu(void)
{
    NetBuilder *nb = build_nat_network();

    nb_def(nb)->mtu = 7000;
    return nb;
}

static NetBuilder *
build_isolated_network(void)
{
    NetBuilder *nb = nb_new("private", "virbr2", VK_NETWORK_FORWARD_NONE);
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.152.1", "255.255.255.0", 0);

    nb_range(nb, ip, "192.168.152.2", "192.168.152.254");
    return nb;
}

static void
dhcp6_hosts(NetBuilder *nb, VkNetworkIpDef *ip)
{
    nb_range(nb, ip, "2001:db8:ac10:fd01::1:10", "2001:db8:ac10:fd01::1:ff");
    nb_host(nb, ip, NULL, "0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63", NULL,
            "2001:db8:ac10:fd01::1:20");
    nb_host(nb, ip, NULL, NULL, "paul", "2001:db8:ac10:fd01::1:21");
    nb_host(nb, ip, NULL, "0:3:0:1:0:16:3e:11:22:33", "peter.xyz", "2001:db8:ac10:fd01::1:22");
    nb_host(nb, ip, NULL, "0:3:0:1:0:16:3e:44:55:33", NULL, "2001:db8:ac10:fd01::1:23");
    nb_host(nb, ip, NULL, "0:1:0:1:18:aa:62:fe:0:16:3e:44:55:66", "badbob",
            "2001:db8:ac10:fd01::1:24");
}

static NetBuilder *
build_dhcp6_nat_network(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nat_dhcp_ip(nb);
    nb_ip(nb, "192.168.123.1", "255.255.255.0", 0);
    dhcp6_hosts(nb, nb_ip(nb, "2001:db8:ac10:fd01::1", NULL, 64));
    nb_ip(nb, "10.24.10.1", NULL, 0);
    return nb;
}

static NetBuilder *
build_dhcp6_network(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nb_def(nb)->domain = nb_str(nb, "mynet");
    dhcp6_hosts(nb, nb_ip(nb, "2001:db8:ac10:fd01::1", NULL, 64));
    return nb;
}

static NetBuilder *
build_dhcp6host_routed_network(void)
{
    NetBuilder *nb = nb_new("local", "virbr1", VK_NETWORK_FORWARD_ROUTE);
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    VkNetworkIpDef *ip6 = nb_ip(nb, "2001:db8:ac10:fd01::1", NULL, 64);

    for (guint i = 0; i < G_N_ELEMENTS(two_hosts); i++)
        nb_host(nb, ip, two_hosts[i][0], NULL, two_hosts[i][1], two_hosts[i][2]);
    nb_host(nb, ip6, NULL, NULL, "ralph", "2001:db8:ac10:fd01::1:20");
    nb_host(nb, ip6, NULL, NULL, "paul", "2001:db8:ac10:fd01::1:21");
    return nb;
}

/* leasetime-*.xml: <lease> on the range (RANGE_*) and on the two hosts */
static NetBuilder *
build_leasetime(unsigned long long range_expiry, unsigned long long host_expiry,
                const char *unit)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    VkNetworkDhcpRange *range = nb_range(nb, ip, "192.168.122.2", "192.168.122.254");

    range->lease_expiry = range_expiry;
    range->lease_unit = nb_str(nb, unit);
    for (guint i = 0; i < G_N_ELEMENTS(two_hosts); i++) {
        VkNetworkDhcpHost *host =
            nb_host(nb, ip, two_hosts[i][0], NULL, two_hosts[i][1], two_hosts[i][2]);
        host->lease_expiry = host_expiry ? host_expiry + 100 * i : 0;
        host->lease_unit = nb_str(nb, unit);
    }
    return nb;
}

static NetBuilder *
build_leasetime_seconds(void)
{
    return build_leasetime(200, 300, "seconds");
}

/* <lease expiry='0'/>: the parser gives libvirt's default unit */
static NetBuilder *
build_leasetime_infinite(void)
{
    return build_leasetime(0, 0, "minutes");
}

static NetBuilder *
build_ptr_domains_auto(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);
    VkNetworkDef *def = nb_def(nb);

    nat_dhcp_ip(nb)->local_ptr = nb_str(nb, "yes");
    nat_extra_ips(nb);
    ((VkNetworkIpDef *) g_ptr_array_index(def->ips, 1))->local_ptr = nb_str(nb, "no");
    ((VkNetworkIpDef *) g_ptr_array_index(def->ips, 2))->local_ptr = nb_str(nb, "yes");
    return nb;
}

static NetBuilder *
build_dns_forwarders(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nb_forwarder(nb, NULL, "8.8.8.8");
    nb_forwarder(nb, NULL, "8.8.4.4");
    nb_forwarder(nb, "example.com", "192.168.1.1");
    nb_forwarder(nb, "www.example.com", NULL);
    nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    return nb;
}

static NetBuilder *
build_dns_forwarder_no_resolv(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nb_forwarder(nb, "example.com", "192.168.1.1");
    nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    return nb;
}

static NetBuilder *
build_dns_hosts(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);
    static const char *const names[] = { "host", "gateway", NULL };

    nb_def(nb)->domain = nb_str(nb, "example.com");
    nb_def(nb)->dns.forward_plain_names = VK_TRISTATE_OFF;
    nb_dns_host(nb, "192.168.122.1", names);
    nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    return nb;
}

static NetBuilder *
build_dns_srv_record(void)
{
    NetBuilder *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);

    nb_srv(nb, "name", "tcp", "test-domain-name.com", "test.example.com", 1111, 11, 111);
    nb_srv(nb, "name2", "udp", NULL, "test2.example.com", 2222, 22, 222);
    nb_srv(nb, "name3", "tcp", "test3.com", "test3.example.com", 3333, 33, 0);
    nb_srv(nb, "name4", "tcp", "test4.com", "test4.example.com", 4444, 0, 0);
    nb_srv(nb, "name5", "udp", NULL, "test5.example.com", 0, 55, 555);
    nb_srv(nb, "name6", "tcp", "test6.com", "test6.example.com", 6666, 0, 666);
    nb_srv(nb, "name7", "tcp", "test7.com", "test7.example.com", 0, 0, 777);
    nat_dhcp_ip(nb);
    nat_extra_ips(nb);
    return nb;
}

static NetBuilder *
build_netboot(const char *tftp_root, const char *server)
{
    NetBuilder *nb = nb_new("netboot", "virbr1", VK_NETWORK_FORWARD_NAT);
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);

    nb_def(nb)->domain = nb_str(nb, "example.com");
    nb_range(nb, ip, "192.168.122.2", "192.168.122.254");
    ip->bootp_file = nb_str(nb, "pxeboot.img");
    ip->bootp_server = nb_str(nb, server);
    ip->tftp_root = nb_str(nb, tftp_root);
    return nb;
}

static NetBuilder *
build_netboot_network(void)
{
    return build_netboot("/var/lib/tftproot", NULL);
}

static NetBuilder *
build_netboot_proxy_network(void)
{
    return build_netboot(NULL, "10.20.30.40");
}

static NetBuilder *
build_routed_network(void)
{
    NetBuilder *nb = nb_new("local", "virbr1", VK_NETWORK_FORWARD_ROUTE);

    nb_def(nb)->dns.forward_plain_names = VK_TRISTATE_OFF;
    nb_ip(nb, "192.168.122.1", "255.255.255.0", 0);
    return nb;
}

typedef struct {
    const char *name;
    NetBuilder *(*build)(void);
} OracleCase;

static const OracleCase cases[] = {
    { "nat-network", build_nat_network },
    { "nat-network-mtu", build_nat_network_mtu },
    { "isolated-network", build_isolated_network },
    { "dhcp6-nat-network", build_dhcp6_nat_network },
    { "dhcp6-network", build_dhcp6_network },
    { "dhcp6host-routed-network", build_dhcp6host_routed_network },
    { "leasetime-seconds", build_leasetime_seconds },
    { "leasetime-infinite", build_leasetime_infinite },
    { "ptr-domains-auto", build_ptr_domains_auto },
    { "nat-network-dns-forwarders", build_dns_forwarders },
    { "nat-network-dns-forwarder-no-resolv", build_dns_forwarder_no_resolv },
    { "nat-network-dns-hosts", build_dns_hosts },
    { "nat-network-dns-srv-record", build_dns_srv_record },
    { "netboot-network", build_netboot_network },
    { "netboot-proxy-network", build_netboot_proxy_network },
    { "routed-network", build_routed_network },
};

/* The expected NAME.SUFFIX, or NULL when there is none. */
static char *
oracle(const char *name, const char *suffix)
{
    const char *dir = g_getenv("VIRTKIT_TEST_DATA");
    g_autofree char *path = NULL;
    char *text = NULL;

    g_assert_nonnull(dir);
    path = g_strdup_printf("%s/dnsmasq/%s.%s", dir, name, suffix);
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

static void
test_oracle(gconstpointer data)
{
    const OracleCase *c = data;
    NetBuilder *nb = c->build();
    g_autoptr(VkDnsmasqConfig) config = vk_dnsmasq_config_new(nb_def(nb), STATE_DIR, NULL);
    g_autofree char *conf = oracle(c->name, "conf");
    g_autofree char *hosts = oracle(c->name, "hostsfile");
    g_autofree char *addn = oracle(c->name, "addnhosts");

    g_assert_nonnull(config);
    g_assert_nonnull(conf);
    g_assert_cmpstr(config->conf, ==, conf);
    if (hosts)
        g_assert_cmpstr(config->hostsfile, ==, hosts);
    if (addn)
        g_assert_cmpstr(config->addnhosts, ==, addn);
    nb_free(nb);
}

/* Not in libvirt's oracles: pid-file, txt records, DNS off, the refusals. */
static void
test_pidfile_txt_no_dns(void)
{
    NetBuilder *nb = build_isolated_network();
    VkNetworkDef *def = nb_def(nb);
    VkNetworkDnsTxt txt = { .name = (char *) "example", .value = (char *) "example value" };
    g_autoptr(GPtrArray) txts = g_ptr_array_new();
    g_autoptr(VkDnsmasqConfig) with_dns = NULL;
    g_autoptr(VkDnsmasqConfig) no_dns = NULL;

    g_ptr_array_add(txts, &txt);
    def->dns.txts = txts;
    with_dns = vk_dnsmasq_config_new(def, "/r/dnsmasq", "/r/run/private.pid");
    g_assert_nonnull(strstr(with_dns->conf, "strict-order\npid-file=/r/run/private.pid\n"
                                            "except-interface=lo\n"));
    g_assert_nonnull(strstr(with_dns->conf, "ra-param=*,0,0\ntxt-record=example,example value\n"));
    g_assert_nonnull(strstr(with_dns->conf, "addn-hosts=/r/dnsmasq/private.addnhosts\n"));

    def->dns.enable = VK_TRISTATE_OFF;
    no_dns = vk_dnsmasq_config_new(def, "/r/dnsmasq", NULL);
    g_assert_nonnull(strstr(no_dns->conf, "strict-order\nport=0\n"));
    g_assert_null(strstr(no_dns->conf, "txt-record"));
    g_assert_null(strstr(no_dns->conf, "addn-hosts"));
    g_assert_true(vk_dnsmasq_needed(def));
    def->dns.txts = NULL;
    nb_free(nb);
}

static void
test_refusals(void)
{
    NetBuilder *nb = build_isolated_network();
    VkNetworkIpDef *second = nb_ip(nb, "192.168.153.1", NULL, 24);
    VkNetworkIpDef *odd;

    nb_range(nb, second, "192.168.153.2", "192.168.153.9");
    g_assert_null(vk_dnsmasq_config_new(nb_def(nb), STATE_DIR, NULL));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(vk_error_last_message(), "multiple DHCP definitions"));
    nb_free(nb);

    nb = build_isolated_network();
    odd = nb_ip(nb, "10.1.0.1", NULL, 20);
    odd->local_ptr = nb_str(nb, "yes");
    g_assert_null(vk_dnsmasq_config_new(nb_def(nb), STATE_DIR, NULL));
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "unsupported configuration: PTR domain for IPv4 network with prefix 20 "
                    "cannot be automatically created");
    nb_free(nb);
}

static void
test_needed_and_prefix(void)
{
    NetBuilder *nb = nb_new("n", "virbr9", VK_NETWORK_FORWARD_NAT);
    VkNetworkIpDef *ip;

    g_assert_false(vk_dnsmasq_needed(nb_def(nb)));     /* no address at all */
    ip = nb_ip(nb, "172.16.0.1", NULL, 0);
    g_assert_true(vk_dnsmasq_needed(nb_def(nb)));      /* DNS */
    nb_def(nb)->dns.enable = VK_TRISTATE_OFF;
    g_assert_false(vk_dnsmasq_needed(nb_def(nb)));
    g_assert_cmpint(vk_dnsmasq_ip_prefix(ip), ==, 16);
    ip->netmask = nb_str(nb, "255.255.252.0");
    g_assert_cmpint(vk_dnsmasq_ip_prefix(ip), ==, 22);
    ip->netmask = nb_str(nb, "255.0.255.0");
    g_assert_cmpint(vk_dnsmasq_ip_prefix(ip), ==, -1);
    nb_free(nb);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/dnsmasq-conf/oracle/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_oracle);
    }
    g_test_add_func("/dnsmasq-conf/pidfile-txt-no-dns", test_pidfile_txt_no_dns);
    g_test_add_func("/dnsmasq-conf/refusals", test_refusals);
    g_test_add_func("/dnsmasq-conf/needed-and-prefix", test_needed_and_prefix);
    return g_test_run();
}
