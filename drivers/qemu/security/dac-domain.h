/* libvirt's DAC security driver for one guest: QEMU runs as qemu.conf's
 * user:group (dac-config.h), so what it opens becomes that user's while it
 * runs (disks, kernel, initrd, dtb, nvram, file chardevs, its private
 * directory) and goes back to its original owner at stop or unplug.
 * Read-only and shared media are given but never taken back, as libvirt
 * does (another guest may be reading them).  Called by the process and
 * hotplug code with the domain locked. */
#pragma once

#include "common/conf/domain.h"
#include "drivers/qemu/security/dac-config.h"

/* At driver start: the directory of the guests' private directories
 * (ROOT/var/lib/libvirt/qemu) made, and QEMU's user's as libvirt makes it,
 * so that QEMU reaches its own directory in there.  -1 with an error. */
int vk_qemu_dac_prepare_state_dir(const VkDacConfig *cfg, const VkPaths *paths);

/* DEF's DAC settings: BASE (qemu.conf), or those of its own <seclabel
 * model='dac'>: type='static' runs QEMU as its <label>, relabel='no'
 * chowns nothing.  NULL with an error for a label naming no one. */
VkDacConfig *vk_qemu_dac_for_domain(const VkDacConfig *base, const VkDomainDef *def);

/* The live XML's seclabel, as libvirt fills it in: without a DAC one in
 * DEF, <seclabel type='dynamic' model='dac' relabel='yes'> with the
 * +UID:+GID of CFG as label and image label; a static one that relabels
 * gets its label as image label. */
void vk_qemu_dac_add_seclabel(const VkDacConfig *cfg, VkDomainDef *def);

/* Whether QEMU's user can reach DISK's local image, before anything is
 * changed: libvirt's "Cannot access storage file 'P' (as uid:U, gid:G)". */
int vk_qemu_dac_check_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);
/* The same for every disk of DEF. */
int vk_qemu_dac_check_disks(const VkDacConfig *cfg, const VkDomainDef *def);

/* Everything DEF's QEMU opens, and PRIV_DIR, to QEMU's user.  On failure
 * what was done is undone and libvirt's error is kept. */
int vk_qemu_dac_label_domain(const VkDacConfig *cfg, const VkDomainDef *def,
                             const char *priv_dir);
/* Back to their owners (after QEMU is gone). */
void vk_qemu_dac_restore_domain(const VkDacConfig *cfg, const VkDomainDef *def);

/* One disk, for hotplug and unplug. */
int vk_qemu_dac_label_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);
void vk_qemu_dac_restore_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);

/* In the child that becomes QEMU, after fork: drop to CFG's user:group and
 * the user's groups (only async-signal-safe calls).  -1 with errno. */
int vk_qemu_dac_drop_privileges(const VkDacConfig *cfg);
