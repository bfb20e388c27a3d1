#include "common/util/uuid.h"
#include "common/util/error.h"

#include <string.h>

static void
test_round_trip(void)
{
    const char *canon = "c7a5fdbd-edaf-9455-926a-d65c16db1809";
    unsigned char uuid[VK_UUID_BUFLEN];
    char text[VK_UUID_STRING_BUFLEN];

    g_assert_cmpint(vk_uuid_parse(canon, uuid), ==, 0);
    g_assert_cmpint(uuid[0], ==, 0xc7);
    g_assert_cmpint(uuid[15], ==, 0x09);
    g_assert_cmpstr(vk_uuid_format(uuid, text), ==, canon);

    /* the forms libvirt accepts: no dashes, upper case, blanks around */
    const char *same[] = {
        "c7a5fdbdedaf9455926ad65c16db1809",
        "C7A5FDBD-EDAF-9455-926A-D65C16DB1809",
        "  c7a5fdbd-edaf-9455-926a-d65c16db1809\n",
        "c7-a5-fd-bd-ed-af-94-55-92-6a-d6-5c-16-db-18-09",
        "c7a5fdbd edaf 9455 926a d65c16db1809",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(same); i++) {
        unsigned char other[VK_UUID_BUFLEN];
        g_assert_cmpint(vk_uuid_parse(same[i], other), ==, 0);
        g_assert_cmpmem(other, sizeof(other), uuid, sizeof(uuid));
    }
}

static void
test_bad_input(void)
{
    const char *bad[] = {
        "",
        "c7a5fdbd-edaf-9455-926a-d65c16db180",     /* one digit short */
        "c7a5fdbd-edaf-9455-926a-d65c16db18091",   /* one digit long */
        "c7a5fdbd-edaf-9455-926a-d65c16db18xx",
        "c7a5fdbd-edaf-9455-926a-d65c16db1809 junk",
        "c-7a5fdbd-edaf-9455-926a-d65c16db1809",   /* dash inside a byte */
        "not a uuid",
    };
    unsigned char uuid[VK_UUID_BUFLEN];
    unsigned char before[VK_UUID_BUFLEN];

    memset(uuid, 0xab, sizeof(uuid));
    memcpy(before, uuid, sizeof(uuid));
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        vk_error_reset();
        g_assert_cmpint(vk_uuid_parse(bad[i], uuid), ==, -1);
        g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
        g_assert_nonnull(strstr(vk_error_last_message(), bad[i]));
        g_assert_cmpmem(uuid, sizeof(uuid), before, sizeof(before));   /* untouched */
    }
    g_assert_cmpint(vk_uuid_parse(NULL, uuid), ==, -1);
}

static void
test_generate(void)
{
    unsigned char a[VK_UUID_BUFLEN], b[VK_UUID_BUFLEN], back[VK_UUID_BUFLEN];
    char text[VK_UUID_STRING_BUFLEN];

    vk_uuid_generate(a);
    vk_uuid_generate(b);
    g_assert_true(memcmp(a, b, sizeof(a)) != 0);
    g_assert_cmpint(a[6] >> 4, ==, 4);           /* version 4 */
    g_assert_cmpint(a[8] & 0xc0, ==, 0x80);      /* RFC 4122 variant */

    vk_uuid_format(a, text);
    g_assert_cmpuint(strlen(text), ==, 36);
    g_assert_true(text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-');
    g_assert_cmpint(text[14], ==, '4');
    g_assert_cmpint(vk_uuid_parse(text, back), ==, 0);
    g_assert_cmpmem(a, sizeof(a), back, sizeof(back));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/uuid/round-trip", test_round_trip);
    g_test_add_func("/uuid/bad-input", test_bad_input);
    g_test_add_func("/uuid/generate", test_generate);
    return g_test_run();
}
