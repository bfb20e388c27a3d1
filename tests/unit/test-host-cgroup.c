/* common/host/cgroup-layout and cgroup: which mount serves which controller
 * (from mountinfo texts like this machine's hybrid layout and a v2-only
 * one), and groups made in a directory tree standing for the mounts. */
#include "tmpdir.h"
#include "common/host/cgroup.h"

#include <stdlib.h>

#include <glib/gstdio.h>

static void
write_file(const char *path, const char *text)
{
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* A mountinfo line for a cgroup mount at MP */
static char *
line(int id, const char *mp, const char *fstype, const char *super)
{
    return g_strdup_printf("%d 31 0:%d / %s rw,relatime - %s %s rw%s%s\n", id, id, mp, fstype,
                           fstype, *super ? "," : "", super);
}

/* This machine: v1 controllers one per mount, name=systemd, a unified v2
 * mount with only hugetlb; ROOT stands for /sys/fs/cgroup. */
static char *
hybrid_mountinfo(const char *root, const char *outside)
{
    static const char *const v1[] = { "cpu", "cpuacct", "cpuset", "memory", "devices",
                                      "freezer", "blkio", "pids" };
    GString *text = g_string_new("23 1 0:5 / /sys rw - sysfs sysfs rw\n");

    for (guint i = 0; i < G_N_ELEMENTS(v1); i++) {
        g_autofree char *mp = g_build_filename(root, v1[i], NULL);
        g_autofree char *l = line(40 + (int) i, mp, "cgroup", v1[i]);
        g_string_append(text, l);
    }
    g_autofree char *systemd = g_build_filename(root, "systemd", NULL);
    g_autofree char *unified = g_build_filename(root, "unified", NULL);
    g_autofree char *l1 = line(60, systemd, "cgroup", "name=systemd");
    g_autofree char *l2 = line(61, unified, "cgroup2", "");
    g_autofree char *l3 = line(62, outside, "cgroup", "net_cls");
    g_string_append(text, l1);
    g_string_append(text, l2);
    g_string_append(text, l3);
    return g_string_free(text, FALSE);
}

/* The hybrid layout with its mounts standing in TMP/cg (in *ROOT). */
static VkCgroupLayout *
hybrid_layout(const char *tmp, char **root)
{
    g_autofree char *info = g_build_filename(tmp, "mountinfo", NULL);
    g_autofree char *text = NULL, *controllers = NULL;

    *root = g_build_filename(tmp, "cg", NULL);
    controllers = g_build_filename(*root, "unified", "cgroup.controllers", NULL);
    text = hybrid_mountinfo(*root, "/elsewhere/net_cls");
    write_file(controllers, "hugetlb\n");
    write_file(info, text);
    return vk_cgroup_layout_read(*root, info);
}

static void
test_hybrid_layout(void)
{
    g_autofree char *tmp = test_tmpdir_new("cgroup");
    g_autofree char *root = NULL;
    g_autoptr(VkCgroupLayout) layout = hybrid_layout(tmp, &root);
    g_autofree char *cpu = g_build_filename(root, "cpu", NULL);
    g_autofree char *unified = g_build_filename(root, "unified", NULL);

    g_assert_cmpstr(layout->mount[VK_CGROUP_CPU], ==, cpu);
    g_assert_false(vk_cgroup_layout_is_v2(layout, VK_CGROUP_CPU));
    /* v2 claims cpuacct and devices first, as libvirt's backends do */
    g_assert_cmpstr(layout->mount[VK_CGROUP_CPUACCT], ==, unified);
    g_assert_cmpstr(layout->mount[VK_CGROUP_DEVICES], ==, unified);
    g_assert_true(vk_cgroup_layout_is_v2(layout, VK_CGROUP_CPUACCT));
    g_assert_true(vk_cgroup_layout_has(layout, VK_CGROUP_BLKIO));
    g_assert_true(vk_cgroup_layout_has(layout, VK_CGROUP_FREEZER));
    /* a mount outside the root is not ours */
    g_assert_false(vk_cgroup_layout_has(layout, VK_CGROUP_NET_CLS));
    test_tmpdir_remove(tmp);
}

static void
test_v2_only_layout(void)
{
    g_autofree char *tmp = test_tmpdir_new("cgroup");
    g_autofree char *info = g_build_filename(tmp, "mountinfo", NULL);
    g_autofree char *controllers = g_build_filename(tmp, "cgroup.controllers", NULL);
    g_autofree char *text = line(30, tmp, "cgroup2", "nsdelegate");
    g_autoptr(VkCgroupLayout) layout = NULL;

    write_file(controllers, "cpuset cpu io memory hugetlb pids\n");
    write_file(info, text);
    layout = vk_cgroup_layout_read(tmp, info);
    for (int c = VK_CGROUP_CPU; c <= VK_CGROUP_BLKIO; c++) {
        if (c == VK_CGROUP_FREEZER)
            continue;
        g_assert_true(vk_cgroup_layout_is_v2(layout, c));
    }
    g_assert_false(vk_cgroup_layout_has(layout, VK_CGROUP_FREEZER));
    g_assert_cmpstr(layout->unified, ==, tmp);
    test_tmpdir_remove(tmp);
}

static void
test_no_mounts(void)
{
    g_autoptr(VkCgroupLayout) layout = vk_cgroup_layout_read("/sys/fs/cgroup", "/nonexistent");

    for (int c = 0; c < VK_CGROUP_N; c++)
        g_assert_false(vk_cgroup_layout_has(layout, c));
}

/* Groups in a plain tree: the guest's group in every hierarchy, its thread
 * groups in the CPU ones only. */
static void
test_groups_in_tree(void)
{
    g_autofree char *tmp = test_tmpdir_new("cgroup");
    g_autofree char *root = NULL;
    g_autoptr(VkCgroupLayout) layout = hybrid_layout(tmp, &root);
    g_autoptr(VkCgroup) guest = NULL, vcpu = NULL;

    for (int c = 0; c < VK_CGROUP_N; c++) {
        if (layout->mount[c])
            g_assert_cmpint(g_mkdir_with_parents(layout->mount[c], 0755), ==, 0);
    }
    guest = vk_cgroup_new(layout, "/machine/qemu-1-g.libvirt-qemu");
    vcpu = vk_cgroup_child(guest, "vcpu0");
    g_assert_false(vk_cgroup_exists(guest));
    g_assert_cmpint(vk_cgroup_create(guest), ==, 0);
    g_assert_true(vk_cgroup_exists(guest));
    g_assert_cmpint(vk_cgroup_create(vcpu), ==, 0);
    g_assert_cmpint(vk_cgroup_add_thread(vcpu, 1234), ==, 0);
    for (int c = 0; c < VK_CGROUP_N; c++) {
        g_autofree char *dir = vk_cgroup_dir(vcpu, c);
        /* a hierarchy serving one of cpu, cpuacct, cpuset has them */
        const char *m = layout->mount[c];
        bool cpu_like = !g_strcmp0(m, layout->mount[VK_CGROUP_CPU]) ||
                        !g_strcmp0(m, layout->mount[VK_CGROUP_CPUACCT]) ||
                        !g_strcmp0(m, layout->mount[VK_CGROUP_CPUSET]);
        g_autofree char *gdir = vk_cgroup_dir(guest, c);

        if (!dir)
            continue;
        g_assert_true(g_file_test(gdir, G_FILE_TEST_IS_DIR));
        g_assert_cmpint(g_file_test(dir, G_FILE_TEST_IS_DIR), ==, cpu_like);
    }
    g_autofree char *tasks = g_build_filename(root, "cpu/machine/qemu-1-g.libvirt-qemu/vcpu0/tasks",
                                              NULL);
    g_autofree char *threads = g_build_filename(
        root, "unified/machine/qemu-1-g.libvirt-qemu/vcpu0/cgroup.threads", NULL);
    g_autofree char *type = g_build_filename(
        root, "unified/machine/qemu-1-g.libvirt-qemu/vcpu0/cgroup.type", NULL);
    g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;
    g_assert_true(g_file_get_contents(tasks, &t1, NULL, NULL));
    g_assert_cmpstr(t1, ==, "1234");
    g_assert_true(g_file_get_contents(threads, &t2, NULL, NULL));
    g_assert_cmpstr(t2, ==, "1234");
    g_assert_true(g_file_get_contents(type, &t3, NULL, NULL));
    g_assert_cmpstr(t3, ==, "threaded");
    test_tmpdir_remove(tmp);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-cgroup/hybrid-layout", test_hybrid_layout);
    g_test_add_func("/host-cgroup/v2-only-layout", test_v2_only_layout);
    g_test_add_func("/host-cgroup/no-mounts", test_no_mounts);
    g_test_add_func("/host-cgroup/groups-in-tree", test_groups_in_tree);
    return g_test_run();
}
