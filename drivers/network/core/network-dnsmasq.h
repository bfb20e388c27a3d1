/* A network's dnsmasq (DHCP, DNS, router advertisements): its files and
 * process through dnsmasq/, for the networks that need one. */
#pragma once

#include "drivers/network/core/network-obj.h"
#include "drivers/network/driver.h"

/* Write OBJ's (locked) dnsmasq files and start it, when its definition asks
 * for DHCP, DNS or RA; obj->dnsmasq_pid is set.  -1 with an error. */
int vk_network_dnsmasq_start(VkNetworkDriver *driver, VkNetworkObj *obj);
/* Stop OBJ's dnsmasq and remove its configuration (leases are kept). */
void vk_network_dnsmasq_stop(VkNetworkDriver *driver, VkNetworkObj *obj);
/* After a daemon restart: adopt OBJ's dnsmasq if it still runs, else start
 * it again. */
int vk_network_dnsmasq_reconnect(VkNetworkDriver *driver, VkNetworkObj *obj);
/* After a change of OBJ's DHCP or DNS hosts: dnsmasq reads its hosts files
 * again (SIGHUP). */
int vk_network_dnsmasq_reload(VkNetworkDriver *driver, VkNetworkObj *obj);
/* After a change dnsmasq reads only at start (ranges, records): restart it. */
int vk_network_dnsmasq_restart(VkNetworkDriver *driver, VkNetworkObj *obj);
