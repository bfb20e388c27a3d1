/* Network links (taps, bridges, veths) changed through routing netlink
 * with libnl: what the QEMU driver does to its guests' taps and the network
 * driver to its bridges.  Each call opens its own netlink socket. */
#pragma once

#include <stdbool.h>

/* Give IFNAME the MAC (6 bytes; NULL keeps its own) and BRIDGE's MTU, put it
 * on BRIDGE and bring it up, in one change request.  -1 with an error
 * naming the bridge. */
int vk_link_attach_to_bridge(const char *ifname, const char *bridge, const unsigned char *mac);

/* Delete the link IFNAME, whoever holds it (gone already is fine).  A tap's
 * name is reused once every fd of it is closed: delete a tap by name only
 * while its fd is still held, or it may be another guest's tap by then. */
int vk_link_delete(const char *ifname);

/* 1 when a link named IFNAME exists, 0 when not, -1 with an error. */
int vk_link_exists(const char *ifname);

/* The names of all links, NULL-terminated (g_strfreev), or NULL with an
 * error: what the network driver picks the lowest free virbrN from. */
char **vk_link_list_names(void);

/* Give the virtual function INDEX of the PF PF_IFNAME the MAC (6 bytes),
 * through the PF (IFLA_VF_MAC), as libvirt's virNetDevSetVfMac.  -1 with an
 * error. */
int vk_link_set_vf_mac(const char *pf_ifname, unsigned int index, const unsigned char *mac);

/* Bring IFNAME up or down (IFF_UP only).  -1 with an error. */
int vk_link_set_up(const char *ifname, bool up);

/* Add ADDRESS/PREFIX (IPv4 or IPv6 text) to IFNAME; an IPv4 address also
 * gets the subnet's broadcast address, as libvirt gives its bridges. */
int vk_link_add_address(const char *ifname, const char *address, unsigned int prefix);

/* For common/host's own modules: a connected routing netlink socket
 * (nl_socket_free), or NULL with an error. */
struct nl_sock *vk_netlink_open(void);
/* IFNAME's index through SOCK, or a negative libnl error (-NLE_NODEV...). */
int vk_netlink_link_index(struct nl_sock *sock, const char *ifname);
