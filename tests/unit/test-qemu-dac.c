/* The DAC security driver's pieces (drivers/qemu/security): qemu.conf's
 * user/group/dynamic_ownership/remember_owner, the owner remembered in
 * trusted.libvirt.security.* xattrs with its reference count and boot-time
 * stamp, and a file given to QEMU's user and back.  Needs root (chown,
 * trusted.* xattrs); skipped otherwise. */
#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/qemu/security/dac-backing.h"
#include "drivers/qemu/security/dac-config.h"
#include "drivers/qemu/security/dac-label.h"
#include "drivers/qemu/security/dac-remember.h"

typedef struct {
    char *dir;
    char *file;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("virtkit-dac-XXXXXX", NULL);
    f->file = g_build_filename(f->dir, "image", NULL);
    g_assert_true(g_file_set_contents(f->file, "x", 1, NULL));
    if (geteuid() == 0)
        g_assert_cmpint(chown(f->file, 7, 8), ==, 0);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    g_unlink(f->file);
    g_rmdir(f->dir);
    g_free(f->file);
    g_free(f->dir);
}

static bool
need_root(void)
{
    if (geteuid() == 0)
        return true;
    g_test_skip("needs root");
    return false;
}

static char *
attr(const char *path, const char *name)
{
    char buf[64];
    ssize_t n = getxattr(path, name, buf, sizeof(buf) - 1);

    return n < 0 ? NULL : g_strndup(buf, n);
}

static void
assert_owner(const char *path, uid_t uid, gid_t gid)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpuint(st.st_uid, ==, uid);
    g_assert_cmpuint(st.st_gid, ==, gid);
}

static VkDacConfig *
load_conf(const char *dir, const char *text)
{
    g_autofree char *etc = g_build_filename(dir, "etc", NULL);
    g_autofree char *etc_libvirt = g_build_filename(etc, "libvirt", NULL);
    g_autofree char *conf = g_build_filename(etc_libvirt, "qemu.conf", NULL);
    g_autoptr(VkPaths) paths = vk_paths_new(dir);
    VkDacConfig *cfg;

    g_assert_cmpint(g_mkdir_with_parents(etc_libvirt, 0755), ==, 0);
    g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    cfg = vk_dac_config_load(paths);
    g_unlink(conf);
    g_rmdir(etc_libvirt);
    g_rmdir(etc);
    return cfg;
}

static void
test_config(Fixture *f, gconstpointer data)
{
    g_autoptr(VkDacConfig) numeric = NULL;
    g_autoptr(VkDacConfig) root = NULL;
    g_autoptr(VkDacConfig) bad = NULL;
    g_autofree char *label = NULL;

    if (!need_root())
        return;
    numeric = load_conf(f->dir, "user = \"+1234\"\ngroup = \"+5678\"\nremember_owner = 0\n");
    g_assert_nonnull(numeric);
    g_assert_true(numeric->privileged && numeric->dynamic_ownership && numeric->clear_caps);
    g_assert_false(numeric->remember_owner);
    label = vk_dac_config_label(numeric);
    g_assert_cmpstr(label, ==, "+1234:+5678");
    root = load_conf(f->dir, "user = \"root\"\ngroup = \"root\"\ndynamic_ownership = 0\n");
    g_assert_cmpuint(root->user, ==, 0);
    g_assert_false(vk_dac_config_relabels(root));
    bad = load_conf(f->dir, "user = \"no-such-user-here\"\n");
    g_assert_null(bad);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "invalid argument: Failed to parse user 'no-such-user-here'");
    g_assert_null(load_conf(f->dir, "dynamic_ownership = 2\n"));
    vk_error_reset();
}

static void
test_remember_counts_users(Fixture *f, gconstpointer data)
{
    g_autofree char *owner = NULL;
    uid_t uid = 0;
    gid_t gid = 0;

    if (!need_root())
        return;
    g_assert_cmpint(vk_dac_remember_owner(f->file, 7, 8), ==, 1);
    g_assert_cmpint(vk_dac_remember_owner(f->file, 99, 99), ==, 2);
    owner = attr(f->file, "trusted.libvirt.security.dac");
    g_assert_cmpstr(owner, ==, "+7:+8");   /* the first one's */
    g_assert_cmpint(vk_dac_recall_owner(f->file, &uid, &gid), ==, 0);
    g_assert_cmpint(vk_dac_recall_owner(f->file, &uid, &gid), ==, 1);
    g_assert_cmpuint(uid, ==, 7);
    g_assert_cmpuint(gid, ==, 8);
    g_assert_null(attr(f->file, "trusted.libvirt.security.ref_dac"));
    g_assert_null(attr(f->file, "trusted.libvirt.security.timestamp_dac"));
    g_assert_cmpint(vk_dac_recall_owner(f->file, &uid, &gid), ==, -2);
}

static void
test_stale_attributes_are_dropped(Fixture *f, gconstpointer data)
{
    g_autofree char *owner = NULL;

    if (!need_root())
        return;
    /* left by a guest before the last boot */
    g_assert_cmpint(setxattr(f->file, "trusted.libvirt.security.dac", "+1:+1", 5, 0), ==, 0);
    g_assert_cmpint(setxattr(f->file, "trusted.libvirt.security.ref_dac", "3", 1, 0), ==, 0);
    g_assert_cmpint(setxattr(f->file, "trusted.libvirt.security.timestamp_dac", "1", 1, 0),
                    ==, 0);
    g_test_expect_message("virtkit", G_LOG_LEVEL_WARNING, "Invalid XATTR timestamp detected on *");
    g_assert_cmpint(vk_dac_remember_owner(f->file, 7, 8), ==, 1);
    g_test_assert_expected_messages();
    owner = attr(f->file, "trusted.libvirt.security.dac");
    g_assert_cmpstr(owner, ==, "+7:+8");
}

static void
test_label_and_restore(Fixture *f, gconstpointer data)
{
    VkDacConfig cfg = { .privileged = true, .user = 4321, .group = 4322,
                        .dynamic_ownership = true, .remember_owner = true };
    VkDacConfig other = cfg;

    if (!need_root())
        return;
    other.user = 555;
    g_assert_cmpint(vk_dac_label_path(&cfg, f->file, true), ==, 0);
    assert_owner(f->file, 4321, 4322);
    g_assert_cmpint(vk_dac_label_path(&cfg, f->file, true), ==, 0);   /* a second guest */
    /* a guest of another user: refused, and it does not count */
    g_assert_cmpint(vk_dac_label_path(&other, f->file, true), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(vk_error_last_message(),
                            "Setting different DAC user or group on"));
    vk_error_reset();
    vk_dac_restore_path(&cfg, f->file);
    assert_owner(f->file, 4321, 4322);   /* the other guest still uses it */
    vk_dac_restore_path(&cfg, f->file);
    assert_owner(f->file, 7, 8);
    /* remember_owner = 0: back to root, as libvirt */
    cfg.remember_owner = false;
    g_assert_cmpint(vk_dac_label_path(&cfg, f->file, true), ==, 0);
    vk_dac_restore_path(&cfg, f->file);
    assert_owner(f->file, 0, 0);
}

/* A qcow2 header that names BACKING (NULL: none), enough for the chain. */
static char *
fake_qcow2(const char *dir, const char *name, const char *backing)
{
    unsigned char img[128] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    char *path = g_build_filename(dir, name, NULL);

    if (backing) {
        img[15] = 64;                               /* backing_file_offset */
        img[19] = (unsigned char) strlen(backing);  /* backing_file_size */
        memcpy(img + 64, backing, strlen(backing));
    }
    g_assert_true(g_file_set_contents(path, (const char *) img, sizeof(img), NULL));
    return path;
}

static void
test_backing_chain(Fixture *f, gconstpointer data)
{
    g_autofree char *top = fake_qcow2(f->dir, "top", "mid");
    g_autofree char *mid = fake_qcow2(f->dir, "mid", "/elsewhere/base");
    g_autofree char *alone = fake_qcow2(f->dir, "alone", NULL);
    g_autofree char *json = fake_qcow2(f->dir, "json", "json:{\"file\":{}}");
    g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func(g_free);

    vk_dac_backing_chain(top, chain);   /* relative to its directory, then absolute */
    g_assert_cmpuint(chain->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(chain, 0), ==, mid);
    g_assert_cmpstr(g_ptr_array_index(chain, 1), ==, "/elsewhere/base");
    g_ptr_array_set_size(chain, 0);
    vk_dac_backing_chain(alone, chain);
    vk_dac_backing_chain(json, chain);
    vk_dac_backing_chain(f->file, chain);   /* not qcow2 */
    g_assert_cmpuint(chain->len, ==, 0);
    g_unlink(top);
    g_unlink(mid);
    g_unlink(alone);
    g_unlink(json);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/qemu-dac/config", Fixture, NULL, setup, test_config, teardown);
    g_test_add("/qemu-dac/remember-counts-users", Fixture, NULL, setup,
               test_remember_counts_users, teardown);
    g_test_add("/qemu-dac/stale-attributes-are-dropped", Fixture, NULL, setup,
               test_stale_attributes_are_dropped, teardown);
    g_test_add("/qemu-dac/label-and-restore", Fixture, NULL, setup, test_label_and_restore,
               teardown);
    g_test_add("/qemu-dac/backing-chain", Fixture, NULL, setup, test_backing_chain, teardown);
    return g_test_run();
}
