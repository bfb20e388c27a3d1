/* A connection URI as libvirt's remote driver understands it:
 * DRIVER[+TRANSPORT]://[HOST]/PATH[?PARAMS], e.g. "qemu:///system",
 * "qemu+unix:///system?socket=/tmp/x/virtqemud-sock", "network:///session".
 * Only local UNIX socket connections are supported. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Which socket of a host to pick when the URI names none (libvirt's
 * "mode" URI parameter). */
typedef enum {
    VK_URI_MODE_AUTO = 0,   /* the driver's own daemon if its socket exists, else libvirtd */
    VK_URI_MODE_LEGACY,     /* libvirt-sock (libvirtd or virtproxyd) */
    VK_URI_MODE_DIRECT,     /* the driver's own daemon, e.g. virtqemud-sock */
} VkUriMode;

typedef struct {
    char *uri;        /* as given */
    char *driver;     /* "qemu", "network", "storage", "nodedev" */
    char *daemon;     /* "virtqemud", ... */
    char *path;       /* "/system" or "/session" */
    char *socket;     /* the socket= parameter, or NULL */
    char *name;       /* what CONNECT_OPEN sends: the URI without transport
                       * and without the parameters the client consumed */
    bool session;
    VkUriMode mode;
} VkUri;

/* Parse URI.  NULL with an error naming URI when it is malformed or not one
 * we can connect to (unknown driver: VIR_ERR_NO_CONNECT as libvirt;
 * anything else: VIR_ERR_INVALID_ARG). */
VkUri *vk_uri_parse(const char *uri);
void vk_uri_free(VkUri *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkUri, vk_uri_free)

/* The socket to connect to for URI: the explicit socket, else the system
 * or session socket of the driver's daemon, falling back to libvirt-sock
 * as libvirt does when the daemon's own socket does not exist.
 * SYSTEM_RUN_DIR is where system sockets live (NULL: /run/libvirt). */
char *vk_uri_socket_path(const VkUri *uri, bool readonly, const char *system_run_dir);
