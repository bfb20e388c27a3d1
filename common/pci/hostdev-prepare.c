#include "common/pci/hostdev-prepare.h"

#include "common/pci/host-device.h"
#include "common/pci/host-reset.h"
#include "common/util/error.h"

#define STUB "vfio-pci"

/* What the kernel lets share a group with a device handed to userspace. */
static bool
member_viable(const VkPciBinder *b, const VkPciHostDevice *m)
{
    if (!m->driver || g_str_has_prefix(m->driver, "vfio") || g_str_equal(m->driver, "pci-stub"))
        return true;
    /* bridges (pcieport): their header type is not an endpoint's */
    return vk_pci_host_header_type(b, m->name) > 0;
}

int
vk_pci_host_group_check(const char *root, const char *name)
{
    VkPciBinder b = { .root = root };
    g_autoptr(VkPciHostDevice) dev = vk_pci_host_device_read(root, name);

    if (!dev)
        return -1;
    for (guint i = 0; i < dev->iommu_members->len; i++) {
        const char *member = g_ptr_array_index(dev->iommu_members, i);
        g_autoptr(VkPciHostDevice) m = vk_pci_host_device_read(root, member);

        if (!m || member_viable(&b, m)) {
            vk_error_reset();
            continue;
        }
        g_info("%s shares IOMMU group %d with %s and is bound to %s", member,
               dev->iommu_group, name, m->driver);
        /* QEMU's vfio_get_group() text, as libvirt passes it on */
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "vfio %s: group %d is not viable\n"
                        "Please ensure all devices within the iommu_group are bound to their vfio bus driver.",
                        name, dev->iommu_group);
        return -1;
    }
    return 0;
}

/* Step 1 of virHostdevPreparePCIDevices for one device. */
static int
check_device(const VkPciBinder *b, const char *name, const VkPciHostUser *self)
{
    int type = vk_pci_host_header_type(b, name);
    g_autoptr(VkPciHostDevice) dev = NULL;

    if (type < 0)
        return -1;
    if (type != 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "Non-endpoint PCI devices cannot be assigned to guests");
        return -1;
    }
    if (vk_pci_binder_check_unused(b, name, NULL) < 0)
        return -1;
    /* VFIO: no other guest may hold a device of the group */
    if (!(dev = vk_pci_host_device_read(b->root, name)))
        return -1;
    for (guint i = 0; i < dev->iommu_members->len; i++) {
        if (vk_pci_binder_check_unused(b, g_ptr_array_index(dev->iommu_members, i), self) < 0)
            return -1;
    }
    return 0;
}

/* Step 2: managed devices to the stub; unmanaged ones must be there. */
static int
detach_device(const VkPciBinder *b, const VkPciHostdev *d, const char *name)
{
    g_autofree char *driver = NULL;

    if (d->managed)
        return vk_pci_binder_detach(b, name, STUB);
    if (vk_pci_binder_recorded(b, name, NULL))
        return 0;
    /* a daemon restart loses track of unmanaged devices: one on a known
     * stub is taken as detached */
    driver = vk_pci_binder_driver(b, name);
    if (g_strcmp0(driver, STUB) == 0 || g_strcmp0(driver, "pciback") == 0)
        return vk_pci_binder_record_stub(b, name, driver);
    vk_error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID,
                    "Unmanaged PCI device %s must be manually detached from the host", name);
    return -1;
}

/* virHostdevReattachAllPCIDevices: the managed ones we hold go back. */
static void
reattach_all(const VkPciBinder *b, GPtrArray *names, const VkPciHostdev *devs)
{
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        bool unbind = false;

        if (!devs[i].managed || !vk_pci_binder_recorded(b, name, &unbind))
            continue;
        if (vk_pci_binder_reattach(b, name, unbind) < 0) {
            g_warning("Failed to re-attach PCI device: %s", vk_error_last_message());
            vk_error_reset();
        }
    }
}

static int
reset_all(const VkPciBinder *b, GPtrArray *names)
{
    int rc = 0;

    for (guint i = 0; i < names->len; i++) {
        if (vk_pci_host_reset(b, g_ptr_array_index(names, i)) < 0) {
            g_warning("Failed to reset PCI device: %s", vk_error_last_message());
            rc = -1;
        }
    }
    return rc;
}

int
vk_pci_host_prepare(const VkPciBinder *b, const VkPciHostdev *devs, guint n,
                    const char *driver, const char *domain)
{
    const VkPciHostUser self = { .driver = driver, .domain = domain };
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    guint detached = 0;

    for (guint i = 0; i < n; i++) {
        char *name = vk_pci_binder_device_name(b, devs[i].name);
        if (!name)
            return -1;
        g_ptr_array_add(names, name);
        if (check_device(b, name, &self) < 0)
            return -1;
    }
    for (; detached < n; detached++) {
        if (detach_device(b, &devs[detached], g_ptr_array_index(names, detached)) < 0)
            break;
    }
    if (detached == n && reset_all(b, names) == 0) {
        guint i = 0;
        while (i < n && vk_pci_host_group_check(b->root, g_ptr_array_index(names, i)) == 0)
            i++;
        if (i == n)
            return 0;
    }
    g_ptr_array_set_size(names, detached);
    {
        g_autoptr(VkError) err = vk_error_steal();
        reattach_all(b, names, devs);
        vk_error_set(g_steal_pointer(&err));
    }
    return -1;
}

void
vk_pci_host_release(const VkPciBinder *b, const VkPciHostdev *devs, guint n)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < n; i++) {
        char *name = vk_pci_binder_device_name(b, devs[i].name);
        if (!name) {
            /* gone from the host: nothing to give back */
            g_warning("%s", vk_error_last_message());
            vk_error_reset();
            name = g_strdup(devs[i].name);
        }
        g_ptr_array_add(names, name);
    }
    /* virHostdevReAttachPCIDevices: reset all, then reattach */
    reset_all(b, names);
    vk_error_reset();
    reattach_all(b, names, devs);
}
