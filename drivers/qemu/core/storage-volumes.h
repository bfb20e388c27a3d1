/* Guests on storage volumes (<disk type='volume'><source pool= volume=/>),
 * as libvirt's modular daemons do it: virtqemud asks virtstoraged (its
 * socket under the same root) where the volume is and what it is, and
 * QEMU gets a file or block disk of that path.  The live XML keeps the
 * pool and volume.  Called by process.c (start, reconnect) and hotplug.c,
 * with the driver's link to virtstoraged (STORAGED). */
#pragma once

#include "common/conf/domain.h"
#include "drivers/remote/daemon-link.h"

/* Find the volume of DISK (type volume, with a source; others are left
 * alone): its path into src_path, file/block/dir into src_actual_type,
 * and, when DISK names no <driver type>, the volume's format (raw for
 * what QEMU reads as raw).  -1 with libvirt's error (no such pool or
 * volume, "storage pool 'P' containing volume 'V' is not active",
 * virtstoraged unreachable: its socket named), DISK unchanged. */
int vk_qemu_volumes_resolve(VkDaemonLink *storaged, VkDomainDiskDef *disk);
/* The same for every disk of DEF, stopping at the first failure. */
int vk_qemu_volumes_resolve_all(VkDaemonLink *storaged, VkDomainDef *def);
