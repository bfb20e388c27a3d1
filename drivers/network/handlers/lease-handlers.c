/* virNetworkGetDHCPLeases: the leases the network's dnsmasq handed out, as
 * our leases helper recorded them. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/dnsmasq/dnsmasq-process.h"
#include "drivers/network/dnsmasq/leases.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

enum { IP_ADDR_TYPE_IPV4 = 0, IP_ADDR_TYPE_IPV6 = 1 };   /* virIPAddrType */

static char **
xdr_string_or_null(const char *s)
{
    char **p;

    if (!s)
        return NULL;
    p = malloc(sizeof(char *));
    *p = strdup(s);
    return p;
}

static void
fill_lease(remote_network_dhcp_lease *out, const char *bridge, const VkDnsmasqLease *lease)
{
    out->iface = strdup(bridge);
    out->expirytime = lease->expiry_time;
    out->type = lease->ipv6 ? IP_ADDR_TYPE_IPV6 : IP_ADDR_TYPE_IPV4;
    out->mac = xdr_string_or_null(lease->mac);
    out->iaid = xdr_string_or_null(lease->iaid);
    out->ipaddr = strdup(lease->ip);
    out->prefix = lease->prefix;
    out->hostname = xdr_string_or_null(lease->hostname);
    out->clientid = xdr_string_or_null(lease->client_id);
}

static int
network_get_dhcp_leases(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_get_dhcp_leases_args *args = argsp;
    remote_network_get_dhcp_leases_ret *ret = retp;
    g_autoptr(GPtrArray) leases = NULL;
    g_autofree char *status = NULL;
    VkNetworkObj *obj;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, 0, "networkGetDHCPLeases") < 0 ||
        !(obj = vk_network_from_ref(&args->net)))
        return -1;
    vk_network_obj_lock(obj);
    if (obj->def->bridge) {
        status = vk_dnsmasq_status_path(vk_network_driver()->paths, obj->def->bridge);
        leases = vk_dnsmasq_leases_get(status, obj->def, args->mac ? *args->mac : NULL, 0);
    } else {
        leases = g_ptr_array_new();
    }
    if (leases && args->need_results) {
        ret->leases.leases_val = calloc(MAX(leases->len, 1), sizeof(remote_network_dhcp_lease));
        for (guint i = 0; i < leases->len; i++)
            fill_lease(&ret->leases.leases_val[i], obj->def->bridge, g_ptr_array_index(leases, i));
        ret->leases.leases_len = leases->len;
    }
    if (leases)
        ret->ret = leases->len;
    vk_network_obj_unlock(obj);
    vk_network_obj_unref(obj);
    return leases ? 0 : -1;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NETWORK_GET_DHCP_LEASES, network_get_dhcp_leases },
};

void
vk_network_lease_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
