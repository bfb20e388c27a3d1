/* The daemon's own .conf (virtqemud.conf, ...): limits, workers, keepalive,
 * logging and socket permissions, with libvirt's names and defaults. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "common/util/conf-file.h"

typedef struct {
    unsigned int max_clients;                 /* 5000 */
    unsigned int max_anonymous_clients;       /* 20: not yet authenticated */
    unsigned int max_queued_clients;          /* 1000: listen() backlog */
    unsigned int max_client_requests;         /* 5: in flight per client */
    unsigned int min_workers;                 /* 1 */
    unsigned int max_workers;                 /* 20 */
    unsigned int prio_workers;                /* 5: for calls that must not wait */

    int keepalive_interval;                   /* 5 s; -1 disables */
    unsigned int keepalive_count;             /* 5 */

    unsigned int admin_max_clients;           /* 5000 */
    unsigned int admin_max_queued_clients;    /* 20 */
    unsigned int admin_max_client_requests;   /* 5 */
    unsigned int admin_min_workers;           /* 1 */
    unsigned int admin_max_workers;           /* 5 */
    int admin_keepalive_interval;             /* 5 */
    unsigned int admin_keepalive_count;       /* 5 */

    int log_level;                            /* 0 = not set, else 1..4 */
    char *log_filters;
    char *log_outputs;

    char *unix_sock_group;                    /* NULL: keep the daemon's group */
    char *unix_sock_dir;                      /* NULL: the run directory */
    mode_t unix_sock_ro_perms;                /* "0777" */
    mode_t unix_sock_rw_perms;                /* "0700" */
    mode_t unix_sock_admin_perms;             /* "0700" */
} VkDaemonConfig;

/* A config holding the defaults. */
VkDaemonConfig *vk_daemon_config_new(void);
void vk_daemon_config_free(VkDaemonConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDaemonConfig, vk_daemon_config_free)

/* Read PATH over CFG.  A missing file is fine (defaults stay); unknown keys
 * are ignored; a syntax error, a wrong type or a bad value fails with a
 * VIR_FROM_CONF error naming the file, the line and the key. */
int vk_daemon_config_load(VkDaemonConfig *cfg, const char *path);
/* The same from an already parsed file. */
int vk_daemon_config_apply(VkDaemonConfig *cfg, const VkConfFile *conf);

/* Install the log writer and apply log_level / log_filters / log_outputs,
 * then the LIBVIRT_LOG_* environment (which wins, as in libvirt); VERBOSE
 * lowers the level to info when nothing asked for more. */
int vk_daemon_config_setup_logging(const VkDaemonConfig *cfg, gboolean verbose);
