#include "common/daemon/daemonize.h"

#include <stdlib.h>
#include <unistd.h>

/* The subprocess runs vk_daemonize(); its original process must exit with
 * the right status, and the daemon must have left the marker file. */

static void
daemon_body(void)
{
    const char *marker = g_getenv("VK_TEST_MARKER");
    const char *mode = g_getenv("VK_TEST_MODE");

    if (!g_test_subprocess()) {
        g_test_skip("runs only as the subprocess of the other tests");
        return;
    }
    if (vk_daemonize() < 0)
        exit(2);
    /* from here on we are the daemon: stdio is /dev/null */
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *text = g_strdup_printf("%ld %s %d", (long) getpid(), cwd, isatty(0));
    g_file_set_contents(marker, text, -1, NULL);
    if (g_str_equal(mode, "ready"))
        vk_daemonize_ready();
    else if (g_str_equal(mode, "fail"))
        vk_daemonize_failed("cannot bind socket '/run/libvirt/virtqemud-sock'");
    _exit(0);
}

static char *
wait_for_marker(const char *marker)
{
    char *text = NULL;

    for (int i = 0; i < 500 && !g_file_get_contents(marker, &text, NULL, NULL); i++)
        g_usleep(10000);
    return text;
}

static void
run_mode(const char *mode, const char *marker)
{
    g_setenv("VK_TEST_MARKER", marker, TRUE);
    g_setenv("VK_TEST_MODE", mode, TRUE);
    g_test_trap_subprocess("/daemonize/body", 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
}

static void
test_ready(void)
{
    g_autofree char *dir = g_dir_make_tmp("virtkit-daemonize-XXXXXX", NULL);
    g_autofree char *marker = g_build_filename(dir, "marker", NULL);

    run_mode("ready", marker);
    g_test_trap_assert_passed();
    g_autofree char *text = wait_for_marker(marker);
    g_assert_nonnull(text);
    g_auto(GStrv) parts = g_strsplit(text, " ", -1);
    g_assert_cmpstr(parts[1], ==, "/");      /* changed to / */
    g_assert_cmpstr(parts[2], ==, "0");      /* no terminal on stdin */
    unlink(marker);
    rmdir(dir);
}

static void
test_failed(void)
{
    g_autofree char *dir = g_dir_make_tmp("virtkit-daemonize-XXXXXX", NULL);
    g_autofree char *marker = g_build_filename(dir, "marker", NULL);

    run_mode("fail", marker);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*cannot bind socket '/run/libvirt/virtqemud-sock'*");
    g_autofree char *text = wait_for_marker(marker);
    g_assert_nonnull(text);
    unlink(marker);
    rmdir(dir);
}

static void
test_died(void)
{
    g_autofree char *dir = g_dir_make_tmp("virtkit-daemonize-XXXXXX", NULL);
    g_autofree char *marker = g_build_filename(dir, "marker", NULL);

    run_mode("die", marker);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*exited before it was ready*");
    g_autofree char *text = wait_for_marker(marker);
    unlink(marker);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemonize/ready", test_ready);
    g_test_add_func("/daemonize/failed", test_failed);
    g_test_add_func("/daemonize/died", test_died);
    g_test_add_func("/daemonize/body", daemon_body);
    return g_test_run();
}
