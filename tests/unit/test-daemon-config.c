#include "common/daemon/config.h"
#include "common/util/error.h"

#include <string.h>

static char *
data_path(const char *name)
{
    return g_build_filename(g_getenv("VIRTKIT_TEST_DATA"), "conf", name, NULL);
}

static void
test_defaults(void)
{
    g_autoptr(VkDaemonConfig) cfg = vk_daemon_config_new();

    g_assert_cmpint(vk_daemon_config_load(cfg, "/nonexistent/virtkit/virtqemud.conf"), ==, 0);
    g_assert_cmpuint(cfg->max_clients, ==, 5000);
    g_assert_cmpuint(cfg->max_anonymous_clients, ==, 20);
    g_assert_cmpuint(cfg->min_workers, ==, 1);
    g_assert_cmpuint(cfg->max_workers, ==, 20);
    g_assert_cmpuint(cfg->prio_workers, ==, 5);
    g_assert_cmpint(cfg->keepalive_interval, ==, 5);
    g_assert_cmpuint(cfg->keepalive_count, ==, 5);
    g_assert_cmpuint(cfg->admin_max_clients, ==, 5000);
    g_assert_cmpint(cfg->log_level, ==, 0);
    g_assert_null(cfg->log_filters);
    g_assert_null(cfg->log_outputs);
    g_assert_null(cfg->unix_sock_group);
    g_assert_cmpuint(cfg->unix_sock_ro_perms, ==, 0777);
    g_assert_cmpuint(cfg->unix_sock_rw_perms, ==, 0700);
    g_assert_cmpuint(cfg->unix_sock_admin_perms, ==, 0700);
}

static void
test_full(void)
{
    g_autoptr(VkDaemonConfig) cfg = vk_daemon_config_new();
    g_autofree char *path = data_path("daemon-full.conf");

    g_assert_cmpint(vk_daemon_config_load(cfg, path), ==, 0);
    g_assert_cmpuint(cfg->max_clients, ==, 100);
    g_assert_cmpuint(cfg->max_anonymous_clients, ==, 10);
    g_assert_cmpuint(cfg->max_queued_clients, ==, 50);
    g_assert_cmpuint(cfg->max_client_requests, ==, 8);
    g_assert_cmpuint(cfg->min_workers, ==, 2);
    g_assert_cmpuint(cfg->max_workers, ==, 4);
    g_assert_cmpuint(cfg->prio_workers, ==, 3);
    g_assert_cmpint(cfg->keepalive_interval, ==, -1);
    g_assert_cmpuint(cfg->keepalive_count, ==, 9);
    g_assert_cmpuint(cfg->admin_max_clients, ==, 7);
    g_assert_cmpuint(cfg->admin_max_queued_clients, ==, 6);
    g_assert_cmpuint(cfg->admin_max_client_requests, ==, 4);
    g_assert_cmpuint(cfg->admin_min_workers, ==, 2);
    g_assert_cmpuint(cfg->admin_max_workers, ==, 3);
    g_assert_cmpint(cfg->admin_keepalive_interval, ==, 11);
    g_assert_cmpuint(cfg->admin_keepalive_count, ==, 12);
    g_assert_cmpint(cfg->log_level, ==, 2);
    g_assert_cmpstr(cfg->log_filters, ==, "1:rpc 3:util");
    g_assert_cmpstr(cfg->log_outputs, ==, "2:stderr");
    g_assert_cmpstr(cfg->unix_sock_group, ==, "libvirt");
    g_assert_cmpstr(cfg->unix_sock_dir, ==, "/var/run/elsewhere");
    g_assert_cmpuint(cfg->unix_sock_ro_perms, ==, 0770);
    g_assert_cmpuint(cfg->unix_sock_rw_perms, ==, 0770);
    g_assert_cmpuint(cfg->unix_sock_admin_perms, ==, 0700);
}

static void
expect_file_error(const char *name, const char *const *needles)
{
    g_autoptr(VkDaemonConfig) cfg = vk_daemon_config_new();
    g_autofree char *path = data_path(name);

    vk_error_reset();
    g_assert_cmpint(vk_daemon_config_load(cfg, path), ==, -1);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_CONF);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONF_SYNTAX);
    g_assert_nonnull(strstr(vk_error_last_message(), path));
    for (const char *const *n = needles; *n; n++) {
        if (!strstr(vk_error_last_message(), *n))
            g_error("'%s' not in: %s", *n, vk_error_last_message());
    }
}

static void
expect_text_error(const char *text, const char *const *needles)
{
    g_autoptr(VkDaemonConfig) cfg = vk_daemon_config_new();
    g_autoptr(VkConfFile) conf = vk_conf_file_parse("virtqemud.conf", text, -1);

    g_assert_nonnull(conf);
    vk_error_reset();
    g_assert_cmpint(vk_daemon_config_apply(cfg, conf), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONF_SYNTAX);
    for (const char *const *n = needles; *n; n++) {
        if (!strstr(vk_error_last_message(), *n))
            g_error("'%s' not in: %s", *n, vk_error_last_message());
    }
}

static void
test_errors(void)
{
    expect_file_error("daemon-bad-type.conf", (const char *[]) { ":3:", "'max_workers'", NULL });
    expect_file_error("daemon-bad-perms.conf",
                      (const char *[]) { ":1:", "'0999'", "unix_sock_ro_perms", NULL });
    expect_text_error("\nlog_level = 7\n", (const char *[]) { ":2:", "'log_level'", NULL });
    expect_text_error("max_clients = -5\n", (const char *[]) { "'max_clients'", "negative", NULL });
    expect_text_error("min_workers = 30\n", (const char *[]) { "'min_workers'", NULL });
    expect_text_error("max_workers = 0\n", (const char *[]) { "'max_workers'", NULL });
    expect_text_error("max_clients = 5\n", (const char *[]) { "'max_clients'", "max_anonymous_clients", NULL });
    expect_text_error("log_filters = [ \"1:rpc\" ]\n", (const char *[]) { "'log_filters'", NULL });
    expect_text_error("unix_sock_dir = \"relative\"\n", (const char *[]) { "'unix_sock_dir'", NULL });
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon-config/defaults", test_defaults);
    g_test_add_func("/daemon-config/full", test_full);
    g_test_add_func("/daemon-config/errors", test_errors);
    return g_test_run();
}
