/* Sockets handed over by systemd (LISTEN_FDS / LISTEN_FDNAMES), sorted by
 * what they are for, and the readiness notification. */
#pragma once

#include <glib.h>

#include "common/util/paths.h"

typedef struct {
    /* int fds per VkSocketKind (VK_SOCKET_RW, _RO, _ADMIN); empty when
     * systemd passed none of that kind */
    GArray *fds[3];
} VkActivatedSockets;

/* What a socket is for, from its systemd name: "...-ro.socket" or "...-ro"
 * is read-only, "...-admin.socket" or "...-admin" is admin, anything else
 * (including no name) read-write. */
VkSocketKind vk_socket_activation_kind(const char *name);

/* Sort N fds with their NAMES (NAMES may be NULL) into SOCKETS. */
void vk_socket_activation_sort(VkActivatedSockets *sockets, const int *fds,
                               const char *const *names, int n);

/* Take the sockets systemd passed to this process (and clear the LISTEN_*
 * variables so children do not see them).  Returns the number taken (0
 * when not socket activated) or -1 with an error. */
int vk_socket_activation_take(VkActivatedSockets *sockets);

/* Close whatever is still in SOCKETS and free its arrays. */
void vk_activated_sockets_clear(VkActivatedSockets *sockets);

/* Tell systemd (Type=notify) that the daemon is ready / stopping; no-op
 * when not started by systemd. */
void vk_daemon_notify_ready(void);
void vk_daemon_notify_stopping(void);
