/* Bridges of virtual networks through routing netlink (libnl): create one
 * with the network's MAC and MTU, set STP and the forward delay, and check,
 * before a network starts, that its subnet is not the host's already.
 * Addresses, up/down, existence and deletion are plain link operations
 * (netlink-link.h).  For the network driver; each call opens its own socket. */
#pragma once

#include <stdbool.h>

/* Create bridge NAME with MAC ("52:54:00:..."; NULL: the kernel's) and MTU
 * (0: the kernel's), left down.  -1 with "error creating bridge interface
 * NAME: ..." (also when NAME exists). */
int vk_bridge_create(const char *name, const char *mac, unsigned int mtu);

/* Turn STP on or off, then set the forward delay in seconds.
 * With STP on the kernel keeps the delay within 2..30 s (a delay of 0, the
 * default of libvirt's networks, reads back as 2); off, any delay holds. */
int vk_bridge_set_stp(const char *name, bool stp, unsigned int delay);

/* Read back what vk_bridge_set_stp set. */
int vk_bridge_get_stp(const char *name, bool *stp, unsigned int *delay);

/* The interface whose address or main-table route covers exactly the subnet
 * ADDRESS/PREFIX (the subnet's own address and length, libvirt's test):
 * 1 and its name in *IFNAME (g_free), 0 when none, -1 with an error. */
int vk_host_subnet_user(const char *address, unsigned int prefix, char **ifname);

/* vk_host_subnet_user() as libvirt checks a network before starting it:
 * 0 when free, else -1 with "internal error: Network is already in use by
 * interface IFNAME".  libvirt checks the network's IPv4 addresses only. */
int vk_bridge_check_subnet_free(const char *address, unsigned int prefix);
