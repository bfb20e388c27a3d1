/* DHCP leases of a virtual network, kept the way libvirt's leases helper
 * keeps them: ROOT/var/lib/libvirt/dnsmasq/BRIDGE.status, a JSON array of
 * objects with "ip-address", "mac-address", "hostname", "client-id",
 * "expiry-time" and, for IPv6, "iaid" and "server-duid".  The network driver
 * reads them for net-dhcp-leases; virtkit-leaseshelper reads and rewrites
 * the file on dnsmasq's lease events. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/network-def.h"
#include "common/util/json.h"

typedef struct {
    gint64 expiry_time;     /* seconds since the epoch; 0 for an infinite lease */
    char *mac;
    char *iaid;             /* IPv6 only */
    char *ip;
    char *hostname;
    char *client_id;        /* IPv4: the client-id; IPv6: the client's DUID */
    bool ipv6;
    int prefix;             /* of the network's first <ip> of that family; 0 if none */
} VkDnsmasqLease;

void vk_dnsmasq_lease_free(VkDnsmasqLease *lease);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDnsmasqLease, vk_dnsmasq_lease_free)

/* The leases of DEF in STATUS_PATH still valid at NOW (time(NULL) when 0),
 * only those of MAC (compared without case) when MAC is not NULL, in file
 * order: an array of VkDnsmasqLease.  A missing or empty file has none; a
 * file that is no JSON array fails with "internal error: invalid json in
 * file: PATH". */
GPtrArray *vk_dnsmasq_leases_get(const char *status_path, const VkNetworkDef *def,
                                 const char *mac, gint64 now);

/* For the helper, libvirt's virLeaseReadCustomLeaseFile: the leases of PATH
 * still valid at NOW, without the one of IP_TO_DELETE (may be NULL), as a
 * new JSON array.  IPv6 leases without "server-duid" get *SERVER_DUID; when
 * *SERVER_DUID is NULL it takes the first one found.  A missing, empty or
 * unparsable file gives an empty array (the helper then rewrites it). */
VkJson *vk_dnsmasq_status_read(const char *path, const char *ip_to_delete, gint64 now,
                               char **server_duid);

/* The text of a status file for LEASES: indented by two, one member a line,
 * as libvirt's pretty JSON. */
char *vk_dnsmasq_status_format(const VkJson *leases);
