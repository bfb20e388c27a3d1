#include "drivers/qemu/core/host-pci.h"

#include "common/pci/hostdev-prepare.h"
#include "common/util/error.h"
#include "drivers/qemu/driver.h"

void
vk_qemu_pci_binder_init(VkPciBinder *b, char **state_dir)
{
    *state_dir = g_build_filename(vk_qemu_driver()->paths->run_dir, "hostdevmgr", NULL);
    *b = (VkPciBinder) { .root = g_getenv("VIRTKIT_TEST_PCI_ROOT"), .state_dir = *state_dir };
}

/* DEF's PCI hostdevs as the binding steps see them; the names are the
 * array's (freed with it). */
static GArray *
pci_hostdevs(const VkDomainDef *def, GPtrArray *names)
{
    GArray *devs = g_array_new(FALSE, FALSE, sizeof(VkPciHostdev));

    for (guint i = 0; def->hostdevs && i < def->hostdevs->len; i++) {
        const VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        VkPciHostdev dev;

        if (h->mode != VK_HOSTDEV_MODE_SUBSYSTEM || h->type != VK_HOSTDEV_PCI)
            continue;
        dev.name = g_strdup_printf("%04x:%02x:%02x.%x", h->src_pci.domain, h->src_pci.bus,
                                   h->src_pci.slot, h->src_pci.function);
        dev.managed = h->managed == VK_TRISTATE_ON;
        g_ptr_array_add(names, (char *) dev.name);
        g_array_append_val(devs, dev);
    }
    return devs;
}

/* libvirt's qemuHostdevPreparePCIDevicesCheckSupport: VFIO or nothing. */
static int
check_support(const VkDomainDef *def, const char *root)
{
    for (guint i = 0; def->hostdevs && i < def->hostdevs->len; i++) {
        const VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);

        if (h->mode != VK_HOSTDEV_MODE_SUBSYSTEM || h->type != VK_HOSTDEV_PCI ||
            vk_pci_host_supports_vfio(root))
            continue;
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        h->driver == VK_HOSTDEV_DRIVER_VFIO
                            ? "host doesn't support VFIO PCI passthrough"
                            : "host doesn't support passthrough of host PCI devices");
        return -1;
    }
    return 0;
}

/* The devices other guests hold, for the in-use checks (driver locked). */
static GArray *
users_locked(VkQemuDriver *driver)
{
    GArray *users = g_array_new(FALSE, FALSE, sizeof(VkPciHostUser));
    GHashTableIter iter;
    gpointer name, domain;

    g_hash_table_iter_init(&iter, driver->pci_users);
    while (g_hash_table_iter_next(&iter, &name, &domain)) {
        VkPciHostUser u = { .name = name, .driver = "QEMU", .domain = domain };
        g_array_append_val(users, u);
    }
    return users;
}

int
vk_qemu_hostdevs_prepare(VkDomainObj *obj)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) devs = pci_hostdevs(obj->def, names);
    g_autoptr(GArray) users = NULL;
    g_autofree char *state_dir = NULL;
    VkPciBinder b;
    int rc;

    if (devs->len == 0)
        return 0;
    vk_qemu_pci_binder_init(&b, &state_dir);
    if (check_support(obj->def, b.root) < 0)
        return -1;
    g_mutex_lock(&driver->lock);
    users = users_locked(driver);
    b.users = (const VkPciHostUser *) users->data;
    b.n_users = users->len;
    rc = vk_pci_host_prepare(&b, (const VkPciHostdev *) devs->data, devs->len, "QEMU",
                             obj->def->name);
    for (guint i = 0; rc == 0 && i < devs->len; i++)
        g_hash_table_insert(driver->pci_users, g_strdup(names->pdata[i]),
                            g_strdup(obj->def->name));
    g_mutex_unlock(&driver->lock);
    return rc;
}

void
vk_qemu_hostdevs_adopt(VkDomainObj *obj)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) devs = pci_hostdevs(obj->def, names);

    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < devs->len; i++)
        g_hash_table_insert(driver->pci_users, g_strdup(names->pdata[i]),
                            g_strdup(obj->def->name));
    g_mutex_unlock(&driver->lock);
}

void
vk_qemu_hostdevs_release(VkDomainObj *obj)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) devs = pci_hostdevs(obj->def, names);
    g_autoptr(GArray) users = NULL;
    g_autofree char *state_dir = NULL;
    VkPciBinder b;
    bool held = false;

    if (devs->len == 0)
        return;
    vk_qemu_pci_binder_init(&b, &state_dir);
    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < devs->len; i++)
        held |= g_hash_table_remove(driver->pci_users, names->pdata[i]);
    users = users_locked(driver);
    b.users = (const VkPciHostUser *) users->data;
    b.n_users = users->len;
    /* only a start that got its devices gives them back */
    if (held)
        vk_pci_host_release(&b, (const VkPciHostdev *) devs->data, devs->len);
    g_mutex_unlock(&driver->lock);
}
