/* Firmware autoselection at start, as libvirt's QEMU driver does it:
 * <os firmware='efi'> (with <loader secure=> and <firmware><feature/>
 * filters) picks the first matching QEMU firmware descriptor and fills
 * <loader> and a per-guest <nvram> in the live definition; the variable
 * store is copied from the descriptor's template at first start. */
#pragma once

#include "common/conf/domain.h"
#include "common/util/paths.h"

/* Where the descriptors are, lowest priority first: /usr/share/qemu/firmware,
 * ROOT/etc/qemu/firmware and, in session mode, $XDG_CONFIG_HOME/qemu/firmware. */
GStrv vk_qemu_firmware_dirs(const VkPaths *paths);

/* DEF/var/lib/libvirt/qemu/nvram/NAME_VARS.fd under PATHS */
char *vk_qemu_firmware_default_nvram(const VkPaths *paths, const char *name);

/* Fill DEF (the live definition of a starting guest) from the descriptors
 * in DIRS: for firmware='efi' (libvirt's "Unable to find any firmware to
 * satisfy 'efi'" when none fits), and for a read-only pflash <loader> whose
 * variable store is still missing (its template, when a descriptor names
 * that loader).  NVRAM_DEFAULT is the store a guest without <nvram> gets. */
int vk_qemu_firmware_select(VkDomainDef *def, const char *const *dirs, const char *nvram_default);

/* Create the guest's variable store from its template when it does not exist. */
int vk_qemu_firmware_prepare_nvram(const VkDomainDef *def);

/* Both steps for a starting guest of the QEMU driver. */
int vk_qemu_firmware_prepare(VkDomainDef *def);

/* The variable store undefine looks at: NAME_VARS.fd for firmware='efi'
 * (chosen at start, not saved), else <nvram>; NULL when there is none. */
char *vk_qemu_firmware_nvram_of(const VkDomainDef *def);

/* Undefine and the guest's variable store (DEF: the current definition):
 * libvirt's "cannot undefine domain with nvram" unless FLAGS have
 * VIR_DOMAIN_UNDEFINE_NVRAM (then *REMOVE is the file to delete once the
 * definition is gone) or VIR_DOMAIN_UNDEFINE_KEEP_NVRAM. */
int vk_qemu_firmware_check_undefine(const VkDomainDef *def, unsigned int flags, char **remove);

/* virsh start --reset-nvram: the guest's store goes, so that the start
 * copies its template afresh. */
int vk_qemu_firmware_reset_nvram(const VkDomainDef *def);
