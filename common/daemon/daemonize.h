/* --daemon: go to the background, but let the starting shell (or init
 * script) learn whether the daemon really came up. */
#pragma once

#include <glib.h>

/* Fork twice, start a new session, change to '/' and point stdin, stdout
 * and stderr at /dev/null.  Returns 0 in the daemon.  The original process
 * never returns: it waits until the daemon calls vk_daemonize_ready() and
 * exits 0, or prints the daemon's error and exits 1 when the daemon calls
 * vk_daemonize_failed() or dies first.  -1 (in the original process) when
 * the first fork fails. */
int vk_daemonize(void);

/* In the daemon: startup is done.  No-op when not daemonized or repeated. */
void vk_daemonize_ready(void);

/* In the daemon: startup failed because of MESSAGE (the parent prints it). */
void vk_daemonize_failed(const char *message);
