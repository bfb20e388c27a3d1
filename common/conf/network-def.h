/* The virtual network definition: libvirt's <network> XML as plain structs,
 * with libvirt's defaults and checks (src/conf/network_conf.c's rules).
 * Parse with vk_network_def_parse_string(), format with
 * vk_network_def_format().  The network driver, dnsmasq's configuration and
 * the firewall rules all read these structs.
 *
 * Conventions as in domain.h: a NULL string is "absent" (not formatted), an
 * enum's 0 is "absent/default" unless said, arrays keep document order. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/enum-table.h"
#include "common/pci/address.h"

/* <forward mode=>; absent is NONE (an isolated network) */
typedef enum {
    VK_NETWORK_FORWARD_NONE = 0,
    VK_NETWORK_FORWARD_NAT,
    VK_NETWORK_FORWARD_ROUTE,
    VK_NETWORK_FORWARD_OPEN,
    VK_NETWORK_FORWARD_BRIDGE,
    VK_NETWORK_FORWARD_PRIVATE,
    VK_NETWORK_FORWARD_VEPA,
    VK_NETWORK_FORWARD_PASSTHROUGH,
    VK_NETWORK_FORWARD_HOSTDEV,
} VkNetworkForwardMode;
VK_ENUM_DECL(vk_network_forward_mode);   /* "none", "nat", "route", ... */

/* <ip address= netmask=|prefix= family=> with its <dhcp> and <tftp> */
typedef struct {
    char *start, *end;          /* <range start= end=> */
    unsigned long long lease_expiry;   /* <lease expiry=>, 0 = absent */
    char *lease_unit;           /* <lease unit=>: seconds, minutes, hours */
    bool has_lease;             /* a <lease>; expiry='0' (infinite) included */
} VkNetworkDhcpRange;

typedef struct {
    char *mac;      /* IPv4 hosts: <host mac=> (lower case) */
    char *id;       /* IPv6 hosts: <host id=> (DUID) */
    char *name;
    char *ip;
    unsigned long long lease_expiry;
    char *lease_unit;
    bool has_lease;
} VkNetworkDhcpHost;

typedef struct {
    char *family;       /* "ipv4", "ipv6" or NULL (then taken from the address) */
    bool is_ipv6;       /* from the address, whatever family= says */
    char *address;
    char *netmask;      /* as given; NULL when prefix= was used */
    unsigned int prefix;   /* as given; 0 = absent */
    char *local_ptr;    /* localPtr= yes/no */
    char *tftp_root;    /* <tftp root=> */
    bool has_dhcp;      /* a <dhcp> element, even an empty one */
    GPtrArray *ranges;  /* VkNetworkDhcpRange */
    GPtrArray *hosts;   /* VkNetworkDhcpHost */
    char *bootp_file, *bootp_server;   /* <bootp file= server=> */
} VkNetworkIpDef;

/* The prefix length IP stands for: prefix=, else netmask= counted, else the
 * classful default for IPv4 (8/16/24) and 64 for IPv6; -1 when the netmask is
 * not contiguous. */
int vk_network_ip_prefix(const VkNetworkIpDef *ip);

/* <route address= prefix=|netmask= gateway= metric= family=> */
typedef struct {
    char *family, *address, *netmask, *gateway;
    unsigned int prefix;   /* 0 = absent */
    unsigned int metric;   /* 0 = absent */
    bool has_prefix;       /* prefix= given (prefix='0' is a default route) */
} VkNetworkRouteDef;

/* <dns> children */
typedef struct {
    char *ip;
    GPtrArray *hostnames;   /* char*, the <hostname> texts */
} VkNetworkDnsHost;

typedef struct {
    char *addr;     /* <forwarder addr=> */
    char *domain;   /* <forwarder domain=> */
} VkNetworkDnsForwarder;

typedef struct {
    char *name, *value;
} VkNetworkDnsTxt;

typedef struct {
    char *service, *protocol, *domain, *target;
    unsigned int port, priority, weight;   /* 0 = absent */
} VkNetworkDnsSrv;

typedef struct {
    VkTristate enable;               /* <dns enable=> */
    VkTristate forward_plain_names;  /* forwardPlainNames= */
    GPtrArray *forwarders;   /* VkNetworkDnsForwarder */
    GPtrArray *txts;         /* VkNetworkDnsTxt */
    GPtrArray *srvs;         /* VkNetworkDnsSrv */
    GPtrArray *hosts;        /* VkNetworkDnsHost */
} VkNetworkDnsDef;

/* <portgroup name= default=>: what a guest interface naming it gets; the
 * <vlan>, <bandwidth> and <virtualport> inside are kept as raw XML. */
typedef struct {
    char *name;
    bool is_default;
    VkTristate trust_guest_rx_filters;
    char *raw_children;   /* the serialized child elements, or NULL */
} VkNetworkPortGroupDef;

/* <forward>: the NAT ranges and the host devices it may use */
typedef struct {
    VkNetworkForwardMode mode;
    bool has_forward;        /* a <forward> element was given */
    char *dev;               /* <forward dev=> */
    /* <nat><address start= end=/><port start= end=/></nat>; port 0 = absent */
    char *nat_address_start, *nat_address_end;
    unsigned int nat_port_start, nat_port_end;
    VkTristate nat_ipv6;     /* <nat ipv6=> */
    GPtrArray *interfaces;   /* char*, <interface dev=> (bridge/passthrough pools) */
    char *pf_dev;            /* <pf dev=>: the SR-IOV physical function */
    GArray *pci_addresses;   /* VkPciAddress, <address type='pci'> (hostdev pools) */
    VkTristate managed;      /* <forward managed=> (hostdev) */
    char *driver_name;       /* <driver name=> (hostdev: "vfio") */
} VkNetworkForwardDef;

typedef struct {
    char *name;
    unsigned char uuid[16];
    /* <bridge name= stp= delay= macTableManager= zone=> */
    char *bridge;
    VkTristate stp;
    unsigned int delay;
    bool has_delay;
    char *mac_table_manager;
    char *zone;
    char *mac;                 /* <mac address=>, lower case */
    unsigned int mtu;          /* <mtu size=>, 0 = absent */
    char *domain;              /* <domain name=> */
    VkTristate domain_local_only;   /* <domain localOnly=> */
    VkTristate ipv6_enabled;   /* <network ipv6=> */
    VkTristate trust_guest_rx_filters;
    VkNetworkForwardDef forward;
    VkNetworkDnsDef dns;
    GPtrArray *ips;            /* VkNetworkIpDef */
    GPtrArray *routes;         /* VkNetworkRouteDef */
    GPtrArray *portgroups;     /* VkNetworkPortGroupDef */
    char *raw_extra;           /* <vlan>, <bandwidth>, <port>: raw XML, in that order */
    char *raw_virtualport;     /* <virtualport>: raw XML (formatted after the routes) */
    char *metadata;            /* <metadata> serialized, or NULL */
    char *title, *description;
    unsigned int connections;  /* live only: guests using it (connections=) */
} VkNetworkDef;

enum {
    /* vk_network_def_format: the inactive form (no connections=, as
     * net-dumpxml --inactive) */
    VK_NETWORK_FORMAT_INACTIVE = 1 << 0,
};

/* Parse, fill libvirt's defaults that need no host knowledge (a uuid when
 * absent, stp on and delay 0 for bridged modes) and check the definition
 * (names, addresses, ranges inside their subnet, one IPv4 DHCP, ...).  NULL
 * with libvirt's error ("XML error: ...", "unsupported configuration: ..."). */
VkNetworkDef *vk_network_def_parse_string(const char *xml);
VkNetworkDef *vk_network_def_parse_file(const char *path);
/* The <network> document, as libvirt formats it (2-space indents). */
char *vk_network_def_format(const VkNetworkDef *def, unsigned int flags);
VkNetworkDef *vk_network_def_copy(const VkNetworkDef *def);
void vk_network_def_free(VkNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkNetworkDef, vk_network_def_free)

/* True for the modes where the network owns a bridge of its own with its
 * addresses, dnsmasq and firewall (none, nat, route, open). */
bool vk_network_def_has_own_bridge(const VkNetworkDef *def);
/* The first IP of DEF of the family (IPv6 or not), or NULL. */
const VkNetworkIpDef *vk_network_def_first_ip(const VkNetworkDef *def, bool ipv6);
/* The <ip> of the family that carries <dhcp> (libvirt allows one per
 * family), or NULL.  It serves DHCP when it has ranges or static hosts (a
 * <dhcp> with only <bootp>, or none, does not count). */
const VkNetworkIpDef *vk_network_def_dhcp_ip(const VkNetworkDef *def, bool ipv6);
bool vk_network_ip_serves_dhcp(const VkNetworkIpDef *ip);
/* An empty definition (arrays allocated): for parsers and tests. */
VkNetworkDef *vk_network_def_new(void);
