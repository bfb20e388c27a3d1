/* IPv4 and IPv6 addresses of the network definitions: parsed, printed the
 * way libvirt prints them (inet_ntop's canonical form), masked by a prefix,
 * and DHCP/NAT ranges checked with libvirt's rules and error texts.  For
 * common/conf's network and network-port code. */
#pragma once

#include <stdbool.h>

#include <glib.h>

typedef struct {
    int family;          /* AF_INET, AF_INET6, or 0 when unset */
    guint8 bytes[16];    /* network order; 4 used for IPv4 */
} VkNetAddr;

/* Parse an IPv4 or IPv6 address; -1 (nothing reported) when STR is not one. */
int vk_net_addr_parse(const char *str, VkNetAddr *out);
/* STR in canonical form, or NULL when it is not an address. */
char *vk_net_addr_canonical(const char *str);
char *vk_net_addr_format(const VkNetAddr *addr);
/* The number of leading one bits of the netmask MASK; -1 when they are not
 * contiguous. */
int vk_net_addr_netmask_prefix(const VkNetAddr *mask);
/* ADDR with all but the first PREFIX bits cleared. */
void vk_net_addr_mask(const VkNetAddr *addr, int prefix, VkNetAddr *out);
bool vk_net_addr_equal(const VkNetAddr *a, const VkNetAddr *b);
/* Whether A and B are in the same PREFIX-long subnet (and family). */
bool vk_net_addr_same_subnet(const VkNetAddr *a, const VkNetAddr *b, int prefix);

/* libvirt's range check: START and END of one family, inside NETWORK/PREFIX
 * (unless NETWORK is NULL) and, for IPv4, neither its network nor its
 * broadcast address, at most 65535 addresses, not reversed.  -1 with
 * libvirt's internal error reported otherwise. */
int vk_net_addr_check_range(const VkNetAddr *start, const VkNetAddr *end,
                            const VkNetAddr *network, int prefix);
