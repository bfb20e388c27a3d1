#include "tmpdir.h"

#include <glib/gstdio.h>

char *
test_tmpdir_new(const char *prefix)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *tmpl = g_strdup_printf("virtkit-%s-XXXXXX", prefix);
    char *dir = g_dir_make_tmp(tmpl, &err);

    g_assert_no_error(err);
    return dir;
}

void
test_tmpdir_remove(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            test_tmpdir_remove(path);
        else
            g_unlink(path);
    }
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}
