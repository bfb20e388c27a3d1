/* Network links through routing netlink (see netlink-link.h). */
#include "common/host/netlink-link.h"

#include <linux/if.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "common/util/error.h"

struct nl_sock *
vk_netlink_open(void)
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
    struct nl_sock *sock = vk_netlink_open();
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
    struct nl_sock *sock = vk_netlink_open();
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

int
vk_netlink_link_index(struct nl_sock *sock, const char *ifname)
{
    struct rtnl_link *link = NULL;
    int err, ifindex;

    if ((err = rtnl_link_get_kernel(sock, 0, ifname, &link)) < 0)
        return err;
    ifindex = rtnl_link_get_ifindex(link);
    rtnl_link_put(link);
    return ifindex;
}

int
vk_link_exists(const char *ifname)
{
    struct nl_sock *sock = vk_netlink_open();
    int ifindex;

    if (!sock)
        return -1;
    ifindex = vk_netlink_link_index(sock, ifname);
    nl_socket_free(sock);
    if (ifindex == -NLE_NODEV || ifindex == -NLE_OBJ_NOTFOUND)
        return 0;
    if (ifindex < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Unable to get index for interface %s: %s", ifname, nl_geterror(ifindex));
        return -1;
    }
    return 1;
}

static void
add_link_name(struct nl_object *obj, void *names)
{
    g_ptr_array_add(names, g_strdup(rtnl_link_get_name((struct rtnl_link *)obj)));
}

char **
vk_link_list_names(void)
{
    struct nl_sock *sock = vk_netlink_open();
    struct nl_cache *cache = NULL;
    GPtrArray *names;
    int err;

    if (!sock)
        return NULL;
    err = rtnl_link_alloc_cache(sock, AF_UNSPEC, &cache);
    nl_socket_free(sock);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "cannot list network interfaces: %s", nl_geterror(err));
        return NULL;
    }
    names = g_ptr_array_new();
    nl_cache_foreach(cache, add_link_name, names);
    nl_cache_free(cache);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}

int
vk_link_set_vf_mac(const char *pf_ifname, unsigned int index, const unsigned char *mac)
{
    struct nl_sock *sock = vk_netlink_open();
    int ifindex, err;

    if (!sock)
        return -1;
    if ((err = ifindex = vk_netlink_link_index(sock, pf_ifname)) >= 0) {
        struct rtnl_link *link = rtnl_link_alloc(), *change = rtnl_link_alloc();
        struct rtnl_link_vf *vf = rtnl_link_vf_alloc();
        struct nl_addr *addr = nl_addr_build(AF_LLC, mac, 6);

        rtnl_link_set_ifindex(link, ifindex);
        rtnl_link_vf_set_index(vf, index);
        rtnl_link_vf_set_addr(vf, addr);
        err = rtnl_link_vf_add(change, vf);
        if (err >= 0)
            err = rtnl_link_change(sock, link, change, 0);
        nl_addr_put(addr);
        rtnl_link_vf_put(vf);
        rtnl_link_put(change);
        rtnl_link_put(link);
    }
    nl_socket_free(sock);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot set the MAC of VF %u of '%s': %s", index, pf_ifname,
                        nl_geterror(err));
        return -1;
    }
    return 0;
}

int
vk_link_set_up(const char *ifname, bool up)
{
    struct nl_sock *sock = vk_netlink_open();
    struct rtnl_link *link, *change;
    int ifindex, err;

    if (!sock)
        return -1;
    if ((err = ifindex = vk_netlink_link_index(sock, ifname)) >= 0) {
        link = rtnl_link_alloc();
        change = rtnl_link_alloc();
        rtnl_link_set_ifindex(link, ifindex);
        if (up)
            rtnl_link_set_flags(change, IFF_UP);
        else
            rtnl_link_unset_flags(change, IFF_UP);
        err = rtnl_link_change(sock, link, change, 0);
        rtnl_link_put(change);
        rtnl_link_put(link);
    }
    nl_socket_free(sock);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot set interface flags on '%s': %s", ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}

/* ADDR's subnet with every host bit set: the IPv4 broadcast address. */
static struct nl_addr *
broadcast_of(struct nl_addr *addr)
{
    struct nl_addr *bcast = nl_addr_clone(addr);
    unsigned char *bytes = nl_addr_get_binary_addr(bcast);
    unsigned int prefix = nl_addr_get_prefixlen(addr);

    for (unsigned int bit = prefix; bit < nl_addr_get_len(bcast) * 8; bit++)
        bytes[bit / 8] |= 0x80 >> (bit % 8);
    nl_addr_set_prefixlen(bcast, 32);
    return bcast;
}

static int
add_address(struct nl_sock *sock, int ifindex, struct nl_addr *local)
{
    struct rtnl_addr *addr = rtnl_addr_alloc();
    struct nl_addr *bcast = NULL;
    int err;

    rtnl_addr_set_ifindex(addr, ifindex);
    rtnl_addr_set_local(addr, local);
    if (nl_addr_get_family(local) == AF_INET && nl_addr_get_prefixlen(local) < 31) {
        bcast = broadcast_of(local);
        rtnl_addr_set_broadcast(addr, bcast);
    }
    err = rtnl_addr_add(sock, addr, 0);
    if (bcast)
        nl_addr_put(bcast);
    rtnl_addr_put(addr);
    return err;
}

int
vk_link_add_address(const char *ifname, const char *address, unsigned int prefix)
{
    struct nl_sock *sock;
    struct nl_addr *local = NULL;
    int ifindex, err;

    if (nl_addr_parse(address, AF_UNSPEC, &local) < 0 ||
        (nl_addr_get_family(local) != AF_INET && nl_addr_get_family(local) != AF_INET6) ||
        prefix > nl_addr_get_len(local) * 8) {
        if (local)
            nl_addr_put(local);
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Failed to add IP address %s/%u to %s: not an IP address and prefix",
                        address, prefix, ifname);
        return -1;
    }
    nl_addr_set_prefixlen(local, prefix);
    if (!(sock = vk_netlink_open())) {
        nl_addr_put(local);
        return -1;
    }
    if ((ifindex = vk_netlink_link_index(sock, ifname)) < 0)
        err = ifindex;
    else
        err = add_address(sock, ifindex, local);
    nl_socket_free(sock);
    nl_addr_put(local);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "Failed to add IP address %s/%u to %s: %s",
                        address, prefix, ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}
