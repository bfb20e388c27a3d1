/* Tap devices for guest interfaces on an existing host bridge: created
 * through /dev/net/tun, configured and enslaved to the bridge through
 * netlink (netlink-link.h).  The tap lives as long as its file descriptor:
 * QEMU holds it, so the tap goes away with QEMU; vk_link_delete() removes it
 * sooner (hot unplug). */
#pragma once

#include <stdbool.h>

/* Create a tap named after "vnet%d", give it the MAC libvirt gives taps (the
 * guest's with the first byte 0xfe, so the bridge never takes the guest's
 * address), put it on BRIDGE and bring it up.  VNET_HDR for virtio models.
 * Returns the fd (not close-on-exec, for QEMU) and the tap's name in
 * *IFNAME; -1 with an error naming the bridge. */
int vk_tap_create_on_bridge(const char *bridge, const char *guest_mac, bool vnet_hdr,
                            char **ifname);
