#include "drivers/qemu/core/firmware-select.h"

#include <errno.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/monitor/firmware-descriptors.h"
#include "virtkit/virtkit.h"

#define SYSTEM_FIRMWARE_DIR "/usr/share/qemu/firmware"
#define NVRAM_DIR "/var/lib/libvirt/qemu/nvram"

GStrv
vk_qemu_firmware_dirs(const VkPaths *paths)
{
    GPtrArray *dirs = g_ptr_array_new();

    g_ptr_array_add(dirs, g_strdup(SYSTEM_FIRMWARE_DIR));
    g_ptr_array_add(dirs, g_build_filename(paths->root ? paths->root : "/", "etc/qemu/firmware", NULL));
    if (paths->session)
        g_ptr_array_add(dirs, g_build_filename(g_get_user_config_dir(), "qemu", "firmware", NULL));
    g_ptr_array_add(dirs, NULL);
    return (GStrv) g_ptr_array_free(dirs, FALSE);
}

char *
vk_qemu_firmware_default_nvram(const VkPaths *paths, const char *name)
{
    g_autofree char *dir = vk_paths_prefix(paths, NVRAM_DIR);
    g_autofree char *file = g_strdup_printf("%s_VARS.fd", name);

    return g_build_filename(dir, file, NULL);
}

/* -1 when the guest does not say, else whether it asks for the feature */
static int
wanted_feature(const VkDomainDef *def, const char *name)
{
    for (guint i = 0; i < def->os.firmware_features->len; i++) {
        const VkDomainOsFwFeature *f = g_ptr_array_index(def->os.firmware_features, i);
        if (g_str_equal(f->name, name))
            return f->enabled;
    }
    return -1;
}

static gboolean
feature_agrees(const VkDomainDef *def, const char *name, const VkQemuFirmware *fw, guint bit)
{
    int want = wanted_feature(def, name);

    return want < 0 || want == !!(fw->features & bit);
}

/* libvirt's qemuFirmwareMatchDomain: interface, target, features the guest
 * asks for or refuses, SMM for a secure loader, split flash. */
static gboolean
matches(const VkDomainDef *def, const VkQemuFirmware *fw)
{
    const VkDomainOsDef *os = &def->os;
    guint iface = os->firmware == VK_OS_FIRMWARE_BIOS ? VK_QEMU_FW_IFACE_BIOS : VK_QEMU_FW_IFACE_UEFI;

    /* an explicit loader only takes its own descriptor (for the template) */
    if (os->firmware == VK_OS_FIRMWARE_ABSENT &&
        (fw->device != VK_QEMU_FW_DEVICE_FLASH || g_strcmp0(os->loader, fw->executable) != 0))
        return FALSE;
    if (!(fw->interfaces & iface) || fw->device != VK_QEMU_FW_DEVICE_FLASH ||
        !vk_qemu_firmware_has_target(fw, os->arch, os->machine))
        return FALSE;
    if ((def->pm_suspend_to_mem == VK_TRISTATE_ON && !(fw->features & VK_QEMU_FW_FEATURE_ACPI_S3)) ||
        (def->pm_suspend_to_disk == VK_TRISTATE_ON && !(fw->features & VK_QEMU_FW_FEATURE_ACPI_S4)))
        return FALSE;
    if (!feature_agrees(def, "secure-boot", fw, VK_QEMU_FW_FEATURE_SECURE_BOOT) ||
        !feature_agrees(def, "enrolled-keys", fw, VK_QEMU_FW_FEATURE_ENROLLED_KEYS))
        return FALSE;
    if (os->loader_secure == VK_TRISTATE_ON && !(fw->features & VK_QEMU_FW_FEATURE_REQUIRES_SMM))
        return FALSE;
    return fw->split;
}

/* libvirt's qemuFirmwareEnableFeatures: the loader, its template, the
 * guest's store, and SMM (with a secure loader) when the firmware needs it. */
static int
fill(VkDomainDef *def, const VkQemuFirmware *fw, const char *nvram_default)
{
    VkDomainOsDef *os = &def->os;

    if (!g_str_equal(fw->executable_format, "raw")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "unsupported flash format '%s'", fw->executable_format);
        return -1;
    }
    if (!g_str_equal(fw->nvram_template_format, "raw")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "unsupported nvram template format '%s'", fw->nvram_template_format);
        return -1;
    }
    if (fw->features & VK_QEMU_FW_FEATURE_REQUIRES_SMM) {
        if (def->features.state[VK_FEATURE_SMM] == VK_TRISTATE_OFF) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                            "domain has SMM turned off but chosen firmware requires it");
            return -1;
        }
        def->features.state[VK_FEATURE_SMM] = VK_TRISTATE_ON;
        os->loader_secure = VK_TRISTATE_ON;
    }
    os->has_loader = true;
    os->loader_type = VK_LOADER_TYPE_PFLASH;
    os->loader_readonly = VK_TRISTATE_ON;
    g_free(os->loader);
    os->loader = g_strdup(fw->executable);
    g_free(os->nvram_template);
    os->nvram_template = g_strdup(fw->nvram_template);
    if (!os->nvram)
        os->nvram = g_strdup(nvram_default);
    os->firmware = VK_OS_FIRMWARE_ABSENT;
    return 0;
}

/* A read-only pflash loader given by path, with no template and no store
 * yet: libvirt looks its template up, and goes on without when none fits. */
static gboolean
loader_needs_template(const VkDomainDef *def)
{
    const VkDomainOsDef *os = &def->os;

    return os->has_loader && os->loader && os->loader_type == VK_LOADER_TYPE_PFLASH &&
           os->loader_readonly == VK_TRISTATE_ON && !os->nvram_template &&
           !(os->nvram && g_file_test(os->nvram, G_FILE_TEST_EXISTS));
}

int
vk_qemu_firmware_select(VkDomainDef *def, const char *const *dirs, const char *nvram_default)
{
    gboolean autoselect = def->os.firmware != VK_OS_FIRMWARE_ABSENT;

    if (!autoselect && !loader_needs_template(def))
        return 0;
    g_autoptr(GPtrArray) all = vk_qemu_firmware_load(dirs);
    for (guint i = 0; i < all->len; i++) {
        const VkQemuFirmware *fw = g_ptr_array_index(all, i);
        if (matches(def, fw)) {
            g_debug("%s: firmware from %s", def->name, fw->path);
            return fill(def, fw, nvram_default);
        }
    }
    if (!autoselect)
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                    "Unable to find any firmware to satisfy '%s'",
                    vk_os_firmware_to_string(def->os.firmware));
    return -1;
}

/* qemu.conf's "nvram" default as Debian builds libvirt: the variable store
 * template of loaders that no descriptor names. */
static const char *const builtin_templates[][2] = {
    { "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
    { "/usr/share/OVMF/OVMF_CODE.secboot.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
    { "/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd" },
    { "/usr/share/AAVMF/AAVMF32_CODE.fd", "/usr/share/AAVMF/AAVMF32_VARS.fd" },
};

static const char *
template_of(const VkDomainOsDef *os)
{
    if (os->nvram_template)
        return os->nvram_template;
    for (guint i = 0; i < G_N_ELEMENTS(builtin_templates); i++)
        if (g_strcmp0(os->loader, builtin_templates[i][0]) == 0)
            return builtin_templates[i][1];
    return NULL;
}

int
vk_qemu_firmware_prepare_nvram(const VkDomainDef *def)
{
    const VkDomainOsDef *os = &def->os;
    g_autofree char *data = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *template = template_of(os);
    gsize len = 0;

    if (!os->has_loader || os->loader_type != VK_LOADER_TYPE_PFLASH || !os->nvram ||
        g_file_test(os->nvram, G_FILE_TEST_EXISTS))
        return 0;
    if (!template) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                        "unable to find any master var store for loader: %s", os->loader);
        return -1;
    }
    if (!g_file_get_contents(template, &data, &len, &gerr)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_SYSTEM_ERROR,
                        "Failed to open file '%s': %s", template, gerr->message);
        return -1;
    }
    g_autofree char *dir = g_path_get_dirname(os->nvram);
    if (vk_file_make_dirs(dir, 0755) < 0 || vk_file_write_atomic(os->nvram, data, len, 0600) < 0)
        return -1;
    return 0;
}

int
vk_qemu_firmware_prepare(VkDomainDef *def)
{
    const VkPaths *paths = vk_qemu_driver()->paths;
    g_auto(GStrv) dirs = vk_qemu_firmware_dirs(paths);
    g_autofree char *nvram = vk_qemu_firmware_default_nvram(paths, def->name);

    if (vk_qemu_firmware_select(def, (const char *const *) dirs, nvram) < 0)
        return -1;
    return vk_qemu_firmware_prepare_nvram(def);
}

char *
vk_qemu_firmware_nvram_of(const VkDomainDef *def)
{
    if (def->os.firmware == VK_OS_FIRMWARE_EFI && !def->os.nvram)
        return vk_qemu_firmware_default_nvram(vk_qemu_driver()->paths, def->name);
    return g_strdup(def->os.nvram);
}

int
vk_qemu_firmware_check_undefine(const VkDomainDef *def, unsigned int flags, char **remove)
{
    g_autofree char *nvram = vk_qemu_firmware_nvram_of(def);

    *remove = NULL;
    if (!nvram || !g_file_test(nvram, G_FILE_TEST_EXISTS))
        return 0;
    if (flags & VIR_DOMAIN_UNDEFINE_NVRAM) {
        *remove = g_steal_pointer(&nvram);
        return 0;
    }
    if (!(flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot undefine domain with nvram");
        return -1;
    }
    return 0;
}

int
vk_qemu_firmware_reset_nvram(const VkDomainDef *def)
{
    g_autofree char *nvram = vk_qemu_firmware_nvram_of(def);

    /* the start makes it again from its template */
    if (nvram && unlink(nvram) < 0 && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "Failed to remove file '%s'", nvram);
        return -1;
    }
    return 0;
}
