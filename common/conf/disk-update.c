/* update-device for disks (see disk-update.h). */
#include "common/conf/disk-update.h"

#include <string.h>

#include "common/conf/domain-pci-assign.h"
#include "common/pci/address.h"
#include "common/util/error.h"

static int
disk_index(const VkDomainDef *def, const char *target)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->target_dev, target) == 0)
            return (int) i;
    }
    return -1;
}

static void
copy_address(VkDeviceAddress *dst, const VkDeviceAddress *src)
{
    *dst = *src;
    dst->usb.port = g_strdup(src->usb.port);
}

/* Whether A and B are the same disk address (drive, PCI or USB). */
static bool
same_address(const VkDeviceAddress *a, const VkDeviceAddress *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case VK_DEVICE_ADDRESS_DRIVE:
        return memcmp(&a->drive, &b->drive, sizeof(a->drive)) == 0;
    case VK_DEVICE_ADDRESS_PCI:
        return vk_pci_address_equal(&a->pci, &b->pci);
    case VK_DEVICE_ADDRESS_USB:
        return a->usb.bus == b->usb.bus && g_strcmp0(a->usb.port, b->usb.port) == 0;
    default:
        return true;
    }
}

int
vk_domain_def_update_disk(VkDomainDef *def, VkDomainDeviceDef *dev,
                          const VkDomainDefaultsOptions *opts)
{
    VkDomainDiskDef *newdisk = dev->disk;
    VkDomainDiskDef *orig;
    int pos;

    if ((pos = disk_index(def, newdisk->target_dev)) < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "target %s doesn't exist.",
                        newdisk->target_dev);
        return -1;
    }
    orig = g_ptr_array_index(def->disks, pos);
    if (newdisk->bus == orig->bus && (newdisk->info.addr.type == VK_DEVICE_ADDRESS_NONE ||
                                      same_address(&newdisk->info.addr, &orig->info.addr))) {
        /* in place, where it was, with what define gives a disk */
        if (newdisk->info.addr.type == VK_DEVICE_ADDRESS_NONE)
            copy_address(&newdisk->info.addr, &orig->info.addr);
        g_ptr_array_index(def->disks, pos) = g_steal_pointer(&dev->disk);
        vk_domain_disk_def_free(orig);
        if (vk_domain_def_apply_defaults_opts(def, opts) < 0)
            return -1;
        return vk_domain_pci_assign(def, NULL);
    }
    /* on another bus or at another address: as a new disk would go */
    g_ptr_array_remove_index(def->disks, pos);
    return vk_domain_def_attach_device(def, dev, opts);
}

/* libvirt's "cannot modify field" check for one field NEW sets (a string,
 * or an enum whose 0 is "not given"). */
#define CHANGED_STR(field) (newdisk->field && g_strcmp0(newdisk->field, orig->field) != 0)
#define CHANGED_ENUM(field) (newdisk->field && newdisk->field != orig->field)

/* The first field NEWDISK changes that a medium change cannot, or NULL. */
static const char *
changed_field(const VkDomainDiskDef *orig, const VkDomainDiskDef *newdisk)
{
    if (newdisk->device != orig->device)
        return "device";
    if (newdisk->bus != orig->bus)
        return "bus";
    if (CHANGED_ENUM(driver_cache))
        return "cache";
    if (CHANGED_ENUM(driver_error_policy))
        return "error_policy";
    if (CHANGED_ENUM(driver_rerror_policy))
        return "rerror_policy";
    if (CHANGED_ENUM(driver_io))
        return "io";
    if (CHANGED_ENUM(driver_copy_on_read))
        return "copy_on_read";
    if (CHANGED_ENUM(driver_discard))
        return "discard";
    if (newdisk->driver_iothread && newdisk->driver_iothread != orig->driver_iothread)
        return "iothread";
    if (newdisk->info.addr.type != VK_DEVICE_ADDRESS_NONE &&
        !same_address(&newdisk->info.addr, &orig->info.addr))
        return "address";
    if (newdisk->info.boot_order && newdisk->info.boot_order != orig->info.boot_order)
        return "boot order";
    /* a missing <readonly/> or <shareable/> says nothing (libvirt's words) */
    if (newdisk->readonly && !orig->readonly)
        return "readonly";
    if (newdisk->shareable && !orig->shareable)
        return "shared";
    if (CHANGED_STR(serial))
        return "serial";
    if (CHANGED_STR(wwn))
        return "wwn";
    if (CHANGED_STR(vendor))
        return "vendor";
    if (CHANGED_STR(product))
        return "product";
    return NULL;
}

#undef CHANGED_STR
#undef CHANGED_ENUM

int
vk_domain_def_find_media_change(const VkDomainDef *def, const VkDomainDiskDef *newdisk)
{
    const VkDomainDiskDef *orig;
    const char *field;
    int pos;

    if ((pos = disk_index(def, newdisk->target_dev)) < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "disk '%s' not found",
                        newdisk->target_dev);
        return -1;
    }
    orig = g_ptr_array_index(def->disks, pos);
    if ((field = changed_field(orig, newdisk))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "cannot modify field '%s' of the disk", field);
        return -1;
    }
    if (orig->device != VK_DISK_DEVICE_CDROM && orig->device != VK_DISK_DEVICE_FLOPPY) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "disk source can be changed only in removable drives");
        return -1;
    }
    return pos;
}

void
vk_domain_disk_take_media(VkDomainDiskDef *orig, const VkDomainDiskDef *newdisk)
{
    orig->type = newdisk->type;
    orig->has_source = newdisk->has_source;
    g_free(orig->src_path);
    orig->src_path = g_strdup(newdisk->src_path);
    g_free(orig->src_pool);
    orig->src_pool = g_strdup(newdisk->src_pool);
    g_free(orig->src_volume);
    orig->src_volume = g_strdup(newdisk->src_volume);
    orig->src_mode = newdisk->src_mode;
    orig->src_actual_type = newdisk->src_actual_type;
    orig->src_startup = newdisk->src_startup;
    if (newdisk->driver_type) {
        g_free(orig->driver_type);
        orig->driver_type = g_strdup(newdisk->driver_type);
    }
}
