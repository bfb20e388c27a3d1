/* What a network is and changes to it: its XML, bridge, whether it runs,
 * persists and autostarts, updates of its definition, and the leases of its
 * DHCP server. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

char *
virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags)
{
    remote_network_get_xml_desc_args args = { .flags = flags };
    remote_network_get_xml_desc_ret ret = { 0 };
    char *xml;

    if (vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_GET_XML_DESC,
                               (xdrproc_t) xdr_remote_network_get_xml_desc_args, &args,
                               (xdrproc_t) xdr_remote_network_get_xml_desc_ret, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_network_get_xml_desc_ret, (char *) &ret);
    return xml;
}

char *
virNetworkGetBridgeName(virNetworkPtr network)
{
    remote_network_get_bridge_name_args args = { 0 };
    remote_network_get_bridge_name_ret ret = { 0 };
    char *name;

    if (vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_GET_BRIDGE_NAME,
                               (xdrproc_t) xdr_remote_network_get_bridge_name_args, &args,
                               (xdrproc_t) xdr_remote_network_get_bridge_name_ret, &ret) < 0)
        return NULL;
    name = g_strdup(ret.name);
    xdr_free((xdrproc_t) xdr_remote_network_get_bridge_name_ret, (char *) &ret);
    return name;
}

int
virNetworkGetAutostart(virNetworkPtr network, int *autostart)
{
    return vk_client_named_get_autostart(network, VK_CLIENT_NETWORK, __func__,
                                         REMOTE_PROC_NETWORK_GET_AUTOSTART, autostart);
}

int
virNetworkIsActive(virNetworkPtr net)
{
    return vk_client_named_bool_call(net, VK_CLIENT_NETWORK, __func__,
                                     REMOTE_PROC_NETWORK_IS_ACTIVE);
}

int
virNetworkIsPersistent(virNetworkPtr net)
{
    return vk_client_named_bool_call(net, VK_CLIENT_NETWORK, __func__,
                                     REMOTE_PROC_NETWORK_IS_PERSISTENT);
}

int
virNetworkSetAutostart(virNetworkPtr network, int autostart)
{
    remote_network_set_autostart_args args = { .autostart = autostart };

    return vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_SET_AUTOSTART,
                                  (xdrproc_t) xdr_remote_network_set_autostart_args, &args,
                                  NULL, NULL);
}

int
virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                 int parentIndex, const char *xml, unsigned int flags)
{
    remote_network_update_args args = { .command = command, .section = section,
                                        .parentIndex = parentIndex, .xml = (char *) xml,
                                        .flags = flags };

    vk_client_enter();
    if (!vk_client_check_network(network, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return -1;
    return vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_UPDATE,
                                  (xdrproc_t) xdr_remote_network_update_args, &args,
                                  NULL, NULL);
}

void
virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease)
{
    if (!lease)
        return;
    g_free(lease->iface);
    g_free(lease->mac);
    g_free(lease->iaid);
    g_free(lease->ipaddr);
    g_free(lease->hostname);
    g_free(lease->clientid);
    g_free(lease);
}

/* An optional string of the wire (remote_string) as a copy, or NULL. */
static char *
opt_strdup(char **s)
{
    return s ? g_strdup(*s) : NULL;
}

static virNetworkDHCPLeasePtr
lease_from_wire(const remote_network_dhcp_lease *w)
{
    virNetworkDHCPLeasePtr lease = g_new0(virNetworkDHCPLease, 1);

    lease->iface = g_strdup(w->iface);
    lease->expirytime = w->expirytime;
    lease->type = w->type;
    lease->mac = opt_strdup(w->mac);
    lease->iaid = opt_strdup(w->iaid);
    lease->ipaddr = g_strdup(w->ipaddr);
    lease->prefix = w->prefix;
    lease->hostname = opt_strdup(w->hostname);
    lease->clientid = opt_strdup(w->clientid);
    return lease;
}

int
virNetworkGetDHCPLeases(virNetworkPtr network, const char *mac,
                        virNetworkDHCPLeasePtr **leases, unsigned int flags)
{
    char *wire_mac = (char *) mac;
    remote_network_get_dhcp_leases_args args = { .mac = mac ? &wire_mac : NULL,
                                                  .need_results = leases != NULL,
                                                  .flags = flags };
    remote_network_get_dhcp_leases_ret ret = { 0 };
    int count;

    if (leases)
        *leases = NULL;
    if (vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_GET_DHCP_LEASES,
                               (xdrproc_t) xdr_remote_network_get_dhcp_leases_args, &args,
                               (xdrproc_t) xdr_remote_network_get_dhcp_leases_ret, &ret) < 0)
        return -1;
    count = ret.ret;
    if (leases) {
        virNetworkDHCPLeasePtr *list = g_new0(virNetworkDHCPLeasePtr, ret.leases.leases_len + 1);

        for (u_int i = 0; i < ret.leases.leases_len; i++)
            list[i] = lease_from_wire(&ret.leases.leases_val[i]);
        *leases = list;
        count = ret.leases.leases_len;
    }
    xdr_free((xdrproc_t) xdr_remote_network_get_dhcp_leases_ret, (char *) &ret);
    return count;
}
