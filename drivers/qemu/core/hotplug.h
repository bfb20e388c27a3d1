/* Live attach and detach of disks and interfaces of a running guest,
 * through QMP: blockdev-add / netdev_add then device_add; device_del, the
 * guest's DEVICE_DELETED, then blockdev-del / netdev_del.  An interface on
 * a host bridge first gets a tap, whose fd QEMU gets with getfd; the tap
 * goes when netdev_del closes that fd.  One on a virtual network first gets
 * a port from virtnetworkd (network-ports.h), its tap then goes on the
 * port's bridge, and the port goes with the interface.  The live
 * definition (obj->def) follows, with the aliases QEMU knows the devices by,
 * and the status file is saved after each change. */
#pragma once

#include "common/conf/domain-device.h"
#include "drivers/qemu/core/domain-obj.h"
#include "drivers/qemu/monitor/qmp.h"

/* How long a detach waits for the guest to let the device go (libvirt's
 * 5 seconds); then it succeeds with the device still there, and the device
 * leaves the live definition whenever the guest lets it go. */
#define VK_QEMU_UNPLUG_TIMEOUT_MS 5000

/* Plug DEV's disk or interface into the running OBJ (locked, with the
 * job): PCI address from the free hotpluggable slots, backend, frontend.
 * On success DEV has given its device up to obj->def; on failure nothing
 * of it is left in QEMU or in the definition. */
/* The driver's unplug requests in flight (device_del sent, DEVICE_DELETED
 * awaited) and the removals that come after their call gave up. */
typedef struct _VkQemuUnplugs VkQemuUnplugs;
VkQemuUnplugs *vk_qemu_unplugs_new(void);
void vk_qemu_unplugs_free(VkQemuUnplugs *unplugs);

int vk_qemu_hotplug_attach(VkDomainObj *obj, VkDomainDeviceDef *dev);

/* Unplug the device of the running OBJ (locked, with the job) that DEV
 * names.  The object lock is dropped while waiting for the guest. */
int vk_qemu_hotplug_detach(VkDomainObj *obj, const VkDomainDeviceDef *dev);

/* Ask QEMU to unplug the device ALIAS of the running OBJ (locked, with the
 * job) and return at once (detach-device-alias); the device leaves the live
 * definition when QEMU reports it gone. */
int vk_qemu_hotplug_detach_alias(VkDomainObj *obj, const char *alias);

/* update-device of a running guest's disk: a new medium (or none) in a
 * CD-ROM or floppy drive, NEWDISK naming the drive by its target (a volume
 * medium is looked up in NEWDISK first).  -1 with
 * libvirt's error for anything else it changes. */
int vk_qemu_hotplug_change_media(VkDomainObj *obj, VkDomainDiskDef *newdisk);

/* update-device of a running guest's interface, which DEV names: its link
 * state changes (set_link); -1 with libvirt's error for anything else. */
int vk_qemu_hotplug_change_net(VkDomainObj *obj, const VkDomainDeviceDef *dev);


/* QEMU's DEVICE_DELETED for the device ALIAS (may be NULL: a device without
 * an id) of OBJ, whose monitor is MON.  Called on the monitor's reader
 * thread by the process code; takes no domain lock. */
void vk_qemu_hotplug_device_deleted(VkDomainObj *obj, VkQmp *mon, const char *alias);
