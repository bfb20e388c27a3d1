/* Volumes of the dir pool in a temporary directory: raw files allocated or
 * sparse, qcow2 through qemu-img (checked with qemu-img info), backing
 * stores, clones between raw and qcow2, resize and its errors, wipe, and the
 * format prober; then the dir pool itself (build, start, refresh, delete). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/storage/backends/image-probe.h"
#include "storage-builder.h"

#define MiB (1024ULL * 1024)

typedef struct {
    char *dir;
    VkStoragePoolDef *pool;
    const VkStorageBackend *be;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("vk-volfile-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->pool = sb_pool(VK_STORAGE_POOL_DIR, "p", f->dir, NULL, NULL);
    f->be = vk_storage_backend_for(VK_STORAGE_POOL_DIR);
    g_assert_nonnull(f->be);
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
    vk_storage_pool_def_free(f->pool);
    sb_remove_tree(f->dir);
}

/* A volume made in F's pool, asserting success */
static VkStorageVolDef *
make_vol(Fixture *f, const char *name, const char *format, unsigned long long cap,
         long long alloc)
{
    VkStorageVolDef *vol = sb_vol(name, format, cap, alloc);

    if (f->be->vol_create(f->pool, vol, 0) < 0)
        g_error("vol_create %s: %s", name, vk_error_last_message());
    return vol;
}

static struct stat
stat_of(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    return st;
}

static VkJson *
qemu_img_info(const char *path)
{
    const char *argv[] = { "qemu-img", "info", "--output=json", path, NULL };
    g_autofree char *out = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    return vk_json_parse(out, -1);
}

static void
write_pattern(const char *path, off_t off, const char *text)
{
    int fd = open(path, O_WRONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pwrite(fd, text, strlen(text), off), ==, (ssize_t) strlen(text));
    close(fd);
}

static void
test_raw_allocated(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = make_vol(f, "full.img", "raw", 4 * MiB, -1);
    struct stat st = stat_of(vol->target_path);

    g_assert_cmpstr(vol->key, ==, vol->target_path);
    g_assert_cmpint(st.st_size, ==, 4 * MiB);
    g_assert_cmpuint((guint64) st.st_blocks * 512, >=, 4 * MiB);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_cmpuint(vol->allocation, ==, (guint64) st.st_blocks * 512);
    g_assert_cmpuint(vol->capacity, ==, 4 * MiB);
    g_assert_cmpuint(vol->physical, ==, 4 * MiB);
    g_assert_cmpint(vol->type, ==, VK_STORAGE_VOL_FILE);
}

static void
test_raw_sparse_perms(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = sb_vol("sparse.img", NULL, 8 * MiB, MiB);
    struct stat st;

    vol->target_perms = (VkStoragePerms) { .has_mode = true, .mode = 0640, .has_owner = true,
                                           .owner = 1234, .has_group = true, .group = 4321 };
    g_assert_cmpint(f->be->vol_create(f->pool, vol, 0), ==, 0);
    st = stat_of(vol->target_path);
    g_assert_cmpint(st.st_size, ==, 8 * MiB);
    g_assert_cmpuint((guint64) st.st_blocks * 512, >=, MiB);
    g_assert_cmpuint((guint64) st.st_blocks * 512, <, 2 * MiB);
    g_assert_cmpint(st.st_mode & 0777, ==, 0640);
    g_assert_cmpint(st.st_uid, ==, 1234);
    g_assert_cmpint(st.st_gid, ==, 4321);
    g_assert_cmpstr(vol->target_format, ==, "raw");
    g_assert_nonnull(vol->mtime);
}

static void
test_create_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) slash = sb_vol("a/b", "raw", MiB, -1);
    g_autoptr(VkStorageVolDef) first = make_vol(f, "same", "raw", MiB, 0);
    g_autoptr(VkStorageVolDef) again = sb_vol("same", "raw", MiB, 0);
    g_autofree char *exists = NULL;

    g_assert_cmpint(f->be->vol_create(f->pool, slash, 0), ==, -1);
    sb_assert_error("Requested operation is not valid: volume name 'a/b' cannot contain '/'");
    g_assert_cmpint(f->be->vol_create(f->pool, again, 0), ==, -1);
    exists = g_strdup_printf("Requested operation is not valid: volume target path '%s' "
                             "already exists", first->target_path);
    sb_assert_error(exists);
}

static void
test_qcow2(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = make_vol(f, "disk.qcow2", "qcow2", 10 * MiB + 1, -1);
    VkJson *info = qemu_img_info(vol->target_path);
    VkJson *spec = vk_json_object_get_object(vk_json_object_get_object(info, "format-specific"),
                                             "data");

    g_assert_cmpstr(vk_json_object_get_string(info, "format", NULL), ==, "qcow2");
    /* libvirt passes the size in KiB, rounded up */
    g_assert_cmpint(vk_json_object_get_int(info, "virtual-size", 0), ==, 10 * MiB + 1024);
    g_assert_cmpstr(vk_json_object_get_string(spec, "compat", NULL), ==, "0.10");
    vk_json_free(info);
    g_assert_cmpstr(vol->target_format, ==, "qcow2");
    g_assert_cmpuint(vol->capacity, ==, 10 * MiB + 1024);
    g_assert_cmpstr(vol->compat, ==, "0.10");
    g_assert_cmpint(stat_of(vol->target_path).st_mode & 0777, ==, 0600);
}

static void
test_qcow2_lazy_refcounts(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = sb_vol("lazy.qcow2", "qcow2", MiB, -1);
    g_autoptr(VkStorageVolDef) old = sb_vol("old.qcow2", "qcow2", MiB, -1);
    VkJson *info;

    vol->lazy_refcounts = true;
    g_assert_cmpint(f->be->vol_create(f->pool, vol, 0), ==, 0);
    info = qemu_img_info(vol->target_path);
    VkJson *spec = vk_json_object_get_object(vk_json_object_get_object(info, "format-specific"),
                                             "data");
    g_assert_cmpstr(vk_json_object_get_string(spec, "compat", NULL), ==, "1.1");
    g_assert_true(vk_json_object_get_bool(spec, "lazy-refcounts", FALSE));
    vk_json_free(info);
    g_assert_true(vol->lazy_refcounts);
    g_assert_cmpstr(vol->compat, ==, "1.1");

    old->lazy_refcounts = true;
    old->compat = g_strdup("0.10");
    g_assert_cmpint(f->be->vol_create(f->pool, old, 0), ==, -1);
    sb_assert_error("unsupported configuration: lazy_refcounts not supported with compat level 0.10");
}

static void
test_backing_store(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) base = make_vol(f, "base.img", "raw", 2 * MiB, 0);
    g_autoptr(VkStorageVolDef) top = sb_vol("top.qcow2", "qcow2", 0, -1);
    g_autoptr(VkStorageVolDef) raw = sb_vol("top.raw", "raw", MiB, -1);
    VkJson *info;

    top->backing.path = g_strdup(base->target_path);
    top->backing.format = g_strdup("raw");
    g_assert_cmpint(f->be->vol_create(f->pool, top, 0), ==, 0);
    info = qemu_img_info(top->target_path);
    g_assert_cmpstr(vk_json_object_get_string(info, "backing-filename", NULL), ==,
                    base->target_path);
    g_assert_cmpstr(vk_json_object_get_string(info, "backing-filename-format", NULL), ==, "raw");
    g_assert_cmpint(vk_json_object_get_int(info, "virtual-size", 0), ==, 2 * MiB);
    vk_json_free(info);
    g_assert_cmpstr(top->backing.path, ==, base->target_path);
    g_assert_cmpstr(top->backing.format, ==, "raw");
    g_assert_cmpuint(top->capacity, ==, 2 * MiB);

    raw->backing.path = g_strdup(base->target_path);
    g_assert_cmpint(f->be->vol_create(f->pool, raw, 0), ==, -1);
    sb_assert_error("this function is not supported by the connection driver: "
                 "backing storage not supported for raw volumes");
}

static void
assert_same_content(const char *a, const char *b, gsize len)
{
    g_autofree char *ca = NULL, *cb = NULL;
    gsize la, lb;

    g_assert_true(g_file_get_contents(a, &ca, &la, NULL));
    g_assert_true(g_file_get_contents(b, &cb, &lb, NULL));
    g_assert_cmpuint(la, ==, len);
    g_assert_cmpuint(lb, ==, len);
    g_assert_true(memcmp(ca, cb, len) == 0);
}

static void
test_clone(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) src = make_vol(f, "src.img", "raw", 4 * MiB, 0);
    g_autoptr(VkStorageVolDef) q = sb_vol("clone.qcow2", "qcow2", 4 * MiB, -1);
    g_autoptr(VkStorageVolDef) back = sb_vol("back.img", "raw", 4 * MiB, 0);
    g_autoptr(VkStorageVolDef) copy = sb_vol("copy.img", "raw", 4 * MiB, 0);
    VkJson *info;

    write_pattern(src->target_path, 0, "hello");
    write_pattern(src->target_path, 3 * MiB, "world");
    g_assert_cmpint(f->be->vol_refresh(f->pool, src), ==, 0);

    g_assert_cmpint(f->be->vol_create_from(f->pool, q, f->pool, src, 0), ==, 0);
    info = qemu_img_info(q->target_path);
    g_assert_cmpstr(vk_json_object_get_string(info, "format", NULL), ==, "qcow2");
    vk_json_free(info);
    g_assert_cmpint(f->be->vol_create_from(f->pool, back, f->pool, q, 0), ==, 0);
    assert_same_content(src->target_path, back->target_path, 4 * MiB);

    /* raw to raw: a byte copy, sparse when the allocation asks less than
     * the source's capacity */
    g_assert_cmpint(f->be->vol_create_from(f->pool, copy, f->pool, src, 0), ==, 0);
    assert_same_content(src->target_path, copy->target_path, 4 * MiB);
    /* holes in whole 1 MiB chunks: the two written ones take space */
    g_assert_cmpuint((guint64) stat_of(copy->target_path).st_blocks * 512, <=, 2 * MiB);
}

static void
test_resize(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = make_vol(f, "r.img", "raw", 4 * MiB, MiB);
    g_autoptr(VkStorageVolDef) q = make_vol(f, "r.qcow2", "qcow2", 4 * MiB, -1);

    g_assert_cmpint(f->be->vol_resize(f->pool, vol, 8 * MiB, 0), ==, 0);
    g_assert_cmpint(stat_of(vol->target_path).st_size, ==, 8 * MiB);
    g_assert_cmpuint(vol->capacity, ==, 8 * MiB);

    /* below the allocation: that error first, even without the flag */
    g_assert_cmpint(f->be->vol_resize(f->pool, vol, 4096, 0), ==, -1);
    sb_assert_error("invalid argument: can't shrink capacity below existing allocation");
    g_assert_cmpint(f->be->vol_resize(f->pool, vol, 6 * MiB, 0), ==, -1);
    sb_assert_error("invalid argument: Can't shrink capacity below current capacity unless "
                 "shrink flag explicitly specified");
    g_assert_cmpint(f->be->vol_resize(f->pool, vol, 6 * MiB, VK_STORAGE_VOL_RESIZE_SHRINK), ==, 0);
    g_assert_cmpint(stat_of(vol->target_path).st_size, ==, 6 * MiB);

    g_assert_cmpint(f->be->vol_resize(f->pool, vol, 7 * MiB, VK_STORAGE_VOL_RESIZE_ALLOCATE),
                    ==, 0);
    g_assert_cmpuint((guint64) stat_of(vol->target_path).st_blocks * 512, >=, 2 * MiB);

    g_assert_cmpint(f->be->vol_resize(f->pool, q, 16 * MiB, 0), ==, 0);
    g_assert_cmpuint(q->capacity, ==, 16 * MiB);
    g_assert_cmpint(f->be->vol_resize(f->pool, q, 32 * MiB, VK_STORAGE_VOL_RESIZE_ALLOCATE), ==,
                    -1);
    sb_assert_error("Operation not supported: preallocate is only supported for raw type volume");
}

static gboolean
is_zero_file(const char *path)
{
    g_autofree char *c = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(path, &c, &len, NULL));
    for (gsize i = 0; i < len; i++)
        if (c[i])
            return FALSE;
    return TRUE;
}

static void
test_wipe(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) full = make_vol(f, "w.img", "raw", 2 * MiB, -1);
    g_autoptr(VkStorageVolDef) sparse = make_vol(f, "ws.img", "raw", 2 * MiB, 0);

    write_pattern(full->target_path, 12345, "secret");
    write_pattern(sparse->target_path, MiB, "secret");
    g_assert_false(is_zero_file(full->target_path));
    g_assert_cmpint(f->be->vol_refresh(f->pool, full), ==, 0);
    g_assert_cmpint(f->be->vol_wipe(f->pool, full, VK_STORAGE_VOL_WIPE_ALG_ZERO, 0), ==, 0);
    g_assert_true(is_zero_file(full->target_path));
    g_assert_cmpint(f->be->vol_wipe(f->pool, sparse, VK_STORAGE_VOL_WIPE_ALG_ZERO, 0), ==, 0);
    g_assert_true(is_zero_file(sparse->target_path));
    g_assert_cmpint(stat_of(sparse->target_path).st_size, ==, 2 * MiB);

    g_assert_cmpint(f->be->vol_wipe(f->pool, full, VK_STORAGE_VOL_WIPE_ALG_TRIM, 0), ==, -1);
    sb_assert_error("argument unsupported: 'trim' algorithm not supported");
    g_assert_cmpint(f->be->vol_wipe(f->pool, full, VK_STORAGE_VOL_WIPE_ALG_LAST, 0), ==, -1);
    sb_assert_error("invalid argument: unsupported algorithm 10");
    g_assert_cmpint(f->be->vol_wipe(f->pool, full, VK_STORAGE_VOL_WIPE_ALG_DOD, 0), ==, -1);
    vk_error_reset();
}

static void
test_delete(Fixture *f, gconstpointer data)
{
    g_autoptr(VkStorageVolDef) vol = make_vol(f, "d.img", "raw", MiB, 0);
    g_autoptr(VkStorageVolDef) dir = make_vol(f, "subdir", "dir", 0, -1);

    g_assert_cmpint(dir->type, ==, VK_STORAGE_VOL_DIR);
    g_assert_cmpint(stat_of(dir->target_path).st_mode & 0777, ==, 0600);
    g_assert_cmpint(f->be->vol_delete(f->pool, vol, 0), ==, 0);
    g_assert_false(g_file_test(vol->target_path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(f->be->vol_delete(f->pool, vol, 0), ==, 0);
    g_assert_cmpint(f->be->vol_delete(f->pool, dir, 0), ==, 0);
    g_assert_false(g_file_test(dir->target_path, G_FILE_TEST_EXISTS));
}

static void
qemu_img_create(const char *format, const char *path)
{
    g_autofree char *cmd = g_strdup_printf("qemu-img create -q -f %s '%s' 1M", format, path);
    g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_probe(Fixture *f, gconstpointer data)
{
    static const char *const formats[] = { "qcow2", "qcow", "vmdk", "vdi", "vpc", "qed" };
    g_autofree char *iso = g_build_filename(f->dir, "cd.iso", NULL);
    g_autofree char *raw = g_build_filename(f->dir, "plain", NULL);
    g_autofree char *buf = g_malloc0(0x9000);

    for (gsize i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_autofree char *path = g_build_filename(f->dir, formats[i], NULL);
        VkImageHeader hdr;
        int fd;

        qemu_img_create(formats[i], path);
        fd = open(path, O_RDONLY);
        g_assert_cmpint(vk_image_probe_fd(fd, path, &hdr), ==, 0);
        close(fd);
        g_assert_cmpstr(hdr.format, ==, formats[i]);
        if (!g_str_equal(formats[i], "vpc"))   /* vpc rounds to its geometry */
            g_assert_cmpuint(hdr.capacity, ==, MiB);
        vk_image_header_clear(&hdr);
    }
    memcpy(buf + 0x8001, "CD001", 5);
    g_assert_true(g_file_set_contents(iso, buf, 0x9000, NULL));
    g_assert_cmpstr(vk_image_probe_format(iso), ==, "iso");
    g_assert_true(g_file_set_contents(raw, "QFI\xfb but not qcow", -1, NULL));
    g_assert_cmpstr(vk_image_probe_format(raw), ==, "raw");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (geteuid() != 0) {
        g_test_skip("needs root (volume owners, fallocate on the test's files)");
        return g_test_run();
    }
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
    ADD("/storage/volume-file/raw-allocated", test_raw_allocated);
    ADD("/storage/volume-file/raw-sparse-perms", test_raw_sparse_perms);
    ADD("/storage/volume-file/create-errors", test_create_errors);
    ADD("/storage/volume-file/qcow2", test_qcow2);
    ADD("/storage/volume-file/qcow2-lazy-refcounts", test_qcow2_lazy_refcounts);
    ADD("/storage/volume-file/backing-store", test_backing_store);
    ADD("/storage/volume-file/clone", test_clone);
    ADD("/storage/volume-file/resize", test_resize);
    ADD("/storage/volume-file/wipe", test_wipe);
    ADD("/storage/volume-file/delete", test_delete);
    ADD("/storage/volume-file/probe", test_probe);
    return g_test_run();
}
