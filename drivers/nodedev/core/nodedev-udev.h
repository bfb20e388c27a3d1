/* The driver's device set kept as the host has it: enumerated through
 * libudev at start, then followed through a netlink uevent monitor on the
 * main loop, each change sent as a node device event.  Without udevd (as in
 * containers and namespaces) the monitor listens to the kernel's own
 * uevents, which arrive without it. */
#pragma once

#include "drivers/nodedev/driver.h"

/* Enumerate every device and start the monitor; -1 with an error when
 * libudev cannot be used at all. */
int vk_nodedev_udev_start(VkNodeDevDriver *driver);
void vk_nodedev_udev_stop(VkNodeDevDriver *driver);

/* Add or refresh the device at SYSPATH now (an mdev just created), as its
 * uevent would; returns its name (g_free) or NULL when it is no device. */
char *vk_nodedev_udev_add_syspath(VkNodeDevDriver *driver, const char *syspath);
/* Drop the device at SYSPATH now (an mdev just removed), as its uevent would. */
void vk_nodedev_udev_remove_syspath(VkNodeDevDriver *driver, const char *syspath);
