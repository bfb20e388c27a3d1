/* libvirtkit's network and network-port calls without a daemon: the
 * argument checks libvirt makes before anything is sent, with its errors,
 * and the lease record's free. */
#include <glib.h>

#include "virtkit/virtkit.h"

static void
assert_error(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    g_assert_cmpstr(err->message, ==, message);
}

static void
test_invalid_network(void)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    int flag;

    g_assert_null(virNetworkGetName(NULL));
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkGetName");
    g_assert_cmpint(virNetworkGetUUID(NULL, uuid), ==, -1);
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkGetUUID");
    g_assert_cmpint(virNetworkGetUUIDString(NULL, uuidstr), ==, -1);
    g_assert_null(virNetworkGetConnect(NULL));
    g_assert_cmpint(virNetworkRef(NULL), ==, -1);
    g_assert_cmpint(virNetworkFree(NULL), ==, -1);
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkFree");
    g_assert_cmpint(virNetworkCreate(NULL), ==, -1);
    g_assert_cmpint(virNetworkDestroy(NULL), ==, -1);
    g_assert_cmpint(virNetworkUndefine(NULL), ==, -1);
    g_assert_null(virNetworkGetXMLDesc(NULL, 0));
    g_assert_null(virNetworkGetBridgeName(NULL));
    g_assert_cmpint(virNetworkGetAutostart(NULL, &flag), ==, -1);
    g_assert_cmpint(virNetworkSetAutostart(NULL, 1), ==, -1);
    g_assert_cmpint(virNetworkIsActive(NULL), ==, -1);
    g_assert_cmpint(virNetworkIsPersistent(NULL), ==, -1);
    g_assert_cmpint(virNetworkUpdate(NULL, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                     VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, "<host/>", 0), ==, -1);
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkUpdate");
    g_assert_cmpint(virNetworkGetDHCPLeases(NULL, NULL, NULL, 0), ==, -1);
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkGetDHCPLeases");
}

static void
test_invalid_conn(void)
{
    virNetworkPtr *nets = (virNetworkPtr *) &nets;
    char *names[4];

    g_assert_cmpint(virConnectListAllNetworks(NULL, &nets, 0), ==, -1);
    g_assert_null(nets);
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virConnectListAllNetworks");
    g_assert_cmpint(virConnectNumOfNetworks(NULL), ==, -1);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(NULL), ==, -1);
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virConnectNumOfDefinedNetworks");
    g_assert_cmpint(virConnectListNetworks(NULL, names, 4), ==, -1);
    g_assert_cmpint(virConnectListDefinedNetworks(NULL, names, 4), ==, -1);
    g_assert_null(virNetworkLookupByName(NULL, "default"));
    g_assert_null(virNetworkLookupByUUIDString(NULL, "not-a-uuid"));
    g_assert_null(virNetworkDefineXML(NULL, "<network/>"));
    g_assert_null(virNetworkDefineXMLFlags(NULL, "<network/>", 0));
    g_assert_null(virNetworkCreateXML(NULL, "<network/>"));
    g_assert_null(virNetworkCreateXMLFlags(NULL, "<network/>", 0));
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virNetworkCreateXMLFlags");
}

static void
test_invalid_port(void)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virNetworkPortPtr *ports = (virNetworkPortPtr *) &ports;

    g_assert_null(virNetworkPortGetXMLDesc(NULL, 0));
    assert_error(VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK,
                 "Invalid network port pointer: virNetworkPortGetXMLDesc");
    g_assert_cmpint(virNetworkPortGetUUIDString(NULL, uuidstr), ==, -1);
    g_assert_null(virNetworkPortGetNetwork(NULL));
    g_assert_cmpint(virNetworkPortDelete(NULL, 0), ==, -1);
    g_assert_cmpint(virNetworkPortRef(NULL), ==, -1);
    g_assert_cmpint(virNetworkPortFree(NULL), ==, -1);
    assert_error(VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK,
                 "Invalid network port pointer: virNetworkPortFree");
    /* the network is checked first */
    g_assert_cmpint(virNetworkListAllPorts(NULL, &ports, 0), ==, -1);
    g_assert_null(ports);
    g_assert_null(virNetworkPortLookupByUUIDString(NULL, "x"));
    g_assert_null(virNetworkPortCreateXML(NULL, "<networkport/>", 0));
    assert_error(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
                 "invalid network pointer in virNetworkPortCreateXML");
}

/* libvirt's values, which programs built against its header rely on. */
static void
test_constants(void)
{
    g_assert_cmpint(VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, ==, 32);
    g_assert_cmpint(VIR_NETWORK_SECTION_DNS_SRV, ==, 12);
    g_assert_cmpint(VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST, ==, 4);
    g_assert_cmpint(VIR_NETWORK_UPDATE_AFFECT_CONFIG, ==, 2);
    g_assert_cmpint(VIR_NETWORK_EVENT_STOPPED, ==, 3);
    g_assert_cmpint(VIR_NETWORK_PORT_CREATE_VALIDATE, ==, 2);
    g_assert_cmpint(VIR_ERR_INVALID_NETWORK_PORT, ==, 105);
}

static void
test_lease_free(void)
{
    virNetworkDHCPLeasePtr lease = g_new0(virNetworkDHCPLease, 1);

    virNetworkDHCPLeaseFree(NULL);
    lease->iface = g_strdup("virbr0");
    lease->ipaddr = g_strdup("192.168.122.10");
    lease->hostname = g_strdup("guest");
    virNetworkDHCPLeaseFree(lease);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/client-network/invalid-network", test_invalid_network);
    g_test_add_func("/client-network/invalid-conn", test_invalid_conn);
    g_test_add_func("/client-network/invalid-port", test_invalid_port);
    g_test_add_func("/client-network/constants", test_constants);
    g_test_add_func("/client-network/lease-free", test_lease_free);
    return g_test_run();
}
