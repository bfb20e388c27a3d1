/* virsh domifaddr: the guest agent's answer (guest-info-handlers.c), or
 * the addresses the host itself knows: DHCP leases (none without a managed
 * network) and the host's ARP table. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* The IPv4 address the host's ARP table has for MAC, or NULL. */
static char *
arp_address(const char *arp_table, const char *mac)
{
    g_auto(GStrv) lines = g_strsplit(arp_table, "\n", -1);

    /* "IP address  HW type  Flags  HW address  Mask  Device", a header first */
    for (guint i = 1; lines[i]; i++) {
        char ip[64], hw[64];
        if (sscanf(lines[i], "%63s %*s %*s %63s", ip, hw) == 2 && g_ascii_strcasecmp(hw, mac) == 0)
            return g_strdup(ip);
    }
    return NULL;
}

/* One entry per interface of DEF the ARP table knows, named as libvirt
 * names them (the tap, else the alias). */
static void
arp_interfaces(const VkDomainDef *def, remote_domain_interface_addresses_ret *ret)
{
    g_autofree char *table = NULL;

    if (!g_file_get_contents("/proc/net/arp", &table, NULL, NULL))
        return;
    ret->ifaces.ifaces_val = calloc(MAX(def->nets->len, 1), sizeof(remote_domain_interface));
    for (guint i = 0; i < def->nets->len; i++) {
        const VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        g_autofree char *ip = arp_address(table, net->mac);
        remote_domain_interface *iface;

        if (!ip)
            continue;
        iface = &ret->ifaces.ifaces_val[ret->ifaces.ifaces_len++];
        iface->name = strdup(net->target_dev ? net->target_dev
                                             : net->info.alias ? net->info.alias : "-");
        iface->hwaddr = malloc(sizeof(char *));
        *iface->hwaddr = strdup(net->mac);
        iface->addrs.addrs_val = calloc(1, sizeof(remote_domain_ip_addr));
        iface->addrs.addrs_len = 1;
        iface->addrs.addrs_val[0].type = VIR_IP_ADDR_TYPE_IPV4;
        iface->addrs.addrs_val[0].addr = strdup(ip);
    }
}

static int
domain_interface_addresses(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_interface_addresses_args *args = argsp;
    g_autoptr(VkDomainObj) obj = NULL;
    int rc = 0;

    if (args->source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        return vk_qemu_agent_interface_addresses(args, retp);
    if (args->source != VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE &&
        args->source != VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "Unknown IP address data source %d", args->source);
        return -1;
    }
    if (!(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (!vk_domain_obj_is_active(obj))
        rc = vk_qemu_not_running();
    /* leases come from managed networks, which this daemon has none of */
    else if (args->source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP)
        arp_interfaces(obj->def, retp);
    vk_domain_obj_unlock(obj);
    return rc;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, domain_interface_addresses },
};

void
vk_qemu_guest_address_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
