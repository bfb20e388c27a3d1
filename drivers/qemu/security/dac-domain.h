/* libvirt's DAC security driver for one guest: what its QEMU opens (disks
 * and the layers below them, kernel, initrd, dtb, nvram, file chardevs, its
 * private directory) becomes QEMU's user's while it runs and goes back to
 * its original owner at stop or unplug.  Read-only and shared media, and
 * backing layers, are given but never taken back, as libvirt does (another
 * guest may be reading them).  Called by the process and hotplug code with
 * the domain locked; CFG is the guest's (dac-seclabel.h). */
#pragma once

#include "common/conf/domain.h"
#include "common/util/paths.h"
#include "drivers/qemu/security/dac-config.h"

/* At driver start: the directory of the guests' private directories
 * (ROOT/var/lib/libvirt/qemu) made, and QEMU's user's as libvirt makes it,
 * so that QEMU reaches its own directory in there.  -1 with an error. */
int vk_qemu_dac_prepare_state_dir(const VkDacConfig *cfg, const VkPaths *paths);

/* Everything DEF's QEMU opens, and PRIV_DIR, to QEMU's user.  On failure
 * what was done is undone and libvirt's error is kept. */
int vk_qemu_dac_label_domain(const VkDacConfig *cfg, const VkDomainDef *def,
                             const char *priv_dir);
/* Back to their owners (after QEMU is gone). */
void vk_qemu_dac_restore_domain(const VkDacConfig *cfg, const VkDomainDef *def);

/* One disk, for hotplug and unplug. */
int vk_qemu_dac_label_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);
void vk_qemu_dac_restore_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk);
