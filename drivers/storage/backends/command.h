/* The helper programs the pool backends run (qemu-img, mkfs, mount, blkid,
 * parted, the lvm2 tools): run one with LC_ALL=C, wait, and report a failure
 * in libvirt's virCommandRun words.  For the backends only. */
#pragma once

#include <glib.h>

/* Run ARGV (argv[0] is looked up in PATH).  OUT, when not NULL, gets its
 * standard output.  A non-zero exit is reported as "internal error: Child
 * process (ARGV) unexpected exit status N: STDERR". */
int vk_storage_command_run(const char *const *argv, char **out);

/* Run ARGV and give its exit status, with nothing reported for a non-zero
 * one (for probes whose status is the answer); -1, reported, when it cannot
 * run at all.  OUT and ERR (either may be NULL) get what it wrote. */
int vk_storage_command_status(const char *const *argv, char **out, char **err);
