/* The daemon's pid file, locked for as long as the daemon runs so that a
 * second instance refuses to start instead of sharing sockets and state. */
#pragma once

#include <glib.h>

typedef struct VkPidFile VkPidFile;

/* Create PATH (and its directory), lock it and write our pid into it.  A
 * file left by a dead process is taken over; one locked by a live process
 * fails with VIR_ERR_RESOURCE_BUSY naming the file and that process. */
VkPidFile *vk_pidfile_acquire(const char *path);

/* Remove the file (if it is still ours), unlock and free. */
void vk_pidfile_release(VkPidFile *pidfile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPidFile, vk_pidfile_release)
