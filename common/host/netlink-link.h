/* Network links (taps, bridges, veths) changed through routing netlink
 * with libnl: what the QEMU driver does to its guests' taps and the network
 * driver to its bridges.  Each call opens its own netlink socket. */
#pragma once

/* Give IFNAME the MAC (6 bytes; NULL keeps its own) and BRIDGE's MTU, put it
 * on BRIDGE and bring it up, in one change request.  -1 with an error
 * naming the bridge. */
int vk_link_attach_to_bridge(const char *ifname, const char *bridge, const unsigned char *mac);

/* Delete the link IFNAME, whoever holds it (gone already is fine).  A tap's
 * name is reused once every fd of it is closed: delete a tap by name only
 * while its fd is still held, or it may be another guest's tap by then. */
int vk_link_delete(const char *ifname);
