/* virNetworkUpdate on a network definition: one command (add, delete,
 * modify) applied to one section (DHCP hosts and ranges, DNS records,
 * portgroups, forward interfaces) with an XML fragment, with libvirt 9.0's
 * rules and errors (network_conf.c's virNetworkDefUpdateSection), and what
 * the network driver must then redo for a running network (bridge_driver.c's
 * networkUpdate).  Called by the network driver on its definitions. */
#pragma once

#include "common/conf/network-def.h"

/* virNetworkUpdateCommand */
typedef enum {
    VK_NETWORK_UPDATE_COMMAND_NONE = 0,
    VK_NETWORK_UPDATE_COMMAND_MODIFY = 1,
    VK_NETWORK_UPDATE_COMMAND_DELETE = 2,
    VK_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
    VK_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
} VkNetworkUpdateCommand;

/* virNetworkUpdateSection */
typedef enum {
    VK_NETWORK_SECTION_NONE = 0,
    VK_NETWORK_SECTION_BRIDGE = 1,
    VK_NETWORK_SECTION_DOMAIN = 2,
    VK_NETWORK_SECTION_IP = 3,
    VK_NETWORK_SECTION_IP_DHCP_HOST = 4,
    VK_NETWORK_SECTION_IP_DHCP_RANGE = 5,
    VK_NETWORK_SECTION_FORWARD = 6,
    VK_NETWORK_SECTION_FORWARD_INTERFACE = 7,
    VK_NETWORK_SECTION_FORWARD_PF = 8,
    VK_NETWORK_SECTION_PORTGROUP = 9,
    VK_NETWORK_SECTION_DNS_HOST = 10,
    VK_NETWORK_SECTION_DNS_TXT = 11,
    VK_NETWORK_SECTION_DNS_SRV = 12,
} VkNetworkUpdateSection;

/* Apply COMMAND to SECTION of DEF with the element XML (a <host>, <range>,
 * <portgroup>, <interface>, <txt> or <srv>).  PARENT_INDEX picks the <ip>
 * of a DHCP section: its index among all <ip>s, or -1 for the one serving
 * DHCP, else the first IPv4, else the first IPv6.  The result is then
 * checked as libvirt re-reads it (the parser's checks).  0, or -1 with
 * libvirt's error and DEF unchanged. */
int vk_network_def_update(VkNetworkDef *def, unsigned int command, unsigned int section,
                          int parent_index, const char *xml);

/* What a running network needs after an update of a section (libvirt's
 * networkUpdate): dnsmasq restarted (its command line / .conf changed: it
 * cannot re-read that after dropping root), or its hosts files rewritten
 * and a SIGHUP (dhcp hosts, DNS hosts), radvd's config rewritten and a
 * SIGHUP, the firewall rules reloaded. */
typedef enum {
    VK_NETWORK_UPDATE_RESTART_DNSMASQ = 1 << 0,
    VK_NETWORK_UPDATE_REFRESH_DNSMASQ = 1 << 1,
    VK_NETWORK_UPDATE_REFRESH_RADVD = 1 << 2,
    VK_NETWORK_UPDATE_RELOAD_FIREWALL = 1 << 3,
} VkNetworkUpdateAction;

/* The VkNetworkUpdateAction bits for SECTION, BEFORE and AFTER being the
 * definition before and after vk_network_def_update(): a dhcp host change
 * restarts dnsmasq only when it turns IPv4 DHCP on or off. */
unsigned int vk_network_update_actions(const VkNetworkDef *before, const VkNetworkDef *after,
                                       unsigned int section);
