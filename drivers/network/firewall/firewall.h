/* The virtual networks' firewall through libnftables: one nftables table of
 * the daemon's own ("table inet libvirt_network", as libvirt 10's nftables
 * backend names it), in which each network's rules sit in base chains named
 * after its bridge (forward_BR, input_BR, output_BR, nat_BR).  Adding or
 * removing a network is one nftables transaction that touches only its own
 * chains, so networks never disturb each other.  For the network driver.
 *
 * Rules per forward mode, for each IPv4 and IPv6 <ip> of the network
 * (libvirt's, see https://libvirt.org/firewall.html):
 *   nat      forward out from the subnet on the bridge, in to it only when
 *            established/related; masquerade the subnet (tcp and udp to
 *            ports 1024-65535 or <nat><port>, then everything else; SNAT to
 *            <nat><address> when given), not towards 224.0.0.0/24 (ff02::/16)
 *            nor 255.255.255.255; IPv6 subnets are routed, not masqueraded,
 *            unless <nat ipv6='yes'>
 *   route    forward out from and in to the subnet, no address translation
 *   none     (isolated) no forwarding at all: guests reach the host only
 *   open     no rules at all
 * and for all but open: traffic between ports of the bridge accepted, any
 * other forwarding from or to the bridge rejected (IPv6 only when the
 * network has IPv6), DNS (53), DHCP (67; DHCPv6 547) and TFTP (69, with
 * <tftp>) accepted from the bridge in input, 53/68 (546) towards it in output.
 *
 * What iptables did and nftables does not:
 * - an nftables accept ends only its own chain: a drop in another table (the
 *   host's firewall) still drops.  The input/output accepts above keep
 *   libvirt's rules visible and counted, but they open nothing the host's
 *   own firewall closes (libvirt 10 leaves them out for that reason).
 * - CHECKSUM --checksum-fill (the mangle rule that completes DHCP replies'
 *   UDP checksums for old guests behind vhost-net) has no nftables
 *   equivalent.  nft accepts "udp checksum set 0", but zeroing the field of
 *   a packet whose checksum the receiver is still to complete (the very case
 *   at hand) corrupts it for guests that do complete it, so it is not done.
 *   libvirt 10 uses a tc filter (u32 udp dport 68, action csum ip and udp)
 *   on the bridge instead; that is not here yet.
 * - a packet is checked by every network's chains, not by the first that
 *   accepts it: from an isolated network to a routed one is rejected here,
 *   where libvirt's shared LIBVIRT_FWI chain lets it through. */
#pragma once

#include "common/conf/network-def.h"

#define VK_FIREWALL_TABLE "libvirt_network"

typedef struct VkFirewall VkFirewall;

/* The firewall working on "table inet TABLE_NAME" (NULL: VK_FIREWALL_TABLE).
 * Nothing is changed until a network is added.  NULL with an error when
 * libnftables cannot be set up. */
VkFirewall *vk_firewall_new(const char *table_name);
void vk_firewall_free(VkFirewall *fw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkFirewall, vk_firewall_free)

/* Put DEF's rules in place, replacing whatever its bridge had (so it also
 * rebuilds a running network's rules after a daemon restart), in one
 * transaction.  -1 with an error carrying nft's message; nothing changed
 * then. */
int vk_firewall_add_network(VkFirewall *fw, const VkNetworkDef *def);

/* Take away every rule of the network on BRIDGE in one transaction; a
 * bridge without rules is fine. */
int vk_firewall_remove_network(VkFirewall *fw, const char *bridge);

/* Remove the whole table: for a daemon starting with no active network. */
int vk_firewall_reset(VkFirewall *fw);

/* The nftables commands vk_firewall_add_network() runs for DEF, as one
 * text (tests, debugging), or NULL with an error. */
char *vk_firewall_network_commands(VkFirewall *fw, const VkNetworkDef *def);
