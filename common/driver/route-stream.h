/* A stream passed through the router (for common/driver/router.c): once a
 * call that opens a stream (a volume's upload or download, a console, a
 * screenshot) has gone to its owner's daemon, the STREAM and STREAM_HOLE
 * frames of that call pass both ways as they are, under the serial of the
 * client's call on one side and of the router's call on the other, until
 * either side ends the stream (a finish or abort confirmed, an error) or
 * either connection goes.
 *
 * Flow control: the client's frames go out through a server relay
 * (common/rpc/server-relay.h): a few at a time, after which the server
 * stops reading the client until the daemon's socket has taken them.  The
 * daemon's frames are sent to the client at most four at a time: the
 * connection's reader thread waits for them to leave, so that the daemon's
 * socket fills and its own pacing holds it back.  Nothing piles up. */
#pragma once

#include "common/driver/route-upstream.h"

/* Pass CLIENT's call MSG (not taken), which opens a stream, to OWNER's
 * daemon through UPS: its reply or error reaches the client as any routed
 * call's does, then the stream's frames follow both ways. */
void vk_route_stream_forward(VkRouteUpstreams *ups, VkProcOwner owner, VkServerClient *client,
                             const VkMessage *msg);
