/* SIGTERM / SIGINT ask the daemon to quit, SIGHUP to reload its config.
 * The callbacks run from the main loop, not in signal context. */
#pragma once

#include <glib.h>

typedef void (*VkSignalCallback)(gpointer data);

typedef struct VkSignalWatch VkSignalWatch;

/* Watch the signals in CONTEXT (NULL: the default main context); either
 * callback may be NULL.  Also ignores SIGPIPE: a client going away must
 * not kill the daemon. */
VkSignalWatch *vk_signals_watch(GMainContext *context, VkSignalCallback quit,
                                VkSignalCallback reload, gpointer data);
void vk_signals_unwatch(VkSignalWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkSignalWatch, vk_signals_unwatch)
