/* The checks libvirt makes of a parsed <network>: those of its parser
 * against the forward mode (network_conf.c), then those of the network
 * driver at define (bridge_driver.c's networkValidate) that need no host:
 * bridge name allocation, bridge-in-use and the SR-IOV check of PCI pool
 * devices are left to the driver. */
#include "common/conf/network-parse.h"

#include <string.h>

#include "common/conf/xml-read.h"
#include "common/util/error.h"

static const char *
mode_name(const VkNetworkDef *def)
{
    return vk_network_forward_mode_to_string(def->forward.mode);
}

/* Settings of a bridge of its own, in a mode that has none. */
static int
check_foreign_bridge(const VkNetworkDef *def, bool stp_given)
{
    bool bridge_like = def->forward.mode == VK_NETWORK_FORWARD_BRIDGE;
    const char *mode = mode_name(def);

    if (!bridge_like && def->bridge) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "bridge name not allowed in %s mode (network '%s')", mode,
                   def->name);
        return -1;
    }
    if (!bridge_like && def->zone) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "bridge zone not allowed in %s mode (network '%s')", mode,
                   def->name);
        return -1;
    }
    if (!bridge_like && def->mac_table_manager) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "bridge macTableManager setting not allowed in %s mode "
                   "(network '%s')", mode, def->name);
        return -1;
    }
    if (def->delay || stp_given || def->zone) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "bridge delay/stp/zone options only allowed in route, nat, "
                   "and isolated mode, not in %s (network '%s')", mode, def->name);
        return -1;
    }
    if (def->bridge && (def->forward.interfaces->len || def->forward.pf_dev)) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "A network with forward mode='%s' can specify a bridge name "
                   "or a forward dev, but not both (network '%s')", mode, def->name);
        return -1;
    }
    return 0;
}

static int
check_layer3(const VkNetworkDef *def)
{
    const char *mode = mode_name(def);

    if (def->ips->len == 0) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "%s forwarding requested, but no IP address provided for "
                   "network '%s'", mode, def->name);
        return -1;
    }
    if (def->forward.interfaces->len > 1) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "multiple forwarding interfaces specified for network '%s', "
                   "only one is supported", def->name);
        return -1;
    }
    if (def->forward.mode == VK_NETWORK_FORWARD_OPEN && def->forward.interfaces->len) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "forward dev not allowed for network '%s' with forward "
                   "mode='%s'", def->name, mode);
        return -1;
    }
    return 0;
}

int
vk_network_check_mode(const VkNetworkDef *def, bool stp_given)
{
    if (def->forward.mode != VK_NETWORK_FORWARD_NONE && vk_network_def_has_own_bridge(def)) {
        if (check_layer3(def) < 0)
            return -1;
    } else if (!vk_network_def_has_own_bridge(def) && check_foreign_bridge(def, stp_given) < 0) {
        return -1;
    }
    if (def->mtu && !vk_network_def_has_own_bridge(def)) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "mtu size only allowed in open, route, nat, and isolated "
                   "mode, not in %s (network '%s')", mode_name(def), def->name);
        return -1;
    }
    return 0;
}

/* What only a network with a bridge of its own may have. */
static int
check_l3_only(const VkNetworkDef *def, xmlNodePtr root)
{
    const char *what = NULL;

    if (vk_network_def_has_own_bridge(def))
        return 0;
    if (def->mac)
        what = "<mac> element";
    else if (def->ips->len)
        what = "<ip> element";
    else if (def->dns.txts->len || def->dns.hosts->len || def->dns.srvs->len)
        what = "<dns> element";
    else if (def->domain)
        what = "<domain> element";
    else if (vk_xml_child(root, "bandwidth") &&
             !(def->forward.mode == VK_NETWORK_FORWARD_BRIDGE && def->bridge))
        what = "network-wide <bandwidth> element";
    if (!what)
        return 0;
    VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Unsupported %s in network %s with forward mode='%s'",
               what, def->name, mode_name(def));
    return -1;
}

static int
check_pool(const VkNetworkDef *def)
{
    const VkNetworkForwardDef *fwd = &def->forward;

    if (fwd->mode == VK_NETWORK_FORWARD_HOSTDEV && fwd->interfaces->len) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "hostdev network '%s' lists '%s' in the device "
                   "pool, but hostdev networks require all devices to be listed by PCI address, "
                   "not network device name", def->name,
                   (const char *) g_ptr_array_index(fwd->interfaces, 0));
        return -1;
    }
    if (fwd->mode != VK_NETWORK_FORWARD_HOSTDEV && fwd->pci_addresses->len) {
        /* libvirt 9.0's text has the two spaces */
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "network '%s' has forward mode '%s'  but lists a "
                   "device by PCI address in the device pool. This is only supported for networks "
                   "with forward mode 'hostdev'", def->name, mode_name(def));
        return -1;
    }
    return 0;
}

static int
check_dhcp_once(const VkNetworkDef *def)
{
    bool seen[2] = { false, false };

    for (guint i = 0; i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (!vk_network_ip_serves_dhcp(ip))
            continue;
        if (seen[ip->is_ipv6]) {
            const char *v = ip->is_ipv6 ? "IPv6" : "IPv4";
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "Multiple %s dhcp sections found -- dhcp is "
                       "supported only for a single %s address on each network", v, v);
            return -1;
        }
        seen[ip->is_ipv6] = true;
    }
    return 0;
}

static int
check_portgroups(const VkNetworkDef *def)
{
    const VkNetworkPortGroupDef *dflt = NULL;

    for (guint i = 0; i < def->portgroups->len; i++) {
        const VkNetworkPortGroupDef *pg = g_ptr_array_index(def->portgroups, i);
        if (pg->is_default && dflt) {
            VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "network '%s' has multiple default "
                       "<portgroup> elements (%s and %s), but only one default is allowed",
                       def->name, dflt->name, pg->name);
            return -1;
        }
        if (pg->is_default)
            dflt = pg;
        for (guint j = i + 1; j < def->portgroups->len; j++) {
            const VkNetworkPortGroupDef *other = g_ptr_array_index(def->portgroups, j);
            if (g_str_equal(pg->name, other->name)) {
                VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "multiple <portgroup> elements with the "
                           "same name (%s) in network '%s'", pg->name, def->name);
                return -1;
            }
        }
    }
    return 0;
}

int
vk_network_validate(const VkNetworkDef *def, xmlNodePtr root)
{
    if (strchr(def->name, '\n')) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_DETAIL, "invalid char in name: \n");
        return -1;
    }
    if (check_l3_only(def, root) < 0 || check_pool(def) < 0)
        return -1;
    if ((def->forward.pf_dev != NULL) + (def->forward.interfaces->len > 0) +
            (def->forward.pci_addresses->len > 0) > 1) {
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "<address>, <interface>, and <pf> elements of "
                   "<forward> in network %s are mutually exclusive", def->name);
        return -1;
    }
    return check_dhcp_once(def) < 0 ? -1 : check_portgroups(def);
}
