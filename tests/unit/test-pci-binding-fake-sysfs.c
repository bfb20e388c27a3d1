/* Detach, reattach and reset of host PCI devices on a FAKE sysfs tree that
 * each test builds in a temporary directory; nothing here touches /sys.
 * Nothing in the kernel reacts to a fake tree, so the test plays the kernel
 * in the binder's write hook: a write to a driver's unbind removes the
 * device's driver link; a write to drivers_probe binds an unbound device to
 * its driver_override, or with none to its own driver (the kernel's id
 * match).  Every write is logged, in order, and compared with libvirt 9.0's.
 *
 * The tree: a root port 00:1c.0 (pcieport) with a two-port e1000e card
 * behind it (03:00.0, 03:00.1), all three in IOMMU group 12; 00:1f.3, an
 * audio device on the root bus with no reset; 04:00.0 with PCIe FLR; two
 * functions behind bridge 00:1e.0 (05:00.0, 05:00.1) with neither FLR nor
 * PM reset. */
#include <string.h>
#include <unistd.h>

#include "common/pci/host-binding.h"
#include "common/pci/host-reset.h"
#include "common/pci/hostdev-prepare.h"
#include "common/util/error.h"
#include "fake-sysfs.h"

typedef struct {
    char *root;
    char *state_dir;
    GPtrArray *log;         /* "path-under-root=value" in write order */
    VkPciBinder b;
    bool module_loads;      /* modprobe works */
} Fx;

/* the driver the kernel would choose for each device */
static const struct { const char *dev, *driver; } native[] = {
    { "0000:00:1c.0", "pcieport" }, { "0000:03:00.0", "e1000e" }, { "0000:03:00.1", "e1000e" },
    { "0000:00:1f.3", "snd_hda_intel" }, { "0000:04:00.0", "nvme" },
    { "0000:00:1e.0", "pcieport" }, { "0000:05:00.0", "ahci" }, { "0000:05:00.1", "ahci" },
};

static const char *
native_driver(const char *dev)
{
    for (guint i = 0; i < G_N_ELEMENTS(native); i++) {
        if (g_str_equal(native[i].dev, dev))
            return native[i].driver;
    }
    return NULL;
}

static void
make_driver(Fx *fx, const char *driver)
{
    const char *files[] = { "bind", "unbind", "new_id", "remove_id" };

    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path = g_strdup_printf("%s/sys/bus/pci/drivers/%s/%s", fx->root, driver,
                                                files[i]);
        g_autofree char *dir = g_path_get_dirname(path);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
        g_assert_true(g_file_set_contents(path, "", 0, NULL));
    }
}

/* a text attribute */
static char *
dev_file(Fx *fx, const char *dev, const char *file)
{
    g_autofree char *path = g_strdup_printf("%s/sys/bus/pci/devices/%s/%s", fx->root, dev, file);
    char *text = NULL;

    return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

static char *
driver_of(Fx *fx, const char *dev)
{
    g_autofree char *path = g_strdup_printf("%s/sys/bus/pci/devices/%s/driver", fx->root, dev);
    g_autofree char *target = g_file_read_link(path, NULL);

    return target ? g_path_get_basename(target) : NULL;
}

/* The kernel, as far as these writes go. */
static void
kernel_reacts(Fx *fx, const char *rel, const char *value)
{
    if (g_str_has_suffix(rel, "/unbind")) {
        fake_sysfs_bind(fx->root, value, NULL);
    } else if (g_str_equal(rel, "sys/bus/pci/drivers_probe")) {
        g_autofree char *bound = driver_of(fx, value);
        g_autofree char *ovr = dev_file(fx, value, "driver_override");
        g_autofree char *drv_dir = NULL;
        const char *pick;

        if (bound)
            return;
        g_strstrip(ovr);
        /* the kernel shows an unset override as "(null)" */
        pick = *ovr && !g_str_equal(ovr, "(null)") ? ovr : native_driver(value);
        drv_dir = g_strdup_printf("%s/sys/bus/pci/drivers/%s", fx->root, pick);
        if (pick && g_file_test(drv_dir, G_FILE_TEST_IS_DIR))
            fake_sysfs_bind(fx->root, value, pick);
    }
}

static void
wrote(const char *path, goffset offset, const void *buf, gsize len, gpointer data)
{
    Fx *fx = data;
    const char *rel;
    g_autofree char *value = NULL;

    /* the whole point: only the fake tree */
    g_assert_true(g_str_has_prefix(path, fx->root));
    rel = path + strlen(fx->root) + 1;
    if (g_str_has_suffix(rel, "/config")) {
        GString *hex = g_string_new(NULL);
        if (len > 4)
            g_string_append_printf(hex, "%zu bytes", len);
        for (gsize i = 0; len <= 4 && i < len; i++)
            g_string_append_printf(hex, "%s%02x", i ? " " : "", ((const guint8 *) buf)[i]);
        g_ptr_array_add(fx->log, g_strdup_printf("%s@0x%x=%s", rel, (unsigned) offset, hex->str));
        g_string_free(hex, TRUE);
        return;
    }
    value = g_strndup(buf, len);
    g_ptr_array_add(fx->log, g_strdup_printf("%s=%s", rel, g_str_equal(value, "\n") ? "\\n" : value));
    kernel_reacts(fx, rel, value);
}

static int
load_module(const char *module, gpointer data)
{
    Fx *fx = data;

    g_ptr_array_add(fx->log, g_strdup_printf("modprobe %s", module));
    if (!fx->module_loads)
        return -1;
    make_driver(fx, module);
    return 0;
}

/* A config space: header TYPE, then PM (NO_SOFT_RESET when !PM_RESET) and
 * PCIe (FLR when asked) capabilities; a bridge gets SECONDARY. */
static void
put_config(Fx *fx, const char *dev, int type, bool pm, bool pm_reset, bool flr, int secondary)
{
    guint8 cfg[256] = { 0x86, 0x80, 0xd3, 0x10 };

    cfg[0x0e] = type;
    cfg[0x06] = 0x10;
    cfg[0x34] = pm ? 0x40 : 0x60;
    if (pm) {
        cfg[0x40] = 0x01; cfg[0x41] = 0x60;
        cfg[0x44] = pm_reset ? 0x00 : 0x08;
    }
    cfg[0x60] = 0x10; cfg[0x61] = 0x00;
    if (flr)
        cfg[0x60 + 0x04 + 3] = 0x10;   /* DEVCAP bit 28 */
    if (type == 1) {
        cfg[0x19] = secondary;
        cfg[0x1a] = secondary;
    }
    fake_sysfs_put_bytes(fx->root, dev, "config", cfg, sizeof(cfg));
    fake_sysfs_put(fx->root, dev, "driver_override", "(null)\n");
}

static void
device(Fx *fx, const char *name, const char *cls, int group)
{
    const char *drv = native_driver(name);

    make_driver(fx, drv);
    fake_sysfs_device(fx->root, name, "0x8086\n", "0x10d3\n", "0x8086\n", "0x0001\n", cls, "0\n",
                      drv, group);
}

static void
setup(Fx *fx, gconstpointer data)
{
    (void) data;
    fx->root = fake_sysfs_new();
    fx->state_dir = g_build_filename(fx->root, "run/libvirt/hostdevmgr", NULL);
    fx->log = g_ptr_array_new_with_free_func(g_free);
    fx->module_loads = true;
    fx->b = (VkPciBinder) { .root = fx->root, .state_dir = fx->state_dir,
                            .load_module = load_module, .wrote = wrote, .data = fx };

    device(fx, "0000:00:1c.0", "0x060400\n", 12);
    put_config(fx, "0000:00:1c.0", 1, false, false, false, 3);
    device(fx, "0000:03:00.0", "0x020000\n", 12);
    put_config(fx, "0000:03:00.0", 0, true, true, false, 0);
    device(fx, "0000:03:00.1", "0x020000\n", 12);
    put_config(fx, "0000:03:00.1", 0, true, true, false, 0);
    device(fx, "0000:00:1f.3", "0x040300\n", 13);
    put_config(fx, "0000:00:1f.3", 0, false, false, false, 0);
    device(fx, "0000:04:00.0", "0x010802\n", 14);
    put_config(fx, "0000:04:00.0", 0, true, false, true, 0);
    device(fx, "0000:00:1e.0", "0x060400\n", 15);
    put_config(fx, "0000:00:1e.0", 1, false, false, false, 5);
    device(fx, "0000:05:00.0", "0x010601\n", 16);
    put_config(fx, "0000:05:00.0", 0, true, false, false, 0);
    device(fx, "0000:05:00.1", "0x010601\n", 16);
    put_config(fx, "0000:05:00.1", 0, true, false, false, 0);
    fake_sysfs_put(fx->root, "../../bus/pci", "drivers_probe", "");
    fake_sysfs_put(fx->root, "../../../dev/vfio", "vfio", "");
    vk_error_reset();
}

static void
teardown(Fx *fx, gconstpointer data)
{
    (void) data;
    fake_sysfs_remove(fx->root);
    g_free(fx->root);
    g_free(fx->state_dir);
    g_ptr_array_unref(fx->log);
}

static void
assert_log(Fx *fx, const char *const *expected)
{
    guint n = g_strv_length((char **) expected);

    for (guint i = 0; i < MAX(n, fx->log->len); i++)
        g_assert_cmpstr(i < fx->log->len ? g_ptr_array_index(fx->log, i) : NULL, ==, expected[i]);
    g_ptr_array_set_size(fx->log, 0);
}

static void
assert_error(int code, const char *message)
{
    g_assert_nonnull(vk_error_last());
    g_assert_cmpstr(vk_error_last_message(), ==, message);
    g_assert_cmpint(vk_error_last_code(), ==, code);
    vk_error_reset();
}

#define DEV(n, f) "sys/bus/pci/devices/" n "/" f

static const char *const detach_030 [] = {
    DEV("0000:03:00.0", "driver_override=vfio-pci"),
    DEV("0000:03:00.0", "driver/unbind=0000:03:00.0"),
    "sys/bus/pci/drivers_probe=0000:03:00.0", NULL,
};
static const char *const reattach_030 [] = {
    DEV("0000:03:00.0", "driver_override=\\n"),
    DEV("0000:03:00.0", "driver/unbind=0000:03:00.0"),
    "sys/bus/pci/drivers_probe=0000:03:00.0", NULL,
};

/* virPCIDeviceBindToStub: driver_override, unbind, drivers_probe; the module
 * first; the original driver recorded under the run dir. */
static void
test_detach(Fx *fx, gconstpointer data)
{
    const char *first[] = { "modprobe vfio-pci", detach_030[0], detach_030[1], detach_030[2], NULL };
    g_autofree char *record = g_build_filename(fx->state_dir, "0000:03:00.0", NULL);
    g_autofree char *text = NULL;
    g_autofree char *drv = NULL;
    g_autofree char *ovr = NULL;
    g_autofree char *unbound = NULL;
    g_autofree char *e1000e_unbind = g_build_filename(fx->root, "sys/bus/pci/drivers/e1000e/unbind", NULL);

    (void) data;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, 0);
    assert_log(fx, first);
    g_assert_cmpstr((drv = driver_of(fx, "0000:03:00.0")), ==, "vfio-pci");
    g_assert_cmpstr((ovr = dev_file(fx, "0000:03:00.0", "driver_override")), ==, "vfio-pci");
    /* the unbind went to the driver it had */
    g_assert_true(g_file_get_contents(e1000e_unbind, &unbound, NULL, NULL));
    g_assert_cmpstr(unbound, ==, "0000:03:00.0");
    g_assert_true(g_file_get_contents(record, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "driver=e1000e"));
    g_assert_nonnull(strstr(text, "unbind-from-stub=true"));
    g_assert_true(vk_pci_binder_is_inactive(&fx->b, "0000:03:00.0"));

    /* libvirt: "a NOP if the device is already bound to the stub"; the
     * first record stays */
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, 0);
    g_assert_cmpuint(fx->log->len, ==, 0);
    g_clear_pointer(&text, g_free);
    g_assert_true(g_file_get_contents(record, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "driver=e1000e"));
}

/* virHostdevPCINodeDeviceReAttach: override cleared with "\n", unbind from
 * vfio-pci, drivers_probe: the kernel gives the device its own driver. */
static void
test_reattach(Fx *fx, gconstpointer data)
{
    g_autofree char *drv = NULL;
    g_autofree char *unbound = NULL;
    g_autofree char *record = g_build_filename(fx->state_dir, "0000:03:00.0", NULL);
    g_autofree char *vfio_unbind = g_build_filename(fx->root, "sys/bus/pci/drivers/vfio-pci/unbind", NULL);

    (void) data;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, 0);
    g_ptr_array_set_size(fx->log, 0);
    g_assert_cmpint(vk_pci_host_reattach(&fx->b, "0000:03:00.0"), ==, 0);
    assert_log(fx, reattach_030);
    g_assert_cmpstr((drv = driver_of(fx, "0000:03:00.0")), ==, "e1000e");
    g_assert_true(g_file_get_contents(vfio_unbind, &unbound, NULL, NULL));
    g_assert_cmpstr(unbound, ==, "0000:03:00.0");
    g_assert_false(g_file_test(record, G_FILE_TEST_EXISTS));
    g_assert_false(vk_pci_binder_is_inactive(&fx->b, "0000:03:00.0"));
}

/* libvirt has no "not detached" error: nodedev-reattach of a device on its
 * host driver rebinds it there (same three writes). */
static void
test_reattach_never_detached(Fx *fx, gconstpointer data)
{
    const char *expected[] = {
        DEV("0000:03:00.1", "driver_override=\\n"),
        DEV("0000:03:00.1", "driver/unbind=0000:03:00.1"),
        "sys/bus/pci/drivers_probe=0000:03:00.1", NULL,
    };
    g_autofree char *drv = NULL;

    (void) data;
    g_assert_cmpint(vk_pci_host_reattach(&fx->b, "0000:03:00.1"), ==, 0);
    assert_log(fx, expected);
    g_assert_cmpstr((drv = driver_of(fx, "0000:03:00.1")), ==, "e1000e");
}

static void
test_missing_device(Fx *fx, gconstpointer data)
{
    g_autofree char *msg = g_strdup_printf(
        "Device 0000:09:00.0 not found: could not access %s/sys/bus/pci/devices/0000:09:00.0/config: "
        "No such file or directory", fx->root);

    (void) data;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:09:00.0", "vfio-pci"), ==, -1);
    assert_error(VIR_ERR_SYSTEM_ERROR, msg);
    g_assert_cmpint(vk_pci_host_reattach(&fx->b, "0000:09:00.0"), ==, -1);
    assert_error(VIR_ERR_SYSTEM_ERROR, msg);
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:09:00.0"), ==, -1);
    assert_error(VIR_ERR_SYSTEM_ERROR, msg);
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "pci_0000_09_00_0", "vfio-pci"), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    vk_error_reset();
    g_assert_cmpuint(fx->log->len, ==, 0);
}

static void
test_in_use(Fx *fx, gconstpointer data)
{
    const VkPciHostUser users[] = { { "0000:03:00.0", "QEMU", "guest1" } };
    const char *msg = "Requested operation is not valid: "
                      "PCI device 0000:03:00.0 is in use by driver QEMU, domain guest1";

    (void) data;
    fx->b.users = users;
    fx->b.n_users = 1;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, -1);
    assert_error(VIR_ERR_OPERATION_INVALID, msg);
    g_assert_cmpint(vk_pci_host_reattach(&fx->b, "0000:03:00.0"), ==, -1);
    assert_error(VIR_ERR_OPERATION_INVALID, msg);
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:03:00.0"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: Not resetting active device 0000:03:00.0");
    g_assert_cmpuint(fx->log->len, ==, 0);
}

static void
test_module_missing(Fx *fx, gconstpointer data)
{
    const char *expected[] = { "modprobe vfio-pci", NULL };
    g_autofree char *drv = NULL;

    (void) data;
    fx->module_loads = false;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: Failed to load PCI stub module vfio-pci");
    assert_log(fx, expected);
    g_assert_cmpstr((drv = driver_of(fx, "0000:03:00.0")), ==, "e1000e");
    g_assert_false(vk_pci_binder_recorded(&fx->b, "0000:03:00.0", NULL));
}

/* qemuNodeDeviceDetachFlags' driver names, and no IOMMU on the host */
static void
test_driver_names(Fx *fx, gconstpointer data)
{
    g_autofree char *bare = fake_sysfs_new();

    (void) data;
    g_assert_cmpstr(vk_pci_host_stub_for_driver_name(fx->root, NULL), ==, "vfio-pci");
    g_assert_cmpstr(vk_pci_host_stub_for_driver_name(fx->root, "vfio"), ==, "vfio-pci");
    g_assert_null(vk_pci_host_stub_for_driver_name(fx->root, "kvm"));
    assert_error(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: "
                 "KVM device assignment is no longer supported on this system");
    g_assert_null(vk_pci_host_stub_for_driver_name(fx->root, "xen"));
    assert_error(VIR_ERR_INVALID_ARG, "invalid argument: unknown driver name 'xen'");
    g_assert_null(vk_pci_host_stub_for_driver_name(bare, NULL));
    assert_error(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: "
                 "VFIO device assignment is currently not supported on this system");
    g_assert_false(vk_pci_host_supports_vfio(bare));
    fake_sysfs_remove(bare);
}

/* The kernel's rule: 03:00.1 on e1000e makes group 12 unusable for 03:00.0;
 * the root port (a bridge, on pcieport) does not. */
static void
test_group_rule(Fx *fx, gconstpointer data)
{
    const VkPciHostdev dev = { "0000:03:00.0", true };
    const char *msg = "internal error: vfio 0000:03:00.0: group 12 is not viable\n"
                      "Please ensure all devices within the iommu_group are bound to their vfio bus driver.";
    g_autofree char *drv = NULL;
    g_autofree char *drv1 = NULL;

    (void) data;
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, 0);
    g_assert_cmpint(vk_pci_host_group_check(fx->root, "0000:03:00.0"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, msg);
    g_assert_cmpint(vk_pci_host_reattach(&fx->b, "0000:03:00.0"), ==, 0);
    g_ptr_array_set_size(fx->log, 0);

    /* a guest start refuses it, and gives the device back */
    g_assert_cmpint(vk_pci_host_prepare(&fx->b, &dev, 1, "QEMU", "guest1"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, msg);
    g_assert_cmpuint(fx->log->len, ==, 6);
    g_assert_cmpstr(g_ptr_array_index(fx->log, 0), ==, detach_030[0]);
    g_assert_cmpstr(g_ptr_array_index(fx->log, 3), ==, reattach_030[0]);
    g_ptr_array_set_size(fx->log, 0);
    g_assert_cmpstr((drv = driver_of(fx, "0000:03:00.0")), ==, "e1000e");

    /* with the other port detached too, the group is usable */
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.1", "vfio-pci"), ==, 0);
    g_assert_cmpint(vk_pci_host_prepare(&fx->b, &dev, 1, "QEMU", "guest1"), ==, 0);
    g_assert_cmpstr((drv1 = driver_of(fx, "0000:03:00.1")), ==, "vfio-pci");
}

/* A guest with both ports managed and 04:00.0 (on vfio-pci before): the
 * start detaches the two, resets none (vfio-pci does it), the stop gives
 * the two back and leaves 04:00.0 where it was. */
static void
test_prepare_release(Fx *fx, gconstpointer data)
{
    const VkPciHostdev devs[] = {
        { "0000:03:00.0", true }, { "0000:03:00.1", true }, { "0000:04:00.0", true },
    };
    const VkPciHostUser users[] = {
        { "0000:03:00.0", "QEMU", "guest1" }, { "0000:03:00.1", "QEMU", "guest1" },
    };
    g_autofree char *d0 = NULL, *d1 = NULL, *e0 = NULL, *e1 = NULL, *e4 = NULL;

    (void) data;
    make_driver(fx, "vfio-pci");
    fake_sysfs_bind(fx->root, "0000:04:00.0", "vfio-pci");
    g_assert_cmpint(vk_pci_host_prepare(&fx->b, devs, 3, "QEMU", "guest1"), ==, 0);
    g_assert_cmpuint(fx->log->len, ==, 6);   /* three writes for each port, none for 04:00.0 */
    g_ptr_array_set_size(fx->log, 0);
    g_assert_cmpstr((d0 = driver_of(fx, "0000:03:00.0")), ==, "vfio-pci");
    g_assert_cmpstr((d1 = driver_of(fx, "0000:03:00.1")), ==, "vfio-pci");

    /* another guest cannot take a device of the group */
    fx->b.users = users;
    fx->b.n_users = 2;
    g_assert_cmpint(vk_pci_host_prepare(&fx->b, devs, 1, "QEMU", "guest2"), ==, -1);
    assert_error(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                 "PCI device 0000:03:00.0 is in use by driver QEMU, domain guest1");
    fx->b.users = NULL;
    fx->b.n_users = 0;

    vk_pci_host_release(&fx->b, devs, 3);
    g_assert_cmpuint(fx->log->len, ==, 6);
    g_assert_cmpstr((e0 = driver_of(fx, "0000:03:00.0")), ==, "e1000e");
    g_assert_cmpstr((e1 = driver_of(fx, "0000:03:00.1")), ==, "e1000e");
    g_assert_cmpstr((e4 = driver_of(fx, "0000:04:00.0")), ==, "vfio-pci");
    g_assert_false(vk_pci_binder_recorded(&fx->b, "0000:04:00.0", NULL));
}

static void
test_unmanaged(Fx *fx, gconstpointer data)
{
    const VkPciHostdev dev = { "0000:03:00.0", false };

    (void) data;
    g_assert_cmpint(vk_pci_host_prepare(&fx->b, &dev, 1, "QEMU", "guest1"), ==, -1);
    assert_error(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                 "Unmanaged PCI device 0000:03:00.0 must be manually detached from the host");
    g_assert_cmpuint(fx->log->len, ==, 0);
}

/* virPCIDeviceReset's choices, and what each writes */
static void
test_reset(Fx *fx, gconstpointer data)
{
    const char *pm[] = {
        DEV("0000:03:00.0", "config@0x44=03 00 00 00"),
        DEV("0000:03:00.0", "config@0x44=00 00 00 00"),
        DEV("0000:03:00.0", "config@0x0=256 bytes"), NULL,
    };
    g_autofree char *path = g_build_filename(fx->root, DEV("0000:03:00.0", "config"), NULL);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    gsize before_len = 0, after_len = 0;

    (void) data;
    g_assert_true(g_file_get_contents(path, &before, &before_len, NULL));
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:03:00.0"), ==, 0);
    assert_log(fx, pm);
    /* D3hot, D0, then the config space as it was */
    g_assert_true(g_file_get_contents(path, &after, &after_len, NULL));
    g_assert_cmpmem(before, before_len, after, after_len);

    /* FLR: KVM's job; nothing written */
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:04:00.0"), ==, 0);
    /* vfio-pci resets its devices itself */
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:03:00.0", "vfio-pci"), ==, 0);
    g_ptr_array_set_size(fx->log, 0);
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:03:00.0"), ==, 0);
    g_assert_cmpuint(fx->log->len, ==, 0);

    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:00:1f.3"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: Unable to reset PCI device 0000:00:1f.3: "
                 "no FLR, PM reset or bus reset available");
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:00:1c.0"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: Invalid attempt to reset PCI device "
                 "0000:00:1c.0. Only PCI endpoint devices can be reset");
    g_assert_cmpuint(fx->log->len, ==, 0);
}

/* A secondary bus reset resets every function on the bus: refused while
 * 05:00.1 is the host's, done through bridge 00:1e.0 once it is detached. */
static void
test_bus_reset(Fx *fx, gconstpointer data)
{
    const char *sbr[] = {
        DEV("0000:00:1e.0", "config@0x3e=40 00"),
        DEV("0000:00:1e.0", "config@0x3e=00 00"),
        DEV("0000:05:00.0", "config@0x0=256 bytes"), NULL,
    };

    (void) data;
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:05:00.0"), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: Unable to reset PCI device 0000:05:00.0: "
                 "internal error: Active 0000:05:00.1 devices on bus with 0000:05:00.0, not doing bus reset");
    g_assert_cmpuint(fx->log->len, ==, 0);
    g_assert_cmpint(vk_pci_host_detach(&fx->b, "0000:05:00.1", "vfio-pci"), ==, 0);
    g_ptr_array_set_size(fx->log, 0);
    g_assert_cmpint(vk_pci_host_reset(&fx->b, "0000:05:00.0"), ==, 0);
    assert_log(fx, sbr);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/pci/binding-fake-sysfs/" path, Fx, NULL, setup, fn, teardown)
    ADD("detach", test_detach);
    ADD("reattach", test_reattach);
    ADD("reattach-never-detached", test_reattach_never_detached);
    ADD("missing-device", test_missing_device);
    ADD("in-use", test_in_use);
    ADD("module-missing", test_module_missing);
    ADD("driver-names", test_driver_names);
    ADD("group-rule", test_group_rule);
    ADD("prepare-release", test_prepare_release);
    ADD("unmanaged", test_unmanaged);
    ADD("reset", test_reset);
    ADD("bus-reset", test_bus_reset);
    return g_test_run();
}
