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

/* The elements of the sections virNetworkUpdate edits, one at a time: NULL
 * with libvirt's error.  PARTIAL is libvirt's partialOkay, for the element
 * a delete searches with: a <host> of <dhcp> needs one of mac, name and ip;
 * a DNS <host> its ip or a hostname; an <srv> no service or protocol; a
 * <txt> no value. */
VkNetworkDhcpRange *vk_network_parse_dhcp_range(const char *net, const VkNetworkIpDef *ip,
                                                xmlNodePtr node);
VkNetworkDhcpHost *vk_network_parse_dhcp_host(const char *net, const VkNetworkIpDef *ip,
                                              xmlNodePtr node, bool partial);
VkNetworkDnsHost *vk_network_parse_dns_host(const char *net, xmlNodePtr node, bool partial);
VkNetworkDnsSrv *vk_network_parse_dns_srv(const char *net, xmlNodePtr node, bool partial);
VkNetworkDnsTxt *vk_network_parse_dns_txt(const char *net, xmlNodePtr node, bool partial);
VkNetworkPortGroupDef *vk_network_parse_portgroup(xmlNodePtr node);
/* Their free functions (also the arrays' free functions). */
void vk_network_dhcp_range_free(gpointer range);
void vk_network_dhcp_host_free(gpointer host);
void vk_network_dns_host_free(gpointer host);
void vk_network_dns_srv_free(gpointer srv);
void vk_network_dns_txt_free(gpointer txt);
void vk_network_portgroup_free(gpointer pg);

/* DEF formatted (inactive) and parsed again with the parser's checks only,
 * not the driver's: what libvirt's virNetworkDefCopy of an edited
 * definition checks.  0, or -1 with the parser's error. */
int vk_network_def_check_reparse(const VkNetworkDef *def);

/* A MAC address "xx:xx:xx:xx:xx:xx" (one or two hex digits a part). */
int vk_network_parse_mac(const char *str, guint8 mac[6]);
/* A <lease expiry= unit=> under NODE, if any. */
int vk_network_parse_lease(xmlNodePtr node, bool *has, unsigned long long *expiry,
                           char **unit);
