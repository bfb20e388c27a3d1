/* The remote program's connection-level procedures that every daemon answers
 * the same way (auth, open/close, features, hostname, library version, URI,
 * close callbacks), and the per-client connection state. */
#pragma once

#include <stdbool.h>

#include "common/rpc/program.h"
#include "common/rpc/server.h"

/* Per-client state of the remote program. */
typedef struct {
    bool open;
    char *uri;             /* the URI the client opened, or NULL */
    GMutex lock;           /* guards the three below */
    bool closed;
    GArray *close_hooks;   /* VkCloseHook: what to drop when the client goes */
    bool close_callback;   /* it registered virConnectRegisterCloseCallback */
} VkRemoteClient;

/* The remote program with the shared handlers.  URI is what
 * virConnectGetURI answers ("qemu:///system"). */
VkRpcProgram *vk_remote_program_new(const char *uri);
/* Give every client of SERVER its VkRemoteClient. */
void vk_remote_program_attach(VkServer *server);

VkRemoteClient *vk_remote_client(VkServerClient *client);

/* Call FUNC(DATA) once CLIENT has gone (state kept for it elsewhere, such
 * as event registrations, goes then).  False when it already has: FUNC
 * will not be called, the caller keeps nothing for it. */
bool vk_remote_client_on_close(VkServerClient *client, GDestroyNotify func, gpointer data);

/* Whether CLIENT registered a close callback: then it hears of a lost
 * connection behind this one (REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
 * common/driver/route-upstream.c). */
bool vk_remote_client_wants_close_event(VkServerClient *client);

/* The gate of a driver's own program (libvirt-qemu's, say): every call
 * needs the connection opened through the remote program first. */
int vk_remote_require_open(VkServerClient *client, const VkProcInfo *info);
