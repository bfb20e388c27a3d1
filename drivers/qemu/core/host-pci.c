#include "drivers/qemu/core/host-pci.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/host/netlink-link.h"
#include "common/pci/host-device.h"
#include "common/pci/hostdev-prepare.h"
#include "common/util/error.h"
#include "drivers/qemu/driver.h"

/* On a test tree nothing in the kernel reacts to a write: the test plays
 * the kernel, consuming (emptying) what is written to a driver's bind or
 * unbind and to drivers_probe.  A real kernel has acted when the write
 * returns, so the next step waits for the test's (5 s at most).  Every
 * write is logged in order to ROOT/run/virtkit-fake-sysfs-writes.log. */
static void
fake_tree_wrote(const char *path, goffset offset, const void *buf, gsize len, gpointer data)
{
    const char *root = data;
    g_autofree char *log = g_build_filename(root, "run", "virtkit-fake-sysfs-writes.log", NULL);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *value = g_strndup(buf, len);
    FILE *f = fopen(log, "a");
    struct stat st;

    if (f) {
        fprintf(f, "%s=%s\n", path + strlen(root),
                offset < 0 ? g_strchomp(value) : "(config bytes)");
        fclose(f);
    }
    if (!g_str_equal(base, "unbind") && !g_str_equal(base, "bind") &&
        !g_str_equal(base, "drivers_probe"))
        return;
    for (int i = 0; i < 5000 && stat(path, &st) == 0 && st.st_size > 0; i++)
        g_usleep(1000);
}

void
vk_qemu_pci_binder_init(VkPciBinder *b, char **state_dir)
{
    const char *root = g_getenv("VIRTKIT_TEST_PCI_ROOT");

    *state_dir = g_build_filename(vk_qemu_driver()->paths->run_dir, "hostdevmgr", NULL);
    *b = (VkPciBinder) { .root = root, .state_dir = *state_dir };
    if (root) {
        b->wrote = fake_tree_wrote;
        b->data = (gpointer) root;
    }
}

static void
add_hostdev(GArray *devs, GPtrArray *names, const VkPciAddress *a, bool managed)
{
    VkPciHostdev dev = { .managed = managed };

    dev.name = g_strdup_printf("%04x:%02x:%02x.%x", a->domain, a->bus, a->slot, a->function);
    g_ptr_array_add(names, (char *) dev.name);
    g_array_append_val(devs, dev);
}

/* DEF's PCI hostdevs as the binding steps see them, the host devices of
 * its interfaces (type hostdev, or a hostdev network's VF) after them, as
 * libvirt adds those to the guest's hostdevs; the names are the array's
 * (freed with it). */
static GArray *
pci_hostdevs(const VkDomainDef *def, GPtrArray *names)
{
    GArray *devs = g_array_new(FALSE, FALSE, sizeof(VkPciHostdev));

    for (guint i = 0; def->hostdevs && i < def->hostdevs->len; i++) {
        const VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);

        if (h->mode == VK_HOSTDEV_MODE_SUBSYSTEM && h->type == VK_HOSTDEV_PCI)
            add_hostdev(devs, names, &h->src_pci, h->managed == VK_TRISTATE_ON);
    }
    for (guint i = 0; def->nets && i < def->nets->len; i++) {
        const VkDomainNetDef *n = g_ptr_array_index(def->nets, i);

        if (vk_domain_net_actual_type(n) == VK_NET_TYPE_HOSTDEV && n->has_src_pci)
            add_hostdev(devs, names, &n->src_pci, n->managed == VK_TRISTATE_ON);
    }
    return devs;
}

/* Whether the first host PCI device of DEF (hostdevs, then interfaces)
 * asks for vfio by name; -1 when DEF has none. */
static int
first_asks_vfio(const VkDomainDef *def)
{
    for (guint i = 0; def->hostdevs && i < def->hostdevs->len; i++) {
        const VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);

        if (h->mode == VK_HOSTDEV_MODE_SUBSYSTEM && h->type == VK_HOSTDEV_PCI)
            return h->driver == VK_HOSTDEV_DRIVER_VFIO;
    }
    for (guint i = 0; def->nets && i < def->nets->len; i++) {
        const VkDomainNetDef *n = g_ptr_array_index(def->nets, i);

        if (vk_domain_net_actual_type(n) == VK_NET_TYPE_HOSTDEV)
            return n->driver_name == VK_NET_DRIVER_VFIO;
    }
    return -1;
}

/* libvirt's qemuHostdevPreparePCIDevicesCheckSupport: VFIO or nothing. */
static int
check_support(const VkDomainDef *def, const char *root)
{
    int vfio = first_asks_vfio(def);

    if (vfio < 0 || vk_pci_host_supports_vfio(root))
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                    vfio ? "host doesn't support VFIO PCI passthrough"
                         : "host doesn't support passthrough of host PCI devices");
    return -1;
}

/* Set the guest's MAC on a VF (libvirt's virHostdevNetConfigReplace),
 * through its PF.  On a test tree (ROOT set) nothing is sent: the request
 * is appended to ROOT/run/virtkit-fake-netlink.log. */
static int
set_vf_mac(const char *root, const VkDomainNetDef *n)
{
    g_autofree char *vf = vk_pci_address_format(&n->src_pci);
    g_autofree char *pf = NULL;
    unsigned int index;
    unsigned char mac[6];

    if (vk_pci_vf_pf_info(root, vf, &pf, &index) < 0)
        return -1;
    if (root) {
        g_autofree char *log = g_build_filename(root, "run", "virtkit-fake-netlink.log", NULL);
        g_autofree char *line = g_strdup_printf("setlink %s vf %u mac %s\n", pf, index, n->mac);
        FILE *f = fopen(log, "a");

        if (!f || fputs(line, f) < 0 || fclose(f) != 0) {
            vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot write '%s'", log);
            return -1;
        }
        return 0;
    }
    sscanf(n->mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3],
           &mac[4], &mac[5]);
    return vk_link_set_vf_mac(pf, index, mac);
}

static int
set_vf_macs(const VkDomainDef *def, const char *root)
{
    for (guint i = 0; i < def->nets->len; i++) {
        const VkDomainNetDef *n = g_ptr_array_index(def->nets, i);

        if (n->type == VK_NET_TYPE_NETWORK && n->actual_hostdev && set_vf_mac(root, n) < 0)
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

/* DOMAIN holds NAMES (driver locked). */
static void
hold_locked(VkQemuDriver *driver, GPtrArray *names, const char *domain)
{
    for (guint i = 0; i < names->len; i++)
        g_hash_table_insert(driver->pci_users, g_strdup(names->pdata[i]), g_strdup(domain));
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
    if (rc == 0 && set_vf_macs(obj->def, b.root) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_pci_host_release(&b, (const VkPciHostdev *) devs->data, devs->len);
        vk_error_set(g_steal_pointer(&err));
        rc = -1;
    }
    if (rc == 0)
        hold_locked(driver, names, obj->def->name);
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
    hold_locked(driver, names, obj->def->name);
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
