#include "common/util/conf-file.h"
#include "common/util/error.h"

#include <string.h>

static char *
data_path(const char *name)
{
    const char *dir = g_getenv("VIRTKIT_TEST_DATA");
    g_assert_nonnull(dir);
    return g_build_filename(dir, "conf", name, NULL);
}

static void
test_good_file(void)
{
    g_autofree char *path = data_path("good.conf");
    g_autoptr(VkConfFile) conf = vk_conf_file_load(path);
    g_autofree char *s = NULL;
    g_auto(GStrv) list = NULL;
    unsigned int u = 0;
    int i = 0;
    gboolean b = FALSE;

    g_assert_nonnull(conf);
    g_assert_cmpstr(vk_conf_file_name(conf), ==, path);

    g_assert_cmpint(vk_conf_get_uint(conf, "max_clients", &u), ==, 1);
    g_assert_cmpuint(u, ==, 5000);   /* the first definition wins */
    g_assert_cmpint(vk_conf_get_int(conf, "min_workers", &i), ==, 1);
    g_assert_cmpint(i, ==, 2);
    g_assert_cmpint(vk_conf_get_int(conf, "offset", &i), ==, 1);
    g_assert_cmpint(i, ==, -42);
    g_assert_cmpint(vk_conf_get_uint(conf, "plus", &u), ==, 1);
    g_assert_cmpuint(u, ==, 7);
    g_assert_cmpint(vk_conf_get_bool(conf, "enabled", &b), ==, 1);
    g_assert_true(b);
    g_assert_cmpint(vk_conf_get_uint(conf, "inline_second", &u), ==, 1);
    g_assert_cmpuint(u, ==, 3);

    g_assert_cmpint(vk_conf_get_string(conf, "listen_addr", &s), ==, 1);
    g_assert_cmpstr(s, ==, "192.168.0.1");
    g_assert_cmpint(vk_conf_get_string(conf, "single", &s), ==, 1);
    g_assert_cmpstr(s, ==, "no \\escapes \"here\"");
    g_assert_cmpint(vk_conf_get_string(conf, "escaped", &s), ==, 1);
    g_assert_cmpstr(s, ==, "tab\there \"quoted\" back\\slash \\d");
    g_assert_cmpint(vk_conf_get_string(conf, "multi", &s), ==, 1);
    g_assert_cmpstr(s, ==, "line one\nline two");
    g_assert_cmpint(vk_conf_get_string(conf, "host_uuid", &s), ==, 1);
    g_assert_cmpstr(s, ==, "00000000-0000-0000-0000-000000000001");

    g_assert_cmpint(vk_conf_get_string_list(conf, "empty_list", FALSE, &list), ==, 1);
    g_assert_nonnull(list);
    g_assert_cmpuint(g_strv_length(list), ==, 0);
    g_assert_cmpint(vk_conf_get_string_list(conf, "cgroup_device_acl", FALSE, &list), ==, 1);
    const char *want[] = { "/dev/null", "/dev/full", "/dev/zero", "/dev/random", NULL };
    g_assert_true(g_strv_equal((const char *const *) list, want));

    /* a lone string is a list only when asked */
    g_assert_cmpint(vk_conf_get_string_list(conf, "listen_addr", TRUE, &list), ==, 1);
    g_assert_cmpuint(g_strv_length(list), ==, 1);
    g_assert_cmpstr(list[0], ==, "192.168.0.1");

    g_auto(GStrv) keys = vk_conf_get_keys(conf);
    g_assert_cmpstr(keys[0], ==, "max_clients");
    g_assert_true(g_strv_contains((const char *const *) keys, "mixed_list"));
    g_assert_true(vk_conf_has(conf, "multi"));
    g_assert_false(vk_conf_has(conf, "nope"));
}

static void
test_absent_keeps_default(void)
{
    g_autoptr(VkConfFile) conf = vk_conf_file_parse("mem", "a = 1\n", -1);
    g_autofree char *s = g_strdup("default");
    g_auto(GStrv) list = NULL;
    int i = 17;
    gboolean b = TRUE;

    g_assert_nonnull(conf);
    g_assert_cmpint(vk_conf_get_int(conf, "missing", &i), ==, 0);
    g_assert_cmpint(i, ==, 17);
    g_assert_cmpint(vk_conf_get_string(conf, "missing", &s), ==, 0);
    g_assert_cmpstr(s, ==, "default");
    g_assert_cmpint(vk_conf_get_bool(conf, "missing", &b), ==, 0);
    g_assert_true(b);
    g_assert_cmpint(vk_conf_get_string_list(conf, "missing", TRUE, &list), ==, 0);
    g_assert_null(list);
}

static void
test_empty_and_comments_only(void)
{
    g_autoptr(VkConfFile) a = vk_conf_file_parse("a", "", -1);
    g_autoptr(VkConfFile) b = vk_conf_file_parse("b", "# nothing\n\n   \n#more\n", -1);
    g_autoptr(VkConfFile) c = vk_conf_file_parse("c", "x = 1", -1);   /* no final newline */
    int i = 0;

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_nonnull(c);
    g_assert_cmpint(vk_conf_get_int(c, "x", &i), ==, 1);
    g_assert_cmpint(i, ==, 1);
}

/* Parse TEXT, expect a syntax error whose message has every NEEDLE. */
static void
expect_syntax_error(const char *text, const char *const *needles)
{
    VkConfFile *conf;

    vk_error_reset();
    conf = vk_conf_file_parse("/etc/libvirt/test.conf", text, -1);
    g_assert_null(conf);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_CONF);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONF_SYNTAX);
    for (const char *const *n = needles; *n; n++) {
        if (!strstr(vk_error_last_message(), *n))
            g_error("'%s' not in error message: %s", *n, vk_error_last_message());
    }
}

static void
test_syntax_errors(void)
{
    expect_syntax_error("a = 1\nname = \"unterminated\n",
                        (const char *[]) { "configuration file syntax error", "/etc/libvirt/test.conf:2:",
                                           "unterminated string", "'name'", NULL });
    expect_syntax_error("# c\n\nx = 'open\n",
                        (const char *[]) { "test.conf:3:", "unterminated string", "'x'", NULL });
    expect_syntax_error("a = 1\nb = \"\"\"never closed\nmore\n",
                        (const char *[]) { "test.conf:2:", "unterminated string", "'b'", NULL });
    expect_syntax_error("a = 1\nlist = [ \"a\" \"b\" ]\n",
                        (const char *[]) { "test.conf:2:", "expecting ',' or ']'", "'list'", NULL });
    expect_syntax_error("list = [ \"a\",\n  \"b\",\n",
                        (const char *[]) { "test.conf:1:", "not closed", "'list'", NULL });
    expect_syntax_error("list = [ \"a\", , \"b\" ]\n",
                        (const char *[]) { "test.conf:1:", "expecting a value", "'list'", NULL });
    expect_syntax_error("a = 1\n\n\nkey value\n",
                        (const char *[]) { "test.conf:4:", "expecting '='", "'key'", NULL });
    expect_syntax_error("a =\n",
                        (const char *[]) { "test.conf:1:", "expecting a value", "'a'", NULL });
    expect_syntax_error("a = 12abc\n",
                        (const char *[]) { "test.conf:1:", "unexpected 'a'", "'a'", NULL });
    expect_syntax_error("a = 1 2\n",
                        (const char *[]) { "test.conf:1:", "'a'", NULL });
    expect_syntax_error("a = 99999999999999999999999\n",
                        (const char *[]) { "too large", "'a'", NULL });
    expect_syntax_error("a = -\n",
                        (const char *[]) { "expecting digits", "'a'", NULL });
    expect_syntax_error("a = 1\n= 3\n",
                        (const char *[]) { "test.conf:2:", "expecting a setting name", NULL });
    expect_syntax_error("a = yes\n",
                        (const char *[]) { "test.conf:1:", "expecting a value, found 'y'", "'a'", NULL });
}

/* A getter fails with an error naming file, line and key. */
static void
expect_type_error(int ret, const char *const *needles)
{
    g_assert_cmpint(ret, ==, -1);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_CONF);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONF_SYNTAX);
    for (const char *const *n = needles; *n; n++) {
        if (!strstr(vk_error_last_message(), *n))
            g_error("'%s' not in error message: %s", *n, vk_error_last_message());
    }
}

static void
test_type_mismatch(void)
{
    g_autoptr(VkConfFile) conf = vk_conf_file_parse("/etc/libvirt/types.conf",
        "str = \"x\"\n"
        "num = 5\n"
        "neg = -5\n"
        "big = 5000000000\n"
        "list = [ \"a\", 1 ]\n"
        "two = 2\n", -1);
    g_autofree char *s = NULL;
    g_auto(GStrv) list = NULL;
    unsigned int u = 99;
    int i = 99;
    gboolean b = FALSE;

    g_assert_nonnull(conf);
    expect_type_error(vk_conf_get_int(conf, "str", &i),
                      (const char *[]) { "/etc/libvirt/types.conf:1:", "'str'", "expected an integer", NULL });
    g_assert_cmpint(i, ==, 99);
    expect_type_error(vk_conf_get_string(conf, "num", &s),
                      (const char *[]) { "types.conf:2:", "'num'", "expected a string", NULL });
    g_assert_null(s);
    expect_type_error(vk_conf_get_uint(conf, "neg", &u),
                      (const char *[]) { "types.conf:3:", "'neg'", "negative", NULL });
    g_assert_cmpuint(u, ==, 99);
    expect_type_error(vk_conf_get_int(conf, "big", &i),
                      (const char *[]) { "types.conf:4:", "'big'", "range", NULL });
    expect_type_error(vk_conf_get_uint(conf, "big", &u),
                      (const char *[]) { "types.conf:4:", "'big'", "range", NULL });
    expect_type_error(vk_conf_get_string_list(conf, "list", FALSE, &list),
                      (const char *[]) { "types.conf:5:", "'list'", "item 2", NULL });
    g_assert_null(list);
    expect_type_error(vk_conf_get_string_list(conf, "str", FALSE, &list),
                      (const char *[]) { "types.conf:1:", "'str'", "list of strings", NULL });
    expect_type_error(vk_conf_get_bool(conf, "two", &b),
                      (const char *[]) { "types.conf:6:", "'two'", "0 or 1", NULL });
    expect_type_error(vk_conf_get_bool(conf, "str", &b),
                      (const char *[]) { "'str'", NULL });

    gint64 big = 0;
    g_assert_cmpint(vk_conf_get_int64(conf, "big", &big), ==, 1);
    g_assert_cmpint(big, ==, G_GINT64_CONSTANT(5000000000));
    g_assert_cmpint(vk_conf_get_int(conf, "neg", &i), ==, 1);
    g_assert_cmpint(i, ==, -5);
}

static void
test_missing_file(void)
{
    vk_error_reset();
    g_assert_null(vk_conf_file_load("/nonexistent/virtkit/none.conf"));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(vk_error_last_message(), "/nonexistent/virtkit/none.conf"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf-file/good", test_good_file);
    g_test_add_func("/conf-file/absent", test_absent_keeps_default);
    g_test_add_func("/conf-file/empty", test_empty_and_comments_only);
    g_test_add_func("/conf-file/syntax-errors", test_syntax_errors);
    g_test_add_func("/conf-file/type-mismatch", test_type_mismatch);
    g_test_add_func("/conf-file/missing-file", test_missing_file);
    return g_test_run();
}
