/* QEMU's firmware descriptors (docs/interop/firmware.json): the JSON files
 * in /usr/share/qemu/firmware and the directories that override it, read
 * into plain structs.  Used by domain capabilities and by the firmware
 * autoselection at start; knows nothing of domains. */
#pragma once

#include <glib.h>

typedef enum {
    VK_QEMU_FW_IFACE_BIOS = 1 << 0,
    VK_QEMU_FW_IFACE_UEFI = 1 << 1,
} VkQemuFirmwareInterface;

typedef enum {
    VK_QEMU_FW_FEATURE_ACPI_S3 = 1 << 0,
    VK_QEMU_FW_FEATURE_ACPI_S4 = 1 << 1,
    VK_QEMU_FW_FEATURE_AMD_SEV = 1 << 2,
    VK_QEMU_FW_FEATURE_AMD_SEV_ES = 1 << 3,
    VK_QEMU_FW_FEATURE_ENROLLED_KEYS = 1 << 4,
    VK_QEMU_FW_FEATURE_REQUIRES_SMM = 1 << 5,
    VK_QEMU_FW_FEATURE_SECURE_BOOT = 1 << 6,
} VkQemuFirmwareFeature;

typedef enum {
    VK_QEMU_FW_DEVICE_OTHER,   /* memory, kernel: not used by autoselection here */
    VK_QEMU_FW_DEVICE_FLASH,
} VkQemuFirmwareDevice;

typedef struct {
    char *architecture;        /* x86_64 */
    GStrv machines;            /* globs: pc-q35-* */
} VkQemuFirmwareTarget;

typedef struct {
    char *path;                /* the descriptor file */
    guint interfaces;          /* VkQemuFirmwareInterface bits */
    guint features;            /* VkQemuFirmwareFeature bits */
    VkQemuFirmwareDevice device;
    gboolean split;            /* flash mode "split" (the default): code and vars apart */
    char *executable, *executable_format;
    char *nvram_template, *nvram_template_format;
    GPtrArray *targets;        /* of VkQemuFirmwareTarget */
} VkQemuFirmware;

void vk_qemu_firmware_free(VkQemuFirmware *fw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkQemuFirmware, vk_qemu_firmware_free)

/* The descriptors of DIRS (NULL-terminated, lowest priority first), in the
 * order QEMU's spec gives them: by file name, a file in a later directory
 * replacing the same name in an earlier one, an empty file hiding it.  A
 * descriptor that does not parse is skipped (a debug message says why). */
GPtrArray *vk_qemu_firmware_load(const char *const *dirs);

/* Whether FW names ARCH and a machine glob matching MACHINE among its targets. */
gboolean vk_qemu_firmware_has_target(const VkQemuFirmware *fw, const char *arch,
                                     const char *machine);
