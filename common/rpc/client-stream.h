/* The client's end of a stream: after a call that opens one (a volume's
 * upload or download), data goes both ways as STREAM frames carrying the
 * call's procedure and serial, as libvirt's client speaks it: CONTINUE
 * with bytes (an empty one is the end of the data), STREAM_HOLE for a hole
 * of a sparse stream, OK to finish (confirmed by an OK), ERROR to abort;
 * from the server an ERROR carries its error.  One thread uses a stream at
 * a time. */
#pragma once

#include <stdbool.h>

#include "common/rpc/client.h"

/* A stream on CLIENT, to be opened by vk_rpc_client_call_stream. */
VkRpcStream *vk_rpc_stream_new(VkRpcClient *client);
/* Close it (not finished: aborted) and free it. */
void vk_rpc_stream_free(VkRpcStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkRpcStream, vk_rpc_stream_free)

bool vk_rpc_stream_is_open(VkRpcStream *stream);

/* Send LEN bytes of DATA (in frames of libvirt's size): -1 with the error
 * (the server's, when it gave up on the stream). */
int vk_rpc_stream_send(VkRpcStream *stream, const void *data, gsize len);
/* Send a hole of LENGTH bytes. */
int vk_rpc_stream_send_hole(VkRpcStream *stream, gint64 length);

/* Receive up to LEN bytes into BUF: the count, 0 at the end of the data,
 * -1 with the error.  A hole next: -3 with STOP_AT_HOLE, else zeros. */
gssize vk_rpc_stream_recv(VkRpcStream *stream, void *buf, gsize len, bool stop_at_hole);
/* The length of the hole that comes next: -1 with an error when data
 * comes next. */
int vk_rpc_stream_recv_hole(VkRpcStream *stream, gint64 *length);

/* End the stream: tell the server the data is complete and wait for its
 * confirmation (or its error). */
int vk_rpc_stream_finish(VkRpcStream *stream);
/* Break it off; the server's answer is awaited, its error ignored. */
int vk_rpc_stream_abort(VkRpcStream *stream);

/* ---- streams passed on as they are (common/driver's router) ---- */

/* Called on the client's reader thread with each STREAM or STREAM_HOLE
 * frame (taken) of a relayed stream, as the server sent it; with NULL
 * once when the connection ended first. */
typedef void (*VkRpcRelayFunc)(VkMessage *frame, gpointer opaque);

/* vk_rpc_client_send_call for CALL, a call that opens a stream whose
 * frames go to FRAMES(frame, FRAMES_OPAQUE) from the start, until
 * vk_rpc_client_end_relay.  *SERIAL: the call's serial on this connection. */
int vk_rpc_client_send_relayed_call(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                                    gpointer opaque, VkRpcRelayFunc frames,
                                    gpointer frames_opaque, guint32 *serial);
/* Send FRAME (a STREAM or STREAM_HOLE frame, not taken) on the relayed
 * stream SERIAL, its serial replaced; -1 with an error when that stream
 * is over or the connection failed. */
int vk_rpc_client_send_relayed_frame(VkRpcClient *client, guint32 serial, VkMessage *frame);
/* The relayed stream SERIAL is over: its frames are dropped from now on.
 * Only from the reader thread (a FRAMES or reply callback), so that a
 * callback never runs after it. */
void vk_rpc_client_end_relay(VkRpcClient *client, guint32 serial);
