/* The common on-disk store: definitions, autostart links, status files, and
 * what a write cut short leaves (the old definition, never a half one). */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/driver/store.h"
#include "common/util/error.h"

typedef struct {
    char *root;
    VkStore *store;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
    g_autofree char *config = NULL;
    g_autofree char *status = NULL;

    f->root = g_dir_make_tmp("vk-store-XXXXXX", NULL);
    config = g_build_filename(f->root, "etc", "networks", NULL);
    status = g_build_filename(f->root, "run", "network", NULL);
    f->store = vk_store_new(config, status, VIR_FROM_NETWORK);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);

    g_assert_cmpint(system(cmd), ==, 0);
    vk_store_free(f->store);
    g_free(f->root);
}

static char *
read_text(const char *path)
{
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static guint
count_files(GPtrArray *paths)
{
    guint n = paths->len;

    g_ptr_array_unref(paths);
    return n;
}

static void
test_config_save_load_delete(Fixture *f, gconstpointer data)
{
    g_autofree char *path = vk_store_config_path(f->store, "net1");
    g_autofree char *text = NULL;
    struct stat st;

    g_assert_cmpint(count_files(vk_store_config_files(f->store)), ==, 0);
    g_assert_cmpint(vk_store_save_config(f->store, "net1", "<network/>\n"), ==, 0);
    g_assert_cmpint(vk_store_save_config(f->store, "net2", "<network/>\n"), ==, 0);
    text = read_text(path);
    g_assert_cmpstr(text, ==, "<network/>\n");
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);   /* may hold secrets */
    g_assert_cmpint(count_files(vk_store_config_files(f->store)), ==, 2);

    g_assert_cmpint(vk_store_delete_config(f->store, "net1"), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(vk_store_delete_config(f->store, "net1"), ==, 0);   /* gone already: fine */
    g_assert_cmpint(count_files(vk_store_config_files(f->store)), ==, 1);
}

static void
test_autostart(Fixture *f, gconstpointer data)
{
    g_autofree char *link = g_build_filename(f->store->autostart_dir, "net1.xml", NULL);
    g_autofree char *target = NULL;

    g_assert_cmpint(vk_store_save_config(f->store, "net1", "<network/>\n"), ==, 0);
    g_assert_false(vk_store_get_autostart(f->store, "net1"));
    g_assert_cmpint(vk_store_set_autostart(f->store, "net1", true), ==, 0);
    g_assert_cmpint(vk_store_set_autostart(f->store, "net1", true), ==, 0);   /* twice: fine */
    g_assert_true(vk_store_get_autostart(f->store, "net1"));
    target = g_file_read_link(link, NULL);
    g_autofree char *config = vk_store_config_path(f->store, "net1");
    g_assert_cmpstr(target, ==, config);
    /* undefining takes the link too */
    g_assert_cmpint(vk_store_delete_config(f->store, "net1"), ==, 0);
    g_assert_false(vk_store_get_autostart(f->store, "net1"));
}

static void
test_status(Fixture *f, gconstpointer data)
{
    g_autofree char *path = vk_store_status_path(f->store, "net1");

    g_assert_cmpint(vk_store_save_status(f->store, "net1", "<networkstatus/>\n"), ==, 0);
    g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint(count_files(vk_store_status_files(f->store)), ==, 1);
    g_assert_cmpint(vk_store_delete_status(f->store, "net1"), ==, 0);
    g_assert_cmpint(count_files(vk_store_status_files(f->store)), ==, 0);
}

/* A save that fails after its temp file was written (the rename cannot
 * happen) changes nothing saved and leaves no temp file. */
static void
test_failed_save_changes_nothing(Fixture *f, gconstpointer data)
{
    g_autofree char *path = vk_store_config_path(f->store, "net1");
    g_autofree char *text = NULL;

    g_assert_cmpint(vk_store_save_config(f->store, "net1", "<network>old</network>\n"), ==, 0);
    /* the rename's target is made a non-empty directory: rename() fails */
    g_autofree char *blocker = vk_store_config_path(f->store, "net2");
    g_autofree char *inner = g_build_filename(blocker, "x", NULL);
    g_assert_cmpint(g_mkdir(blocker, 0700), ==, 0);
    g_assert_true(g_file_set_contents(inner, "x", 1, NULL));
    g_assert_cmpint(vk_store_save_config(f->store, "net2", "<network>new</network>\n"), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    text = read_text(path);
    g_assert_cmpstr(text, ==, "<network>old</network>\n");
    GPtrArray *files = vk_store_config_files(f->store);
    for (guint i = 0; i < files->len; i++)
        g_assert_false(strstr(g_ptr_array_index(files, i), "/.net"));
    g_ptr_array_unref(files);
}

/* What a kill -9 between the temp file and the rename leaves: the old
 * definition, and a temp file that the next start removes. */
static void
test_interrupted_write_cleaned_up(Fixture *f, gconstpointer data)
{
    g_autofree char *path = vk_store_config_path(f->store, "net1");
    g_autofree char *temp = g_build_filename(f->store->config_dir, ".net1.xml.Qx3Zp9", NULL);
    g_autofree char *status_temp = g_build_filename(f->store->status_dir, ".n.xml.AAAAAA", NULL);
    g_autofree char *text = NULL;

    g_assert_cmpint(vk_store_save_config(f->store, "net1", "<network>old</network>\n"), ==, 0);
    g_assert_cmpint(vk_store_save_status(f->store, "n", "<s/>\n"), ==, 0);
    g_assert_true(g_file_set_contents(temp, "<network>ne", -1, NULL));
    g_assert_true(g_file_set_contents(status_temp, "<s", -1, NULL));
    g_assert_cmpint(count_files(vk_store_config_files(f->store)), ==, 1);   /* not a definition */

    vk_store_remove_stale_temps(f->store);
    g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(status_temp, G_FILE_TEST_EXISTS));
    text = read_text(path);
    g_assert_cmpstr(text, ==, "<network>old</network>\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/driver-store/" path, Fixture, NULL, setup, fn, teardown)
    ADD("config-save-load-delete", test_config_save_load_delete);
    ADD("autostart", test_autostart);
    ADD("status", test_status);
    ADD("failed-save-changes-nothing", test_failed_save_changes_nothing);
    ADD("interrupted-write-cleaned-up", test_interrupted_write_cleaned_up);
#undef ADD
    return g_test_run();
}
