/* Starting mediated devices, for nodedev-create, nodedev-start and
 * autostart: an mdev definition checked against its parent (libvirt's
 * errors), created in sysfs, waited for and listed. */
#pragma once

#include <stdbool.h>

#include "common/conf/node-device-def.h"
#include "drivers/nodedev/driver.h"

/* XML as an mdev definition named as libvirt names it (a UUID made up when
 * it has none), with its parent's sysfs path in *PARENT_SYSPATH; NULL with
 * libvirt's error. */
VkNodeDeviceDef *vk_nodedev_mdev_parse(const char *xml, char **parent_syspath);

/* Create the mdev of DEF under PARENT_SYSPATH and list it: its name, or
 * NULL with an error. */
char *vk_nodedev_mdev_start(const VkNodeDeviceDef *def, const char *parent_syspath);

/* Both in one: -1 with an error. */
int vk_nodedev_mdev_start_xml(const char *xml);

/* Wait (5 s at most) until PATH exists or, with GONE, does not. */
bool vk_nodedev_mdev_settle(const char *path, bool gone);

/* Start the defined mdevs marked autostart that are not running (daemon
 * start). */
void vk_nodedev_mdev_autostart(VkNodeDevDriver *driver);
