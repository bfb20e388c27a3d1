/* A daemon's own connection to a sibling daemon under the same root, as
 * libvirt's modular daemons keep one (virtqemud to virtnetworkd for ports,
 * to virtstoraged for volumes): opened at the first call, opened again when
 * the sibling went away meanwhile.  Calls are one at a time; usable from
 * any thread. */
#pragma once

#include "common/util/paths.h"
#include "drivers/remote/remote-connection.h"

typedef struct _VkDaemonLink VkDaemonLink;

/* The link to DAEMON ("virtstoraged") at PATHS' run directory, opened with
 * "SCHEME+unix:///system" ("storage").  Nothing is connected yet. */
VkDaemonLink *vk_daemon_link_new(const VkPaths *paths, const char *daemon, const char *scheme);
void vk_daemon_link_free(VkDaemonLink *link);

/* Call remote procedure PROC on the sibling (vk_remote_connection_call),
 * connecting first when needed, and once more on a fresh connection when
 * the old one turned out dead.  -1 with the sibling's error, or the
 * socket's ("Failed to connect socket to '<path>': ...") when it is not
 * running. */
int vk_daemon_link_call(VkDaemonLink *link, int proc, xdrproc_t args_filter, void *args,
                        xdrproc_t ret_filter, void *ret);
