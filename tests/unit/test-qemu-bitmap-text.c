/* drivers/qemu/core/bitmap-text: libvirt's CPU and node set text. */
#include "drivers/qemu/core/bitmap-text.h"

#include "common/util/error.h"

static void
test_round_trip(void)
{
    static const char *const cases[][2] = {
        { "0", "0" }, { "0-3", "0-3" }, { "0-3,^2", "0-1,3" }, { "5,1,2", "1-2,5" },
        { " 7 , 0-1", "0-1,7" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree unsigned char *map = vk_bitmap_parse(cases[i][0], 2);
        g_autofree char *text = NULL;

        g_assert_nonnull(map);
        text = vk_bitmap_format(map, 2);
        g_assert_cmpstr(text, ==, cases[i][1]);
    }
}

static void
test_refused(void)
{
    static const char *const bad[] = { "", "x", "1-", "3-1", "16", "^1", "1,,2" };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *want = g_strdup_printf("invalid argument: Failed to parse bitmap '%s'",
                                                bad[i]);
        g_autofree unsigned char *map = vk_bitmap_parse(bad[i], 2);

        g_assert_null(map);
        g_assert_cmpstr(vk_error_last_message(), ==, want);
        vk_error_reset();
    }
}

static void
test_empty_map(void)
{
    unsigned char map[2] = { 0, 0 };

    g_assert_null(vk_bitmap_format(map, 2));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bitmap-text/round-trip", test_round_trip);
    g_test_add_func("/bitmap-text/refused", test_refused);
    g_test_add_func("/bitmap-text/empty-map", test_empty_map);
    return g_test_run();
}
