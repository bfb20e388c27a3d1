/* Logging: libvirt-style levels, filters and outputs behind GLib's log API.
 *
 * A source file names its module before including this header:
 *
 *     #define VK_LOG_MODULE "rpc.server"
 *     #include "common/util/log.h"
 *
 * and then logs with g_debug() / g_info() / g_warning() / g_critical().  The
 * module travels as the GLib log domain, so filters ("1:rpc 3:util") match it.
 * Include this header last-ish and never from another header, so that the
 * module of the including .c file is the one that counts.
 *
 * g_debug() and g_info() are redefined here to test the level before the
 * message is formatted: a disabled debug line costs one atomic load. */
#pragma once

#include <glib.h>

#ifdef VK_LOG_MODULE
# undef G_LOG_DOMAIN
# define G_LOG_DOMAIN VK_LOG_MODULE
#endif

/* libvirt's numbers: log_level = 1 logs everything, 4 only errors. */
typedef enum {
    VK_LOG_DEBUG = 1,
    VK_LOG_INFO = 2,
    VK_LOG_WARNING = 3,
    VK_LOG_ERROR = 4,
} VkLogPriority;

#define VK_LOG_DEFAULT_PRIORITY VK_LOG_WARNING

/* Install our writer as GLib's structured log writer (once per process;
 * later calls do nothing).  Until then GLib's default writer is used. */
void vk_log_init(void);

/* Each setter replaces that part of the configuration; NULL or "" restores
 * the default (level 3; no filters; one output: journald when stderr is the
 * journal, else stderr).  The default output takes everything the level and
 * filters let through, so "1:rpc" alone is enough to see rpc debug lines.
 * They return -1 with an error naming the bad item and leave the
 * configuration unchanged. */
int vk_log_set_level(int level);
int vk_log_set_filters(const char *filters);   /* "1:rpc 3:util +1:qemu*" */
int vk_log_set_outputs(const char *outputs);   /* "1:stderr 2:journald 1:file:/p" */

/* Apply LIBVIRT_DEBUG, LIBVIRT_LOG_FILTERS and LIBVIRT_LOG_OUTPUTS when set
 * (they override the config file, as in libvirt). */
int vk_log_set_from_env(void);

/* Back to the defaults (tests, reload). */
void vk_log_reset(void);

int vk_log_get_level(void);
char *vk_log_get_filters(void);  /* as "1:rpc 3:util" */
char *vk_log_get_outputs(void);  /* as "1:stderr 2:file:/p" */

/* Would a message of PRIORITY from MODULE reach some output? */
gboolean vk_log_enabled(const char *module, VkLogPriority priority);

/* Priority of a GLib level (debug 1, info/message 2, warning 3, else 4). */
VkLogPriority vk_log_priority_from_glib(GLogLevelFlags level);

/* The lowest priority anything lets through; read by the macros below.
 * Internal: only log.c writes it. */
extern int vk_log_floor_;

#define VK_LOG_WANTED(prio) \
    (G_UNLIKELY(g_atomic_int_get(&vk_log_floor_) <= (prio)) && \
     vk_log_enabled(G_LOG_DOMAIN, (prio)))

#undef g_debug
#define g_debug(...) \
    (VK_LOG_WANTED(VK_LOG_DEBUG) \
     ? g_log_structured_standard(G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, __FILE__, \
                                 G_STRINGIFY(__LINE__), G_STRFUNC, __VA_ARGS__) \
     : (void) 0)

#undef g_info
#define g_info(...) \
    (VK_LOG_WANTED(VK_LOG_INFO) \
     ? g_log_structured_standard(G_LOG_DOMAIN, G_LOG_LEVEL_INFO, __FILE__, \
                                 G_STRINGIFY(__LINE__), G_STRFUNC, __VA_ARGS__) \
     : (void) 0)
