/* The life of a daemon, shared by all of them: options, config, logging,
 * pid file, sockets (own or handed over by systemd), the server, signals,
 * the idle timeout, and the driver that makes it a particular daemon. */
#pragma once

#include "common/rpc/program.h"
#include "common/rpc/server.h"
#include "common/util/paths.h"

typedef struct {
    const char *name;   /* "virtqemud": names its sockets, config and pid file */
    /* Optional: the sockets' name when it is not NAME (virtproxyd's are
     * libvirt's legacy "libvirt": libvirt-sock, libvirt-sock-ro,
     * libvirt-admin-sock). */
    const char *socket_name;
    const char *uri;    /* what virConnectGetURI answers: "qemu:///system" */
    /* The drivers whose calls this daemon passes on to their own daemons
     * (VK_PROC_OWNER_BIT mask; common/driver/router.h).  0: none, such
     * calls are answered "not supported". */
    unsigned int routes;
    /* Start the driver and add its handlers to REMOTE.  *DRIVER is passed
     * back to the other callbacks.  -1 with an error stops the daemon.
     * NULL: no driver (virtproxyd routes every call). */
    int (*start)(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
    /* Optional: the driver's own program, served beside the remote one
     * (virtqemud: the QEMU program of libvirt-qemu's calls).  Its calls
     * without a handler are routed as the remote program's are. */
    VkRpcProgram *(*private_program)(void);
    /* Optional: SIGHUP. */
    void (*reload)(gpointer driver);
    /* Optional: true while the driver must keep the daemon up (running
     * guests), whatever --timeout says. */
    gboolean (*busy)(gpointer driver);
    void (*stop)(gpointer driver);
} VkDaemonSpec;

/* Run the daemon described by SPEC; returns the process exit code. */
int vk_daemon_run(const VkDaemonSpec *spec, int argc, char **argv);
