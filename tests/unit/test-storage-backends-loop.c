/* The fs, disk and logical pools on loop devices this test makes from
 * sparse files in a temporary directory.  Each case runs in a child
 * process; the parent then always unmounts, removes its volume group and
 * detaches its loop devices, whatever the child did.  Nothing the test did
 * not make is touched: its own loop devices, its own mount point, a volume
 * group named vktest-<random>.  Which steps ran is printed (LV steps need
 * device-mapper, which some kernels lack). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"
#include "storage-builder.h"

#define MiB (1024ULL * 1024)

/* ---- the parent: devices made and always taken away ---- */

typedef struct {
    char *tmp;
    char *loop;
    char *vg;
    char *mnt;
} Env;

static int
run_quiet(const char *cmdline)
{
    g_autofree char *cmd = g_strdup_printf("%s >/dev/null 2>&1", cmdline);
    return system(cmd);
}

static bool
env_make(Env *env, unsigned long long size)
{
    g_autofree char *img = NULL;
    g_autofree char *out = NULL;
    g_autofree char *cmd = NULL;
    int status = 0;

    env->tmp = g_dir_make_tmp("vk-loop-XXXXXX", NULL);
    img = g_build_filename(env->tmp, "disk.img", NULL);
    env->mnt = g_build_filename(env->tmp, "mnt", NULL);
    env->vg = g_strdup_printf("vktest-%08x", g_random_int());
    g_assert_cmpint(truncate(img, 0) == 0 || creat(img, 0600) >= 0, ==, 1);
    g_assert_cmpint(truncate(img, size), ==, 0);
    cmd = g_strdup_printf("losetup -f --show -P '%s'", img);
    if (!g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL) || status != 0)
        return false;
    env->loop = g_strdup(g_strstrip(out));
    g_setenv("VK_TEST_TMP", env->tmp, TRUE);
    g_setenv("VK_TEST_LOOP", env->loop, TRUE);
    g_setenv("VK_TEST_VG", env->vg, TRUE);
    g_setenv("VK_TEST_MNT", env->mnt, TRUE);
    return true;
}

/* CMD with ARG quoted, its output and status ignored but for a warning */
static void
run_on(const char *cmd, const char *arg)
{
    g_autofree char *line = g_strdup_printf("%s '%s'", cmd, arg);

    if (run_quiet(line) != 0 && g_str_has_prefix(cmd, "losetup"))
        g_test_message("could not detach %s", arg);
}

static void
env_clean(Env *env)
{
    if (env->mnt)
        run_on("umount", env->mnt);
    if (env->loop) {
        run_on("vgremove -f", env->vg);
        run_on("pvremove -f", env->loop);
        run_on("losetup -d", env->loop);
    }
    sb_remove_tree(env->tmp);
    g_free(env->loop);
    g_free(env->vg);
    g_free(env->mnt);
}

typedef struct {
    const char *path;
    unsigned long long size;
    void (*child)(void);
} Case;

/* Run CASE's steps in a child on a fresh loop device of its size */
static void
run_case(gconstpointer data)
{
    const Case *c = data;
    Env env = { 0 };
    g_autofree char *steps_file = NULL;
    g_autofree char *steps = NULL;

    if (g_test_subprocess()) {
        c->child();
        return;
    }
    if (!env_make(&env, c->size)) {
        env_clean(&env);
        g_test_skip("losetup cannot make a loop device here");
        return;
    }
    g_test_trap_subprocess(c->path, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    steps_file = g_build_filename(env.tmp, "steps", NULL);
    if (g_file_get_contents(steps_file, &steps, NULL, NULL))
        g_test_message("%s", g_strstrip(steps));
    env_clean(&env);
    g_test_trap_assert_passed();
}

/* ---- the child: the backend steps ---- */

static void
step(const char *what)
{
    g_autofree char *file = g_build_filename(g_getenv("VK_TEST_TMP"), "steps", NULL);
    FILE *f = fopen(file, "a");

    g_assert_nonnull(f);
    fprintf(f, "ran: %s\n", what);
    fclose(f);
}

static void
ok(int rc)
{
    if (rc != 0)
        g_error("backend call failed: %s", vk_error_last_message());
}

static void
assert_error(int rc, const char *expected)
{
    g_assert_cmpint(rc, ==, -1);
    sb_assert_error(expected);
}

static char *
blkid_value(const char *device, const char *key)
{
    g_autofree char *cmd = g_strdup_printf("blkid -p -o value -s %s %s", key, device);
    char *out = NULL;

    g_spawn_command_line_sync(cmd, &out, NULL, NULL, NULL);
    return out ? g_strstrip(out) : NULL;
}

/* whether blkid finds a filesystem or PV signature on DEVICE */
static bool
has_signature(const char *device)
{
    g_autofree char *type = blkid_value(device, "TYPE");
    return type && *type;
}

static bool
is_mounted(const char *dir)
{
    g_autofree char *mounts = NULL;
    g_autofree char *needle = g_strdup_printf(" %s ", dir);

    g_assert_true(g_file_get_contents("/proc/mounts", &mounts, NULL, NULL));
    return strstr(mounts, needle) != NULL;
}

static GPtrArray *
refresh(const VkStorageBackend *be, VkStoragePoolDef *def)
{
    GPtrArray *vols = g_ptr_array_new_with_free_func((GDestroyNotify) vk_storage_vol_def_free);

    ok(be->refresh(def, vols));
    return vols;
}

static VkStorageVolDef *
find_vol(GPtrArray *vols, const char *name)
{
    for (guint i = 0; i < vols->len; i++)
        if (g_str_equal(((VkStorageVolDef *) g_ptr_array_index(vols, i))->name, name))
            return g_ptr_array_index(vols, i);
    return NULL;
}

static void
fs_build_checks(const VkStorageBackend *be, VkStoragePoolDef *def, const char *loop)
{
    g_autofree char *expected = NULL;
    g_autofree char *type = NULL;
    g_autoptr(VkStoragePoolDef) xfs = sb_pool(VK_STORAGE_POOL_FS, "x", def->target_path,
                                              loop, "xfs");

    ok(be->build(def, VK_STORAGE_POOL_BUILD_NO_OVERWRITE));
    type = blkid_value(loop, "TYPE");
    g_assert_cmpstr(type, ==, "ext4");
    step("fs build: mkfs.ext4 with NO_OVERWRITE");
    expected = g_strdup_printf("Storage pool already built: Device '%s' already formatted "
                               "using 'ext4'", loop);
    assert_error(be->build(def, VK_STORAGE_POOL_BUILD_NO_OVERWRITE), expected);
    g_free(expected);
    expected = g_strdup_printf("Storage pool already built: Format of device '%s' does not "
                               "match the expected format 'xfs', forced overwrite is "
                               "necessary", loop);
    assert_error(be->build(xfs, VK_STORAGE_POOL_BUILD_NO_OVERWRITE), expected);
    ok(be->build(def, VK_STORAGE_POOL_BUILD_OVERWRITE));
    step("fs build: refusals over ext4, then OVERWRITE");
}

static void
fs_volume_checks(const VkStorageBackend *be, VkStoragePoolDef *def)
{
    g_autoptr(VkStorageVolDef) raw = sb_vol("a.img", "raw", 4 * MiB, -1);
    g_autoptr(VkStorageVolDef) q = sb_vol("b.qcow2", "qcow2", 16 * MiB, -1);
    g_autoptr(GPtrArray) vols = NULL;

    ok(be->vol_create(def, raw, 0));
    ok(be->vol_create(def, q, 0));
    vols = refresh(be, def);
    g_assert_nonnull(find_vol(vols, "a.img"));
    g_assert_cmpstr(find_vol(vols, "b.qcow2")->target_format, ==, "qcow2");
    g_assert_cmpuint(find_vol(vols, "b.qcow2")->capacity, ==, 16 * MiB);
    g_assert_nonnull(find_vol(vols, "lost+found"));
    g_assert_cmpuint(def->capacity, >, 32 * MiB);
    g_assert_cmpuint(def->allocation, ==, def->capacity - def->available);
    ok(be->vol_delete(def, raw, 0));
    ok(be->vol_delete(def, q, 0));
    step("fs volumes: raw and qcow2 made, listed with lost+found, deleted");
}

static void
child_fs(void)
{
    const char *loop = g_getenv("VK_TEST_LOOP");
    const char *mnt = g_getenv("VK_TEST_MNT");
    g_autoptr(VkStoragePoolDef) def = sb_pool(VK_STORAGE_POOL_FS, "fs", mnt, loop, "ext4");
    const VkStorageBackend *be = vk_storage_backend_for(VK_STORAGE_POOL_FS);

    ok(be->build(def, 0));
    g_assert_true(g_file_test(mnt, G_FILE_TEST_IS_DIR));
    g_assert_false(has_signature(loop));
    step("fs build without flags: target only, no mkfs");
    fs_build_checks(be, def, loop);
    ok(be->start(def));
    g_assert_true(is_mounted(mnt));
    ok(be->start(def));
    step("fs start: mounted (twice: no-op)");
    fs_volume_checks(be, def);
    ok(be->stop(def));
    g_assert_false(is_mounted(mnt));
    ok(be->stop(def));
    step("fs stop: unmounted (twice: no-op)");
    ok(be->delete(def, 0));
    g_assert_false(g_file_test(mnt, G_FILE_TEST_EXISTS));
}

/* ---- disk ---- */

static char *
part_name(const char *loop, unsigned int n)
{
    g_autofree char *base = g_path_get_basename(loop);
    return g_strdup_printf("%sp%u", base, n);
}

static VkStorageVolDef *
make_part(const VkStorageBackend *be, VkStoragePoolDef *def, const char *loop, unsigned int n,
          const char *format, unsigned long long cap)
{
    g_autofree char *name = part_name(loop, n);
    VkStorageVolDef *vol = sb_vol(name, format, cap, -1);

    ok(be->vol_create(def, vol, 0));
    g_assert_cmpint(vol->type, ==, VK_STORAGE_VOL_BLOCK);
    g_assert_cmpstr(vol->key, ==, vol->target_path);
    g_assert_cmpstr(vol->source_device, ==, loop);
    g_assert_cmpuint(vol->source_extents->len, ==, 1);
    return vol;
}

static void
disk_label_checks(const VkStorageBackend *be, VkStoragePoolDef *def, const char *loop)
{
    g_autofree char *expected = g_strdup_printf(
        "Storage pool probe failed: Device '%s' is unrecognized, requires build", loop);

    assert_error(be->start(def), expected);
    ok(be->build(def, 0));
    g_free(expected);
    expected = g_strdup_printf("Storage pool already built: Device '%s' already formatted "
                               "using 'dos'", loop);
    assert_error(be->build(def, VK_STORAGE_POOL_BUILD_NO_OVERWRITE), expected);
    ok(be->start(def));
    step("disk dos: start refused before build, mklabel msdos, rebuild refused");
}

static void
disk_dos_volumes(const VkStorageBackend *be, VkStoragePoolDef *def, const char *loop)
{
    g_autoptr(VkStorageVolDef) p1 = make_part(be, def, loop, 1, NULL, 10 * MiB);
    g_autoptr(VkStorageVolDef) p2 = make_part(be, def, loop, 2, "extended", 40 * MiB);
    g_autoptr(VkStorageVolDef) p3 = make_part(be, def, loop, 3, NULL, 8 * MiB);
    g_autoptr(VkStorageVolDef) p4 = make_part(be, def, loop, 4, NULL, 8 * MiB);
    g_autoptr(VkStorageVolDef) p5 = make_part(be, def, loop, 5, NULL, 8 * MiB);
    g_autoptr(VkStorageVolDef) bad = sb_vol("bogus", NULL, 4 * MiB, -1);
    g_autoptr(GPtrArray) vols = NULL;
    g_autofree char *expected = NULL;

    g_assert_cmpuint(p1->capacity, >=, 10 * MiB);
    g_assert_true(g_file_test(p5->target_path, G_FILE_TEST_EXISTS));
    vols = refresh(be, def);
    g_assert_cmpuint(vols->len, ==, 5);
    g_assert_cmpstr(find_vol(vols, p2->name)->target_format, ==, "extended");
    g_assert_cmpuint(find_vol(vols, p2->name)->allocation, ==, p5->allocation);
    g_assert_cmpuint(def->capacity, ==, 128 * MiB);
    g_assert_cmpuint(def->allocation, ==,
                     p1->allocation + p3->allocation + p4->allocation + p5->allocation);
    step("disk dos: primary, extended, two primaries, a logical one inside");

    expected = g_strdup_printf("invalid argument: invalid partition name 'bogus', expected "
                               "'%sp6'", strrchr(loop, '/') + 1);
    assert_error(be->vol_create(def, bad, 0), expected);
    g_ptr_array_set_size(vols, 0);
    ok(be->refresh(def, vols));
    g_assert_cmpuint(vols->len, ==, 5);
    ok(be->vol_delete(def, p5, 0));
    ok(be->vol_delete(def, p1, 0));
    g_ptr_array_set_size(vols, 0);
    ok(be->refresh(def, vols));
    g_assert_cmpuint(vols->len, ==, 3);
    step("disk dos: a wrong name undone, partitions 5 and 1 deleted");
}

static void
disk_gpt(const VkStorageBackend *be, const char *loop)
{
    g_autoptr(VkStoragePoolDef) def = sb_pool(VK_STORAGE_POOL_DISK, "g", "/dev", loop, "gpt");
    g_autoptr(VkStorageVolDef) p1 = NULL, p2 = NULL;
    g_autoptr(GPtrArray) vols = NULL;
    int fd;

    ok(be->build(def, VK_STORAGE_POOL_BUILD_OVERWRITE));
    ok(be->start(def));
    p1 = make_part(be, def, loop, 1, NULL, 16 * MiB);
    p2 = make_part(be, def, loop, 2, NULL, 16 * MiB);
    vols = refresh(be, def);
    g_assert_cmpuint(vols->len, ==, 2);
    g_assert_cmpuint(def->capacity, <, 128 * MiB);   /* the backup table's sectors */
    fd = open(p2->target_path, O_WRONLY);
    g_assert_cmpint(pwrite(fd, "secret", 6, 4096), ==, 6);
    close(fd);
    ok(be->vol_wipe(def, p2, VK_STORAGE_VOL_WIPE_ALG_ZERO, 0));
    {
        char buf[6];
        fd = open(p2->target_path, O_RDONLY);
        g_assert_cmpint(pread(fd, buf, 6, 4096), ==, 6);
        close(fd);
        g_assert_true(memcmp(buf, "\0\0\0\0\0\0", 6) == 0);
    }
    ok(be->vol_delete(def, p1, 0));
    ok(be->vol_delete(def, p2, 0));
    step("disk gpt: OVERWRITE mklabel gpt, two partitions, wipe, delete");
}

static void
child_disk(void)
{
    const char *loop = g_getenv("VK_TEST_LOOP");
    g_autoptr(VkStoragePoolDef) def = sb_pool(VK_STORAGE_POOL_DISK, "d", "/dev", loop, "dos");
    const VkStorageBackend *be = vk_storage_backend_for(VK_STORAGE_POOL_DISK);

    disk_label_checks(be, def, loop);
    disk_dos_volumes(be, def, loop);
    disk_gpt(be, loop);
}

/* ---- logical ---- */

static bool
have_device_mapper(void)
{
    return run_quiet("dmsetup targets") == 0;
}

static void
logical_lv_steps(const VkStorageBackend *be, VkStoragePoolDef *def)
{
    g_autoptr(VkStorageVolDef) lv = sb_vol("lv1", NULL, 8 * MiB, -1);
    g_autoptr(GPtrArray) vols = NULL;
    g_autofree char *path = g_strdup_printf("/dev/%s/lv1", def->source.name);

    ok(be->vol_create(def, lv, 0));
    g_assert_cmpuint(lv->capacity, ==, 8 * MiB);
    g_assert_cmpstr(lv->target_path, ==, path);
    vols = refresh(be, def);
    g_assert_cmpuint(vols->len, ==, 1);
    g_assert_cmpstr(find_vol(vols, "lv1")->key, ==, lv->key);
    g_assert_cmpuint(def->available, ==, def->capacity - 8 * MiB);
    ok(be->vol_wipe(def, lv, VK_STORAGE_VOL_WIPE_ALG_ZERO, 0));
    ok(be->vol_delete(def, lv, 0));
    step("logical LVs: lvcreate, listed by uuid key, wipe, lvremove");
}

static void
child_logical(void)
{
    const char *loop = g_getenv("VK_TEST_LOOP");
    const char *vg = g_getenv("VK_TEST_VG");
    g_autofree char *target = g_strdup_printf("/dev/%s", vg);
    g_autoptr(VkStoragePoolDef) def = sb_pool(VK_STORAGE_POOL_LOGICAL, vg, target, loop,
                                              "lvm2");
    const VkStorageBackend *be = vk_storage_backend_for(VK_STORAGE_POOL_LOGICAL);
    g_autoptr(GPtrArray) vols = NULL;
    g_autofree char *expected = NULL;

    def->source.name = g_strdup(vg);
    expected = g_strdup_printf("Requested operation is not valid: cannot find logical volume "
                               "group name '%s'", vg);
    assert_error(be->start(def), expected);
    ok(be->build(def, 0));
    step("logical build: pvcreate + vgcreate");
    g_free(expected);
    expected = g_strdup_printf("Storage pool already built: Device '%s' already formatted "
                               "using 'LVM2_member'", loop);
    assert_error(be->build(def, VK_STORAGE_POOL_BUILD_NO_OVERWRITE), expected);
    ok(be->start(def));
    vols = refresh(be, def);
    g_assert_cmpuint(vols->len, ==, 0);
    g_assert_cmpuint(def->capacity, >, 32 * MiB);
    g_assert_cmpuint(def->available, ==, def->capacity);
    step("logical start (vgchange -aly) and refresh (vgs, lvs)");
    if (have_device_mapper())
        logical_lv_steps(be, def);
    else
        step("logical LVs: skipped, no device-mapper in this kernel");
    ok(be->stop(def));
    ok(be->delete(def, 0));
    g_assert_false(has_signature(loop));
    step("logical stop (vgchange -aln), delete (vgremove + pvremove)");
}

static const Case cases[] = {
    { "/storage/backends-loop/fs", 64 * MiB, child_fs },
    { "/storage/backends-loop/disk", 128 * MiB, child_disk },
    { "/storage/backends-loop/logical", 64 * MiB, child_logical },
};

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (geteuid() != 0) {
        g_test_skip("needs root (loop devices, mount, lvm2, parted)");
        return g_test_run();
    }
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
        g_test_add_data_func(cases[i].path, &cases[i], run_case);
    return g_test_run();
}
