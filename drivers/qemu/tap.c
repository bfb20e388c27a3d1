#include "drivers/qemu/tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib.h>

#include "common/util/error.h"

/* The tap's MAC: the guest's with 0xfe first, as libvirt does. */
static struct nl_addr *
tap_mac(const char *guest_mac)
{
    unsigned int b[6];
    unsigned char mac[6];

    if (sscanf(guest_mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_MAC, "%s", guest_mac);
        return NULL;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = b[i];
    mac[0] = 0xfe;
    return nl_addr_build(AF_LLC, mac, sizeof(mac));
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

/* Set the tap's MAC, put it on the bridge and bring it up, in one netlink
 * change request. */
static int
configure_tap(struct nl_sock *sock, const char *ifname, const char *bridge,
              const char *guest_mac)
{
    struct rtnl_link *tap = NULL, *br = NULL, *change = NULL;
    struct nl_addr *mac = NULL;
    int rc = -1, err;

    if ((err = rtnl_link_get_kernel(sock, 0, bridge, &br)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot get interface MTU on '%s': %s", bridge, nl_geterror(err));
        goto out;
    }
    if ((err = rtnl_link_get_kernel(sock, 0, ifname, &tap)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot find tap '%s': %s",
                        ifname, nl_geterror(err));
        goto out;
    }
    if (!(mac = tap_mac(guest_mac)))
        goto out;
    change = rtnl_link_alloc();
    rtnl_link_set_addr(change, mac);
    rtnl_link_set_mtu(change, rtnl_link_get_mtu(br));
    rtnl_link_set_master(change, rtnl_link_get_ifindex(br));
    rtnl_link_set_flags(change, IFF_UP);
    if ((err = rtnl_link_change(sock, tap, change, 0)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Unable to add bridge %s port %s: %s", bridge, ifname, nl_geterror(err));
        goto out;
    }
    rc = 0;
out:
    if (mac)
        nl_addr_put(mac);
    if (change)
        rtnl_link_put(change);
    if (tap)
        rtnl_link_put(tap);
    if (br)
        rtnl_link_put(br);
    return rc;
}

/* A routing netlink socket, or NULL with an error. */
static struct nl_sock *
netlink_open(void)
{
    struct nl_sock *sock = nl_socket_alloc();

    if (!sock || nl_connect(sock, NETLINK_ROUTE) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "%s", "cannot open a netlink socket");
        if (sock)
            nl_socket_free(sock);
        return NULL;
    }
    return sock;
}

int
vk_tap_create_on_bridge(const char *bridge, const char *guest_mac, bool vnet_hdr, char **ifname)
{
    struct nl_sock *sock = netlink_open();
    g_autofree char *name = NULL;
    int fd = -1;

    if (!sock)
        goto out;
    if ((fd = open_tap(vnet_hdr, &name)) < 0)
        goto out;
    if (configure_tap(sock, name, bridge, guest_mac) < 0) {
        close(fd);   /* the tap goes with its last fd */
        fd = -1;
        goto out;
    }
    *ifname = g_steal_pointer(&name);
out:
    if (sock)
        nl_socket_free(sock);
    return fd;
}

int
vk_tap_delete(const char *ifname)
{
    struct nl_sock *sock = netlink_open();
    struct rtnl_link *link;
    int err;

    if (!sock)
        return -1;
    link = rtnl_link_alloc();
    rtnl_link_set_name(link, ifname);
    err = rtnl_link_delete(sock, link);
    rtnl_link_put(link);
    nl_socket_free(sock);
    if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "Unable to delete tap '%s': %s",
                        ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}
