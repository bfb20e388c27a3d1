#include "common/pci/host-binding.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/pci/address.h"
#include "common/util/error.h"
#include "common/util/file.h"

#define PCI_SYSFS "sys/bus/pci"
#define CFG_HEADER_TYPE 0x0e

static const char *
root_of(const VkPciBinder *b)
{
    return b->root ? b->root : "/";
}

char *
vk_pci_binder_device_path(const VkPciBinder *b, const char *name, const char *file)
{
    return g_build_filename(root_of(b), PCI_SYSFS, "devices", name, file, NULL);
}

int
vk_pci_binder_write(const VkPciBinder *b, const char *path, goffset offset,
                    const void *buf, gsize len)
{
    /* never O_CREAT: a sysfs file that is not there is an error, and a test
     * tree gets no file the kernel would not have */
    int fd = open(path, offset < 0 ? O_WRONLY | O_TRUNC : O_WRONLY);
    ssize_t done;
    int saved;

    if (fd < 0)
        return -1;
    done = pwrite(fd, buf, len, MAX(offset, 0));
    saved = errno;
    close(fd);
    if (done != (ssize_t) len) {
        errno = done < 0 ? saved : EIO;
        return -1;
    }
    if (b->wrote)
        b->wrote(path, offset, buf, len, b->data);
    return 0;
}

/* libvirt's virFileWriteStr: the text, no newline added */
static int
write_str(const VkPciBinder *b, const char *path, const char *text)
{
    return vk_pci_binder_write(b, path, -1, text, strlen(text));
}

const VkPciHostUser *
vk_pci_binder_user(const VkPciBinder *b, const char *name)
{
    for (guint i = 0; i < b->n_users; i++) {
        if (g_str_equal(b->users[i].name, name))
            return &b->users[i];
    }
    return NULL;
}

/* The detach record: ROOT/run/libvirt/hostdevmgr/NAME, a key file with the
 * stub, the driver the device had, and libvirt's unbind_from_stub (false
 * when the device was on the stub before we looked). */
static char *
record_path(const VkPciBinder *b, const char *name)
{
    return g_build_filename(b->state_dir, name, NULL);
}

static GKeyFile *
record_read(const VkPciBinder *b, const char *name)
{
    g_autofree char *path = record_path(b, name);
    g_autoptr(GKeyFile) kf = g_key_file_new();

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
        return NULL;
    return g_steal_pointer(&kf);
}

static int
record_write(const VkPciBinder *b, const char *name, const char *stub, const char *driver,
             bool unbind)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *path = record_path(b, name);
    g_autofree char *data = NULL;
    gsize len;

    g_key_file_set_string(kf, "device", "stub", stub);
    if (driver)
        g_key_file_set_string(kf, "device", "driver", driver);
    g_key_file_set_boolean(kf, "device", "unbind-from-stub", unbind);
    data = g_key_file_to_data(kf, &len, NULL);
    if (vk_file_make_dirs(b->state_dir, 0700) < 0)
        return -1;
    return vk_file_write_atomic(path, data, len, 0600);
}

static void
record_remove(const VkPciBinder *b, const char *name)
{
    g_autofree char *path = record_path(b, name);

    unlink(path);
}

bool
vk_pci_binder_recorded(const VkPciBinder *b, const char *name, bool *unbind)
{
    g_autoptr(GKeyFile) kf = record_read(b, name);

    if (!kf)
        return false;
    if (unbind)
        *unbind = g_key_file_get_boolean(kf, "device", "unbind-from-stub", NULL);
    return true;
}

int
vk_pci_binder_record_stub(const VkPciBinder *b, const char *name, const char *stub)
{
    return record_write(b, name, stub, NULL, false);
}

bool
vk_pci_binder_is_inactive(const VkPciBinder *b, const char *name)
{
    g_autoptr(GKeyFile) kf = record_read(b, name);

    return kf && !vk_pci_binder_user(b, name);
}

/* the "driver" link's last component */
char *
vk_pci_binder_driver(const VkPciBinder *b, const char *name)
{
    g_autofree char *link = vk_pci_binder_device_path(b, name, "driver");
    g_autofree char *target = g_file_read_link(link, NULL);

    return target ? g_path_get_basename(target) : NULL;
}

char *
vk_pci_binder_device_name(const VkPciBinder *b, const char *str)
{
    VkPciAddress addr;
    g_autofree char *name = NULL;
    g_autofree char *config = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *vendor = NULL;
    g_autofree char *device = NULL;

    if (vk_pci_address_parse(str, &addr) < 0)
        return NULL;
    name = vk_pci_address_format(&addr);
    config = vk_pci_binder_device_path(b, name, "config");
    if (access(config, F_OK) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "Device %s not found: could not access %s",
                              name, config);
        return NULL;
    }
    dir = vk_pci_binder_device_path(b, name, NULL);
    vendor = vk_file_read_attr(dir, "vendor");
    device = vk_file_read_attr(dir, "device");
    if (!g_str_has_prefix(vendor ? vendor : "", "0x") ||
        !g_str_has_prefix(device ? device : "", "0x")) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Failed to read product/vendor ID for %s", name);
        return NULL;
    }
    return g_steal_pointer(&name);
}

int
vk_pci_binder_check_unused(const VkPciBinder *b, const char *name, const VkPciHostUser *vfio_sharer)
{
    const VkPciHostUser *u = vk_pci_binder_user(b, name);

    if (!u)
        return 0;
    if (vfio_sharer && g_strcmp0(u->driver, vfio_sharer->driver) == 0 &&
        g_strcmp0(u->domain, vfio_sharer->domain) == 0)
        return 0;
    if (u->driver && u->domain)
        vk_error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID,
                        "PCI device %s is in use by driver %s, domain %s", name, u->driver,
                        u->domain);
    else
        vk_error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID, "PCI device %s is in use", name);
    return -1;
}

static int
load_module(const VkPciBinder *b, const char *module)
{
    const char *argv[] = { "modprobe", "-b", module, NULL };
    g_autoptr(GError) err = NULL;
    int status;

    if (b->load_module)
        return b->load_module(module, b->data);
    if (!g_str_equal(root_of(b), "/"))
        return -1;   /* a test tree gets no module of this host's */
    if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                      &status, &err) ||
        !g_spawn_check_wait_status(status, &err)) {
        g_warning("failed to load driver %s: %s", module, err->message);
        return -1;
    }
    return 0;
}

/* virPCIProbeStubDriver: the driver's directory, after modprobe if need be. */
static int
probe_driver(const VkPciBinder *b, const char *driver)
{
    g_autofree char *dir = g_build_filename(root_of(b), PCI_SYSFS, "drivers", driver, NULL);

    if (g_file_test(dir, G_FILE_TEST_IS_DIR))
        return 0;
    if (load_module(b, driver) == 0 && g_file_test(dir, G_FILE_TEST_IS_DIR))
        return 0;
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "Failed to load PCI stub module %s",
                    driver);
    return -1;
}

/* virPCIDeviceUnbind + virPCIDeviceRebind: NAME to DRIVER/unbind when it has
 * a driver, then NAME to drivers_probe. */
static int
rebind(const VkPciBinder *b, const char *name)
{
    g_autofree char *driver = vk_pci_binder_driver(b, name);
    g_autofree char *unbind = vk_pci_binder_device_path(b, name, "driver/unbind");
    g_autofree char *probe = g_build_filename(root_of(b), PCI_SYSFS, "drivers_probe", NULL);

    if (driver && g_file_test(unbind, G_FILE_TEST_EXISTS) && write_str(b, unbind, name) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "Failed to unbind PCI device '%s' from %s",
                              name, driver);
        return -1;
    }
    if (write_str(b, probe, name) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno,
                              "Failed to trigger a probe for PCI device '%s'", name);
        return -1;
    }
    return 0;
}

/* virPCIDeviceBindWithDriverOverride ("\n" clears the override) */
static int
bind_with_override(const VkPciBinder *b, const char *name, const char *driver)
{
    g_autofree char *path = vk_pci_binder_device_path(b, name, "driver_override");

    if (write_str(b, path, driver) < 0) {
        /* libvirt 9.0's text, its two spaces included */
        vk_error_report_errno(VIR_FROM_NONE, errno,
                              "Failed to add driver '%s' to driver_override  interface of PCI device '%s'",
                              driver, name);
        return -1;
    }
    return rebind(b, name);
}

/* virPCIDeviceDetach: a device on STUB already is left alone; the record
 * of the first detach is kept (libvirt's inactive list keeps its first copy). */
int
vk_pci_binder_detach(const VkPciBinder *b, const char *name, const char *stub)
{
    g_autoptr(GKeyFile) had = record_read(b, name);
    g_autofree char *driver = NULL;

    if (vk_pci_binder_user(b, name)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "Not detaching active device %s",
                        name);
        return -1;
    }
    if (probe_driver(b, stub) < 0)
        return -1;
    driver = vk_pci_binder_driver(b, name);
    if (g_strcmp0(driver, stub) == 0)
        return had ? 0 : record_write(b, name, stub, NULL, false);
    /* recorded first: a daemon killed half way still knows what to undo */
    if (record_write(b, name, stub, driver, true) < 0)
        return -1;
    if (bind_with_override(b, name, stub) < 0) {
        if (!had)
            record_remove(b, name);
        return -1;
    }
    return 0;
}

int
vk_pci_host_detach(const VkPciBinder *b, const char *str, const char *stub)
{
    g_autofree char *name = vk_pci_binder_device_name(b, str);

    if (!name || vk_pci_binder_check_unused(b, name, NULL) < 0)
        return -1;
    return vk_pci_binder_detach(b, name, stub);
}

/* virPCIDeviceReattach with UNBIND: libvirt's unbind_from_stub */
int
vk_pci_binder_reattach(const VkPciBinder *b, const char *name, bool unbind)
{
    if (vk_pci_binder_user(b, name)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "Not reattaching active device %s",
                        name);
        return -1;
    }
    if (unbind && bind_with_override(b, name, "\n") < 0)
        return -1;
    record_remove(b, name);
    return 0;
}

int
vk_pci_host_reattach(const VkPciBinder *b, const char *str)
{
    g_autofree char *name = vk_pci_binder_device_name(b, str);

    if (!name || vk_pci_binder_check_unused(b, name, NULL) < 0)
        return -1;
    /* virHostdevPCINodeDeviceReAttach sets unbind_from_stub whatever the
     * device is bound to */
    return vk_pci_binder_reattach(b, name, true);
}

bool
vk_pci_host_supports_vfio(const char *root)
{
    g_autofree char *groups = g_build_filename(root ? root : "/", "sys/kernel/iommu_groups", NULL);
    g_autofree char *vfio = g_build_filename(root ? root : "/", "dev/vfio/vfio", NULL);
    g_autoptr(GDir) dir = g_dir_open(groups, 0, NULL);

    /* virHostHasIOMMU: a group exists; then the VFIO container device */
    return dir && g_dir_read_name(dir) && g_file_test(vfio, G_FILE_TEST_EXISTS);
}

const char *
vk_pci_host_stub_for_driver_name(const char *root, const char *driver_name)
{
    /* qemuNodeDeviceDetachFlags: only vfio; kvm has a text of its own */
    if (!driver_name)
        driver_name = "vfio";
    if (!g_str_equal(driver_name, "vfio") && !g_str_equal(driver_name, "kvm")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "unknown driver name '%s'",
                        driver_name);
        return NULL;
    }
    if (g_str_equal(driver_name, "kvm")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "KVM device assignment is no longer supported on this system");
        return NULL;
    }
    if (!vk_pci_host_supports_vfio(root)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "VFIO device assignment is currently not supported on this system");
        return NULL;
    }
    return "vfio-pci";
}
