/* The RPC client: one connection to a daemon, calls matched to replies by
 * serial (several may be in flight), keepalive answered, and server-sent
 * messages (events) handed to a callback. */
#pragma once

#include <stdbool.h>

#include "common/rpc/message.h"

typedef struct _VkRpcClient VkRpcClient;
typedef struct _VkRpcStream VkRpcStream;   /* client-stream.h */

/* Called on the client's reader thread for each MESSAGE from the server
 * (other than keepalive), and once more with MSG NULL when the connection
 * has ended (the daemon went away, or vk_rpc_client_free closed it). */
typedef void (*VkRpcEventFunc)(VkRpcClient *client, const VkMessage *msg, gpointer opaque);

VkRpcClient *vk_rpc_client_connect_unix(const char *path);
/* Close the connection and free the client (waits for the reader thread). */
void vk_rpc_client_free(VkRpcClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkRpcClient, vk_rpc_client_free)

void vk_rpc_client_set_event_func(VkRpcClient *client, VkRpcEventFunc func, gpointer opaque);

/* Call PROC and wait for its reply.  ARGS_FILTER / RET_FILTER may be NULL for
 * no arguments / no result.  -1 with the daemon's error (or a transport error)
 * as the thread's last error. */
int vk_rpc_client_call(VkRpcClient *client, guint32 prog, guint32 vers, int proc,
                       xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret);

/* The same for a call that opens STREAM (a vk_rpc_stream_new of CLIENT):
 * the stream frames of the call go to STREAM from the start; on failure it
 * stays unopened. */
int vk_rpc_client_call_stream(VkRpcClient *client, guint32 prog, guint32 vers, int proc,
                              xdrproc_t args_filter, void *args, xdrproc_t ret_filter,
                              void *ret, VkRpcStream *stream);

/* Called on the client's reader thread with the reply to a call sent by
 * vk_rpc_client_send_call (taken), or with NULL when the connection ended
 * before it came. */
typedef void (*VkRpcReplyFunc)(VkMessage *reply, gpointer opaque);

/* Send CALL, an encoded CALL frame whose serial is replaced by one of this
 * connection, without waiting: FUNC(reply, OPAQUE) runs once later.  -1
 * with an error when it could not be sent (FUNC then never runs). */
int vk_rpc_client_send_call(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                            gpointer opaque);

bool vk_rpc_client_is_open(VkRpcClient *client);

/* The daemon speaks keepalive: while a call waits, ping it after INTERVAL
 * seconds of silence and give up on the connection after COUNT unanswered
 * pings, so that a hung daemon cannot hang the client. */
void vk_rpc_client_set_keepalive(VkRpcClient *client, int interval, guint count);
