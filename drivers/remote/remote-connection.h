/* One client connection to a Virtkit (or libvirt) daemon over the remote
 * program: socket chosen from the URI, authentication, keepalive feature,
 * CONNECT_OPEN; then synchronous calls of remote procedures. */
#pragma once

#include <rpc/rpc.h>
#include <stdbool.h>

#include "drivers/remote/uri.h"

typedef struct _VkRemoteConnection VkRemoteConnection;
typedef struct _VkRpcClient VkRpcClient;
typedef struct _VkRpcStream VkRpcStream;

/* libvirt's VIR_CONNECT_RO: open read-only (the -ro socket, and the daemon
 * refuses calls that change anything). */
#define VK_REMOTE_OPEN_RO (1u << 0)

/* Connect to the daemon URI names and open it.  NULL with the error (a bad
 * URI, the socket's, or the daemon's) as the thread's last error. */
VkRemoteConnection *vk_remote_connection_open(const char *uri, unsigned int flags);

/* Send CONNECT_CLOSE when the link is still up, then disconnect and free.
 * -1 (with the daemon's error) when the daemon refused the close; the
 * connection is freed either way. */
int vk_remote_connection_close(VkRemoteConnection *conn);

/* Call remote procedure PROC (REMOTE_PROC_*).  ARGS_FILTER / RET_FILTER
 * NULL for none.  On success the caller owns what RET holds (xdr_free). */
int vk_remote_connection_call(VkRemoteConnection *conn, int proc,
                              xdrproc_t args_filter, void *args,
                              xdrproc_t ret_filter, void *ret);

/* The same for a call that opens STREAM (vk_rpc_stream_new of this
 * connection's client): upload, download. */
int vk_remote_connection_call_stream(VkRemoteConnection *conn, int proc,
                                     xdrproc_t args_filter, void *args,
                                     xdrproc_t ret_filter, void *ret, VkRpcStream *stream);

const VkUri *vk_remote_connection_get_uri(VkRemoteConnection *conn);
/* The socket the connection went to. */
const char *vk_remote_connection_get_socket(VkRemoteConnection *conn);
bool vk_remote_connection_is_readonly(VkRemoteConnection *conn);
/* False once the daemon closed the socket. */
bool vk_remote_connection_is_alive(VkRemoteConnection *conn);
/* Whether the daemon said yes to the keepalive program. */
bool vk_remote_connection_has_keepalive(VkRemoteConnection *conn);
/* The RPC client underneath, for event callbacks. */
VkRpcClient *vk_remote_connection_get_client(VkRemoteConnection *conn);
