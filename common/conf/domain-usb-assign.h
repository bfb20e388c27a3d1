/* USB port assignment at define, as libvirt's QEMU driver does it: every USB
 * device (usb hostdevs, usb disks, CCID controllers, usb inputs, usb-serial
 * ports, usb sound, usb redirdevs, hubs) without a port gets the first free
 * one, lowest bus first, searching hubs depth-first when a bus is full;
 * hubs are added when the controllers have fewer ports than there are
 * devices. */
#pragma once

#include "common/conf/domain.h"

/* Reserve the ports DEF gives, assign the others.  -1 with libvirt's error
 * (duplicate port, missing bus, no free port). */
int vk_domain_usb_assign(VkDomainDef *def);
