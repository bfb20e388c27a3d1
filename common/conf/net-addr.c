#include "common/conf/net-addr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "common/util/error.h"

static int
addr_len(const VkNetAddr *addr)
{
    return addr->family == AF_INET6 ? 16 : 4;
}

int
vk_net_addr_parse(const char *str, VkNetAddr *out)
{
    memset(out, 0, sizeof(*out));
    if (!str)
        return -1;
    if (inet_pton(AF_INET, str, out->bytes) == 1) {
        out->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, str, out->bytes) == 1) {
        out->family = AF_INET6;
        return 0;
    }
    memset(out, 0, sizeof(*out));
    return -1;
}

char *
vk_net_addr_format(const VkNetAddr *addr)
{
    char text[INET6_ADDRSTRLEN];

    if (!addr->family || !inet_ntop(addr->family, addr->bytes, text, sizeof(text)))
        return NULL;
    return g_strdup(text);
}

char *
vk_net_addr_canonical(const char *str)
{
    VkNetAddr addr;

    return vk_net_addr_parse(str, &addr) < 0 ? NULL : vk_net_addr_format(&addr);
}

int
vk_net_addr_netmask_prefix(const VkNetAddr *mask)
{
    int bits = 0, len = addr_len(mask);
    bool ended = false;

    for (int i = 0; i < len * 8; i++) {
        bool one = mask->bytes[i / 8] & (0x80 >> (i % 8));
        if (one && ended)
            return -1;
        if (one)
            bits++;
        else
            ended = true;
    }
    return bits;
}

void
vk_net_addr_mask(const VkNetAddr *addr, int prefix, VkNetAddr *out)
{
    *out = *addr;
    for (int i = 0; i < addr_len(addr) * 8; i++) {
        if (i >= prefix)
            out->bytes[i / 8] &= (guint8) ~(0x80 >> (i % 8));
    }
}

bool
vk_net_addr_equal(const VkNetAddr *a, const VkNetAddr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, (size_t) addr_len(a)) == 0;
}

bool
vk_net_addr_same_subnet(const VkNetAddr *a, const VkNetAddr *b, int prefix)
{
    VkNetAddr ma, mb;

    if (a->family != b->family || prefix < 0 || prefix > addr_len(a) * 8)
        return false;
    vk_net_addr_mask(a, prefix, &ma);
    vk_net_addr_mask(b, prefix, &mb);
    return vk_net_addr_equal(&ma, &mb);
}

#define RANGE_ERR(...) vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __VA_ARGS__)

/* The checks against the subnet the range must sit in. */
static int
check_in_network(const VkNetAddr *start, const VkNetAddr *end, const VkNetAddr *network,
                 int prefix, const char *s, const char *e)
{
    g_autofree char *net = vk_net_addr_format(network);
    VkNetAddr base, last;

    if (prefix < 0 || prefix > addr_len(network) * 8 || network->family != start->family) {
        RANGE_ERR("bad prefix %d for network %s when  checking range %s - %s", prefix, net, s, e);
        return -1;
    }
    if (!vk_net_addr_same_subnet(start, network, prefix) ||
        !vk_net_addr_same_subnet(end, network, prefix)) {
        RANGE_ERR("range %s - %s is not entirely within network %s/%d", s, e, net, prefix);
        return -1;
    }
    if (network->family != AF_INET)
        return 0;
    vk_net_addr_mask(network, prefix, &base);
    last = base;
    for (int i = prefix; i < 32; i++)
        last.bytes[i / 8] |= (guint8) (0x80 >> (i % 8));
    if (vk_net_addr_equal(start, &base)) {
        RANGE_ERR("start of range %s - %s in network %s/%d is the network address", s, e, net,
                  prefix);
        return -1;
    }
    if (vk_net_addr_equal(end, &last)) {
        RANGE_ERR("end of range %s - %s in network %s/%d is the broadcast address", s, e, net,
                  prefix);
        return -1;
    }
    return 0;
}

int
vk_net_addr_check_range(const VkNetAddr *start, const VkNetAddr *end,
                        const VkNetAddr *network, int prefix)
{
    g_autofree char *s = vk_net_addr_format(start);
    g_autofree char *e = vk_net_addr_format(end);
    int len = addr_len(start);
    long size;

    if (start->family != end->family) {
        g_autofree char *net = network ? vk_net_addr_format(network) : NULL;
        RANGE_ERR("mismatch of address family in range %s - %s for network %s", s, e,
                  net ? net : "(none)");
        return -1;
    }
    if (network && check_in_network(start, end, network, prefix, s, e) < 0)
        return -1;
    /* libvirt counts at most 65535 addresses: all but the last two bytes agree */
    if (memcmp(start->bytes, end->bytes, (size_t) len - 2) != 0) {
        RANGE_ERR("range %s - %s is too large (> 65535)", s, e);
        return -1;
    }
    size = ((long) end->bytes[len - 2] * 256 + end->bytes[len - 1]) -
           ((long) start->bytes[len - 2] * 256 + start->bytes[len - 1]) + 1;
    if (size <= 0) {
        RANGE_ERR("range %s - %s is reversed ", s, e);
        return -1;
    }
    return 0;
}
