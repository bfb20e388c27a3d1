/* Who QEMU runs as, from qemu.conf (`user`, `group`, `dynamic_ownership`,
 * `remember_owner`, `clear_emulator_capabilities`), as libvirt's DAC
 * security driver reads them.  Loaded
 * once at driver start; the driver keeps it (driver.h). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "common/util/paths.h"

/* Debian builds libvirt with qemu_user = qemu_group = libvirt-qemu. */
#define VK_DAC_DEFAULT_USER "libvirt-qemu"
#define VK_DAC_DEFAULT_GROUP "libvirt-qemu"

typedef struct {
    bool privileged;          /* a root daemon: QEMU gets user:group, files are chowned */
    uid_t user;
    gid_t group;
    bool dynamic_ownership;   /* chown what QEMU opens (privileged only) */
    bool remember_owner;      /* keep the original owner in xattrs */
    bool clear_caps;          /* clear_emulator_capabilities (off: a taint) */
    gid_t *groups;            /* USER's supplementary groups, for setgroups() */
    int n_groups;
} VkDacConfig;

/* Read ROOT/etc/libvirt/qemu.conf (a missing file means the defaults).  A
 * daemon not running as root runs QEMU as itself and relabels nothing, as
 * libvirt's session daemon.  NULL with an error for a bad value or an
 * unknown user or group that was asked for by name. */
VkDacConfig *vk_dac_config_load(const VkPaths *paths);
void vk_dac_config_free(VkDacConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDacConfig, vk_dac_config_free)

/* A copy of CFG with QEMU running as USER:GROUP (and that account's
 * groups): a domain's own static DAC label. */
VkDacConfig *vk_dac_config_with_ids(const VkDacConfig *cfg, uid_t user, gid_t group);

/* A DAC label "+UID:+GID" or "USER:GROUP" (names, as libvirt takes them);
 * -1 with an error when it is neither. */
int vk_dac_config_parse_label(const char *label, uid_t *user, gid_t *group);

/* "+UID:+GID", the label libvirt prints for USER:GROUP. */
char *vk_dac_config_label(const VkDacConfig *cfg);
/* Whether files get chowned for QEMU. */
bool vk_dac_config_relabels(const VkDacConfig *cfg);
