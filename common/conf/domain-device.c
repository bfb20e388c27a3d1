#include "common/conf/domain-device.h"

#include <string.h>

#include "common/conf/domain-pci-assign.h"
#include "common/conf/domain-pci-given.h"
#include "common/util/error.h"

void
vk_domain_device_def_free(VkDomainDeviceDef *dev)
{
    if (!dev)
        return;
    g_free(dev->element);
    vk_domain_disk_def_free(dev->disk);
    vk_domain_net_def_free(dev->net);
    g_free(dev);
}

VkDomainDeviceDef *
vk_domain_device_def_parse(const char *xml, const VkDomainDef *def, unsigned int flags)
{
    g_autoptr(VkDomainDef) scratch = vk_domain_def_new();
    g_autoptr(VkDomainDeviceDef) dev = g_new0(VkDomainDeviceDef, 1);

    if (vk_domain_def_parse_device_string(xml, flags, scratch, &dev->element) < 0)
        return NULL;
    /* The device gets what define gives it: run the defaults over a
     * definition holding only it, on DEF's machine; what they add around
     * it (controllers, inputs) is thrown away with the scratch copy. */
    scratch->virt_type = def->virt_type;
    scratch->name = g_strdup(def->name);
    scratch->os.type = g_strdup(def->os.type);
    scratch->os.arch = g_strdup(def->os.arch);
    scratch->os.machine = g_strdup(def->os.machine);
    scratch->emulator = g_strdup(def->emulator);
    if (vk_domain_def_apply_defaults(scratch, NULL) < 0)
        return NULL;
    if (scratch->disks->len == 1)
        dev->disk = g_ptr_array_steal_index(scratch->disks, 0);
    else if (scratch->nets->len == 1)
        dev->net = g_ptr_array_steal_index(scratch->nets, 0);
    return g_steal_pointer(&dev);
}

void
vk_domain_device_def_copy_generated(VkDomainDeviceDef *dst, const VkDomainDeviceDef *src)
{
    if (dst->net && src->net && dst->net->mac_generated && src->net->mac_generated)
        memcpy(dst->net->mac, src->net->mac, sizeof(dst->net->mac));
}

VkDeviceInfo *
vk_domain_device_def_info(const VkDomainDeviceDef *dev)
{
    if (dev->disk)
        return &dev->disk->info;
    if (dev->net)
        return &dev->net->info;
    return NULL;
}

int
vk_domain_def_check_new_device(const VkDomainDef *def, const VkDomainDeviceDef *dev, bool live)
{
    if (!dev->disk)
        return 0;
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->target_dev, dev->disk->target_dev) != 0)
            continue;
        if (live)
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                            "target '%s' duplicated for disk sources '%s' and '%s'",
                            d->target_dev, d->src_path ? d->src_path : "<null>",
                            dev->disk->src_path ? dev->disk->src_path : "<null>");
        else
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                            "target %s already exists", d->target_dev);
        return -1;
    }
    return 0;
}

VkDeviceInfo *
vk_domain_def_add_device(VkDomainDef *def, VkDomainDeviceDef *dev)
{
    if (dev->disk) {
        VkDomainDiskDef *disk = g_steal_pointer(&dev->disk);
        vk_domain_def_insert_disk(def, disk);
        return &disk->info;
    }
    if (dev->net) {
        VkDomainNetDef *net = g_steal_pointer(&dev->net);
        g_ptr_array_add(def->nets, net);
        return &net->info;
    }
    return NULL;
}

static int
find_disk(const VkDomainDef *def, const VkDomainDiskDef *disk, bool live)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->target_dev, disk->target_dev) == 0)
            return (int) i;
    }
    if (live)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_DEVICE_MISSING, "disk %s not found",
                        disk->target_dev);
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_DEVICE_MISSING, "no target device %s",
                        disk->target_dev);
    return -1;
}

/* libvirt matches an interface on what the request says of it: the MAC
 * (unless it was generated), the PCI address and the alias. */
static int
find_net(const VkDomainDef *def, const VkDomainNetDef *net)
{
    bool by_mac = !net->mac_generated;
    bool by_pci = vk_device_info_pci_present(&net->info);
    const char *alias = net->info.alias;
    int found = -1;
    guint matches = 0;

    for (guint i = 0; i < def->nets->len; i++) {
        const VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        const VkPciAddress *a = &n->info.addr.pci, *b = &net->info.addr.pci;
        if (by_mac && g_ascii_strcasecmp(n->mac, net->mac) != 0)
            continue;
        if (by_pci && (n->info.addr.type != VK_DEVICE_ADDRESS_PCI || a->domain != b->domain ||
                       a->bus != b->bus || a->slot != b->slot || a->function != b->function))
            continue;
        if (alias && g_strcmp0(n->info.alias, alias) != 0)
            continue;
        if (matches++ == 0)
            found = (int) i;
    }
    if (matches == 1)
        return found;
    if (matches > 1) {
        if (by_mac)
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                            "multiple devices matching MAC address %s found", net->mac);
        else
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "%s",
                            "multiple matching devices found");
        return -1;
    }
    g_autofree char *addr = by_pci ? vk_pci_address_format(&net->info.addr.pci) : NULL;
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_DEVICE_MISSING,
                    "no device found at address '%s' matching MAC address '%s' and alias '%s'",
                    addr ? addr : "(<null>)", by_mac ? net->mac : "(<null>)",
                    alias ? alias : "(<null>)");
    return -1;
}

int
vk_domain_def_find_device(const VkDomainDef *def, const VkDomainDeviceDef *dev, bool live)
{
    if (dev->disk)
        return find_disk(def, dev->disk, live);
    if (dev->net)
        return find_net(def, dev->net);
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                    "%s detach of device '%s' is not supported", live ? "live" : "persistent",
                    dev->element);
    return -1;
}

VkDomainDeviceDef *
vk_domain_def_remove_device(VkDomainDef *def, const VkDomainDeviceDef *dev, guint index)
{
    VkDomainDeviceDef *removed = g_new0(VkDomainDeviceDef, 1);

    removed->element = g_strdup(dev->element);
    if (dev->disk && index < def->disks->len)
        removed->disk = g_ptr_array_steal_index(def->disks, index);
    else if (dev->net && index < def->nets->len)
        removed->net = g_ptr_array_steal_index(def->nets, index);
    return removed;
}

/* libvirt edits the config on a copy it reads back from XML, and reading
 * places each controller among those of its type by index (before the first
 * one with a higher index, else after the last one of its type; a type not
 * seen yet goes to the end).  Controllers an earlier attach appended move
 * into place that way: do the same. */
static void
order_controllers_as_reread(VkDomainDef *def)
{
    GPtrArray *ctrls = def->controllers;
    g_autoptr(GPtrArray) order = g_ptr_array_sized_new(ctrls->len);

    for (guint i = 0; i < ctrls->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(ctrls, i);
        gint at = -1;

        for (gint j = (gint) order->len - 1; j >= 0; j--) {
            VkDomainControllerDef *o = g_ptr_array_index(order, j);
            if (o->type != c->type)
                continue;
            if (c->index < 0) {
                at = j + 1;
                break;
            }
            if (o->index > c->index)
                at = j;
            else if (at < 0)
                at = j + 1;
        }
        g_ptr_array_insert(order, at, c);
    }
    memcpy(ctrls->pdata, order->pdata, ctrls->len * sizeof(gpointer));
}

int
vk_domain_def_attach_device(VkDomainDef *def, VkDomainDeviceDef *dev,
                            const VkDomainDefaultsOptions *opts)
{
    order_controllers_as_reread(def);
    if (!dev->disk && !dev->net) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "persistent attach of device '%s' is not supported", dev->element);
        return -1;
    }
    if (vk_domain_def_check_new_device(def, dev, false) < 0)
        return -1;
    vk_domain_pci_given_add_device(def, vk_domain_device_def_info(dev));
    vk_domain_def_add_device(def, dev);
    /* as after define: what the new device needs (a SCSI controller for an
     * sd disk, a root port for a PCIe device) is added, nothing moves */
    if (vk_domain_def_apply_defaults_opts(def, opts) < 0)
        return -1;
    return vk_domain_pci_assign(def, NULL);
}

int
vk_domain_def_detach_device(VkDomainDef *def, const VkDomainDeviceDef *dev)
{
    VkDomainDeviceDef *gone;
    int idx;

    order_controllers_as_reread(def);
    if ((idx = vk_domain_def_find_device(def, dev, false)) < 0)
        return -1;
    gone = vk_domain_def_remove_device(def, dev, (guint) idx);
    /* its address is free again: whatever goes there next is not the user's */
    if (gone && vk_domain_device_def_info(gone))
        vk_domain_pci_given_forget_device(def, vk_domain_device_def_info(gone));
    vk_domain_device_def_free(gone);
    return 0;
}

int
vk_domain_def_detach_device_alias(VkDomainDef *def, const char *alias)
{
    order_controllers_as_reread(def);
    for (guint i = 0; i < def->disks->len; i++) {
        if (g_strcmp0(((VkDomainDiskDef *) g_ptr_array_index(def->disks, i))->info.alias, alias) == 0) {
            g_ptr_array_remove_index(def->disks, i);
            return 0;
        }
    }
    for (guint i = 0; i < def->nets->len; i++) {
        if (g_strcmp0(((VkDomainNetDef *) g_ptr_array_index(def->nets, i))->info.alias, alias) == 0) {
            g_ptr_array_remove_index(def->nets, i);
            return 0;
        }
    }
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, "no device found with alias %s", alias);
    return -1;
}
