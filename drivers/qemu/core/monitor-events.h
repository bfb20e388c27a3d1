/* What QEMU tells us: events and EOF arrive on the monitor's reader thread
 * and are handled, in order, on the driver's event thread, where taking
 * the domain's lock and job is allowed: shutdown (and on_poweroff), reset,
 * a guest panic (and on_crash), tray moves, balloon changes, QEMU going
 * away.  Device removals go to hotplug.h, where a detach waits for them. */
#pragma once

typedef struct _VkQemuDriver VkQemuDriver;

/* The driver's event thread, and the monitor callbacks that feed it
 * (driver->monitor_callbacks, for every QEMU the driver opens). */
void vk_qemu_monitor_events_init(VkQemuDriver *driver);

/* Have the event thread look at OBJ's block jobs again (QEMU's state of
 * each), as after a reconnect: they may have become ready or ended while
 * nobody listened.  OBJ: a VkDomainObj, MON its monitor. */
void vk_qemu_monitor_events_check_block_jobs(void *obj, void *mon);
