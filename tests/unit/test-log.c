#define VK_LOG_MODULE "test.logmod"
#include "common/util/log.h"
#include "common/util/error.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void
test_level_and_filters(void)
{
    vk_log_reset();
    g_assert_cmpint(vk_log_get_level(), ==, VK_LOG_WARNING);
    g_assert_false(vk_log_enabled("rpc.server", VK_LOG_INFO));
    g_assert_true(vk_log_enabled("rpc.server", VK_LOG_WARNING));

    g_assert_cmpint(vk_log_set_filters("1:rpc 4:util"), ==, 0);
    g_assert_true(vk_log_enabled("rpc.server", VK_LOG_DEBUG));
    g_assert_true(vk_log_enabled("common.rpc", VK_LOG_DEBUG));    /* substring */
    g_assert_false(vk_log_enabled("util.conf", VK_LOG_WARNING));
    g_assert_true(vk_log_enabled("util.conf", VK_LOG_ERROR));
    g_assert_false(vk_log_enabled("qemu.driver", VK_LOG_INFO));   /* default level 3 */
    g_assert_true(vk_log_enabled("qemu.driver", VK_LOG_WARNING));

    /* the first matching filter wins */
    g_assert_cmpint(vk_log_set_filters("3:rpc.server 1:rpc"), ==, 0);
    g_assert_false(vk_log_enabled("rpc.server", VK_LOG_DEBUG));
    g_assert_true(vk_log_enabled("rpc.client", VK_LOG_DEBUG));

    /* globs match the whole name; '+' (libvirt's stack traces) is accepted */
    g_assert_cmpint(vk_log_set_filters("  +1:qemu*\t2:*.monitor  "), ==, 0);
    g_assert_true(vk_log_enabled("qemu.process", VK_LOG_DEBUG));
    g_assert_false(vk_log_enabled("drivers.qemu", VK_LOG_DEBUG));
    g_assert_true(vk_log_enabled("net.monitor", VK_LOG_INFO));
    g_assert_false(vk_log_enabled("net.monitor", VK_LOG_DEBUG));
    g_autofree char *filters = vk_log_get_filters();
    g_assert_cmpstr(filters, ==, "1:qemu* 2:*.monitor");

    g_assert_cmpint(vk_log_set_level(1), ==, 0);
    g_assert_true(vk_log_enabled("anything", VK_LOG_DEBUG));
    g_assert_cmpint(vk_log_set_level(0), ==, 0);   /* back to the default */
    g_assert_cmpint(vk_log_get_level(), ==, VK_LOG_WARNING);
    vk_log_reset();
}

static void
test_bad_settings(void)
{
    const char *bad_filters[] = { "rpc", "1:", "0:rpc", "5:rpc", "x:rpc", "1:rpc 9:util" };
    const char *bad_outputs[] = { "stderr", "1:", "1:bogus", "7:stderr", "1:file:relative/path",
                                  "1:file:", "1:stderr:extra", "1:file:/nonexistent-dir/x.log" };

    vk_log_reset();
    g_assert_cmpint(vk_log_set_filters("2:keep"), ==, 0);
    for (gsize i = 0; i < G_N_ELEMENTS(bad_filters); i++) {
        vk_error_reset();
        g_assert_cmpint(vk_log_set_filters(bad_filters[i]), ==, -1);
        g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
        g_autofree char *now = vk_log_get_filters();
        g_assert_cmpstr(now, ==, "2:keep");   /* unchanged on error */
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad_outputs); i++) {
        vk_error_reset();
        g_assert_cmpint(vk_log_set_outputs(bad_outputs[i]), ==, -1);
        g_assert_cmpint(vk_error_last_code(), !=, VIR_ERR_OK);
    }
    g_assert_nonnull(strstr(vk_error_last_message(), "/nonexistent-dir/x.log"));
    g_assert_cmpint(vk_log_set_level(5), ==, -1);
    g_assert_cmpint(vk_log_set_level(-1), ==, -1);
    g_assert_cmpint(vk_log_get_level(), ==, VK_LOG_WARNING);
    vk_log_reset();
}

static int evaluated;

static int
side_effect(void)
{
    evaluated++;
    return 42;
}

static void
test_disabled_debug_is_not_formatted(void)
{
    vk_log_reset();
    evaluated = 0;
    g_debug("value %d", side_effect());
    g_info("value %d", side_effect());
    g_assert_cmpint(evaluated, ==, 0);

    /* a filter for another module keeps ours off too */
    g_assert_cmpint(vk_log_set_filters("1:rpc"), ==, 0);
    g_debug("value %d", side_effect());
    g_assert_cmpint(evaluated, ==, 0);
    vk_log_reset();
}

static char *
read_file(const char *path)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void
test_file_output(void)
{
    g_autofree char *dir = g_dir_make_tmp("virtkit-log-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.log", NULL);
    g_autofree char *outputs = g_strdup_printf("1:file:%s", path);
    g_autofree char *text = NULL;

    vk_log_init();
    vk_log_init();   /* twice is harmless */
    vk_log_reset();
    g_assert_cmpint(vk_log_set_outputs(outputs), ==, 0);
    g_assert_cmpint(vk_log_set_filters("1:test.logmod"), ==, 0);
    g_autofree char *got = vk_log_get_outputs();
    g_assert_cmpstr(got, ==, outputs);

    evaluated = 0;
    g_debug("hello %d", side_effect());
    g_info("some info");
    g_log("other.module", G_LOG_LEVEL_INFO, "dropped: below the default level");
    g_log("other.module", G_LOG_LEVEL_WARNING, "kept: a warning");
    g_assert_cmpint(evaluated, ==, 1);

    text = read_file(path);
    g_assert_nonnull(strstr(text, ": debug : test.logmod : test_file_output:"));
    g_assert_nonnull(strstr(text, " : hello 42\n"));
    g_assert_nonnull(strstr(text, ": info : test.logmod : "));
    g_assert_nonnull(strstr(text, ": warning : other.module : kept: a warning\n"));
    g_assert_null(strstr(text, "dropped"));
    gsize lines = 0;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    g_assert_cmpuint(lines, ==, 3);

    /* an output's own level cuts lower messages */
    g_free(outputs);
    outputs = g_strdup_printf("3:file:%s", path);
    g_assert_cmpint(vk_log_set_outputs(outputs), ==, 0);
    evaluated = 0;
    g_debug("not %d", side_effect());
    g_assert_cmpint(evaluated, ==, 0);

    vk_log_reset();
    unlink(path);
    rmdir(dir);
}

static void
test_env(void)
{
    vk_log_reset();
    g_setenv("LIBVIRT_DEBUG", "info", TRUE);
    g_setenv("LIBVIRT_LOG_FILTERS", "1:qemu", TRUE);
    g_setenv("LIBVIRT_LOG_OUTPUTS", "1:stderr", TRUE);
    g_assert_cmpint(vk_log_set_from_env(), ==, 0);
    g_assert_cmpint(vk_log_get_level(), ==, VK_LOG_INFO);
    g_autofree char *f = vk_log_get_filters();
    g_assert_cmpstr(f, ==, "1:qemu");
    g_autofree char *o = vk_log_get_outputs();
    g_assert_cmpstr(o, ==, "1:stderr");

    g_setenv("LIBVIRT_DEBUG", "loud", TRUE);
    g_assert_cmpint(vk_log_set_from_env(), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "loud"));
    g_unsetenv("LIBVIRT_DEBUG");
    g_unsetenv("LIBVIRT_LOG_FILTERS");
    g_unsetenv("LIBVIRT_LOG_OUTPUTS");
    vk_log_reset();
}

/* The journal output, heard on a journal socket of our own: the child gets
 * a private /run in a mount namespace of its own, so the host's is untouched. */
static void
test_journal_output(void)
{
    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
        g_test_trap_assert_passed();
        return;
    }
    if (unshare(CLONE_NEWNS) < 0) {
        g_test_skip("no mount namespace for a journal socket of our own (needs root)");
        return;
    }
    g_assert_cmpint(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
    g_assert_cmpint(mount("tmpfs", "/run", "tmpfs", 0, "mode=0755"), ==, 0);
    g_assert_cmpint(g_mkdir_with_parents("/run/systemd/journal", 0755), ==, 0);

    struct sockaddr_un addr = { .sun_family = AF_UNIX,
                                .sun_path = "/run/systemd/journal/socket" };
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    char buf[4096];
    ssize_t got;

    g_assert_cmpint(bind(fd, (struct sockaddr *) &addr, sizeof(addr)), ==, 0);
    vk_log_init();
    vk_log_reset();
    g_assert_cmpint(vk_log_set_outputs("1:journald"), ==, 0);
    g_assert_cmpint(vk_log_set_filters("1:test.logmod"), ==, 0);
    g_debug("to the journal %d", 7);
    got = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    g_assert_cmpint(got, >, 0);
    buf[got] = '\0';
    g_assert_nonnull(strstr(buf, "MESSAGE=to the journal 7\n"));
    g_assert_nonnull(strstr(buf, "PRIORITY=7\n"));
    g_assert_nonnull(strstr(buf, "LIBVIRT_SOURCE=test.logmod\n"));
    g_assert_nonnull(strstr(buf, "CODE_FUNC=test_journal_output\n"));
    g_assert_nonnull(strstr(buf, "CODE_FILE="));
    vk_log_reset();
    close(fd);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* the test framework makes warnings fatal; this test logs some on purpose */
    g_log_set_always_fatal(G_LOG_FATAL_MASK);
    g_test_add_func("/log/filters", test_level_and_filters);
    g_test_add_func("/log/bad-settings", test_bad_settings);
    g_test_add_func("/log/disabled-debug", test_disabled_debug_is_not_formatted);
    g_test_add_func("/log/file-output", test_file_output);
    g_test_add_func("/log/env", test_env);
    g_test_add_func("/log/journal-output", test_journal_output);
    return g_test_run();
}
