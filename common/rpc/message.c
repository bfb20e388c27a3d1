#include "common/rpc/message.h"

#include <string.h>

#define FRAME_PREFIX (VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE)

VkMessage *
vk_message_new(void)
{
    return g_new0(VkMessage, 1);
}

void
vk_message_free(VkMessage *msg)
{
    if (!msg)
        return;
    if (msg->done)
        msg->done(msg->done_data, msg->len > 0 && msg->offset == msg->len);
    g_free(msg->buf);
    g_free(msg);
}

VkMessage *
vk_message_copy(const VkMessage *msg)
{
    VkMessage *copy = vk_message_new();

    copy->header = msg->header;
    copy->buf = g_malloc(msg->len);
    memcpy(copy->buf, msg->buf, msg->len);
    copy->len = copy->alloc = msg->len;
    return copy;
}

static void
ensure_alloc(VkMessage *msg, gsize want)
{
    if (msg->alloc >= want)
        return;
    msg->buf = g_realloc(msg->buf, want);
    msg->alloc = want;
}

int
vk_message_encode(VkMessage *msg, const VkRpcHeader *hdr, xdrproc_t filter, void *data)
{
    /* Most replies fit in one page; bigger ones grow by four (encoding again). */
    gsize size = filter ? 16384 : FRAME_PREFIX;

    msg->header = *hdr;
    for (;;) {
        XDR xdr;
        bool ok = true;
        guint payload = 0;

        ensure_alloc(msg, size);
        if (filter) {
            xdrmem_create(&xdr, (char *) msg->buf + FRAME_PREFIX, size - FRAME_PREFIX, XDR_ENCODE);
            ok = filter(&xdr, data, 0);
            payload = xdr_getpos(&xdr);
            xdr_destroy(&xdr);
        }
        if (ok) {
            msg->len = FRAME_PREFIX + payload;
            vk_rpc_frame_put_length(msg->buf, msg->len);
            vk_rpc_header_encode(msg->buf + VK_RPC_LEN_SIZE, hdr);
            msg->offset = 0;
            return 0;
        }
        if (size >= VK_RPC_MAX_SIZE) {
            vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s",
                            "Unable to encode message payload");
            return -1;
        }
        size = MIN(size * 4, (gsize) VK_RPC_MAX_SIZE);
    }
}

int
vk_message_encode_raw(VkMessage *msg, const VkRpcHeader *hdr, const void *data, gsize len)
{
    if (FRAME_PREFIX + len > VK_RPC_MAX_SIZE) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "Unable to encode message payload");
        return -1;
    }
    msg->header = *hdr;
    ensure_alloc(msg, FRAME_PREFIX + len);
    if (len && data)
        memcpy(msg->buf + FRAME_PREFIX, data, len);
    msg->len = FRAME_PREFIX + len;
    vk_rpc_frame_put_length(msg->buf, msg->len);
    vk_rpc_header_encode(msg->buf + VK_RPC_LEN_SIZE, hdr);
    msg->offset = 0;
    return 0;
}

int
vk_message_encode_error(VkMessage *msg, const VkRpcHeader *call_hdr, const VkError *err)
{
    VkRpcHeader hdr = *call_hdr;
    VkError fallback = { .code = VIR_ERR_INTERNAL_ERROR, .domain = VIR_FROM_RPC,
                         .level = VIR_ERR_ERROR,
                         .message = (char *) "Library function returned error but did not set virError",
                         .int1 = -1, .int2 = -1 };

    hdr.type = VK_RPC_REPLY;
    hdr.status = VK_RPC_ERROR;
    /* An error reply always carries a message: clients rely on it. */
    if (!err || !err->message)
        err = &fallback;
    return vk_message_encode(msg, &hdr, (xdrproc_t) vk_xdr_error, (void *) err);
}

int
vk_message_begin_body(VkMessage *msg)
{
    guint32 len = vk_rpc_frame_get_length(msg->buf);

    if (vk_rpc_frame_check_length(len) < 0)
        return -1;
    msg->len = len;
    ensure_alloc(msg, len);
    return 0;
}

void
vk_message_finish_header(VkMessage *msg)
{
    vk_rpc_header_decode(msg->buf + VK_RPC_LEN_SIZE, &msg->header);
}

int
vk_message_decode_payload(const VkMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;
    gsize payload = msg->len - FRAME_PREFIX;
    bool ok;

    xdrmem_create(&xdr, (char *) msg->buf + FRAME_PREFIX, payload, XDR_DECODE);
    ok = filter(&xdr, data, 0) && xdr_getpos(&xdr) == payload;
    xdr_destroy(&xdr);
    if (!ok) {
        xdr_free(filter, data);
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "Unable to decode message payload");
        return -1;
    }
    return 0;
}

bool_t
vk_xdr_optional_string(XDR *xdrs, char **str)
{
    bool_t present = *str != NULL;

    if (!xdr_bool(xdrs, &present))
        return FALSE;
    if (!present) {
        if (xdrs->x_op == XDR_DECODE)
            *str = NULL;
        return TRUE;
    }
    return xdr_string(xdrs, str, VK_RPC_STRING_MAX);
}

/* An optional domain or network reference: we never send one, and skip it
 * on receipt (name, 16-byte UUID, and for domains the id). */
static bool_t
xdr_skip_optional_ref(XDR *xdrs, bool with_id)
{
    bool_t present = FALSE;
    char *name = NULL;
    char uuid[16];
    int id;
    bool_t ok;

    if (!xdr_bool(xdrs, &present))
        return FALSE;
    if (!present || xdrs->x_op != XDR_DECODE)
        return TRUE;
    ok = xdr_string(xdrs, &name, VK_RPC_STRING_MAX) &&
         xdr_opaque(xdrs, uuid, sizeof(uuid)) &&
         (!with_id || xdr_int(xdrs, &id));
    free(name);
    return ok;
}

bool_t
vk_xdr_error(XDR *xdrs, VkError *err)
{
    if (xdrs->x_op == XDR_FREE) {
        g_clear_pointer(&err->message, free);
        g_clear_pointer(&err->str1, free);
        g_clear_pointer(&err->str2, free);
        g_clear_pointer(&err->str3, free);
        return TRUE;
    }
    return xdr_int(xdrs, &err->code) &&
           xdr_int(xdrs, &err->domain) &&
           vk_xdr_optional_string(xdrs, &err->message) &&
           xdr_int(xdrs, &err->level) &&
           xdr_skip_optional_ref(xdrs, true) &&
           vk_xdr_optional_string(xdrs, &err->str1) &&
           vk_xdr_optional_string(xdrs, &err->str2) &&
           vk_xdr_optional_string(xdrs, &err->str3) &&
           xdr_int(xdrs, &err->int1) &&
           xdr_int(xdrs, &err->int2) &&
           xdr_skip_optional_ref(xdrs, false);
}
