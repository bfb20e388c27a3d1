/* One client's connections to the daemons that own the calls it makes
 * (for common/driver/router.c): one per owner, opened at the first call
 * and again after the daemon went away, to the read-only socket when the
 * client is read-only.  Events arriving on them go to the client as they
 * are, but for their callback ids (route-callbacks.h).  Reference counted; usable from any thread. */
#pragma once

#include "common/rpc/client.h"
#include "common/rpc/client-stream.h"
#include "common/rpc/server.h"
#include "common/util/paths.h"
#include "protocol/proc-info.h"

typedef struct _VkRouteUpstreams VkRouteUpstreams;
typedef struct _VkRouteCallbacks VkRouteCallbacks;   /* route-callbacks.h */

/* For CLIENT (referenced until the last unref); DATA is the creator's. */
VkRouteUpstreams *vk_route_upstreams_new(const VkPaths *paths, VkServerClient *client,
                                         gpointer data);
VkRouteUpstreams *vk_route_upstreams_ref(VkRouteUpstreams *ups);
void vk_route_upstreams_unref(VkRouteUpstreams *ups);

VkServerClient *vk_route_upstreams_client(VkRouteUpstreams *ups);
gpointer vk_route_upstreams_data(VkRouteUpstreams *ups);
/* The client's event callback ids: events from the daemons pass under
 * them, and a daemon's connection that is dropped takes its ids along. */
VkRouteCallbacks *vk_route_upstreams_callbacks(VkRouteUpstreams *ups);
/* Drop OWNER's connection when it has ended (its daemon went away). */
void vk_route_upstreams_drop_ended(VkRouteUpstreams *ups, VkProcOwner owner);

/* Send CALL (taken) to OWNER's daemon, connecting first when needed;
 * FUNC(reply, OPAQUE) runs once its answer is in.  -1 with the error
 * (the socket's, the daemon's refusal of CONNECT_OPEN, ...) otherwise:
 * FUNC never runs then. */
int vk_route_upstreams_send(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call,
                            VkRpcReplyFunc func, gpointer opaque);

/* The same when it needs no waiting (for the main loop): sent on OWNER's
 * connection if that is open and no other thread is busy with the
 * connections.  CALL is not taken.  -1 otherwise, with no error and
 * nothing done. */
int vk_route_upstreams_try_send(VkRouteUpstreams *ups, VkProcOwner owner, const VkMessage *call,
                                VkRpcReplyFunc func, gpointer opaque);
/* The same for a call that opens a stream: the daemon's frames of that
 * stream go to FRAMES(frame, FRAMES_OPAQUE) on the connection's reader
 * thread (vk_rpc_client_send_relayed_call), and *CONN and *SERIAL (written
 * under the connections' lock) name the stream there for
 * vk_route_upstreams_send_frame. */
int vk_route_upstreams_send_stream(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call,
                                   VkRpcReplyFunc func, gpointer opaque, VkRpcRelayFunc frames,
                                   gpointer frames_opaque, VkRpcClient **conn, guint32 *serial);
/* Send the client's FRAME (not taken) on the stream *SERIAL of *CONN (read
 * under the connections' lock), while that is still OWNER's connection.
 * It may block while the daemon's socket is full.  -1 with an error when
 * the stream or its connection is gone. */
int vk_route_upstreams_send_frame(VkRouteUpstreams *ups, VkProcOwner owner,
                                  VkRpcClient *const *conn, const guint32 *serial,
                                  VkMessage *frame);

/* Send REPLY (taken) from a daemon to CLIENT under the serial of its call
 * CALL; NULL: that daemon's connection ended first, and the client gets
 * libvirt's end-of-file error. */
void vk_route_reply(VkServerClient *client, const VkRpcHeader *call, VkMessage *reply);
/* Answer CLIENT's call CALL with the thread's last error. */
void vk_route_answer_error(VkServerClient *client, const VkRpcHeader *call);

/* The client has gone: send each daemon CONNECT_CLOSE and disconnect,
 * without waiting for answers.  Sends fail from now on. */
void vk_route_upstreams_close(VkRouteUpstreams *ups);
