/* The dir pool in a temporary directory: pool-build's modes and owners on
 * disk, start's check of the target, refresh's sizes against statvfs and
 * its volume listing, pool-delete's refusal of a non-empty target, with
 * libvirt's error texts. */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/util/error.h"
#include "storage-builder.h"

#define MiB (1024ULL * 1024)

typedef struct {
    char *tmp;
    const VkStorageBackend *be;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
    f->tmp = g_dir_make_tmp("vk-dirpool-XXXXXX", NULL);
    f->be = vk_storage_backend_for(VK_STORAGE_POOL_DIR);
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
    sb_remove_tree(f->tmp);
}

static VkStoragePoolDef *
pool_at(Fixture *f, const char *rel)
{
    g_autofree char *target = g_build_filename(f->tmp, rel, NULL);
    return sb_pool(VK_STORAGE_POOL_DIR, "p", target, NULL, NULL);
}

static mode_t
mode_of(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_mode & 07777;
}

static void
test_build_modes(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) def = pool_at(f, "a/b/pool");
    g_autoptr(VkStoragePoolDef) owned = pool_at(f, "owned");
    g_autofree char *a = g_build_filename(f->tmp, "a", NULL);
    g_autofree char *b = g_build_filename(f->tmp, "a/b", NULL);
    struct stat st;
    mode_t old = umask(077);

    g_assert_cmpint(f->be->build(def, 0), ==, 0);
    umask(old);
    g_assert_cmpint(mode_of(def->target_path), ==, 0711);
    /* libvirt's parents are 0755 under its usual umask */
    g_assert_cmpint(mode_of(a) & 0700, ==, 0700);
    g_assert_cmpint(mode_of(b) & 0700, ==, 0700);

    owned->target_perms = (VkStoragePerms) { .has_mode = true, .mode = 0750, .has_owner = true,
                                             .owner = 107, .has_group = true, .group = 108 };
    g_assert_cmpint(f->be->build(owned, 0), ==, 0);
    g_assert_cmpint(stat(owned->target_path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0750);
    g_assert_cmpint(st.st_uid, ==, 107);
    g_assert_cmpint(st.st_gid, ==, 108);

    /* built again: the existing target keeps its mode unless one is given */
    g_assert_cmpint(chmod(def->target_path, 0755), ==, 0);
    g_assert_cmpint(f->be->build(def, 0), ==, 0);
    g_assert_cmpint(mode_of(def->target_path), ==, 0755);
}

static void
test_build_parents_0755(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) def = pool_at(f, "x/y/pool");
    g_autofree char *x = g_build_filename(f->tmp, "x", NULL);
    mode_t old = umask(022);

    g_assert_cmpint(f->be->build(def, 0), ==, 0);
    umask(old);
    g_assert_cmpint(mode_of(x), ==, 0755);
    g_assert_cmpint(mode_of(def->target_path), ==, 0711);
}

static void
test_build_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) def = pool_at(f, "file/pool");
    g_autoptr(VkStoragePoolDef) both = pool_at(f, "both");
    g_autofree char *file = g_build_filename(f->tmp, "file", NULL);
    g_autofree char *expected = NULL;

    g_assert_true(g_file_set_contents(file, "", 0, NULL));
    g_assert_cmpint(f->be->build(def, 0), ==, -1);
    expected = g_strdup_printf("cannot create path '%s': Not a directory", file);
    sb_assert_error(expected);
    g_assert_cmpint(f->be->build(both, VK_STORAGE_POOL_BUILD_OVERWRITE |
                                       VK_STORAGE_POOL_BUILD_NO_OVERWRITE), ==, -1);
    sb_assert_error("invalid argument: Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and "
                 "'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
}

static void
test_start_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) file = pool_at(f, "plain");
    g_autoptr(VkStoragePoolDef) missing = pool_at(f, "missing");
    g_autofree char *expected = NULL;

    g_assert_true(g_file_set_contents(file->target_path, "", 0, NULL));
    g_assert_cmpint(f->be->start(file), ==, -1);
    expected = g_strdup_printf("cannot open directory '%s': Not a directory", file->target_path);
    sb_assert_error(expected);
    g_free(expected);
    g_assert_cmpint(f->be->start(missing), ==, -1);
    expected = g_strdup_printf("cannot open directory '%s': No such file or directory",
                               missing->target_path);
    sb_assert_error(expected);
}

static void
make_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), ==, 0);
    close(fd);
}

static VkStorageVolDef *
find_vol(GPtrArray *vols, const char *name)
{
    for (guint i = 0; i < vols->len; i++) {
        VkStorageVolDef *v = g_ptr_array_index(vols, i);
        if (g_str_equal(v->name, name))
            return v;
    }
    return NULL;
}

static void
populate(Fixture *f, const VkStoragePoolDef *def)
{
    g_autoptr(VkStorageVolDef) raw = sb_vol("a.img", "raw", 3 * MiB, -1);
    g_autoptr(VkStorageVolDef) q = sb_vol("b.qcow2", "qcow2", 5 * MiB, -1);
    g_autofree char *fifo = g_build_filename(def->target_path, "fifo", NULL);
    g_autofree char *sock = g_build_filename(def->target_path, "sock", NULL);
    g_autofree char *dangling = g_build_filename(def->target_path, "dangling", NULL);
    g_autofree char *sub = g_build_filename(def->target_path, "sub", NULL);
    g_autofree char *ctl = g_build_filename(def->target_path, "bad\nname", NULL);

    g_assert_cmpint(f->be->vol_create(def, raw, 0), ==, 0);
    g_assert_cmpint(f->be->vol_create(def, q, 0), ==, 0);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    make_socket(sock);
    g_assert_cmpint(symlink("/nonexistent/vk", dangling), ==, 0);
    g_assert_cmpint(mkdir(sub, 0700), ==, 0);
    g_assert_true(g_file_set_contents(ctl, "x", 1, NULL));
}

static void
test_refresh(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) def = pool_at(f, "pool");
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func(
        (GDestroyNotify) vk_storage_vol_def_free);
    struct statvfs sv;
    VkStorageVolDef *v;

    g_assert_cmpint(f->be->build(def, 0), ==, 0);
    g_assert_cmpint(f->be->start(def), ==, 0);
    populate(f, def);
    g_assert_cmpint(f->be->refresh(def, vols), ==, 0);
    g_assert_cmpint(statvfs(def->target_path, &sv), ==, 0);
    g_assert_cmpuint(def->capacity, ==, (guint64) sv.f_blocks * sv.f_frsize);
    /* free space moves with the rest of the host; allow a little drift */
    g_assert_cmpuint(def->available / MiB, >=, (guint64) sv.f_bfree * sv.f_frsize / MiB - 64);
    g_assert_cmpuint(def->available / MiB, <=, (guint64) sv.f_bfree * sv.f_frsize / MiB + 64);
    g_assert_cmpuint(def->allocation, ==, def->capacity - def->available);
    g_assert_cmpint(def->target_perms.mode, ==, 0711);

    g_assert_cmpuint(vols->len, ==, 3);   /* a.img, b.qcow2, sub */
    v = find_vol(vols, "b.qcow2");
    g_assert_nonnull(v);
    g_assert_cmpstr(v->target_format, ==, "qcow2");
    g_assert_cmpuint(v->capacity, ==, 5 * MiB);
    g_assert_cmpstr(v->key, ==, v->target_path);
    v = find_vol(vols, "a.img");
    g_assert_cmpstr(v->target_format, ==, "raw");
    g_assert_cmpuint(v->capacity, ==, 3 * MiB);
    g_assert_cmpint(v->target_perms.mode, ==, 0600);
    v = find_vol(vols, "sub");
    g_assert_cmpint(v->type, ==, VK_STORAGE_VOL_DIR);
    g_assert_cmpstr(v->target_format, ==, "dir");
    g_assert_cmpint(f->be->stop(def), ==, 0);
}

static void
test_delete(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStoragePoolDef) def = pool_at(f, "pool");
    g_autoptr(VkStorageVolDef) vol = sb_vol("v", "raw", MiB, 0);
    g_autofree char *expected = NULL;

    g_assert_cmpint(f->be->build(def, 0), ==, 0);
    g_assert_cmpint(f->be->vol_create(def, vol, 0), ==, 0);
    g_assert_cmpint(f->be->delete(def, 0), ==, -1);
    expected = g_strdup_printf("failed to remove pool '%s': Directory not empty",
                               def->target_path);
    sb_assert_error(expected);
    g_assert_cmpint(f->be->vol_delete(def, vol, 0), ==, 0);
    g_assert_cmpint(f->be->delete(def, 0), ==, 0);
    g_assert_false(g_file_test(def->target_path, G_FILE_TEST_EXISTS));
}

static void
test_unknown_type(void)
{
    g_assert_null(vk_storage_backend_for(VK_STORAGE_POOL_ISCSI));
    sb_assert_error("internal error: missing backend for pool type 5 (iscsi)");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/storage/backend-dir/unknown-type", test_unknown_type);
    if (geteuid() != 0) {
        g_test_skip("needs root (pool owners)");
        return g_test_run();
    }
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
    ADD("/storage/backend-dir/build-modes", test_build_modes);
    ADD("/storage/backend-dir/build-parents-0755", test_build_parents_0755);
    ADD("/storage/backend-dir/build-errors", test_build_errors);
    ADD("/storage/backend-dir/start-errors", test_start_errors);
    ADD("/storage/backend-dir/refresh", test_refresh);
    ADD("/storage/backend-dir/delete", test_delete);
    return g_test_run();
}
