/* One client's connections to the daemons that own the calls it makes
 * (for common/driver/router.c): one per owner, opened at the first call
 * and again after the daemon went away, to the read-only socket when the
 * client is read-only.  Events arriving on them go to the client as they
 * are.  Reference counted; usable from any thread. */
#pragma once

#include "common/rpc/client.h"
#include "common/rpc/server.h"
#include "common/util/paths.h"
#include "protocol/proc-info.h"

typedef struct _VkRouteUpstreams VkRouteUpstreams;

/* For CLIENT (referenced until the last unref); DATA is the creator's. */
VkRouteUpstreams *vk_route_upstreams_new(const VkPaths *paths, VkServerClient *client,
                                         gpointer data);
VkRouteUpstreams *vk_route_upstreams_ref(VkRouteUpstreams *ups);
void vk_route_upstreams_unref(VkRouteUpstreams *ups);

VkServerClient *vk_route_upstreams_client(VkRouteUpstreams *ups);
gpointer vk_route_upstreams_data(VkRouteUpstreams *ups);

/* Send CALL (taken) to OWNER's daemon, connecting first when needed;
 * FUNC(reply, OPAQUE) runs once its answer is in.  -1 with the error
 * (the socket's, the daemon's refusal of CONNECT_OPEN, ...) otherwise:
 * FUNC never runs then. */
int vk_route_upstreams_send(VkRouteUpstreams *ups, VkProcOwner owner, VkMessage *call,
                            VkRpcReplyFunc func, gpointer opaque);

/* The client has gone: send each daemon CONNECT_CLOSE and disconnect,
 * without waiting for answers.  Sends fail from now on. */
void vk_route_upstreams_close(VkRouteUpstreams *ups);
