/* Network links through routing netlink (see netlink-link.h). */
#include "common/host/netlink-link.h"

#include <linux/if.h>
#include <netlink/route/link.h>

#include "common/util/error.h"

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

static int
attach(struct nl_sock *sock, const char *ifname, const char *bridge, const unsigned char *mac)
{
    struct rtnl_link *link = NULL, *br = NULL, *change = NULL;
    struct nl_addr *addr = NULL;
    int rc = -1, err;

    if ((err = rtnl_link_get_kernel(sock, 0, bridge, &br)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot get interface MTU on '%s': %s", bridge, nl_geterror(err));
        goto out;
    }
    if ((err = rtnl_link_get_kernel(sock, 0, ifname, &link)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot find interface '%s': %s",
                        ifname, nl_geterror(err));
        goto out;
    }
    change = rtnl_link_alloc();
    if (mac) {
        addr = nl_addr_build(AF_LLC, mac, 6);
        rtnl_link_set_addr(change, addr);
    }
    rtnl_link_set_mtu(change, rtnl_link_get_mtu(br));
    rtnl_link_set_master(change, rtnl_link_get_ifindex(br));
    rtnl_link_set_flags(change, IFF_UP);
    if ((err = rtnl_link_change(sock, link, change, 0)) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Unable to add bridge %s port %s: %s", bridge, ifname, nl_geterror(err));
        goto out;
    }
    rc = 0;
out:
    if (addr)
        nl_addr_put(addr);
    if (change)
        rtnl_link_put(change);
    if (link)
        rtnl_link_put(link);
    if (br)
        rtnl_link_put(br);
    return rc;
}

int
vk_link_attach_to_bridge(const char *ifname, const char *bridge, const unsigned char *mac)
{
    struct nl_sock *sock = netlink_open();
    int rc;

    if (!sock)
        return -1;
    rc = attach(sock, ifname, bridge, mac);
    nl_socket_free(sock);
    return rc;
}

int
vk_link_delete(const char *ifname)
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
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "error destroying network device %s: %s", ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}
