#include "common/util/arg-checks.h"

#include "common/util/error.h"

static void
test_flags_allowed(void)
{
    vk_error_reset();
    g_assert_cmpint(vk_check_flags(VIR_FROM_QEMU, 0x3, 0x7, "qemuDomainFoo"), ==, 0);
    g_assert_cmpint(vk_check_flags(VIR_FROM_QEMU, 0, 0, "qemuDomainFoo"), ==, 0);
    g_assert_null(vk_error_last());
}

/* Only the bits outside ALLOWED are named, with the caller's domain and
 * libvirt's message without an "invalid argument: " prefix. */
static void
test_flags_unsupported(void)
{
    g_assert_cmpint(vk_check_flags(VIR_FROM_NETWORK, 0x13, 0x3, "networkCreateXML"), ==, -1);
    const VkError *err = vk_error_last();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(err->domain, ==, VIR_FROM_NETWORK);
    g_assert_cmpstr(err->message, ==, "unsupported flags (0x10) in function networkCreateXML");
}

static void
test_invalid_arg(void)
{
    g_assert_cmpint(vk_invalid_arg(VIR_FROM_DOMAIN, "memory in %s must not be zero",
                                   "virDomainSetMemoryFlags"), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "memory in virDomainSetMemoryFlags must not be zero");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arg-checks/flags-allowed", test_flags_allowed);
    g_test_add_func("/arg-checks/flags-unsupported", test_flags_unsupported);
    g_test_add_func("/arg-checks/invalid-arg", test_invalid_arg);
    return g_test_run();
}
