/* The JSON module: parsing (strict), writing, accessors, real QMP replies. */
#include <string.h>

#include "common/util/json.h"
#include "common/util/error.h"

/* Parse IN, write it compactly, expect OUT (IN itself when OUT is NULL),
 * and the output parses back to the same text. */
static void
check_round_trip(const char *in, const char *out)
{
    vk_error_reset();
    g_autoptr(VkJson) v = vk_json_parse(in, -1);
    if (!v)
        g_error("cannot parse %s: %s", in, vk_error_last_message());
    g_autofree char *text = vk_json_to_string(v);
    g_assert_cmpstr(text, ==, out ? out : in);
    g_autoptr(VkJson) again = vk_json_parse(text, -1);
    g_assert_nonnull(again);
    g_autofree char *text2 = vk_json_to_string(again);
    g_assert_cmpstr(text2, ==, text);
}

/* Parsing IN fails with an error whose message contains WHAT. */
static void
check_bad(const char *in, const char *what)
{
    vk_error_reset();
    g_autoptr(VkJson) v = vk_json_parse(in, -1);
    if (v)
        g_error("'%s' parsed but should not", in);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    const char *msg = vk_error_last_message();
    if (!strstr(msg, what))
        g_error("'%s': error '%s' does not mention '%s'", in, msg, what);
}

static void
test_round_trips(void)
{
    check_round_trip("null", NULL);
    check_round_trip("true", NULL);
    check_round_trip("false", NULL);
    check_round_trip("0", NULL);
    check_round_trip("-17", NULL);
    check_round_trip("\"\"", NULL);
    check_round_trip("[]", NULL);
    check_round_trip("{}", NULL);
    check_round_trip(" { \"a\" : [ 1 , 2.5 , \"x\" , null , true , { } ] ,\n\t\"b\":{\"c\":false} } ",
                     "{\"a\":[1,2.5,\"x\",null,true,{}],\"b\":{\"c\":false}}");
    /* Member order is kept, not sorted. */
    check_round_trip("{\"z\":1,\"a\":2,\"m\":3}", NULL);
    /* Doubles stay doubles, written as short as they read back exactly. */
    check_round_trip("1.0", NULL);
    check_round_trip("0.1", NULL);
    check_round_trip("-0.5e-3", "-0.0005");
    check_round_trip("1E+2", "100.0");
    check_round_trip("1e300", "1e+300");
    check_round_trip("3.141592653589793", NULL);
    /* Non-ASCII passes through as UTF-8. */
    check_round_trip("\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"", NULL);
}

static void
test_escapes(void)
{
    g_autoptr(VkJson) v = vk_json_parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u20AC\"", -1);
    g_assert_nonnull(v);
    g_assert_cmpstr(vk_json_get_string(v), ==, "q\" b\\ s/ \b\f\n\r\t A\xc3\xa9\xe2\x82\xac");
    g_autofree char *text = vk_json_to_string(v);
    /* '/' needs no escape; non-ASCII is written as UTF-8. */
    g_assert_cmpstr(text, ==, "\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t A\xc3\xa9\xe2\x82\xac\"");

    /* Every other control character gets \u00XX. */
    g_autoptr(VkJson) c = vk_json_new_string("\x01\x1f\x7f");
    g_autofree char *ctext = vk_json_to_string(c);
    g_assert_cmpstr(ctext, ==, "\"\\u0001\\u001f\x7f\"");
    g_autoptr(VkJson) back = vk_json_parse(ctext, -1);
    g_assert_cmpstr(vk_json_get_string(back), ==, "\x01\x1f\x7f");

    /* Invalid UTF-8 given to the builder is still written as valid JSON. */
    g_autoptr(VkJson) bad = vk_json_new_string("a\xffz");
    g_autofree char *btext = vk_json_to_string(bad);
    g_assert_true(g_utf8_validate(btext, -1, NULL));
    g_autoptr(VkJson) bback = vk_json_parse(btext, -1);
    g_assert_nonnull(bback);
}

static void
test_surrogates(void)
{
    /* U+1F600 as a surrogate pair, and U+10FFFF, the last code point. */
    g_autoptr(VkJson) v = vk_json_parse("[\"\\uD83D\\uDE00\", \"\\udbff\\udfff\"]", -1);
    g_assert_nonnull(v);
    g_assert_cmpstr(vk_json_get_string(vk_json_array_get(v, 0)), ==, "\xf0\x9f\x98\x80");
    g_assert_cmpstr(vk_json_get_string(vk_json_array_get(v, 1)), ==, "\xf4\x8f\xbf\xbf");

    check_bad("\"\\uD83D\"", "high surrogate \\uD83D");
    check_bad("\"\\uD83Dx\"", "high surrogate");
    check_bad("\"\\uD83D\\u0041\"", "high surrogate");
    check_bad("\"\\uDE00\"", "low surrogate \\uDE00");
}

static void
test_numbers(void)
{
    g_autoptr(VkJson) v = vk_json_parse(
        "[9223372036854775807, -9223372036854775808, 9223372036854775808,"
        " 18446744073709551615, 18446744073709551616, -9223372036854775809,"
        " 1e3, 1.5, -0, 4096]", -1);
    g_assert_nonnull(v);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 0), 0), ==, G_MAXINT64);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 1), 0), ==, G_MININT64);
    /* 2^63 is no gint64, but an exact guint64. */
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 2), -1), ==, -1);
    g_assert_cmpuint(vk_json_get_uint64(vk_json_array_get(v, 2), 0), ==, G_GUINT64_CONSTANT(9223372036854775808));
    g_assert_cmpuint(vk_json_get_uint64(vk_json_array_get(v, 3), 0), ==, G_MAXUINT64);
    /* Beyond 64 bits: a double. */
    g_assert_cmpfloat(vk_json_get_double(vk_json_array_get(v, 4), 0), ==, 18446744073709551616.0);
    g_assert_cmpfloat(vk_json_get_double(vk_json_array_get(v, 5), 0), <, -9.2e18);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 6), 0), ==, 1000);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 7), 7), ==, 7);
    g_assert_cmpfloat(vk_json_get_double(vk_json_array_get(v, 7), 0), ==, 1.5);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 8), 1), ==, 0);
    g_assert_cmpuint(vk_json_get_uint64(vk_json_array_get(v, 1), 5), ==, 5);
    /* Not numbers. */
    g_assert_cmpint(vk_json_get_int(NULL, 3), ==, 3);
    g_autoptr(VkJson) yes = vk_json_new_bool(TRUE);
    g_assert_cmpfloat(vk_json_get_double(yes, 2.0), ==, 2.0);

    /* Exact integers come back exactly. */
    g_autofree char *text = vk_json_to_string(v);
    g_assert_cmpstr(text, ==,
        "[9223372036854775807,-9223372036854775808,9223372036854775808,"
        "18446744073709551615,1.8446744073709552e+19,-9.223372036854776e+18,"
        "1000.0,1.5,0,4096]");

    check_bad("1e400", "out of range");
}

static void
test_bad_input(void)
{
    check_bad("", "at byte 0: unexpected end of input");
    check_bad("   ", "at byte 3: unexpected end of input");
    check_bad("[1,2,]", "at byte 5: trailing comma before ']'");
    check_bad("{\"a\":1,}", "at byte 7: trailing comma before '}'");
    check_bad("\"abc", "at byte 0: unterminated string");
    check_bad("{\"a\":\"x}", "unterminated string");
    check_bad("\"ab\\", "at byte 0: unterminated string");   /* a backslash ends the input */
    check_bad("[\"a\\qb\"]", "at byte 3: bad escape \\ followed by 'q'");
    check_bad("\"\\u12G4\"", "4 hexadecimal digits");
    check_bad("\"\\u12\"", "4 hexadecimal digits");
    check_bad("\"\\u0000\"", "NUL");
    check_bad("\"a\tb\"", "at byte 2: control character 0x09");
    check_bad("\"a\nb\"", "control character 0x0a");
    check_bad("\"a\\\nb\"", "control character 0x0a");
    check_bad("01", "at byte 0: number with a leading zero");
    check_bad("-01", "leading zero");
    check_bad("[00]", "leading zero");
    check_bad("1.", "after the decimal point");
    check_bad(".5", "unexpected '.'");
    check_bad("1e", "exponent");
    check_bad("-", "'-' must be followed by a digit");
    check_bad("+1", "unexpected '+'");
    check_bad("[1 2]", "at byte 3: expected ',' or ']' but found '2'");
    check_bad("{\"a\" 1}", "expected ':' after member name \"a\"");
    check_bad("{a:1}", "expected a member name in double quotes but found 'a'");
    check_bad("{'a':1}", "found '''");
    check_bad("[1", "unterminated array");
    check_bad("{\"a\":1", "unterminated object");
    check_bad("tru", "unexpected 't'");
    check_bad("nul", "unexpected 'n'");
    check_bad("True", "unexpected 'T'");
    check_bad("NaN", "unexpected 'N'");
    check_bad("{} {}", "at byte 3: unexpected '{' after the value");
    check_bad("truex", "unexpected 'x' after the value");
    check_bad("\"\xc3\x28\"", "at byte 1: string is not valid UTF-8");
    check_bad("[1,\x01]", "unexpected 0x01");

    /* An explicit length stops at it, and a NUL inside is no terminator. */
    g_autoptr(VkJson) v = vk_json_parse("[12]junk", 4);
    g_assert_nonnull(v);
    g_assert_cmpint(vk_json_get_int(vk_json_array_get(v, 0), 0), ==, 12);
    g_autoptr(VkJson) n = vk_json_parse("123456", 2);
    g_assert_cmpint(vk_json_get_int(n, 0), ==, 12);
    vk_error_reset();
    g_assert_null(vk_json_parse("[1]\0[2]", 7));
    g_assert_nonnull(strstr(vk_error_last_message(), "unexpected 0x00"));
}

static void
test_depth_limit(void)
{
    GString *ok = g_string_new(NULL);
    for (int i = 0; i < VK_JSON_MAX_DEPTH; i++)
        g_string_append(ok, i % 2 ? "{\"k\":" : "[");
    g_string_append(ok, "1");
    for (int i = VK_JSON_MAX_DEPTH - 1; i >= 0; i--)
        g_string_append(ok, i % 2 ? "}" : "]");
    g_autoptr(VkJson) v = vk_json_parse(ok->str, ok->len);
    g_assert_nonnull(v);
    g_autofree char *text = vk_json_to_string(v);
    g_assert_cmpstr(text, ==, ok->str);
    g_string_free(ok, TRUE);

    g_autofree char *deep = g_strnfill(VK_JSON_MAX_DEPTH + 1, '[');
    check_bad(deep, "nested deeper than 256");
    /* Far too deep does not overflow the stack either. */
    g_autofree char *deeper = g_strnfill(1000000, '[');
    check_bad(deeper, "at byte 256: nested deeper");
}

static void
count_member(const char *name, VkJson *value, gpointer data)
{
    GString *s = data;
    g_string_append_printf(s, "%s=%d;", name, vk_json_type(value));
}

static void
test_builder_and_accessors(void)
{
    g_autoptr(VkJson) o = vk_json_new_object();
    vk_json_object_set_string(o, "driver", "virtio-blk-pci");
    vk_json_object_set_int(o, "size", G_GINT64_CONSTANT(1) << 40);
    vk_json_object_set_bool(o, "read-only", FALSE);
    vk_json_object_set_double(o, "ratio", 0.25);
    vk_json_object_set(o, "none", vk_json_new_null());
    vk_json_object_set_string(o, "nil", NULL);
    VkJson *arr = vk_json_new_array();
    vk_json_array_append_string(arr, "a\"b");
    vk_json_array_append(arr, vk_json_new_int(-1));
    vk_json_object_set(o, "list", arr);
    /* Setting again replaces in place. */
    vk_json_object_set_string(o, "driver", "scsi-hd");

    g_autofree char *text = vk_json_to_string(o);
    g_assert_cmpstr(text, ==,
        "{\"driver\":\"scsi-hd\",\"size\":1099511627776,\"read-only\":false,\"ratio\":0.25,"
        "\"none\":null,\"nil\":null,\"list\":[\"a\\\"b\",-1]}");

    g_assert_cmpstr(vk_json_object_get_string(o, "driver", NULL), ==, "scsi-hd");
    g_assert_cmpstr(vk_json_object_get_string(o, "size", "dflt"), ==, "dflt");
    g_assert_cmpstr(vk_json_object_get_string(o, "missing", "dflt"), ==, "dflt");
    g_assert_cmpint(vk_json_object_get_int(o, "size", 0), ==, G_GINT64_CONSTANT(1) << 40);
    g_assert_cmpint(vk_json_object_get_int(o, "driver", -4), ==, -4);
    g_assert_false(vk_json_object_get_bool(o, "read-only", TRUE));
    g_assert_true(vk_json_object_get_bool(o, "none", TRUE));
    g_assert_cmpfloat(vk_json_object_get_double(o, "ratio", 0), ==, 0.25);
    g_assert_cmpfloat(vk_json_object_get_double(o, "size", 0), ==, 1099511627776.0);
    g_assert_true(vk_json_object_has(o, "none"));
    g_assert_false(vk_json_object_has(o, "nothing"));
    g_assert_null(vk_json_object_get_object(o, "list"));
    g_assert_true(vk_json_object_get_array(o, "list") == arr);
    g_assert_cmpuint(vk_json_array_length(arr), ==, 2);
    g_assert_null(vk_json_array_get(arr, 2));
    g_assert_cmpuint(vk_json_array_length(o), ==, 0);
    g_assert_cmpuint(vk_json_object_size(o), ==, 7);
    g_assert_cmpint(vk_json_type(NULL), ==, VK_JSON_NULL);

    /* Readers accept NULL and the wrong type all along a chain. */
    g_assert_cmpint(vk_json_object_get_int(vk_json_object_get_object(o, "list"), "x", 9), ==, 9);
    g_assert_cmpstr(vk_json_object_get_string(NULL, "x", NULL), ==, NULL);

    g_autoptr(GString) seen = g_string_new(NULL);
    vk_json_object_foreach(o, count_member, seen);
    g_assert_cmpstr(seen->str, ==, "driver=3;size=2;read-only=1;ratio=2;none=0;nil=0;list=4;");
    const char *name = NULL;
    g_assert_true(vk_json_object_nth(o, 2, &name) == vk_json_object_get(o, "read-only"));
    g_assert_cmpstr(name, ==, "read-only");
    g_assert_null(vk_json_object_nth(o, 7, &name));
    g_assert_null(name);

    /* A deep copy is equal and independent. */
    g_autoptr(VkJson) copy = vk_json_copy(o);
    g_autofree char *ctext = vk_json_to_string(copy);
    g_assert_cmpstr(ctext, ==, text);

    /* Steal takes the member out and keeps the others' order. */
    g_autoptr(VkJson) list = vk_json_object_steal(o, "list");
    g_assert_true(list == arr);
    g_assert_null(vk_json_object_steal(o, "list"));
    g_autoptr(VkJson) size = vk_json_object_steal(o, "size");
    g_assert_cmpint(vk_json_get_int(size, 0), ==, G_GINT64_CONSTANT(1) << 40);
    g_autofree char *rest = vk_json_to_string(o);
    g_assert_cmpstr(rest, ==,
        "{\"driver\":\"scsi-hd\",\"read-only\":false,\"ratio\":0.25,\"none\":null,\"nil\":null}");
    g_autofree char *ctext2 = vk_json_to_string(copy);
    g_assert_cmpstr(ctext2, ==, text);

    /* A repeated member name in the text: the last one counts. */
    g_autoptr(VkJson) dup = vk_json_parse("{\"a\":1,\"a\":2}", -1);
    g_assert_cmpint(vk_json_object_get_int(dup, "a", 0), ==, 2);
}

/* A real QEMU 7.2 answer, tens of KB. */
static void
check_qmp_file(const char *name, const char *member, const char *want_name)
{
    g_autofree char *path = g_build_filename(g_getenv("VIRTKIT_TEST_DATA"), "json", name, NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &text, &len, NULL));

    gint64 t0 = g_get_monotonic_time();
    g_autoptr(VkJson) msg = vk_json_parse(text, len);
    gint64 t1 = g_get_monotonic_time();
    g_assert_nonnull(msg);
    VkJson *ret = vk_json_object_get_array(msg, "return");
    g_assert_cmpuint(vk_json_array_length(ret), >, 50);
    gboolean found = FALSE;
    for (guint i = 0; i < vk_json_array_length(ret); i++) {
        VkJson *e = vk_json_array_get(ret, i);
        g_assert_true(vk_json_is_object(e));
        g_assert_nonnull(vk_json_object_get_string(e, "name", NULL));
        found |= g_strcmp0(vk_json_object_get_string(e, "name", NULL), want_name) == 0 &&
                 vk_json_object_has(e, member);
    }
    g_assert_true(found);

    /* Compact output is the input without the spaces QEMU puts after ':' and
     * ',' and its CR LF (none of the strings contains those). */
    g_autofree char *out = vk_json_to_string(msg);
    g_autoptr(GString) squeezed = g_string_new(NULL);
    for (gsize i = 0; i < len; i++) {
        if (text[i] == '\n' || text[i] == '\r' || (text[i] == ' ' && i > 0 && (text[i - 1] == ':' || text[i - 1] == ',')))
            continue;
        g_string_append_c(squeezed, text[i]);
    }
    /* (not cmpstr: a failure would print 70 KB) */
    g_assert_true(g_str_equal(out, squeezed->str));
    g_test_message("%s: %" G_GSIZE_FORMAT " bytes parsed in %" G_GINT64_FORMAT " us",
                   name, len, t1 - t0);
}

static void
test_qmp_replies(void)
{
    check_qmp_file("qom-list-types.json", "parent", "virtio-net-pci");
    check_qmp_file("query-cpu-definitions.json", "unavailable-features", "Skylake-Client");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/round-trips", test_round_trips);
    g_test_add_func("/json/escapes", test_escapes);
    g_test_add_func("/json/surrogates", test_surrogates);
    g_test_add_func("/json/numbers", test_numbers);
    g_test_add_func("/json/bad-input", test_bad_input);
    g_test_add_func("/json/depth-limit", test_depth_limit);
    g_test_add_func("/json/builder-and-accessors", test_builder_and_accessors);
    g_test_add_func("/json/qmp-replies", test_qmp_replies);
    return g_test_run();
}
