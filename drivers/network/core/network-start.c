#include "drivers/network/core/network-start.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/host/bridge.h"
#include "common/host/netlink-link.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/network/core/network-hostdev.h"
#include "drivers/network/core/network-store.h"
#include "drivers/network/core/network-dnsmasq.h"
#include "drivers/network/firewall/firewall.h"

/* The NAT port range libvirt masquerades to when <nat> gives none; the live
 * definition shows it. */
#define NAT_PORT_START 1024
#define NAT_PORT_END 65535

/* libvirt checks that no interface or route of the host has a network's
 * IPv4 subnets already. */
static int
check_subnets_free(const VkNetworkDef *def)
{
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        int prefix = vk_network_ip_prefix(ip);

        if (!ip->is_ipv6 && prefix >= 0 && vk_bridge_check_subnet_free(ip->address, prefix) < 0)
            return -1;
    }
    return 0;
}

/* NAT and routed networks need the kernel to forward; as libvirt does, it
 * is switched on (for the whole network namespace) and never back off. */
static int
enable_forwarding(const VkNetworkDef *def)
{
    if (def->forward.mode != VK_NETWORK_FORWARD_NAT && def->forward.mode != VK_NETWORK_FORWARD_ROUTE)
        return 0;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "w");

    /* not g_file_set_contents: /proc takes no temp file and rename */
    if (f && fputs("1\n", f) >= 0 && fclose(f) == 0)
        return 0;
    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_SYSTEM_ERROR, "cannot enable %s: %s",
                    "/proc/sys/net/ipv4/ip_forward", g_strerror(errno));
    if (f)
        fclose(f);
    return -1;
}

static int
add_addresses(const VkNetworkDef *def)
{
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        int prefix = vk_network_ip_prefix(ip);

        if (prefix < 0) {
            vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                            "bridge '%s' has an invalid netmask or IP address", def->bridge);
            return -1;
        }
        if (vk_link_add_address(def->bridge, ip->address, prefix) < 0)
            return -1;
    }
    return 0;
}

/* The bridge with its MAC, STP, addresses, up: -1 leaves no bridge. */
static int
bring_up_bridge(const VkNetworkDef *def)
{
    if (vk_bridge_create(def->bridge, def->mac, def->mtu) < 0)
        return -1;
    if (vk_bridge_set_stp(def->bridge, def->stp != VK_TRISTATE_OFF,
                          def->has_delay ? def->delay : 0) < 0 ||
        add_addresses(def) < 0 || vk_link_set_up(def->bridge, true) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_link_delete(def->bridge);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    return 0;
}

/* What the live definition gains at start. */
static void
fill_live_defaults(VkNetworkDef *def)
{
    if (def->forward.mode == VK_NETWORK_FORWARD_NAT && def->forward.nat_port_start == 0) {
        def->forward.nat_port_start = NAT_PORT_START;
        def->forward.nat_port_end = NAT_PORT_END;
    }
}

/* Bridge, forwarding, rules, dnsmasq, in libvirt's order; a step that fails
 * undoes those before it. */
static int
bring_up(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    VkNetworkDef *def = obj->def;
    g_autoptr(VkError) err = NULL;

    if (def->forward.mode == VK_NETWORK_FORWARD_HOSTDEV) {
        /* libvirt's networkStartNetworkExternal: the pool must not be empty */
        g_autoptr(GArray) pool = vk_network_hostdev_pool(def, vk_network_pci_root());
        return pool ? 0 : -1;
    }
    if (!vk_network_def_has_own_bridge(def))
        return 0;   /* forward bridge: the host's bridge is used as it is */
    if (check_subnets_free(def) < 0 || bring_up_bridge(def) < 0)
        return -1;
    if (enable_forwarding(def) < 0)
        goto undo_bridge;
    if (def->forward.mode != VK_NETWORK_FORWARD_OPEN &&
        vk_firewall_add_network(driver->firewall, def) < 0)
        goto undo_bridge;
    if (vk_network_dnsmasq_start(driver, obj) < 0)
        goto undo_rules;
    return 0;

undo_rules:
    err = vk_error_steal();
    vk_firewall_remove_network(driver->firewall, def->bridge);
    vk_error_set(g_steal_pointer(&err));
undo_bridge:
    err = vk_error_steal();
    vk_link_delete(def->bridge);
    vk_error_set(g_steal_pointer(&err));
    return -1;
}

static void
bring_down(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    const VkNetworkDef *def = obj->def;

    if (!vk_network_def_has_own_bridge(def))
        return;
    vk_network_dnsmasq_stop(driver, obj);
    if (vk_firewall_remove_network(driver->firewall, def->bridge) < 0)
        g_warning("network '%s': its firewall rules stay: %s", def->name, vk_error_last_message());
    if (vk_link_delete(def->bridge) < 0)
        g_warning("network '%s': its bridge stays: %s", def->name, vk_error_last_message());
    vk_error_reset();
}

int
vk_network_start(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    if (obj->persistent && !obj->new_def)
        obj->new_def = vk_network_def_copy(obj->def);
    fill_live_defaults(obj->def);
    if (bring_up(driver, obj) < 0) {
        if (obj->new_def) {
            vk_network_def_free(obj->def);
            obj->def = g_steal_pointer(&obj->new_def);
        }
        return -1;
    }
    obj->active = true;
    if (vk_network_store_save_status(driver->store, obj) < 0)
        g_warning("network '%s': its status was not saved: %s", obj->def->name,
                  vk_error_last_message());
    vk_error_reset();
    return 0;
}

void
vk_network_stop(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    bring_down(driver, obj);
    obj->active = false;
    vk_network_store_delete_status(driver->store, obj->def->name);
    g_hash_table_remove_all(obj->ports);
    if (obj->new_def) {
        vk_network_def_free(obj->def);
        obj->def = g_steal_pointer(&obj->new_def);
    }
    obj->def->connections = 0;
}

bool
vk_network_reconnect(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    VkNetworkDef *def = obj->def;

    if (!vk_network_def_has_own_bridge(def))
        return true;
    if (vk_link_exists(def->bridge) != 1)
        return false;
    /* Rules are put back as they should be (one transaction, replacing
     * what is there); dnsmasq is adopted or started again. */
    if (def->forward.mode != VK_NETWORK_FORWARD_OPEN &&
        vk_firewall_add_network(driver->firewall, def) < 0)
        g_warning("network '%s': its firewall rules could not be restored: %s", def->name,
                  vk_error_last_message());
    if (vk_network_dnsmasq_reconnect(driver, obj) < 0)
        g_warning("network '%s': dnsmasq could not be restarted: %s", def->name,
                  vk_error_last_message());
    vk_error_reset();
    return true;
}
