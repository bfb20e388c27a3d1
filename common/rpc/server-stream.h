/* Streams: after a call that opens one (virsh console's DOMAIN_OPEN_CONSOLE,
 * say), bytes flow both ways as STREAM frames with that call's procedure
 * and serial, between the client and a file descriptor of ours (a pty).
 *
 * The wire, as libvirt's daemon speaks it: data goes out as STREAM /
 * CONTINUE frames, one at a time (the next only once the last is written);
 * the end of our data is an empty STREAM / CONTINUE; an error a STREAM /
 * ERROR frame with libvirt's error record.  From the client: STREAM / CONTINUE
 * carries data for the fd, STREAM / OK finishes and STREAM / ERROR aborts;
 * both are confirmed with an empty STREAM / OK, after which the stream is
 * gone.  Frames for a stream that is gone are dropped.  Sparse file
 * streams (server-file-stream.h) also pass holes, as STREAM_HOLE / CONTINUE
 * frames carrying VkNetStreamHole, both ways. */
#pragma once

#include <stdbool.h>

#include "common/rpc/server.h"

typedef struct _VkServerStream VkServerStream;

/* From a procedure handler: a stream for the call being handled, carrying
 * bytes between CLIENT and FD (taken).  It starts right after the call's
 * reply is sent, or is dropped if the call fails.  Returns a new reference
 * (for vk_server_stream_close()); the stream lives on without it. */
VkServerStream *vk_server_stream_open(VkServerClient *client, int fd);

VkServerStream *vk_server_stream_ref(VkServerStream *stream);
void vk_server_stream_unref(VkServerStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkServerStream, vk_server_stream_unref)

/* FN(DATA) runs once, in the main loop, when the stream lets go of its fd
 * (either side ended it, or the client went). */
void vk_server_stream_on_release(VkServerStream *stream, void (*fn)(gpointer), gpointer data);

/* FN(OK, DATA) runs once, in the main loop, when the stream is over: OK
 * when the client finished it (STREAM / OK) and, for an upload to a file,
 * the data is on disk; false when the client aborted or went, an I/O error
 * ended it, or the call that opened it failed.  A driver marks its object
 * busy when it opens the stream and frees it here. */
void vk_server_stream_on_finish(VkServerStream *stream, void (*fn)(bool ok, gpointer data),
                                gpointer data);

/* Break the stream off from our side (any thread): the fd is closed and
 * the client gets libvirt's "stream had I/O failure", as libvirtd's
 * clients do when another session takes their console. */
void vk_server_stream_abort(VkServerStream *stream);

/* ---- for common/rpc itself ---- */

/* program.c, around a handler: which call is being handled on this thread,
 * and after it: start the streams it opened (sending REPLY, which is taken,
 * first) when OK, else drop them.  Returns true when it took REPLY. */
void vk_server_stream_call_begin(VkServerClient *client, const VkRpcHeader *call);
bool vk_server_stream_call_end(bool ok, VkMessage *reply);

/* server-client.c (main loop): a STREAM or STREAM_HOLE frame from CLIENT. */
void vk_server_stream_receive(VkServerClient *client, VkMessage *msg);
/* server-client.c (main loop): CLIENT is going; let go of its streams. */
void vk_server_stream_detach_all(VkServerClient *client);
