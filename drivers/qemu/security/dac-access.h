/* QEMU's side of the DAC driver: the process drops to its user, and
 * libvirt's checks, before anything changes, that this user can reach each
 * disk ("Cannot access storage file 'P' (as uid:U, gid:G)"). */
#pragma once

#include "common/conf/domain.h"
#include "drivers/qemu/security/dac-config.h"

/* The local file or block device QEMU opens for DISK, or NULL. */
const char *vk_qemu_dac_disk_path(const VkDomainDiskDef *disk);

/* Whether QEMU's user can reach DISK's local image (and every layer below
 * it exists): libvirt's errors otherwise. */
int vk_qemu_dac_check_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);
/* The same for every disk of DEF. */
int vk_qemu_dac_check_disks(const VkDacConfig *cfg, const VkDomainDef *def);

/* In the child that becomes QEMU, after fork: drop to CFG's user:group and
 * the user's groups (only async-signal-safe calls).  -1 with errno. */
int vk_qemu_dac_drop_privileges(const VkDacConfig *cfg);
