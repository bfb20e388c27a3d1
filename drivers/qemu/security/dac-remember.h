/* The owner a file had before QEMU's user got it, remembered in the file's
 * extended attributes exactly as libvirt does (src/security/security_util.c):
 * trusted.libvirt.security.dac = "+UID:+GID" (the original owner),
 * trusted.libvirt.security.ref_dac = how many guests use it,
 * trusted.libvirt.security.timestamp_dac = the host's boot time, so that
 * attributes left by a crash before the last boot are known to be stale.
 * Files on file systems without xattrs are simply not remembered. */
#pragma once

#include <sys/types.h>

/* Count one more user of PATH, remembering UID:GID when it is the first.
 * The new count; 0 when the file system keeps no xattrs; -1 with an error. */
int vk_dac_remember_owner(const char *path, uid_t uid, gid_t gid);

/* Count one user of PATH less.  1 with the remembered owner in *UID:*GID
 * when that was the last (the attributes are gone then); 0 when others
 * still use it; -2 when nothing is remembered (or no xattrs); -1 with an
 * error. */
int vk_dac_recall_owner(const char *path, uid_t *uid, gid_t *gid);
