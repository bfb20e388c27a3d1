#include "tmpdir.h"
#include "common/util/file.h"
#include "common/util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Names in DIR, sorted, joined with ' '. */
static int
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static char *
list_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    g_assert_nonnull(d);
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **) names->pdata);
}

static void
test_write_atomic(void)
{
    g_autofree char *dir = test_tmpdir_new("file");
    g_autofree char *path = g_build_filename(dir, "dom.xml", NULL);
    g_autofree char *got = NULL;
    g_autofree char *names = NULL;
    gsize len = 0;
    struct stat st;

    g_assert_cmpint(vk_file_write_atomic(path, "first", 5, 0600), ==, 0);
    g_assert_cmpint(vk_file_write_atomic(path, "second\n", 7, 0640), ==, 0);
    g_assert_cmpint(vk_file_read_all(path, 1024, &got, &len), ==, 0);
    g_assert_cmpstr(got, ==, "second\n");
    g_assert_cmpuint(len, ==, 7);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0640);

    names = list_dir(dir);
    g_assert_cmpstr(names, ==, "dom.xml");   /* no temp file left behind */
    test_tmpdir_remove(dir);
}

static void
test_write_atomic_failure_keeps_old(void)
{
    g_autofree char *dir = test_tmpdir_new("file");
    g_autofree char *path = g_build_filename(dir, "keep.conf", NULL);
    g_autofree char *got = NULL;
    g_autofree char *names = NULL;
    g_autofree char *target = g_build_filename(dir, "adir", NULL);

    g_assert_cmpint(vk_file_write_atomic(path, "old", 3, 0600), ==, 0);

    /* renaming a file over a non-empty directory fails after the data was
     * written: the temp file must go and nothing else may change */
    g_assert_cmpint(g_mkdir(target, 0700), ==, 0);
    g_autofree char *inner = g_build_filename(target, "x", NULL);
    g_assert_true(g_file_set_contents(inner, "x", 1, NULL));
    vk_error_reset();
    g_assert_cmpint(vk_file_write_atomic(target, "new", 3, 0600), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(vk_error_last_message(), "adir"));
    names = list_dir(dir);
    g_assert_cmpstr(names, ==, "adir keep.conf");

    /* a directory we cannot write into (skip as root: root writes anyway) */
    if (geteuid() != 0) {
        g_assert_cmpint(chmod(dir, 0500), ==, 0);
        g_assert_cmpint(vk_file_write_atomic(path, "new", 3, 0600), ==, -1);
        g_assert_cmpint(chmod(dir, 0700), ==, 0);
    }
    g_assert_cmpint(vk_file_read_all(path, 1024, &got, NULL), ==, 0);
    g_assert_cmpstr(got, ==, "old");

    /* missing directory: error names the file */
    g_autofree char *nodir = g_build_filename(dir, "no", "such", "file", NULL);
    g_assert_cmpint(vk_file_write_atomic(nodir, "x", 1, 0600), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), nodir));
    test_tmpdir_remove(dir);
}

static void
test_read_all_limit(void)
{
    g_autofree char *dir = test_tmpdir_new("file");
    g_autofree char *path = g_build_filename(dir, "big", NULL);
    g_autofree char *data = g_strnfill(20000, 'a');
    char *got = NULL;
    gsize len = 0;

    g_assert_cmpint(vk_file_write_atomic(path, data, 20000, 0600), ==, 0);
    g_assert_cmpint(vk_file_read_all(path, 19999, &got, &len), ==, -1);
    g_assert_null(got);
    g_assert_nonnull(strstr(vk_error_last_message(), "larger than the limit"));
    g_assert_cmpint(vk_file_read_all(path, 20000, &got, &len), ==, 0);
    g_assert_cmpuint(len, ==, 20000);
    g_assert_cmpuint(strlen(got), ==, 20000);
    g_free(got);

    g_assert_cmpint(vk_file_read_all("/nonexistent/virtkit", 10, &got, &len), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(vk_error_last_message(), "/nonexistent/virtkit"));

    /* /proc files report size 0 but have content */
    g_assert_cmpint(vk_file_read_all("/proc/self/status", 1 << 20, &got, &len), ==, 0);
    g_assert_cmpuint(len, >, 0);
    g_free(got);
    test_tmpdir_remove(dir);
}

static void
test_make_dirs(void)
{
    g_autofree char *dir = test_tmpdir_new("file");
    g_autofree char *deep = g_build_filename(dir, "a", "b", "c", NULL);
    g_autofree char *file = g_build_filename(dir, "f", NULL);
    g_autofree char *under_file = g_build_filename(file, "sub", NULL);

    g_assert_cmpint(vk_file_make_dirs(deep, 0755), ==, 0);
    g_assert_true(g_file_test(deep, G_FILE_TEST_IS_DIR));
    g_assert_cmpint(vk_file_make_dirs(deep, 0755), ==, 0);   /* exists: fine */

    g_assert_true(g_file_set_contents(file, "", 0, NULL));
    g_assert_cmpint(vk_file_make_dirs(under_file, 0755), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), under_file));
    test_tmpdir_remove(dir);
}

static void
touch(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, "<domain/>", -1, NULL));
}

/* What a kill -9 between vk_file_write_atomic()'s mkstemp and its rename
 * leaves goes at start-up; complete definitions, whatever their names,
 * stay. */
static void
test_remove_stale_temps(void)
{
    g_autofree char *dir = test_tmpdir_new("file");
    g_autofree char *sub = g_build_filename(dir, "vm1", NULL);
    g_autofree char *subdir_like_temp = g_build_filename(dir, ".d.xml.Ab12Cd", NULL);
    g_autofree char *names = NULL;
    g_autofree char *sub_names = NULL;
    const char *kept[] = { "a.xml", ".a.xml", ".b.xml.Ab12C", ".b.xml.Ab12Cde",
                           ".b.xml.Ab-2Cd", "c.xml.Ab12Cd", ".c.json.Ab12Cd", ".xml.Ab12Cd" };

    for (gsize i = 0; i < G_N_ELEMENTS(kept); i++)
        touch(dir, kept[i]);
    touch(dir, ".a.xml.Ab12Cd");
    touch(dir, ".dom 2.xml.zZ09aa");
    g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(subdir_like_temp, 0700), ==, 0);
    touch(sub, "s1.xml");
    touch(sub, ".s1.xml.QWErty");

    g_assert_cmpuint(vk_file_remove_stale_temps(dir, ".xml", FALSE), ==, 2);
    names = list_dir(dir);
    g_assert_cmpstr(names, ==, ".a.xml .b.xml.Ab-2Cd .b.xml.Ab12C .b.xml.Ab12Cde "
                               ".c.json.Ab12Cd .d.xml.Ab12Cd .xml.Ab12Cd a.xml c.xml.Ab12Cd vm1");
    g_assert_cmpuint(vk_file_remove_stale_temps(dir, ".xml", TRUE), ==, 1);
    sub_names = list_dir(sub);
    g_assert_cmpstr(sub_names, ==, "s1.xml");
    g_assert_cmpuint(vk_file_remove_stale_temps(dir, ".json", FALSE), ==, 1);
    g_assert_cmpuint(vk_file_remove_stale_temps("/nonexistent/virtkit", ".xml", TRUE), ==, 0);
    test_tmpdir_remove(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/file/write-atomic", test_write_atomic);
    g_test_add_func("/file/write-atomic-failure", test_write_atomic_failure_keeps_old);
    g_test_add_func("/file/read-all-limit", test_read_all_limit);
    g_test_add_func("/file/make-dirs", test_make_dirs);
    g_test_add_func("/file/remove-stale-temps", test_remove_stale_temps);
    return g_test_run();
}
