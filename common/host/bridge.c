/* Bridges through routing netlink (see bridge.h). */
#include "common/host/bridge.h"

#include <errno.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "common/host/netlink-link.h"
#include "common/util/error.h"

/* The kernel's STP limits on the forward delay (BR_MIN/MAX_FORWARD_DELAY). */
#define STP_DELAY_MIN 2
#define STP_DELAY_MAX 30
/* IFLA_BR_FORWARD_DELAY counts clock ticks of USER_HZ. */
#define USER_HZ 100

int
vk_bridge_create(const char *name, const char *mac, unsigned int mtu)
{
    struct nl_sock *sock;
    struct rtnl_link *link;
    struct nl_addr *addr = NULL;
    int err;

    if (mac && (nl_addr_parse(mac, AF_LLC, &addr) < 0 || nl_addr_get_len(addr) != 6)) {
        if (addr)
            nl_addr_put(addr);
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_MAC, "%s", mac);
        return -1;
    }
    if (!(sock = vk_netlink_open())) {
        if (addr)
            nl_addr_put(addr);
        return -1;
    }
    link = rtnl_link_alloc();
    rtnl_link_set_name(link, name);
    rtnl_link_set_type(link, "bridge");
    if (addr)
        rtnl_link_set_addr(link, addr);
    if (mtu)
        rtnl_link_set_mtu(link, mtu);
    err = rtnl_link_add(sock, link, NLM_F_CREATE | NLM_F_EXCL);
    rtnl_link_put(link);
    if (addr)
        nl_addr_put(addr);
    nl_socket_free(sock);
    if (err < 0) {
        /* libvirt reports the errno's text: "File exists" for a name in use */
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "error creating bridge interface %s: %s",
                        name, err == -NLE_EXIST ? g_strerror(EEXIST) : nl_geterror(err));
        return -1;
    }
    return 0;
}

/* RTM_NEWLINK for bridge IFINDEX carrying one IFLA_BR_* u32 in
 * IFLA_LINKINFO/IFLA_INFO_DATA (libnl 3.7 has no setters for these). */
static int
set_bridge_attr(struct nl_sock *sock, int ifindex, int type, uint32_t value)
{
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
    struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
    struct nlattr *info, *data;

    if (!msg)
        return -NLE_NOMEM;
    if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
        !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
        nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
        !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
        nla_put_u32(msg, type, value) < 0) {
        nlmsg_free(msg);
        return -NLE_NOMEM;
    }
    nla_nest_end(msg, data);
    nla_nest_end(msg, info);
    return nl_send_sync(sock, msg);   /* frees MSG, waits for the kernel's answer */
}

int
vk_bridge_set_stp(const char *name, bool stp, unsigned int delay)
{
    struct nl_sock *sock = vk_netlink_open();
    const char *what = "STP";
    int ifindex, err;

    if (!sock)
        return -1;
    /* The kernel checks a new delay against the limits while STP is on, so
     * the state goes first and an on-state delay is kept within them. */
    if (stp)
        delay = CLAMP(delay, STP_DELAY_MIN, STP_DELAY_MAX);
    if ((err = ifindex = vk_netlink_link_index(sock, name)) >= 0 &&
        (err = set_bridge_attr(sock, ifindex, IFLA_BR_STP_STATE, stp)) >= 0) {
        what = "STP delay";
        err = set_bridge_attr(sock, ifindex, IFLA_BR_FORWARD_DELAY, delay * USER_HZ);
    }
    nl_socket_free(sock);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "Unable to set %s on %s: %s",
                        what, name, nl_geterror(err));
        return -1;
    }
    return 0;
}

typedef struct {
    bool found;
    uint32_t stp, delay;
} StpState;

static int
parse_stp(struct nl_msg *msg, void *opaque)
{
    StpState *state = opaque;
    struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1], *br[IFLA_BR_MAX + 1];

    if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
        !tb[IFLA_LINKINFO] ||
        nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
        !info[IFLA_INFO_DATA] ||
        nla_parse_nested(br, IFLA_BR_MAX, info[IFLA_INFO_DATA], NULL) < 0 ||
        !br[IFLA_BR_STP_STATE] || !br[IFLA_BR_FORWARD_DELAY])
        return NL_STOP;
    state->found = true;
    state->stp = nla_get_u32(br[IFLA_BR_STP_STATE]);
    state->delay = nla_get_u32(br[IFLA_BR_FORWARD_DELAY]);
    return NL_STOP;
}

static int
get_stp(struct nl_sock *sock, const char *name, StpState *state)
{
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
    int err;

    if (!msg)
        return -NLE_NOMEM;
    if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
        nla_put_string(msg, IFLA_IFNAME, name) < 0) {
        nlmsg_free(msg);
        return -NLE_NOMEM;
    }
    nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, parse_stp, state);
    err = nl_send_auto(sock, msg);
    nlmsg_free(msg);
    if (err >= 0)
        err = nl_recvmsgs_default(sock);
    if (err >= 0 && !state->found)
        err = -NLE_OPNOTSUPP;   /* a link, but not a bridge */
    return err;
}

int
vk_bridge_get_stp(const char *name, bool *stp, unsigned int *delay)
{
    struct nl_sock *sock = vk_netlink_open();
    StpState state = { 0 };
    int err;

    if (!sock)
        return -1;
    err = get_stp(sock, name, &state);
    nl_socket_free(sock);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "Unable to get STP of bridge %s: %s",
                        name, nl_geterror(err));
        return -1;
    }
    *stp = state.stp != 0;
    *delay = state.delay / USER_HZ;
    return 0;
}

/* What the search for a subnet's user looks for and finds. */
typedef struct {
    struct nl_addr *subnet;
    int ifindex;
} SubnetQuery;

/* ADDR/PREFIX stands for exactly QUERY's subnet (same family and length). */
static bool
same_subnet(const SubnetQuery *query, struct nl_addr *addr, unsigned int prefix)
{
    return addr && nl_addr_get_family(addr) == nl_addr_get_family(query->subnet) &&
           prefix == nl_addr_get_prefixlen(query->subnet) &&
           nl_addr_cmp_prefix(addr, query->subnet) == 0;   /* compares the first PREFIX bits */
}

static void
match_address(struct nl_object *obj, void *opaque)
{
    SubnetQuery *query = opaque;
    struct rtnl_addr *addr = (struct rtnl_addr *)obj;

    if (!query->ifindex &&
        same_subnet(query, rtnl_addr_get_local(addr), rtnl_addr_get_prefixlen(addr)))
        query->ifindex = rtnl_addr_get_ifindex(addr);
}

/* libvirt reads /proc/net/route: the main table's routes. */
static void
match_route(struct nl_object *obj, void *opaque)
{
    SubnetQuery *query = opaque;
    struct rtnl_route *route = (struct rtnl_route *)obj;
    struct nl_addr *dst = rtnl_route_get_dst(route);
    struct rtnl_nexthop *nh;

    if (query->ifindex || rtnl_route_get_table(route) != RT_TABLE_MAIN || !dst ||
        !same_subnet(query, dst, nl_addr_get_prefixlen(dst)) ||
        !(nh = rtnl_route_nexthop_n(route, 0)))
        return;
    query->ifindex = rtnl_route_nh_get_ifindex(nh);
}

/* Walk the addresses, then the routes, until QUERY finds its interface. */
static int
find_subnet_user(struct nl_sock *sock, SubnetQuery *query)
{
    struct nl_cache *cache = NULL;
    int err;

    if ((err = rtnl_addr_alloc_cache(sock, &cache)) < 0)
        return err;
    nl_cache_foreach(cache, match_address, query);
    nl_cache_free(cache);
    if (query->ifindex)
        return 0;
    if ((err = rtnl_route_alloc_cache(sock, AF_UNSPEC, 0, &cache)) < 0)
        return err;
    nl_cache_foreach(cache, match_route, query);
    nl_cache_free(cache);
    return 0;
}

int
vk_host_subnet_user(const char *address, unsigned int prefix, char **ifname)
{
    SubnetQuery query = { 0 };
    struct nl_sock *sock;
    struct rtnl_link *link = NULL;
    int err;

    if (nl_addr_parse(address, AF_UNSPEC, &query.subnet) < 0 ||
        prefix > nl_addr_get_len(query.subnet) * 8) {
        if (query.subnet)
            nl_addr_put(query.subnet);
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "invalid subnet %s/%u", address, prefix);
        return -1;
    }
    nl_addr_set_prefixlen(query.subnet, prefix);
    if (!(sock = vk_netlink_open())) {
        nl_addr_put(query.subnet);
        return -1;
    }
    err = find_subnet_user(sock, &query);
    if (err >= 0 && query.ifindex && (err = rtnl_link_get_kernel(sock, query.ifindex, NULL, &link)) >= 0) {
        *ifname = g_strdup(rtnl_link_get_name(link));
        rtnl_link_put(link);
    }
    nl_socket_free(sock);
    nl_addr_put(query.subnet);
    if (err < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot read the host's addresses and routes: %s",
                        nl_geterror(err));
        return -1;
    }
    return query.ifindex ? 1 : 0;
}

int
vk_bridge_check_subnet_free(const char *address, unsigned int prefix)
{
    g_autofree char *ifname = NULL;
    int rc = vk_host_subnet_user(address, prefix, &ifname);

    if (rc > 0)
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Network is already in use by interface %s", ifname);
    return rc == 0 ? 0 : -1;
}
