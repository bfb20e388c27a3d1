/* Bridges through netlink (common/host/bridge.h, netlink-link.h) in a
 * network namespace of the test's own, checked through netlink and through
 * what `ip` shows.  Skipped when no namespace can be made (not root). */
#include <unistd.h>

#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/host/bridge.h"
#include "common/host/netlink-link.h"
#include "common/util/error.h"
#include "netns.h"

static void
assert_output_has(const char *command_line, const char *needle)
{
    g_autofree char *out = vk_test_run(command_line);

    g_assert_nonnull(out);
    if (!strstr(out, needle))
        g_error("'%s' shows no '%s':\n%s", command_line, needle, out);
}

/* A link of the test's own, what a host NIC would be: one end of a veth
 * pair (this kernel may lack the dummy driver). */
static void
add_host_link(const char *name)
{
    struct nl_sock *sock = vk_netlink_open();
    g_autofree char *peer = g_strdup_printf("%sp", name);

    g_assert_nonnull(sock);
    g_assert_cmpint(rtnl_link_veth_add(sock, name, peer, getpid()), ==, 0);
    nl_socket_free(sock);
}

/* A main-table route to DST through IFNAME. */
static void
add_route(const char *dst, const char *ifname)
{
    struct nl_sock *sock = vk_netlink_open();
    struct rtnl_route *route = rtnl_route_alloc();
    struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
    struct nl_addr *addr = NULL;

    g_assert_nonnull(sock);
    g_assert_cmpint(nl_addr_parse(dst, AF_UNSPEC, &addr), ==, 0);
    rtnl_route_set_family(route, nl_addr_get_family(addr));
    rtnl_route_set_dst(route, addr);
    rtnl_route_set_table(route, RT_TABLE_MAIN);
    rtnl_route_nh_set_ifindex(nh, vk_netlink_link_index(sock, ifname));
    rtnl_route_add_nexthop(route, nh);
    g_assert_cmpint(rtnl_route_add(sock, route, NLM_F_CREATE), ==, 0);
    nl_addr_put(addr);
    rtnl_route_put(route);
    nl_socket_free(sock);
}

static void
test_create_delete(void)
{
    g_auto(GStrv) names = NULL;

    VK_TEST_NEED_NETNS();
    g_assert_cmpint(vk_link_exists("vkbr0"), ==, 0);
    vk_test_assert_ok(vk_bridge_create("vkbr0", "52:54:00:12:34:56", 1400));
    g_assert_cmpint(vk_link_exists("vkbr0"), ==, 1);
    assert_output_has("ip -d link show vkbr0", "bridge forward_delay");
    assert_output_has("ip -d link show vkbr0", "link/ether 52:54:00:12:34:56");
    assert_output_has("ip -d link show vkbr0", "mtu 1400");

    names = vk_link_list_names();
    g_assert_nonnull(names);
    g_assert_true(g_strv_contains((const char *const *)names, "lo"));
    g_assert_true(g_strv_contains((const char *const *)names, "vkbr0"));

    /* a second bridge of the same name fails and says which */
    g_assert_cmpint(vk_bridge_create("vkbr0", NULL, 0), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "error creating bridge interface vkbr0"));
    g_assert_cmpint(vk_bridge_create("vkbr9", "52:54:00:zz", 0), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_MAC);

    vk_test_assert_ok(vk_link_delete("vkbr0"));
    g_assert_cmpint(vk_link_exists("vkbr0"), ==, 0);
    g_assert_null(vk_test_run("ip link show vkbr0"));
    vk_test_assert_ok(vk_link_delete("vkbr0"));   /* gone already is fine */
}

static void
check_stp(bool stp, unsigned int delay, bool want_stp, unsigned int want_delay)
{
    g_autofree char *stp_text = g_strdup_printf("stp_state %d", want_stp);
    g_autofree char *delay_text = g_strdup_printf("forward_delay %u ", want_delay * 100);
    bool got_stp;
    unsigned int got_delay;

    vk_test_assert_ok(vk_bridge_set_stp("vkbr1", stp, delay));
    vk_test_assert_ok(vk_bridge_get_stp("vkbr1", &got_stp, &got_delay));
    g_assert_cmpint(got_stp, ==, want_stp);
    g_assert_cmpuint(got_delay, ==, want_delay);
    assert_output_has("ip -d link show vkbr1", stp_text);
    assert_output_has("ip -d link show vkbr1", delay_text);
}

static void
test_stp(void)
{
    bool stp;
    unsigned int delay;

    VK_TEST_NEED_NETNS();
    vk_test_assert_ok(vk_bridge_create("vkbr1", NULL, 0));
    check_stp(false, 0, false, 0);
    check_stp(true, 5, true, 5);
    /* libvirt's default, stp on with delay 0: the kernel's STP minimum */
    check_stp(true, 0, true, 2);
    /* off again from on, with a delay STP would not allow */
    check_stp(false, 0, false, 0);
    check_stp(false, 45, false, 45);

    g_assert_cmpint(vk_bridge_set_stp("vkbr-none", true, 0), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "vkbr-none"));
    g_assert_cmpint(vk_bridge_get_stp("lo", &stp, &delay), ==, -1);
    vk_test_assert_ok(vk_link_delete("vkbr1"));
}

static void
test_addresses_up_down(void)
{
    VK_TEST_NEED_NETNS();
    vk_test_assert_ok(vk_bridge_create("vkbr2", "52:54:00:00:00:02", 0));
    vk_test_assert_ok(vk_link_add_address("vkbr2", "192.168.150.1", 24));
    vk_test_assert_ok(vk_link_add_address("vkbr2", "fd00:150::1", 64));
    vk_test_assert_ok(vk_link_set_up("vkbr2", true));
    assert_output_has("ip addr show dev vkbr2", "inet 192.168.150.1/24 brd 192.168.150.255 scope global vkbr2");
    assert_output_has("ip addr show dev vkbr2", "inet6 fd00:150::1/64 scope global");
    assert_output_has("ip link show vkbr2", "<NO-CARRIER,BROADCAST,MULTICAST,UP>");

    vk_test_assert_ok(vk_link_set_up("vkbr2", false));
    assert_output_has("ip link show vkbr2", "<BROADCAST,MULTICAST>");
    assert_output_has("ip addr show dev vkbr2", "inet 192.168.150.1/24");

    g_assert_cmpint(vk_link_add_address("vkbr2", "192.168.150.300", 24), ==, -1);
    g_assert_cmpint(vk_link_add_address("vkbr2", "10.0.0.1", 33), ==, -1);
    g_assert_cmpint(vk_link_add_address("vkbr-none", "10.0.0.1", 8), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "vkbr-none"));
    g_assert_cmpint(vk_link_set_up("vkbr-none", true), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "Cannot set interface flags on 'vkbr-none'"));
    vk_test_assert_ok(vk_link_delete("vkbr2"));
}

static void
assert_in_use(const char *address, unsigned int prefix, const char *ifname)
{
    g_autofree char *expected = g_strdup_printf("internal error: Network is already in use by interface %s",
                                                ifname);

    g_assert_cmpint(vk_bridge_check_subnet_free(address, prefix), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==, expected);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
}

static void
test_subnet_in_use(void)
{
    g_autofree char *user = NULL;

    VK_TEST_NEED_NETNS();
    /* an address on a link that is down (so no route comes with it) */
    add_host_link("vkhost0");
    vk_test_assert_ok(vk_link_add_address("vkhost0", "10.77.0.5", 16));
    assert_in_use("10.77.0.0", 16, "vkhost0");
    assert_in_use("10.77.200.1", 16, "vkhost0");
    vk_test_assert_ok(vk_bridge_check_subnet_free("10.77.1.0", 24));   /* libvirt: same subnet and length */
    vk_test_assert_ok(vk_bridge_check_subnet_free("10.78.0.1", 16));

    /* a route, with no address of that subnet anywhere */
    add_host_link("vkhost1");
    vk_test_assert_ok(vk_link_set_up("vkhost1", true));
    add_route("10.99.0.0/16", "vkhost1");
    add_route("fd00:99::/64", "vkhost1");
    assert_output_has("ip route show", "10.99.0.0/16 dev vkhost1");
    assert_in_use("10.99.0.1", 16, "vkhost1");
    assert_in_use("fd00:99::1", 64, "vkhost1");
    vk_test_assert_ok(vk_bridge_check_subnet_free("10.99.0.1", 24));
    vk_test_assert_ok(vk_bridge_check_subnet_free("192.168.122.1", 24));

    g_assert_cmpint(vk_host_subnet_user("10.99.3.4", 16, &user), ==, 1);
    g_assert_cmpstr(user, ==, "vkhost1");
    g_assert_cmpint(vk_host_subnet_user("nonsense", 16, &user), ==, -1);

    /* the interface gone, the subnet is free again */
    vk_test_assert_ok(vk_link_delete("vkhost0"));
    vk_test_assert_ok(vk_link_delete("vkhost1"));
    vk_test_assert_ok(vk_bridge_check_subnet_free("10.77.0.0", 16));
    vk_test_assert_ok(vk_bridge_check_subnet_free("10.99.0.0", 16));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vk_test_netns_enter();
    g_test_add_func("/host-bridge/create-delete", test_create_delete);
    g_test_add_func("/host-bridge/stp", test_stp);
    g_test_add_func("/host-bridge/addresses-up-down", test_addresses_up_down);
    g_test_add_func("/host-bridge/subnet-in-use", test_subnet_in_use);
    return g_test_run();
}
