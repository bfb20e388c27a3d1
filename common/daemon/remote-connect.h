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
    /* Driver state for this client (event registrations...).  Freed when
     * the client goes, which also breaks reference cycles through it. */
    gpointer driver_state;
    GDestroyNotify driver_state_free;
} VkRemoteClient;

/* The remote program with the shared handlers.  URI is what
 * virConnectGetURI answers ("qemu:///system"). */
VkRpcProgram *vk_remote_program_new(const char *uri);
/* Give every client of SERVER its VkRemoteClient. */
void vk_remote_program_attach(VkServer *server);

VkRemoteClient *vk_remote_client(VkServerClient *client);

/* The gate of a driver's own program (libvirt-qemu's, say): every call
 * needs the connection opened through the remote program first. */
int vk_remote_require_open(VkServerClient *client, const VkProcInfo *info);
