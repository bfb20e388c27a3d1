/* One RPC message: its header and the whole encoded frame. */
#pragma once

#include <rpc/rpc.h>
#include <stdbool.h>

#include "common/rpc/frame.h"
#include "common/util/error.h"

/* libvirt's REMOTE_STRING_MAX: the longest string a message may carry. */
#define VK_RPC_STRING_MAX VK_NET_MESSAGE_STRING_MAX

/* Called once when an outgoing message leaves: SENT tells whether all of it
 * was written (false: dropped with its connection).  It may run on any
 * thread, with the connection's lock held: it must only hand work on. */
typedef void (*VkMessageDoneFunc)(gpointer data, bool sent);

typedef struct {
    VkRpcHeader header;
    guint8 *buf;     /* the frame: length word, header, payload */
    gsize len;       /* frame length (encoded, or announced by the peer) */
    gsize alloc;
    gsize offset;    /* socket I/O progress within buf */
    VkMessageDoneFunc done;   /* optional, see above */
    gpointer done_data;
} VkMessage;

VkMessage *vk_message_new(void);
void vk_message_free(VkMessage *msg);
/* The same frame in a new message, to be sent again (nothing sent yet, no
 * done callback). */
VkMessage *vk_message_copy(const VkMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkMessage, vk_message_free)

/* Encode HDR and the payload DATA through FILTER (NULL: no payload) into MSG,
 * ready to send.  Fails with an RPC error when the payload exceeds the limit. */
int vk_message_encode(VkMessage *msg, const VkRpcHeader *hdr, xdrproc_t filter, void *data);

/* Encode HDR and LEN raw bytes of DATA as the payload (stream data).  With
 * DATA NULL the payload is left for the caller to fill in place, at
 * vk_message_raw_payload(); encoding again with a smaller LEN keeps what
 * is there (a read that came up short). */
int vk_message_encode_raw(VkMessage *msg, const VkRpcHeader *hdr, const void *data, gsize len);

static inline guint8 *
vk_message_raw_payload(VkMessage *msg)
{
    return msg->buf + VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE;
}

/* Encode a REPLY with status ERROR carrying ERR, for the call CALL_HDR. */
int vk_message_encode_error(VkMessage *msg, const VkRpcHeader *call_hdr, const VkError *err);

/* Receiving: prepare MSG to take a frame whose length word is in the first
 * VK_RPC_LEN_SIZE bytes of buf.  -1 (RPC error) when the length is bad. */
int vk_message_begin_body(VkMessage *msg);
/* Receiving: the whole frame is in; decode the header. */
void vk_message_finish_header(VkMessage *msg);

/* Decode the payload into DATA through FILTER.  -1 with an RPC error when it
 * does not decode or leaves bytes over. */
int vk_message_decode_payload(const VkMessage *msg, xdrproc_t filter, void *data);

/* XDR of libvirt's error record, in both directions, straight from/to VkError
 * (the domain and network references are skipped when decoding). */
bool_t vk_xdr_error(XDR *xdrs, VkError *err);
/* XDR of an optional string (a "present" flag, then the string). */
bool_t vk_xdr_optional_string(XDR *xdrs, char **str);
