#include "fake-sysfs.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define DEVICES "sys/devices/pci0000:00"

char *
fake_sysfs_new(void)
{
    char *root = g_dir_make_tmp("virtkit-fake-sysfs-XXXXXX", NULL);

    g_assert_nonnull(root);
    return root;
}

void
fake_sysfs_put_bytes(const char *root, const char *dev, const char *file, const guint8 *data,
                     gsize len)
{
    g_autofree char *path = g_build_filename(root, DEVICES, dev, file, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    g_assert_true(g_file_set_contents(path, (const char *) data, len, NULL));
}

void
fake_sysfs_put(const char *root, const char *dev, const char *file, const char *text)
{
    fake_sysfs_put_bytes(root, dev, file, (const guint8 *) text, strlen(text));
}

void
fake_sysfs_link(const char *root, const char *target, const char *relpath)
{
    g_autofree char *path = g_build_filename(root, relpath, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    g_assert_cmpint(symlink(target, path), ==, 0);
}

void
fake_sysfs_bind(const char *root, const char *dev, const char *driver)
{
    g_autofree char *rel = g_strdup_printf(DEVICES "/%s/driver", dev);
    g_autofree char *link = g_build_filename(root, rel, NULL);

    g_unlink(link);
    if (driver) {
        g_autofree char *drv_dir = g_strdup_printf("%s/sys/bus/pci/drivers/%s", root, driver);
        g_autofree char *target = g_strdup_printf("../../../bus/pci/drivers/%s", driver);
        g_mkdir_with_parents(drv_dir, 0755);
        fake_sysfs_link(root, target, rel);
    }
}

void
fake_sysfs_device(const char *root, const char *name, const char *vendor, const char *device,
                  const char *subsys_vendor, const char *subsys_device, const char *class_code,
                  const char *numa, const char *driver, int group)
{
    g_autofree char *bus_link = g_strdup_printf("sys/bus/pci/devices/%s", name);
    g_autofree char *bus_target = g_strdup_printf("../../../devices/pci0000:00/%s", name);

    fake_sysfs_put(root, name, "vendor", vendor);
    fake_sysfs_put(root, name, "device", device);
    fake_sysfs_put(root, name, "subsystem_vendor", subsys_vendor);
    fake_sysfs_put(root, name, "subsystem_device", subsys_device);
    fake_sysfs_put(root, name, "class", class_code);
    fake_sysfs_put(root, name, "numa_node", numa);
    fake_sysfs_link(root, bus_target, bus_link);
    fake_sysfs_bind(root, name, driver);
    if (group >= 0) {
        g_autofree char *target = g_strdup_printf("../../../kernel/iommu_groups/%d", group);
        g_autofree char *rel = g_strdup_printf(DEVICES "/%s/iommu_group", name);
        g_autofree char *member = g_strdup_printf("sys/kernel/iommu_groups/%d/devices/%s", group, name);
        g_autofree char *member_target = g_strdup_printf("../../../../devices/pci0000:00/%s", name);
        fake_sysfs_link(root, target, rel);
        fake_sysfs_link(root, member_target, member);
    }
}

void
fake_sysfs_virtfn(const char *root, const char *pf, guint index, const char *vf)
{
    g_autofree char *virtfn = g_strdup_printf(DEVICES "/%s/virtfn%u", pf, index);
    g_autofree char *physfn = g_strdup_printf(DEVICES "/%s/physfn", vf);
    g_autofree char *to_vf = g_strdup_printf("../%s", vf);
    g_autofree char *to_pf = g_strdup_printf("../%s", pf);

    fake_sysfs_link(root, to_vf, virtfn);
    fake_sysfs_link(root, to_pf, physfn);
}

void
fake_sysfs_netdev(const char *root, const char *ifname, const char *dev)
{
    g_autofree char *rel = g_strdup_printf("sys/class/net/%s/device", ifname);
    g_autofree char *target = g_strdup_printf("../../../devices/pci0000:00/%s", dev);
    g_autofree char *net = g_strdup_printf("%s/" DEVICES "/%s/net/%s", root, dev, ifname);

    fake_sysfs_link(root, target, rel);
    g_assert_cmpint(g_mkdir_with_parents(net, 0755), ==, 0);
}

void
fake_sysfs_remove(const char *path)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) || !g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_unlink(path);
        return;
    }
    dir = g_dir_open(path, 0, NULL);
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);
        fake_sysfs_remove(child);
    }
    g_rmdir(path);
}
