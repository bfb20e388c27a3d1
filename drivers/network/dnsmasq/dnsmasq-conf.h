/* dnsmasq's files for a virtual network, as libvirt 9.0 writes them
 * (src/network/bridge_driver.c networkDnsmasqConfContents, src/util/
 * virdnsmasq.c): the NAME.conf text, the dhcp-hostsfile and the addn-hosts
 * file.  Pure text from a VkNetworkDef; dnsmasq-process.c writes the files. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/network-def.h"

typedef struct {
    char *conf;        /* NAME.conf */
    char *hostsfile;   /* NAME.hostsfile: "MAC,IP,NAME[,LEASE]" / "id:DUID,NAME,[IP6]" lines */
    char *addnhosts;   /* NAME.addnhosts: "IP\tNAME\t...\t" lines */
} VkDnsmasqConfig;

/* The three texts for DEF.  STATE_DIR is where the hostsfile and addnhosts
 * live (ROOT/var/lib/libvirt/dnsmasq); PIDFILE NULL leaves the pid-file line
 * out (as libvirt's own networkxml2conftest does).  NULL with
 * "unsupported configuration: ..." for what libvirt refuses (two IPv4 DHCP
 * definitions, a PTR domain for an odd prefix, ...). */
VkDnsmasqConfig *vk_dnsmasq_config_new(const VkNetworkDef *def, const char *state_dir,
                                       const char *pidfile);
void vk_dnsmasq_config_free(VkDnsmasqConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDnsmasqConfig, vk_dnsmasq_config_free)

/* Only the hostsfile and addnhosts texts (config->conf stays NULL): what a
 * SIGHUP makes dnsmasq read again after a dhcp host or dns host change. */
VkDnsmasqConfig *vk_dnsmasq_config_new_hosts(const VkNetworkDef *def);

/* libvirt's networkStartDhcpDaemon rule: dnsmasq runs when the network has
 * an address and either some <dhcp> range/host or DNS not disabled. */
bool vk_dnsmasq_needed(const VkNetworkDef *def);

/* The prefix length of IP (prefix=, netmask=, else classful / 64); -1 for a
 * non-contiguous netmask.  The same rule as vk_network_ip_prefix(), which
 * common/conf does not implement yet: switch to it once it does. */
int vk_dnsmasq_ip_prefix(const VkNetworkIpDef *ip);
