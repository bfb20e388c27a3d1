/* Taint flags: what libvirt notes of a running guest that is no longer
 * entirely under its control or runs less safely than it should (virsh
 * dominfo's "Messages:" line, virDomainGetMessages).  Each is noted once
 * per run, in the domain log too ("Domain id=N is tainted: NAME"), kept in
 * the status file across a daemon restart and forgotten at stop. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"
#include "drivers/qemu/security/dac-config.h"

/* libvirt's virDomainTaintFlags, in its order (the messages follow it). */
typedef enum {
    VK_TAINT_CUSTOM_ARGV,
    VK_TAINT_CUSTOM_MONITOR,
    VK_TAINT_HIGH_PRIVILEGES,
    VK_TAINT_SHELL_SCRIPTS,
    VK_TAINT_DISK_PROBING,
    VK_TAINT_EXTERNAL_LAUNCH,
    VK_TAINT_HOST_CPU,
    VK_TAINT_HOOK,
    VK_TAINT_CDROM_PASSTHROUGH,
    VK_TAINT_CUSTOM_DTB,
    VK_TAINT_CUSTOM_GA_COMMAND,
    VK_TAINT_CUSTOM_HYPERVISOR_FEATURE,
    VK_TAINT_DEPRECATED_CONFIG,
    VK_TAINT_CUSTOM_DEVICE,
    VK_TAINT_LAST
} VkTaint;

/* Note FLAG on the running OBJ (locked); the log line the first time.
 * Whether it is new (the caller saves the status then). */
bool vk_qemu_taint(VkDomainObj *obj, VkTaint flag);

/* What libvirt checks as QEMU starts (OBJ locked, its run begun): root
 * as QEMU's user or group (or capabilities kept) when the daemon could
 * have dropped them, a custom device tree. */
void vk_qemu_taint_check_launch(VkDomainObj *obj, const VkDacConfig *dac);

/* The "tainted: ..." messages of OBJ (locked), NULL-terminated. */
char **vk_qemu_taint_messages(VkDomainObj *obj);

/* TAINTS as status-file lines (<taint flag='NAME'/>), and back from one
 * such flag name (0 for an unknown one). */
void vk_qemu_taint_format(guint taints, GString *xml);
guint vk_qemu_taint_from_name(const char *name);
