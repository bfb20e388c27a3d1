#include "common/daemon/options.h"
#include "common/util/error.h"

#include <string.h>

static int
parse(VkDaemonOptions *opts, const char *const *argv)
{
    return vk_daemon_options_parse(opts, "virtqemud", (int) g_strv_length((char **) argv),
                                   (char **) argv);
}

static void
test_defaults(void)
{
    VkDaemonOptions opts;
    const char *argv[] = { "virtqemud", NULL };

    g_assert_cmpint(parse(&opts, argv), ==, 0);
    g_assert_null(opts.root);
    g_assert_null(opts.config_file);
    g_assert_null(opts.pid_file);
    g_assert_cmpint(opts.timeout, ==, -1);
    g_assert_false(opts.daemon);
    g_assert_false(opts.verbose);
    g_assert_false(opts.version);
    vk_daemon_options_clear(&opts);
}

static void
test_all_long(void)
{
    VkDaemonOptions opts;
    const char *argv[] = { "virtqemud", "--root", "/tmp/vk", "--config", "/etc/x.conf",
                           "--timeout", "120", "--pid-file", "/run/x.pid", "--daemon",
                           "--verbose", "--version", NULL };

    g_assert_cmpint(parse(&opts, argv), ==, 0);
    g_assert_cmpstr(opts.root, ==, "/tmp/vk");
    g_assert_cmpstr(opts.config_file, ==, "/etc/x.conf");
    g_assert_cmpstr(opts.pid_file, ==, "/run/x.pid");
    g_assert_cmpint(opts.timeout, ==, 120);
    g_assert_true(opts.daemon);
    g_assert_true(opts.verbose);
    g_assert_true(opts.version);
    vk_daemon_options_clear(&opts);
}

static void
test_short_and_relative(void)
{
    VkDaemonOptions opts;
    const char *argv[] = { "virtqemud", "-d", "-v", "-t", "5", "-f", "conf/q.conf",
                           "-p", "q.pid", "--root=root-dir/../vkroot", NULL };
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *root = g_build_filename(cwd, "vkroot", NULL);
    g_autofree char *conf = g_build_filename(cwd, "conf", "q.conf", NULL);
    g_autofree char *pid = g_build_filename(cwd, "q.pid", NULL);

    g_assert_cmpint(parse(&opts, argv), ==, 0);
    g_assert_true(opts.daemon);
    g_assert_true(opts.verbose);
    g_assert_cmpint(opts.timeout, ==, 5);
    g_assert_cmpstr(opts.root, ==, root);
    g_assert_cmpstr(opts.config_file, ==, conf);
    g_assert_cmpstr(opts.pid_file, ==, pid);
    vk_daemon_options_clear(&opts);
}

static void
expect_error(const char *const *argv, const char *needle)
{
    VkDaemonOptions opts;

    vk_error_reset();
    g_assert_cmpint(parse(&opts, argv), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    if (!strstr(vk_error_last_message(), needle))
        g_error("'%s' not in: %s", needle, vk_error_last_message());
    g_assert_null(opts.root);
}

static void
test_errors(void)
{
    expect_error((const char *[]) { "d", "--timeout", "0", NULL }, "'0'");
    expect_error((const char *[]) { "d", "--timeout", "-3", NULL }, "'-3'");
    expect_error((const char *[]) { "d", "--timeout", "ten", NULL }, "'ten'");
    expect_error((const char *[]) { "d", "--timeout", "99999999", NULL }, "--timeout");
    expect_error((const char *[]) { "d", "--root", "/r", "--bogus", NULL }, "--bogus");
    expect_error((const char *[]) { "d", "stray", NULL }, "'stray'");
    expect_error((const char *[]) { "d", "--root", NULL }, "--root");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon-options/defaults", test_defaults);
    g_test_add_func("/daemon-options/long", test_all_long);
    g_test_add_func("/daemon-options/short-relative", test_short_and_relative);
    g_test_add_func("/daemon-options/errors", test_errors);
    return g_test_run();
}
