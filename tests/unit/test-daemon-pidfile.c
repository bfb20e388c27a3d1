#include "common/daemon/pidfile.h"
#include "common/util/error.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
tmp_path(char **dir)
{
    *dir = g_dir_make_tmp("virtkit-pid-XXXXXX", NULL);
    g_assert_nonnull(*dir);
    return g_build_filename(*dir, "run", "virtqemud.pid", NULL);
}

static void
test_acquire_release(void)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = tmp_path(&dir);
    g_autofree char *text = NULL;
    g_autofree char *want = g_strdup_printf("%ld\n", (long) getpid());
    g_autofree char *rundir = g_path_get_dirname(path);

    VkPidFile *pf = vk_pidfile_acquire(path);
    g_assert_nonnull(pf);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, want);
    vk_pidfile_release(pf);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    rmdir(rundir);
    rmdir(dir);
}

static void
test_conflict(void)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = tmp_path(&dir);
    g_autofree char *pidtext = g_strdup_printf("%ld", (long) getpid());
    g_autofree char *rundir = g_path_get_dirname(path);

    g_autoptr(VkPidFile) first = vk_pidfile_acquire(path);
    g_assert_nonnull(first);

    vk_error_reset();
    g_assert_null(vk_pidfile_acquire(path));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_RESOURCE_BUSY);
    g_assert_nonnull(strstr(vk_error_last_message(), path));
    g_assert_nonnull(strstr(vk_error_last_message(), pidtext));

    /* and from another process */
    pid_t child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        VkPidFile *other = vk_pidfile_acquire(path);
        _exit(other == NULL && vk_error_last_code() == VIR_ERR_RESOURCE_BUSY ? 0 : 1);
    }
    int status;
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    /* the failed attempts left the owner's file alone */
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    g_clear_pointer(&first, vk_pidfile_release);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    rmdir(rundir);
    rmdir(dir);
}

static void
test_stale(void)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = tmp_path(&dir);
    g_autofree char *rundir = g_path_get_dirname(path);
    g_autofree char *text = NULL;
    g_autofree char *want = g_strdup_printf("%ld\n", (long) getpid());

    /* a dead daemon's file: unlocked, longer content than ours */
    g_assert_cmpint(g_mkdir_with_parents(rundir, 0755), ==, 0);
    g_assert_true(g_file_set_contents(path, "99999999999\n", -1, NULL));
    g_autoptr(VkPidFile) pf = vk_pidfile_acquire(path);
    g_assert_nonnull(pf);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, want);
    g_clear_pointer(&pf, vk_pidfile_release);
    rmdir(rundir);
    rmdir(dir);
}

static void
test_unwritable(void)
{
    vk_error_reset();
    g_assert_null(vk_pidfile_acquire("/proc/virtkit-nope/x.pid"));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(vk_error_last_message(), "/proc/virtkit-nope"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pidfile/acquire-release", test_acquire_release);
    g_test_add_func("/pidfile/conflict", test_conflict);
    g_test_add_func("/pidfile/stale", test_stale);
    g_test_add_func("/pidfile/unwritable", test_unwritable);
    return g_test_run();
}
