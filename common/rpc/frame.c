#include "common/rpc/frame.h"

#include "common/util/error.h"

static guint32
get_be32(const guint8 *p)
{
    return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
put_be32(guint8 *p, guint32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

int
vk_rpc_frame_check_length(guint32 len)
{
    if (len < VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC,
                        "packet %u bytes received from client too small, want %d",
                        len, VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE);
        return -1;
    }
    if (len > VK_RPC_MAX_SIZE + VK_RPC_LEN_SIZE) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC,
                        "packet %u bytes received from client too large, want %d",
                        len, VK_RPC_MAX_SIZE + VK_RPC_LEN_SIZE);
        return -1;
    }
    return 0;
}

guint32
vk_rpc_frame_get_length(const guint8 *buf)
{
    return get_be32(buf);
}

void
vk_rpc_frame_put_length(guint8 *buf, guint32 len)
{
    put_be32(buf, len);
}

void
vk_rpc_header_decode(const guint8 *buf, VkRpcHeader *hdr)
{
    hdr->prog = get_be32(buf);
    hdr->vers = get_be32(buf + 4);
    hdr->proc = (gint32) get_be32(buf + 8);
    hdr->type = get_be32(buf + 12);
    hdr->serial = get_be32(buf + 16);
    hdr->status = get_be32(buf + 20);
}

void
vk_rpc_header_encode(guint8 *buf, const VkRpcHeader *hdr)
{
    put_be32(buf, hdr->prog);
    put_be32(buf + 4, hdr->vers);
    put_be32(buf + 8, (guint32) hdr->proc);
    put_be32(buf + 12, hdr->type);
    put_be32(buf + 16, hdr->serial);
    put_be32(buf + 20, hdr->status);
}
