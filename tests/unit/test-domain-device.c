/* One device of a definition (attach-device / detach-device): parse, add
 * to the config as libvirtd does, find and remove, PCI address for a
 * hotplugged device.
 *
 * Data: tests/data/domain-device/: q35-in.xml defined, then disk-vdb-qcow2,
 * disk-vdc, net-user-virtio, disk-sdb, disk-vda attached with --config;
 * q35-attached.xml is libvirtd 9.0's dumpxml --inactive afterwards. */
#include "virtkit-config.h"
#include "common/conf/domain-device.h"
#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"

#include <glib/gstdio.h>
#include <string.h>

static const char *
data_dir(void)
{
    const char *d = g_getenv("VIRTKIT_TEST_DATA");
    return d ? d : VIRTKIT_SOURCE_ROOT "/tests/data";
}

static char *
read_data(const char *name)
{
    g_autofree char *path = g_build_filename(data_dir(), "domain-device", name, NULL);
    char *text = NULL;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err))
        g_error("cannot read %s: %s", path, err->message);
    return text;
}

/* What define makes of a document. */
static VkDomainDef *
define(const char *xml)
{
    VkDomainDef *def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);

    g_assert_nonnull(def);
    g_assert_cmpint(vk_domain_def_apply_defaults(def, NULL), ==, 0);
    g_assert_cmpint(vk_domain_pci_assign(def, NULL), ==, 0);
    return def;
}

static VkDomainDef *
define_file(const char *name)
{
    g_autofree char *xml = read_data(name);
    return define(xml);
}

static VkDomainDeviceDef *
parse_device(const char *xml, const VkDomainDef *def)
{
    VkDomainDeviceDef *dev = vk_domain_device_def_parse(xml, def, VK_DOMAIN_PARSE_INACTIVE);

    if (!dev)
        g_error("device parse failed: %s", vk_error_last_message());
    return dev;
}

static void
attach_file(VkDomainDef *def, const char *name)
{
    g_autofree char *xml = read_data(name);
    g_autoptr(VkDomainDeviceDef) dev = parse_device(xml, def);

    if (vk_domain_def_attach_device(def, dev, NULL) < 0)
        g_error("attach of %s failed: %s", name, vk_error_last_message());
}

static void
assert_error(int code, const char *message)
{
    const VkError *err = vk_error_last();

    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_assert_cmpint(err->code, ==, code);
}

static void
test_config_attach_like_libvirtd(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    g_autofree char *expected = read_data("q35-attached.xml");
    g_autofree char *actual = NULL;

    attach_file(def, "disk-vdb-qcow2.xml");
    attach_file(def, "disk-vdc.xml");
    attach_file(def, "net-user-virtio.xml");
    attach_file(def, "disk-sdb.xml");
    attach_file(def, "disk-vda.xml");
    actual = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    if (g_strcmp0(actual, expected) != 0)
        g_test_message("got:\n%s", actual);
    g_assert_cmpstr(actual, ==, expected);
}

static void
test_duplicate_target(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    g_autofree char *xml = read_data("disk-vdb-qcow2.xml");
    g_autoptr(VkDomainDeviceDef) again = NULL;

    attach_file(def, "disk-vdb-qcow2.xml");
    again = parse_device(xml, def);
    g_assert_cmpint(vk_domain_def_attach_device(def, again, NULL), ==, -1);
    assert_error(VIR_ERR_OPERATION_INVALID,
                 "Requested operation is not valid: target vdb already exists");
    g_assert_cmpint(vk_domain_def_check_new_device(def, again, true), ==, -1);
    assert_error(VIR_ERR_XML_ERROR,
                 "XML error: target 'vdb' duplicated for disk sources '/tmp/hp/d1.qcow2' "
                 "and '/tmp/hp/d1.qcow2'");
    g_assert_cmpuint(def->disks->len, ==, 1);
}

static void
test_parse_errors(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");

    g_assert_null(vk_domain_device_def_parse("<disk type='file'><source", def, 0));
    assert_error(VIR_ERR_XML_DETAIL,
                 "(device_definition):1: Couldn't find end of Start Tag source line 1\n"
                 "<disk type='file'><source\n-------------------------^");
    g_assert_null(vk_domain_device_def_parse("<foo/>", def, 0));
    assert_error(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: unknown device type 'foo'");
    g_assert_null(vk_domain_device_def_parse("<disk type='file'><source file='/tmp/x'/></disk>",
                                             def, 0));
    assert_error(VIR_ERR_NO_TARGET, "missing target information for device /tmp/x");
    /* IDE has no place on q35 */
    g_assert_null(vk_domain_device_def_parse("<disk type='file'><source file='/tmp/x'/>"
                                             "<target dev='hdb'/></disk>", def, 0));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
}

static void
test_device_defaults(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    g_autoptr(VkDomainDeviceDef) disk = parse_device(
        "<disk type='file'><source file='/a'/><target dev='sdc'/></disk>", def);
    g_autoptr(VkDomainDeviceDef) net = parse_device("<interface type='user'/>", def);
    g_autoptr(VkDomainDeviceDef) other = parse_device("<controller type='scsi'/>", def);

    g_assert_nonnull(disk->disk);
    g_assert_cmpstr(disk->element, ==, "disk");
    g_assert_cmpint(disk->disk->bus, ==, VK_DISK_BUS_SCSI);
    g_assert_cmpstr(disk->disk->driver_name, ==, "qemu");
    g_assert_cmpstr(disk->disk->driver_type, ==, "raw");
    g_assert_cmpint(disk->disk->info.addr.type, ==, VK_DEVICE_ADDRESS_DRIVE);
    g_assert_cmpuint(disk->disk->info.addr.drive.unit, ==, 2);
    g_assert_nonnull(net->net);
    g_assert_true(net->net->mac_generated);
    g_assert_true(g_str_has_prefix(net->net->mac, "52:54:00:"));
    g_assert_null(other->disk);
    g_assert_null(other->net);
    g_assert_cmpstr(other->element, ==, "controller");
    g_assert_cmpint(vk_domain_def_attach_device(def, other, NULL), ==, -1);
    assert_error(VIR_ERR_OPERATION_UNSUPPORTED,
                 "Operation not supported: persistent attach of device 'controller' is not supported");

    /* the same device live and in the config has one MAC */
    g_autoptr(VkDomainDeviceDef) net2 = parse_device("<interface type='user'/>", def);
    vk_domain_device_def_copy_generated(net2, net);
    g_assert_cmpstr(net2->net->mac, ==, net->net->mac);
}

static void
test_disk_insert_order(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    const char *targets[] = { "vdc", "sda", "vda", "vdb", "sdb" };
    const char *expected[] = { "vda", "vdb", "vdc", "sda", "sdb" };

    for (guint i = 0; i < G_N_ELEMENTS(targets); i++) {
        g_autofree char *xml = g_strdup_printf("<disk type='file'><source file='/x%u'/>"
                                               "<target dev='%s'/></disk>", i, targets[i]);
        g_autoptr(VkDomainDeviceDef) dev = parse_device(xml, def);
        g_assert_nonnull(vk_domain_def_add_device(def, dev));
        g_assert_null(dev->disk);
    }
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
        g_assert_cmpstr(((VkDomainDiskDef *) g_ptr_array_index(def->disks, i))->target_dev, ==,
                        expected[i]);
}

static void
test_find_and_remove(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    g_autoptr(VkDomainDeviceDef) q = NULL;
    g_autoptr(VkDomainDeviceDef) removed = NULL;

    attach_file(def, "disk-vdb-qcow2.xml");
    attach_file(def, "net-user-virtio.xml");
    attach_file(def, "disk-vdc.xml");

    q = parse_device("<disk type='file'><source file='/other'/><target dev='vdc'/></disk>", def);
    g_assert_cmpint(vk_domain_def_find_device(def, q, false), ==, 1);
    removed = vk_domain_def_remove_device(def, q, 1);
    g_assert_cmpstr(removed->disk->target_dev, ==, "vdc");
    g_assert_cmpuint(def->disks->len, ==, 1);
    g_assert_cmpint(vk_domain_def_find_device(def, q, false), ==, -1);
    assert_error(VIR_ERR_DEVICE_MISSING, "device not found: no target device vdc");
    g_assert_cmpint(vk_domain_def_find_device(def, q, true), ==, -1);
    assert_error(VIR_ERR_DEVICE_MISSING, "device not found: disk vdc not found");
    g_clear_pointer(&q, vk_domain_device_def_free);

    /* interfaces: by MAC; the model does not matter */
    q = parse_device("<interface type='user'><mac address='52:54:00:AA:BB:01'/>"
                     "<model type='e1000'/></interface>", def);
    g_assert_cmpint(vk_domain_def_find_device(def, q, true), ==, 0);
    g_clear_pointer(&q, vk_domain_device_def_free);
    q = parse_device("<interface type='user'><mac address='52:54:00:00:00:02'/>"
                     "<address type='pci' bus='0x05' slot='0'/></interface>", def);
    g_assert_cmpint(vk_domain_def_find_device(def, q, false), ==, -1);
    assert_error(VIR_ERR_DEVICE_MISSING,
                 "device not found: no device found at address '0000:05:00.0' matching MAC "
                 "address '52:54:00:00:00:02' and alias '(<null>)'");
    g_clear_pointer(&q, vk_domain_device_def_free);

    /* no MAC given: any interface matches, but only one may */
    q = parse_device("<interface type='user'/>", def);
    g_assert_cmpint(vk_domain_def_find_device(def, q, false), ==, 0);
    attach_file(def, "disk-vdc.xml");
    {
        g_autoptr(VkDomainDeviceDef) second = parse_device("<interface type='user'/>", def);
        g_assert_cmpint(vk_domain_def_attach_device(def, second, NULL), ==, 0);
    }
    g_assert_cmpint(vk_domain_def_find_device(def, q, false), ==, -1);
    assert_error(VIR_ERR_OPERATION_FAILED, "operation failed: multiple matching devices found");
}

/* Live: the spare root port takes one device, then nothing is left (no
 * controller may be added to a running guest). */
static void
test_hotplug_address_q35(void)
{
    g_autoptr(VkDomainDef) def = define_file("q35-in.xml");
    const char *vdb = "<disk type='file'><source file='/b'/><target dev='vdb'/></disk>";
    const char *vdc = "<disk type='file'><source file='/c'/><target dev='vdc'/></disk>";
    g_autoptr(VkDomainDeviceDef) b = parse_device(vdb, def);
    g_autoptr(VkDomainDeviceDef) c = parse_device(vdc, def);
    guint nctrl = def->controllers->len;
    VkDeviceInfo *info;

    info = vk_domain_def_add_device(def, b);
    g_assert_cmpint(vk_domain_pci_assign_device(def, info, true), ==, 0);
    g_assert_cmpint(info->addr.type, ==, VK_DEVICE_ADDRESS_PCI);
    g_assert_cmpuint(info->addr.pci.bus, ==, 3);
    g_assert_cmpuint(info->addr.pci.slot, ==, 0);
    info = vk_domain_def_add_device(def, c);
    g_assert_cmpint(vk_domain_pci_assign_device(def, info, true), ==, -1);
    assert_error(VIR_ERR_INTERNAL_ERROR, "internal error: No more available PCI slots");
    g_assert_cmpuint(def->controllers->len, ==, nctrl);
}

static void
test_hotplug_address_pc(void)
{
    g_autofree char *xml = read_data("q35-in.xml");
    g_autofree char *pc_xml = NULL;
    g_autoptr(VkDomainDef) def = NULL;
    g_autoptr(VkDomainDeviceDef) net = NULL;
    VkDeviceInfo *info;
    char *m = strstr(xml, "machine='q35'");

    g_assert_nonnull(m);
    memcpy(m, "machine='pc' ", 13);
    pc_xml = g_strdup(xml);
    def = define(pc_xml);
    /* pc: 00:01 chipset, 00:02 nothing (no video), balloon at 00:03? take the
     * first free slot whatever it is, and never a used one */
    net = parse_device("<interface type='user'><model type='virtio'/></interface>", def);
    info = vk_domain_def_add_device(def, net);
    g_assert_cmpint(vk_domain_pci_assign_device(def, info, true), ==, 0);
    g_assert_cmpuint(info->addr.pci.bus, ==, 0);
    g_assert_cmpuint(info->addr.pci.slot, >=, 2);
    g_assert_cmpuint(info->addr.pci.slot, !=, def->memballoon->info.addr.pci.slot);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/domain-device/config-attach-like-libvirtd", test_config_attach_like_libvirtd);
    g_test_add_func("/domain-device/duplicate-target", test_duplicate_target);
    g_test_add_func("/domain-device/parse-errors", test_parse_errors);
    g_test_add_func("/domain-device/device-defaults", test_device_defaults);
    g_test_add_func("/domain-device/disk-insert-order", test_disk_insert_order);
    g_test_add_func("/domain-device/find-and-remove", test_find_and_remove);
    g_test_add_func("/domain-device/hotplug-address-q35", test_hotplug_address_q35);
    g_test_add_func("/domain-device/hotplug-address-pc", test_hotplug_address_pc);
    return g_test_run();
}
