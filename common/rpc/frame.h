/* The wire frame of libvirt's RPC protocol: a 4-byte big-endian length that
 * counts itself, a 24-byte header, then the XDR payload. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "virnet-protocol.h"

/* The sizes protocol/virnet.x defines (libvirt 9.0's limits). */
#define VK_RPC_LEN_SIZE VK_NET_MESSAGE_LEN_MAX
#define VK_RPC_HEADER_SIZE VK_NET_MESSAGE_HEADER_MAX
#define VK_RPC_MAX_SIZE VK_NET_MESSAGE_MAX

typedef enum {
    VK_RPC_CALL = 0,
    VK_RPC_REPLY = 1,
    VK_RPC_MESSAGE = 2,
    VK_RPC_STREAM = 3,
    VK_RPC_CALL_WITH_FDS = 4,
    VK_RPC_REPLY_WITH_FDS = 5,
    VK_RPC_STREAM_HOLE = 6,
} VkRpcType;

typedef enum {
    VK_RPC_OK = 0,
    VK_RPC_ERROR = 1,
    VK_RPC_CONTINUE = 2,
} VkRpcStatus;

typedef struct {
    guint32 prog;
    guint32 vers;
    gint32 proc;
    guint32 type;    /* VkRpcType */
    guint32 serial;
    guint32 status;  /* VkRpcStatus */
} VkRpcHeader;

/* Check a frame's length word (the whole frame, length word included):
 * 0 when acceptable, -1 with an RPC error otherwise. */
int vk_rpc_frame_check_length(guint32 len);

/* Read / write the length word at BUF. */
guint32 vk_rpc_frame_get_length(const guint8 *buf);
void vk_rpc_frame_put_length(guint8 *buf, guint32 len);

/* Read / write the header that follows the length word (BUF points at it). */
void vk_rpc_header_decode(const guint8 *buf, VkRpcHeader *hdr);
void vk_rpc_header_encode(guint8 *buf, const VkRpcHeader *hdr);
