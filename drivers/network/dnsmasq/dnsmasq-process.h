/* One dnsmasq per virtual network, run as libvirtd runs it: its files under
 * ROOT/var/lib/libvirt/dnsmasq (NAME.conf, NAME.hostsfile, NAME.addnhosts),
 * "dnsmasq --conf-file=NAME.conf --leasefile-ro --dhcp-script=HELPER",
 * daemonized, its pid in ROOT/run/libvirt/network/NAME.pid.  dnsmasq drops
 * to user nobody by itself (libvirt passes no user=); the lease script
 * still runs as root.  For the network driver; blocking calls (a worker
 * thread, never the main loop).
 *
 * Changes while it runs, libvirt's split: a dhcp <host> or a <dns><host>
 * lives in the hostsfile/addnhosts, so vk_dnsmasq_reload() rewrites them
 * and sends SIGHUP; anything in the conf file (ranges, txt/srv records,
 * domain, forwarders) needs vk_dnsmasq_stop() and vk_dnsmasq_start(). */
#pragma once

#include <sys/types.h>

#include <glib.h>

#include "common/conf/network-def.h"
#include "common/util/paths.h"

#define VK_DNSMASQ_BINARY "/usr/sbin/dnsmasq"
/* libvirt 9.0 refuses older ones (no bind-dynamic / ra-param / DHCPv6) */
#define VK_DNSMASQ_MIN_VERSION 2067000

typedef struct {
    char *state_dir;   /* ROOT/var/lib/libvirt/dnsmasq */
    char *conf;        /* STATE_DIR/NAME.conf */
    char *hostsfile;   /* STATE_DIR/NAME.hostsfile */
    char *addnhosts;   /* STATE_DIR/NAME.addnhosts */
    char *pidfile;     /* ROOT/run/libvirt/network/NAME.pid */
} VkDnsmasqFiles;

VkDnsmasqFiles *vk_dnsmasq_files_new(const VkPaths *paths, const char *network);
void vk_dnsmasq_files_free(VkDnsmasqFiles *files);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDnsmasqFiles, vk_dnsmasq_files_free)

/* ROOT/var/lib/libvirt/dnsmasq/BRIDGE.status: the leases helper's file. */
char *vk_dnsmasq_status_path(const VkPaths *paths, const char *bridge);

/* Write NAME.conf (0600), NAME.hostsfile and NAME.addnhosts (0644: dnsmasq
 * reads them again as nobody) atomically, creating the directories. */
int vk_dnsmasq_write_files(const VkPaths *paths, const VkNetworkDef *def);

/* "Dnsmasq version 2.90 ..." of BINARY (NULL: VK_DNSMASQ_BINARY) as
 * major * 1000000 + minor * 1000 + micro. */
int vk_dnsmasq_probe_version(const char *binary, unsigned long *version);

/* Write the files and start dnsmasq for DEF with HELPER (an absolute path
 * to virtkit-leaseshelper) as its lease script; *PID gets the daemonized
 * dnsmasq's pid from its pid file.  The helper finds the state directory
 * through VIRTKIT_ROOT (PATHS's root) and VIR_BRIDGE_NAME in dnsmasq's
 * environment, which dnsmasq hands on to its script.  BINARY NULL:
 * VK_DNSMASQ_BINARY. */
int vk_dnsmasq_start(const VkPaths *paths, const VkNetworkDef *def, const char *binary,
                     const char *helper, pid_t *pid);

/* The pid of the dnsmasq running for NETWORK (its pid file names a live
 * process whose command line has --conf-file=NAME.conf), or 0 when none:
 * how a restarted daemon adopts the dnsmasq of an active network.  Nothing
 * is reported. */
pid_t vk_dnsmasq_find(const VkPaths *paths, const char *network);

/* Rewrite the hostsfile and addnhosts of DEF and make PID read them again
 * (SIGHUP). */
int vk_dnsmasq_reload(const VkPaths *paths, const VkNetworkDef *def, pid_t pid);

/* Stop NETWORK's dnsmasq PID (0: whichever vk_dnsmasq_find() finds):
 * SIGTERM, up to 10 s for it to go, then SIGKILL; the pid file goes.  A PID
 * that is no longer our dnsmasq is left alone. */
int vk_dnsmasq_stop(const VkPaths *paths, const char *network, pid_t pid);

/* Remove NETWORK's conf, hostsfile and addnhosts and BRIDGE's status file
 * (BRIDGE may be NULL), as libvirt does when a network is undefined. */
void vk_dnsmasq_remove_files(const VkPaths *paths, const char *network, const char *bridge);
