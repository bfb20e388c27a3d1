#include "common/pci/address.h"
#include "common/util/error.h"

static void
test_parse_format(void)
{
    VkPciAddress a;
    g_autofree char *s1 = NULL;
    g_autofree char *s2 = NULL;

    g_assert_cmpint(vk_pci_address_parse("0000:00:05.0", &a), ==, 0);
    g_assert_cmpuint(a.domain, ==, 0);
    g_assert_cmpuint(a.bus, ==, 0);
    g_assert_cmpuint(a.slot, ==, 5);
    g_assert_cmpuint(a.function, ==, 0);
    s1 = vk_pci_address_format(&a);
    g_assert_cmpstr(s1, ==, "0000:00:05.0");

    g_assert_cmpint(vk_pci_address_parse("af:1f.7", &a), ==, 0);
    g_assert_cmpuint(a.bus, ==, 0xaf);
    g_assert_cmpuint(a.slot, ==, 0x1f);
    g_assert_cmpuint(a.function, ==, 7);

    g_assert_cmpint(vk_pci_address_parse("10de:0A:1C.3", &a), ==, 0);
    g_assert_cmpuint(a.domain, ==, 0x10de);
    s2 = vk_pci_address_format(&a);
    g_assert_cmpstr(s2, ==, "10de:0a:1c.3");
}

static void
test_parse_bad(void)
{
    const char *bad[] = { "", "00:05", "0000:00:05.8", "0000:00:20.0", "00000:00:05.0",
                          "0000:100:05.0", "0000:00:05.0x", "zz:05.0", "0:0:0:0.0", ":05.0" };
    VkPciAddress a = { .bus = 42 };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        vk_error_reset();
        g_assert_cmpint(vk_pci_address_parse(bad[i], &a), ==, -1);
        g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
        g_assert_nonnull(strstr(vk_error_last_message(), bad[i]));
        g_assert_cmpuint(a.bus, ==, 42);   /* untouched on failure */
    }
}

/* The texts libvirtd 9.0 gives for <address type='pci'> out of range
 * (checked against it: virsh define prints them after "XML error: "). */
static void
test_check_errors(void)
{
    VkPciAddress ok = { .bus = 0xff, .slot = 0x1f, .function = 7 };
    VkPciAddress slot = { .slot = 0x20 };
    VkPciAddress func = { .slot = 5, .function = 8 };
    VkPciAddress bus = { .bus = 0x100, .slot = 0x20, .function = 9 };

    g_assert_cmpint(vk_pci_address_check(&ok), ==, 0);

    g_assert_cmpint(vk_pci_address_check(&slot), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "XML error: Invalid PCI address slot='0x20', must be <= 0x1F");

    g_assert_cmpint(vk_pci_address_check(&func), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "XML error: Invalid PCI address function=0x8, must be <= 7");

    /* bus is checked first */
    g_assert_cmpint(vk_pci_address_check(&bus), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "XML error: Invalid PCI address bus='0x100', must be <= 0xFF");
}

static void
test_empty_compare(void)
{
    VkPciAddress zero = { .function = 3 };
    VkPciAddress a = { .bus = 1, .slot = 2 };
    VkPciAddress b = { .bus = 1, .slot = 2, .function = 1 };
    VkPciAddress c = { .bus = 1, .slot = 2, .multifunction = VK_TRISTATE_ON };

    /* libvirt ignores the function: 00:00.3 still means "assign one" */
    g_assert_true(vk_pci_address_is_empty(&zero));
    g_assert_false(vk_pci_address_is_empty(&a));
    g_assert_cmpint(vk_pci_address_compare(&a, &b), <, 0);
    g_assert_cmpint(vk_pci_address_compare(&b, &a), >, 0);
    g_assert_true(vk_pci_address_equal(&a, &c));
    g_assert_false(vk_pci_address_equal(&a, &b));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/address/parse-format", test_parse_format);
    g_test_add_func("/pci/address/parse-bad", test_parse_bad);
    g_test_add_func("/pci/address/check-errors", test_check_errors);
    g_test_add_func("/pci/address/empty-compare", test_empty_compare);
    return g_test_run();
}
