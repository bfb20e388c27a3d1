/* Routing of calls to the daemon that owns them, as libvirt's modular
 * daemons do: a qemu:///system client of virtqemud may list networks, and
 * virtqemud passes those calls to virtnetworkd (virtproxyd will pass
 * everything on the same way).  Which driver owns a procedure is
 * VkProcInfo.owner, generated from the procedure names.
 *
 * Frames pass untouched: a call's body goes to the owner's daemon under a
 * serial of a connection the router opened for that client (at its first
 * such call, to the -sock-ro socket when the client is read-only, opened
 * with "<driver>:///system"), and the reply or error comes back under the
 * client's serial.  Events from there reach the client as they are, but
 * under the client's own callback ids (route-callbacks.h: the daemons
 * number theirs each on its own).  When the client goes, its connections
 * are closed.  When the owner's daemon is not running the call fails with
 * the socket's error ("Failed to connect socket to ..."), and the next
 * call tries again.  When a daemon goes away, so do the client's event
 * registrations there, and a client that registered a close callback is
 * told (CONNECT_EVENT_CONNECTION_CLOSED), so that it opens again and
 * registers again, as libvirt's clients do.  A call that opens a stream
 * has its stream's frames passed both ways as well (route-stream.h).
 *
 * Which calls a client may make also follows the URI it opened, as on
 * libvirtd: "network:///system" reaches the network driver only,
 * "qemu:///system" every driver (virtproxyd passes the hypervisor's calls
 * to virtqemud). */
#pragma once

#include "common/rpc/program.h"
#include "common/util/paths.h"

typedef struct _VkRouter VkRouter;

/* Pass the calls of REMOTE (the remote program) that have no handler and
 * are owned by one of OWNERS (VK_PROC_OWNER_BIT mask) to that owner's
 * daemon under PATHS' root.  Free the router after the server. */
VkRouter *vk_router_new(VkRpcProgram *remote, const VkPaths *paths, unsigned int owners);
void vk_router_free(VkRouter *router);
/* Pass PROGRAM's calls that have no handler on the same way (virtproxyd:
 * the QEMU program's, all owned by the hypervisor's daemon). */
void vk_router_add_program(VkRouter *router, VkRpcProgram *program);

/* The daemon that serves OWNER: "virtnetworkd"; NULL for VK_PROC_OWNER_NONE. */
const char *vk_router_owner_daemon(VkProcOwner owner);
