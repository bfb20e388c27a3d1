/* A tap on a host bridge for a daemon that may not make one itself (a
 * session daemon): QEMU's setuid qemu-bridge-helper checks
 * /etc/qemu/bridge.conf, makes the tap, puts it on the bridge and passes
 * its fd back over a socket pair, as libvirt's session daemons ask it to
 * (qemuCreateInBridgePortWithHelper). */
#pragma once

#include <stdbool.h>

/* The helper where QEMU's packages put it (libvirt's search list), or NULL. */
char *vk_bridge_helper_find(void);

/* A tap on BRIDGE from HELPER (VNET_HDR for virtio models): its fd (not
 * close-on-exec, for QEMU) and its name in *IFNAME; -1 with libvirt's error
 * ("HELPER ARGS: failed to communicate with bridge helper: stderr=...")
 * when the helper gives none. */
int vk_bridge_helper_tap(const char *helper, const char *bridge, bool vnet_hdr, char **ifname);
