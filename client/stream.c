/* Streams: the handle, its opening by a call (a volume's upload or
 * download), and moving the data, plain or sparse, through the RPC stream
 * (common/rpc/client-stream.h). */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

/* libvirt's buffer for the *All calls. */
#define ALL_CHUNK (256 * 1024)

virStreamPtr
virStreamNew(virConnectPtr conn, unsigned int flags)
{
    static const unsigned char no_uuid[VIR_UUID_BUFLEN];
    virStreamPtr st;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    (void) flags;   /* NONBLOCK: our calls block either way */
    st = g_new0(virStream, 1);
    vk_client_handle_init(&st->h, conn, NULL, no_uuid);
    return st;
}

int
vk_client_stream_call(virStreamPtr st, virStorageVolPtr vol, const char *func, int proc,
                      xdrproc_t args_filter, void *args, bool sparse)
{
    VkRpcStream *rpc;

    vk_client_enter();
    if (!vk_client_check_object(vol, VK_CLIENT_STORAGE_VOL, func) ||
        !vk_client_check_object(st, VK_CLIENT_STREAM, func))
        return -1;
    if (st->rpc) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_OPERATION_INVALID, "%s",
                        "the stream is already in use");
        vk_client_failed();
        return -1;
    }
    rpc = vk_rpc_stream_new(vk_remote_connection_get_client(st->h.conn->remote));
    vk_client_vol_to_wire(vol, args);
    if (vk_remote_connection_call_stream(st->h.conn->remote, proc, args_filter, args, NULL, NULL,
                                         rpc) < 0) {
        vk_rpc_stream_free(rpc);
        vk_client_failed();
        return -1;
    }
    st->rpc = rpc;
    st->sparse = sparse;
    return 0;
}

/* The entry of a call on ST, which a call must have opened. */
static bool
enter_open(virStreamPtr st, const char *func)
{
    vk_client_enter();
    if (!vk_client_check_object(st, VK_CLIENT_STREAM, func))
        return false;
    if (!st->rpc) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_OPERATION_INVALID, "%s",
                        "stream is not open");
        vk_client_failed();
        return false;
    }
    return true;
}

/* Pass RC through, reporting the failure when it is one. */
static int
result(int rc)
{
    if (rc < 0)
        vk_client_failed();
    return rc;
}

int
virStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    if (!enter_open(st, __func__) || !vk_client_check_nonnull(data, "data", __func__))
        return -1;
    nbytes = MIN(nbytes, (size_t) G_MAXINT);
    return result(vk_rpc_stream_send(st->rpc, data, nbytes) < 0 ? -1 : (int) nbytes);
}

int
virStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    gssize n;

    if (!enter_open(st, __func__) || !vk_client_check_nonnull(data, "data", __func__))
        return -1;
    n = vk_rpc_stream_recv(st->rpc, data, MIN(nbytes, (size_t) G_MAXINT),
                           flags & VIR_STREAM_RECV_STOP_AT_HOLE);
    return n == -1 ? result(-1) : (int) n;
}

int
virStreamRecv(virStreamPtr st, char *data, size_t nbytes)
{
    return virStreamRecvFlags(st, data, nbytes, 0);
}

int
virStreamSendHole(virStreamPtr st, long long length, unsigned int flags)
{
    if (!enter_open(st, __func__))
        return -1;
    if (length < 0 || flags) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_INVALID_ARG,
                        "length in %s must be positive and flags 0", __func__);
        return result(-1);
    }
    return result(vk_rpc_stream_send_hole(st->rpc, length));
}

int
virStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags)
{
    gint64 len = 0;

    if (!enter_open(st, __func__) || !vk_client_check_nonnull(length, "length", __func__))
        return -1;
    (void) flags;
    if (vk_rpc_stream_recv_hole(st->rpc, &len) < 0)
        return result(-1);
    *length = len;
    return 0;
}

/* --- all the data --------------------------------------------------------- */

int
virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;
    int n;

    if (!enter_open(st, __func__) || !vk_client_check_nonnull(handler, "handler", __func__))
        return -1;
    buf = g_malloc(ALL_CHUNK);
    while ((n = handler(st, buf, ALL_CHUNK, opaque)) > 0) {
        if (virStreamSend(st, buf, n) < 0)
            return -1;
    }
    if (n < 0) {
        virStreamAbort(st);
        return -1;
    }
    return 0;
}

int
virStreamSparseSendAll(virStreamPtr st, virStreamSourceFunc handler,
                       virStreamSourceHoleFunc holeHandler,
                       virStreamSourceSkipFunc skipHandler, void *opaque)
{
    g_autofree char *buf = NULL;

    if (!enter_open(st, __func__) || !vk_client_check_nonnull(handler, "handler", __func__) ||
        !vk_client_check_nonnull(holeHandler, "holeHandler", __func__) ||
        !vk_client_check_nonnull(skipHandler, "skipHandler", __func__))
        return -1;
    buf = g_malloc(ALL_CHUNK);
    for (;;) {
        int in_data = 0;
        long long section = 0;
        int n;

        if (holeHandler(st, &in_data, &section, opaque) < 0)
            goto fail;
        if (!in_data && section > 0) {
            /* a hole: say so and skip it in the source */
            if (virStreamSendHole(st, section, 0) < 0 || skipHandler(st, section, opaque) < 0)
                goto fail;
            continue;
        }
        if (!in_data)
            return 0;   /* the end of the source */
        n = handler(st, buf, MIN((long long) ALL_CHUNK, section), opaque);
        if (n < 0)
            goto fail;
        if (n == 0)
            return 0;
        if (virStreamSend(st, buf, n) < 0)
            return -1;
    }
 fail:
    virStreamAbort(st);
    return -1;
}

/* RecvAll and SparseRecvAll: with HOLE_HANDLER, holes go to it. */
static int
recv_all(virStreamPtr st, const char *func, virStreamSinkFunc handler,
         virStreamSinkHoleFunc hole_handler, void *opaque)
{
    g_autofree char *buf = NULL;

    if (!enter_open(st, func) || !vk_client_check_nonnull(handler, "handler", func))
        return -1;
    buf = g_malloc(ALL_CHUNK);
    for (;;) {
        int n = virStreamRecvFlags(st, buf, ALL_CHUNK,
                                   hole_handler ? VIR_STREAM_RECV_STOP_AT_HOLE : 0);
        long long hole;

        if (n == -3) {
            if (virStreamRecvHole(st, &hole, 0) < 0 || hole_handler(st, hole, opaque) < 0)
                goto fail;
            continue;
        }
        if (n <= 0)
            return n;
        for (int off = 0; off < n;) {
            int taken = handler(st, buf + off, n - off, opaque);

            if (taken <= 0)
                goto fail;
            off += taken;
        }
    }
 fail:
    virStreamAbort(st);
    return -1;
}

int
virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque)
{
    return recv_all(st, __func__, handler, NULL, opaque);
}

int
virStreamSparseRecvAll(virStreamPtr st, virStreamSinkFunc handler,
                       virStreamSinkHoleFunc holeHandler, void *opaque)
{
    vk_client_enter();
    if (!vk_client_check_nonnull(holeHandler, "holeHandler", __func__))
        return -1;
    return recv_all(st, __func__, handler, holeHandler, opaque);
}

/* --- the end -------------------------------------------------------------- */

int
virStreamFinish(virStreamPtr st)
{
    if (!enter_open(st, __func__))
        return -1;
    return result(vk_rpc_stream_finish(st->rpc));
}

int
virStreamAbort(virStreamPtr st)
{
    vk_client_enter();
    if (!vk_client_check_object(st, VK_CLIENT_STREAM, __func__))
        return -1;
    if (st->rpc)
        vk_rpc_stream_abort(st->rpc);
    return 0;
}

int
virStreamRef(virStreamPtr st)
{
    return vk_client_handle_ref(st, VK_CLIENT_STREAM, __func__);
}

static void
stream_free_rest(void *obj)
{
    virStreamPtr st = obj;

    vk_rpc_stream_free(st->rpc);
    g_free(st);
}

int
virStreamFree(virStreamPtr st)
{
    return vk_client_handle_free(st, VK_CLIENT_STREAM, __func__, stream_free_rest);
}
