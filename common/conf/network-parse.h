/* What the parts of the <network> parser share (network-parse*.c,
 * network-validate.c); not for use outside common/conf. */
#pragma once

#include <libxml/tree.h>

#include "common/conf/network-def.h"

#define VK_NET_ERR(code, ...) vk_error_report(VIR_FROM_NETWORK, code, __VA_ARGS__)

VkNetworkIpDef *vk_network_ip_new(void);
void vk_network_ip_free(gpointer ip);

/* <ip> of network NET into *OUT. */
int vk_network_parse_ip(const char *net, xmlNodePtr node, VkNetworkIpDef **out);
/* Every <route> of ROOT into DEF->routes, gateways checked against DEF->ips. */
int vk_network_parse_routes(VkNetworkDef *def, xmlNodePtr root);
/* <dns> into DEF->dns. */
int vk_network_parse_dns(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns);
/* <forward> into FWD. */
int vk_network_parse_forward(const char *net, xmlNodePtr node, VkNetworkForwardDef *fwd);
/* libvirt's checks of the parsed definition: first those of the parser
 * against the forward mode (STP_GIVEN: <bridge stp=> was there), then those
 * the network driver makes at define that need no host (ROOT for the raw
 * elements). */
int vk_network_check_mode(const VkNetworkDef *def, bool stp_given);
int vk_network_validate(const VkNetworkDef *def, xmlNodePtr root);

/* A MAC address "xx:xx:xx:xx:xx:xx" (one or two hex digits a part). */
int vk_network_parse_mac(const char *str, guint8 mac[6]);
/* A <lease expiry= unit=> under NODE, if any. */
int vk_network_parse_lease(xmlNodePtr node, bool *has, unsigned long long *expiry,
                           char **unit);
