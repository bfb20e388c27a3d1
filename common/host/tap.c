/* Taps on a bridge (see tap.h). */
#include "common/host/tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib.h>

#include "common/host/netlink-link.h"
#include "common/util/error.h"

/* The tap's MAC: the guest's with 0xfe first, as libvirt does. */
static int
tap_mac(const char *guest_mac, unsigned char mac[6])
{
    unsigned int b[6];

    if (sscanf(guest_mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_MAC, "%s", guest_mac);
        return -1;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = b[i];
    mac[0] = 0xfe;
    return 0;
}

static int
open_tap(bool vnet_hdr, char **ifname)
{
    struct ifreq ifr = { 0 };
    int fd = open("/dev/net/tun", O_RDWR);   /* inherited by QEMU: no O_CLOEXEC */

    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "%s", "Unable to open /dev/net/tun");
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
    g_strlcpy(ifr.ifr_name, "vnet%d", sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "%s", "Unable to create tap device");
        close(fd);
        return -1;
    }
    *ifname = g_strdup(ifr.ifr_name);
    return fd;
}

int
vk_tap_create_on_bridge(const char *bridge, const char *guest_mac, bool vnet_hdr, char **ifname)
{
    g_autofree char *name = NULL;
    unsigned char mac[6];
    int fd;

    if (tap_mac(guest_mac, mac) < 0 || (fd = open_tap(vnet_hdr, &name)) < 0)
        return -1;
    if (vk_link_attach_to_bridge(name, bridge, mac) < 0) {
        close(fd);   /* the tap goes with its last fd */
        return -1;
    }
    *ifname = g_steal_pointer(&name);
    return fd;
}
