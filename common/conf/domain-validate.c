#include "common/conf/domain-validate.h"

#include <string.h>

#include "common/conf/disk-shareable.h"
#include "common/conf/domain-os-validate.h"
#include "common/conf/domain-tune.h"
#include "common/util/error.h"

#define ERR(code, ...) vk_error_report(VIR_FROM_QEMU, code, __VA_ARGS__)

static bool
acpi_on(const VkDomainDef *def)
{
    return def->features.state[VK_FEATURE_ACPI] == VK_TRISTATE_ON;
}

static bool
is_x86(const VkDomainDef *def)
{
    const char *a = def->os.arch;

    return !a || g_str_equal(a, "x86_64") || g_str_equal(a, "i686");
}

static int
validate_lifecycle(const VkDomainDef *def)
{
    VkLifecycleAction off = def->on_poweroff, reboot = def->on_reboot, crash = def->on_crash;

    if (off == VK_LIFECYCLE_RENAME_RESTART || reboot == VK_LIFECYCLE_RENAME_RESTART ||
        crash == VK_LIFECYCLE_RENAME_RESTART) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "qemu driver doesn't support the 'rename-restart' action for 'on_reboot'/'on_poweroff'/'on_crash'");
        return -1;
    }
    if (off == VK_LIFECYCLE_PRESERVE || reboot == VK_LIFECYCLE_PRESERVE) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'");
        return -1;
    }
    if (off == VK_LIFECYCLE_RESTART && reboot == VK_LIFECYCLE_DESTROY) {
        /* libvirt's message, unbalanced quote included */
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "qemu driver doesn't support 'onReboot' set to 'destroy and 'onPoweroff' set to 'reboot'");
        return -1;
    }
    return 0;
}

static int
validate_iommu(const VkDomainDef *def)
{
    const VkDomainIommuDef *iommu = def->iommu;
    bool q35 = vk_domain_machine_is_q35(def->os.machine);

    if (!iommu)
        return 0;
    if (iommu->model == VK_IOMMU_MODEL_INTEL && !q35) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "IOMMU device: 'intel' is only supported with Q35 machines");
        return -1;
    }
    if (iommu->model == VK_IOMMU_MODEL_VIRTIO) {
        if (!q35) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                "IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines");
            return -1;
        }
        if (!acpi_on(def)) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "IOMMU device: 'virtio' requires ACPI");
            return -1;
        }
    }
    return 0;
}

/* <memoryBacking><access mode='shared'/>: kept verbatim, so look at the text */
/* QEMU can add only a qxl or a virtio video beside the primary one. */
static int
validate_videos(const VkDomainDef *def)
{
    for (guint i = 1; i < def->videos->len; i++) {
        const VkDomainVideoDef *v = g_ptr_array_index(def->videos, i);
        if (v->model != VK_VIDEO_MODEL_QXL && v->model != VK_VIDEO_MODEL_VIRTIO) {
            ERR(VIR_ERR_CONFIG_UNSUPPORTED, "video type '%s' is only valid as primary video device",
                vk_video_model_to_string(v->model));
            return -1;
        }
    }
    return 0;
}

/* A spicevmc or spiceport character device (or USB redirection) talks
 * through SPICE: QEMU needs a spice display for it. */
static int
check_spice_chr(const VkDomainDef *def, VkChrType type)
{
    if (type != VK_CHR_TYPE_SPICEVMC && type != VK_CHR_TYPE_SPICEPORT)
        return 0;
    for (guint i = 0; i < def->graphics->len; i++) {
        if (((const VkDomainGraphicsDef *) g_ptr_array_index(def->graphics, i))->type ==
            VK_GRAPHICS_SPICE)
            return 0;
    }
    ERR(VIR_ERR_CONFIG_UNSUPPORTED, "chardev '%s' not supported without spice graphics",
        vk_chr_type_to_string(type));
    return -1;
}

static int
validate_spice_chrs(const VkDomainDef *def)
{
    const GPtrArray *lists[] = { def->serials, def->parallels, def->consoles, def->channels };

    for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (guint i = 0; i < lists[l]->len; i++) {
            if (check_spice_chr(def, ((const VkDomainChrDef *) g_ptr_array_index(lists[l], i))->type) < 0)
                return -1;
        }
    }
    for (guint i = 0; i < def->redirdevs->len; i++) {
        if (check_spice_chr(def, ((const VkDomainRedirdevDef *) g_ptr_array_index(def->redirdevs, i))->type) < 0)
            return -1;
    }
    return 0;
}

static bool
backing_shared(const VkDomainDef *def)
{
    for (guint i = 0; i < def->raw->len; i++) {
        const VkDomainRawElement *r = g_ptr_array_index(def->raw, i);
        if (g_str_equal(r->name, "memoryBacking") && strstr(r->xml, "<access mode='shared'/>"))
            return true;
    }
    return false;
}

/* vhost-user devices need guest memory QEMU can share: every NUMA cell
 * shared (by its memAccess or the memoryBacking default), or without NUMA
 * cells a shared memoryBacking. */
static int
require_shared_memory(const VkDomainDef *def, const char *what)
{
    bool shared = backing_shared(def);
    const char *numa = def->cpu ? def->cpu->numa_xml : NULL;
    bool ok = shared;

    if (numa && strstr(numa, "<cell")) {
        g_auto(GStrv) cells = g_strsplit(numa, "<cell", -1);
        ok = true;
        for (int i = 1; cells[i]; i++) {
            if (strstr(cells[i], "memAccess='shared'"))
                continue;
            if (strstr(cells[i], "memAccess='private'") || !shared)
                ok = false;
        }
    }
    if (!ok) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "'%s' requires shared memory", what);
        return -1;
    }
    return 0;
}

int
vk_domain_def_validate(const VkDomainDef *def)
{
    if (vk_domain_os_validate(def) < 0)
        return -1;
    /* UEFI, chosen by firmware='efi' or given as a pflash loader */
    if ((def->os.firmware == VK_OS_FIRMWARE_EFI ||
         (def->os.has_loader && def->os.loader_type == VK_LOADER_TYPE_PFLASH)) &&
        is_x86(def) && !acpi_on(def)) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "UEFI requires ACPI on this architecture");
        return -1;
    }
    if (def->os.bios_useserial == VK_TRISTATE_ON && def->serials->len == 0) {
        ERR(VIR_ERR_XML_ERROR, "%s", "need at least one serial port to use BIOS serial output");
        return -1;
    }
    if (validate_lifecycle(def) < 0 || vk_domain_tune_validate_qemu(def) < 0)
        return -1;
    if (validate_iommu(def) < 0 || validate_videos(def) < 0 || validate_spice_chrs(def) < 0)
        return -1;
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (vk_disk_iotune_validate_qemu(&disk->iotune) < 0 || vk_disk_shareable_validate(disk) < 0)
            return -1;
    }
    for (guint i = 0; i < def->filesystems->len; i++) {
        const VkDomainFsDef *fs = g_ptr_array_index(def->filesystems, i);
        if (fs->driver_type == VK_FS_DRIVER_VIRTIOFS &&
            require_shared_memory(def, "virtiofs") < 0)
            return -1;
    }
    return 0;
}
