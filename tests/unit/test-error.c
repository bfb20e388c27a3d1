#include "common/util/error.h"

#include <errno.h>

static void
test_prefix_per_code(void)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                    "no domain with matching name '%s'", "web");
    const VkError *err = vk_error_last();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpstr(err->message, ==, "Domain not found: no domain with matching name 'web'");

    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NETWORK_EXIST, "%s", "default");
    g_assert_cmpstr(vk_error_last_message(), ==, "network default exists already");

    vk_error_report(VIR_FROM_RPC, VIR_ERR_NO_SUPPORT, NULL);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "this function is not supported by the connection driver");
}

static void
test_errno_message(void)
{
    vk_error_report_errno(VIR_FROM_NONE, ENOENT, "cannot open '%s'", "/nope");
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "cannot open '/nope': No such file or directory");
}

static void
test_steal_and_reset(void)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_autoptr(VkError) stolen = vk_error_steal();
    g_assert_nonnull(stolen);
    g_assert_null(vk_error_last());
    g_assert_cmpstr(stolen->message, ==, "Requested operation is not valid: domain is not running");

    vk_error_set(vk_error_copy(stolen));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_INVALID);
    vk_error_reset();
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OK);
    g_assert_cmpstr(vk_error_last_message(), ==, "unknown error");
}

static gpointer
report_in_thread(gpointer data)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "in a thread");
    return GINT_TO_POINTER(vk_error_last_code());
}

static void
test_thread_local(void)
{
    vk_error_reset();
    GThread *t = g_thread_new("err", report_in_thread, NULL);
    g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(t)), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_null(vk_error_last());
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/prefix-per-code", test_prefix_per_code);
    g_test_add_func("/error/errno-message", test_errno_message);
    g_test_add_func("/error/steal-and-reset", test_steal_and_reset);
    g_test_add_func("/error/thread-local", test_thread_local);
    return g_test_run();
}
