/* Giving one file to QEMU's user and back, as libvirt's DAC driver does
 * (virSecurityDACSetOwnership / RestoreFileLabel): the original owner is
 * remembered (dac-remember.h) when the configuration says so, and a file
 * another guest holds under another owner is refused. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/security/dac-config.h"

/* PATH owned by CFG's user:group.  REMEMBER: count this use and keep the
 * original owner (libvirt does not for read-only and shared media, which
 * are never given back).  -1 with libvirt's error. */
int vk_dac_label_path(const VkDacConfig *cfg, const char *path, bool remember);

/* PATH back to its remembered owner (root when none is remembered), unless
 * another guest still uses it.  Errors are logged, not reported: a stop
 * goes on whatever happens. */
void vk_dac_restore_path(const VkDacConfig *cfg, const char *path);
