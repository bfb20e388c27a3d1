/* Test-only: VkNetworkDef values built by hand, until common/conf parses
 * <network> XML (then the tests should parse libvirt's NAME.xml instead).
 * Everything allocated belongs to the builder; nb_free() releases it all. */
#pragma once

#include "common/conf/network-def.h"

typedef struct NetBuilder NetBuilder;

NetBuilder *nb_new(const char *name, const char *bridge, VkNetworkForwardMode mode);
VkNetworkDef *nb_def(NetBuilder *nb);
void nb_free(NetBuilder *nb);

/* An <ip>; NETMASK may be NULL, PREFIX 0 (absent). */
VkNetworkIpDef *nb_ip(NetBuilder *nb, const char *address, const char *netmask,
                      unsigned int prefix);
VkNetworkDhcpRange *nb_range(NetBuilder *nb, VkNetworkIpDef *ip, const char *start,
                             const char *end);
/* MAC for IPv4 hosts, ID (DUID) for IPv6 ones; any may be NULL. */
VkNetworkDhcpHost *nb_host(NetBuilder *nb, VkNetworkIpDef *ip, const char *mac,
                           const char *id, const char *name, const char *addr);
void nb_forwarder(NetBuilder *nb, const char *domain, const char *addr);
void nb_dns_host(NetBuilder *nb, const char *ip, const char *const *names);
void nb_srv(NetBuilder *nb, const char *service, const char *protocol, const char *domain,
            const char *target, unsigned int port, unsigned int priority,
            unsigned int weight);
/* A string the builder frees. */
char *nb_str(NetBuilder *nb, const char *s);
