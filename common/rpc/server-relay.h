/* A stream that this server passes on instead of serving it (common/driver's
 * router): the client's STREAM and STREAM_HOLE frames of one call go, in
 * order and as they are, to a function that sends them to another daemon.
 *
 * Flow control: that function runs on a thread of the server's relay pool
 * and may block (the other daemon's socket is full); meanwhile the frames
 * waiting for it count as the client's calls in flight, so at the client's
 * max_client_requests the server stops reading its socket until they have
 * gone.  Memory stays bounded by that many frames per client, and a big
 * upload moves at the pace of the daemon that writes it. */
#pragma once

#include "common/rpc/server.h"

typedef struct _VkServerRelay VkServerRelay;

/* FRAME is taken. */
typedef void (*VkServerRelayFunc)(VkMessage *frame, gpointer opaque);

/* Relay CLIENT's frames of the call CALL (its program, procedure and serial)
 * to FUNC(frame, OPAQUE) from now on.  DESTROY(OPAQUE) runs when the relay
 * is freed.  Any thread.  Returns a reference for vk_server_relay_end. */
VkServerRelay *vk_server_relay_new(VkServerClient *client, const VkRpcHeader *call,
                                   VkServerRelayFunc func, gpointer opaque,
                                   GDestroyNotify destroy);
/* The stream is over: frames still waiting and frames to come are dropped.
 * Takes the reference.  Any thread. */
void vk_server_relay_end(VkServerRelay *relay);

/* ---- for common/rpc itself ---- */

/* server-stream.c (main loop): true when MSG (taken then) belongs to a relay. */
bool vk_server_relay_take(VkServerClient *client, VkMessage *msg);
/* server-client.c (main loop): CLIENT is going; its relays end. */
void vk_server_relay_detach_all(VkServerClient *client);
