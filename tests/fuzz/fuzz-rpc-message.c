/* libFuzzer target: the bytes a peer writes on an RPC socket.  Each frame
 * goes through the receiving side's code: the length word through
 * vk_message_begin_body (the frame length check), the header through
 * vk_message_finish_header, and the payload through the XDR filter the
 * receiver picks for it: a call's or an event's arguments, a reply's return
 * value, the error record of a failed reply or stream, a stream hole.
 *
 * Nothing may crash or leak, and a payload that decodes must encode again
 * to bytes that decode and encode to the same bytes.  Error records also go
 * through the generated filter of protocol/virnet.x, which the hand-written
 * vk_xdr_error must agree with. */
#include "common/rpc/message.h"
#include "fuzz-fail.h"

#include <stdint.h>
#include <string.h>

#include "admin-procs.h"
#include "admin-protocol.h"
#include "keepalive-procs.h"
#include "keepalive-protocol.h"
#include "qemu-procs.h"
#include "qemu-protocol.h"
#include "remote-procs.h"
#include "remote-protocol.h"

typedef struct {
    guint32 prog;
    const VkProcInfo *(*lookup)(int proc);
    guint32 table_size;
} Program;

/* Every program a daemon serves. */
static const Program programs[] = {
    { REMOTE_PROGRAM, vk_remote_proc_lookup, VK_REMOTE_PROC_TABLE_SIZE },
    { QEMU_PROGRAM, vk_qemu_proc_lookup, VK_QEMU_PROC_TABLE_SIZE },
    { KEEPALIVE_PROGRAM, vk_keepalive_proc_lookup, VK_KEEPALIVE_PROC_TABLE_SIZE },
    { ADMIN_PROGRAM, vk_admin_proc_lookup, VK_ADMIN_PROC_TABLE_SIZE },
};

/* The procedure the header names.  When it names none, the program and
 * procedure numbers are taken modulo the programs and the table sizes, so
 * that any mutation of them still reaches some procedure's filter. */
static const VkProcInfo *
pick_procedure(const VkRpcHeader *hdr)
{
    const Program *program = &programs[hdr->prog % G_N_ELEMENTS(programs)];
    const VkProcInfo *info;

    for (gsize i = 0; i < G_N_ELEMENTS(programs); i++)
        if (programs[i].prog == hdr->prog)
            program = &programs[i];
    if (program->prog == hdr->prog && (info = program->lookup(hdr->proc)))
        return info;
    return program->lookup((guint32) hdr->proc % program->table_size);
}

/* Error records go out through vk_message_encode_error, as the server
 * sends them; everything else through vk_message_encode. */
static int
encode(VkMessage *msg, const VkRpcHeader *hdr, xdrproc_t filter, void *value)
{
    if (filter == (xdrproc_t) vk_xdr_error)
        return vk_message_encode_error(msg, hdr, value);
    return vk_message_encode(msg, hdr, filter, value);
}

/* Encode VALUE (decoded from MSG), decode that and encode it again: the two
 * encodings must be the same.  (The first may differ from MSG: decoding
 * takes any non-zero boolean as true and ignores padding bytes.) */
static void
check_encoding_is_stable(const VkMessage *msg, xdrproc_t filter, gsize size, void *value)
{
    g_autoptr(VkMessage) once = vk_message_new();
    g_autoptr(VkMessage) twice = vk_message_new();
    g_autofree void *again = g_malloc0(size);

    if (encode(once, &msg->header, filter, value) < 0) {
        /* The encoder's limit is 4 bytes below the largest frame accepted. */
        if (msg->len > VK_RPC_MAX_SIZE)
            return;
        fuzz_fail("decoded payload does not encode: %s", vk_error_last_message());
    }
    if (vk_message_decode_payload(once, filter, again) < 0)
        fuzz_fail("encoded payload does not decode: %s", vk_error_last_message());
    if (encode(twice, &once->header, filter, again) < 0)
        fuzz_fail("decoded payload does not encode a second time: %s", vk_error_last_message());
    if (once->len != twice->len || memcmp(once->buf, twice->buf, once->len) != 0)
        fuzz_fail("payload encodes differently a second time");
    xdr_free(filter, again);
}

/* The generated filter for libvirt's error record must accept exactly what
 * vk_xdr_error accepts, with the same fields. */
static void
check_error_matches_generated(const VkMessage *msg, const VkError *err, gboolean decoded)
{
    VkNetMessageError generated = { 0 };
    XDR xdr;
    gsize payload = msg->len - VK_RPC_LEN_SIZE - VK_RPC_HEADER_SIZE;
    gboolean ok;

    xdrmem_create(&xdr, (char *) msg->buf + VK_RPC_LEN_SIZE + VK_RPC_HEADER_SIZE, payload,
                  XDR_DECODE);
    ok = xdr_VkNetMessageError(&xdr, &generated) && xdr_getpos(&xdr) == payload;
    xdr_destroy(&xdr);
    if (ok != decoded)
        fuzz_fail("vk_xdr_error %s an error record that virnet.x's filter %s",
                  decoded ? "accepts" : "refuses", ok ? "accepts" : "refuses");
    if (ok && (err->code != generated.code || err->domain != generated.domain ||
               err->level != generated.level || err->int1 != generated.int1 ||
               err->int2 != generated.int2 ||
               g_strcmp0(err->message, generated.message ? *generated.message : NULL) != 0 ||
               g_strcmp0(err->str1, generated.str1 ? *generated.str1 : NULL) != 0 ||
               g_strcmp0(err->str2, generated.str2 ? *generated.str2 : NULL) != 0 ||
               g_strcmp0(err->str3, generated.str3 ? *generated.str3 : NULL) != 0))
        fuzz_fail("vk_xdr_error and virnet.x's filter decode an error record differently");
    xdr_free((xdrproc_t) xdr_VkNetMessageError, (char *) &generated);
}

/* Decode MSG's payload through FILTER into a zeroed SIZE bytes, as the
 * receiver does, and check what decodes. */
static void
check_payload(const VkMessage *msg, xdrproc_t filter, gsize size)
{
    g_autofree void *value = NULL;
    gboolean decoded;

    if (!filter)
        return;   /* no payload: the receiver does not look at it */
    value = g_malloc0(size);
    decoded = vk_message_decode_payload(msg, filter, value) == 0;
    if (filter == (xdrproc_t) vk_xdr_error)
        check_error_matches_generated(msg, value, decoded);
    if (!decoded)
        return;   /* vk_message_decode_payload freed what it had decoded */
    check_encoding_is_stable(msg, filter, size, value);
    xdr_free(filter, value);
}

/* The payload's type follows from the header (see protocol/virnet.x). */
static void
check_message(const VkMessage *msg)
{
    const VkRpcHeader *hdr = &msg->header;
    const VkProcInfo *info;

    if (hdr->status == VK_RPC_ERROR) {
        check_payload(msg, (xdrproc_t) vk_xdr_error, sizeof(VkError));
        return;
    }
    if (hdr->type == VK_RPC_STREAM_HOLE) {
        check_payload(msg, (xdrproc_t) xdr_VkNetStreamHole, sizeof(VkNetStreamHole));
        return;
    }
    if (hdr->type != VK_RPC_CALL && hdr->type != VK_RPC_MESSAGE && hdr->type != VK_RPC_REPLY)
        return;   /* stream data is raw bytes; descriptors are not passed here */
    info = pick_procedure(hdr);
    if (!info)
        return;   /* a gap in the table */
    if (hdr->type == VK_RPC_REPLY)
        check_payload(msg, info->ret_filter, info->ret_size);
    else
        check_payload(msg, info->args_filter, info->args_size);
}

/* Take the frame at the start of DATA; returns its length, or 0 when there
 * is none (a bad length word, or a frame longer than what is left). */
static gsize
take_frame(const guint8 *data, gsize size)
{
    guint32 announced = vk_rpc_frame_get_length(data);
    g_autoptr(VkMessage) msg = NULL;

    /* The receiver would allocate the whole frame and wait for the rest;
     * skipping that allocation (up to 32 MiB) keeps the runs fast. */
    if (announced > size && vk_rpc_frame_check_length(announced) == 0)
        return 0;
    msg = vk_message_new();
    msg->buf = g_malloc(VK_RPC_LEN_SIZE);
    msg->alloc = VK_RPC_LEN_SIZE;
    memcpy(msg->buf, data, VK_RPC_LEN_SIZE);
    if (vk_message_begin_body(msg) < 0)
        return 0;
    memcpy(msg->buf, data, msg->len);
    vk_message_finish_header(msg);
    check_message(msg);
    return msg->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Frames back to back, as a socket delivers them. */
    while (size >= VK_RPC_LEN_SIZE) {
        gsize used = take_frame(data, size);

        if (!used)
            break;
        data += used;
        size -= used;
    }
    vk_error_reset();
    return 0;
}
