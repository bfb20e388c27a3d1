#include "common/host/netdev-features.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    F_RX, F_TX, F_SG, F_TSO, F_GSO, F_GRO, F_LRO, F_RXVLAN, F_TXVLAN, F_NTUPLE, F_RXHASH,
    F_RDMA, F_TXUDPTNL,
};

/* libvirt tests this bit of ETHTOOL_GFEATURES' first word for txudptnl */
#define TX_UDP_TNL_BIT 25

static bool
ethtool(int fd, const char *ifname, void *cmd)
{
    struct ifreq ifr = { 0 };

    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    ifr.ifr_data = cmd;
    return ioctl(fd, SIOCETHTOOL, &ifr) == 0;
}

static guint32
ethtool_features(int fd, const char *ifname)
{
    static const struct { guint32 cmd; int bit; } simple[] = {
        { ETHTOOL_GRXCSUM, F_RX }, { ETHTOOL_GTXCSUM, F_TX }, { ETHTOOL_GSG, F_SG },
        { ETHTOOL_GTSO, F_TSO }, { ETHTOOL_GGSO, F_GSO }, { ETHTOOL_GGRO, F_GRO },
    };
    static const struct { guint32 flag; int bit; } flags[] = {
        { ETH_FLAG_LRO, F_LRO }, { ETH_FLAG_RXVLAN, F_RXVLAN }, { ETH_FLAG_TXVLAN, F_TXVLAN },
        { ETH_FLAG_NTUPLE, F_NTUPLE }, { ETH_FLAG_RXHASH, F_RXHASH },
    };
    struct {
        struct ethtool_gfeatures head;
        struct ethtool_get_features_block blocks[2];
    } g = { .head = { .cmd = ETHTOOL_GFEATURES, .size = 2 } };
    struct ethtool_value v;
    guint32 out = 0;

    for (guint i = 0; i < G_N_ELEMENTS(simple); i++) {
        v = (struct ethtool_value) { .cmd = simple[i].cmd };
        if (ethtool(fd, ifname, &v) && v.data)
            out |= 1u << simple[i].bit;
    }
    v = (struct ethtool_value) { .cmd = ETHTOOL_GFLAGS };
    if (ethtool(fd, ifname, &v))
        for (guint i = 0; i < G_N_ELEMENTS(flags); i++)
            if (v.data & flags[i].flag)
                out |= 1u << flags[i].bit;
    if (ethtool(fd, ifname, &g) && (g.blocks[0].active & (1u << TX_UDP_TNL_BIT)))
        out |= 1u << F_TXUDPTNL;
    return out;
}

/* An RDMA device whose PCI resources are the interface's (libvirt's
 * virNetDevRDMAFeature). */
static bool
has_rdma(const char *sysfs, const char *ifname)
{
    g_autofree char *ib = g_build_filename(sysfs, "class", "infiniband", NULL);
    g_autofree char *own = g_build_filename(sysfs, "class", "net", ifname, "device",
                                            "resource", NULL);
    g_autofree char *own_text = NULL;
    g_autoptr(GDir) dir = g_dir_open(ib, 0, NULL);
    const char *name;

    if (!dir || !g_file_get_contents(own, &own_text, NULL, NULL))
        return false;
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *res = g_build_filename(ib, name, "device", "resource", NULL);
        g_autofree char *text = NULL;

        if (g_file_get_contents(res, &text, NULL, NULL) && strcmp(text, own_text) == 0)
            return true;
    }
    return false;
}

guint32
vk_netdev_get_features(const char *sysfs, const char *ifname)
{
    int fd = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    guint32 out;

    if (fd < 0)
        return 0;
    out = ethtool_features(fd, ifname);
    close(fd);
    if (has_rdma(sysfs, ifname))
        out |= 1u << F_RDMA;
    return out;
}
