/* The XML reading helpers: child lookup, attributes, text, libvirt's strict
 * numbers and the attribute readers' three outcomes and error messages. */
#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/enum-table.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

/* An optional attribute: 0 is "not given" and has no name. */
typedef enum { COLOR_ABSENT, COLOR_RED, COLOR_GREEN } Color;
VK_ENUM_DECL(color);
VK_ENUM_IMPL_OPTIONAL(color, "red", "green")
/* A required one: 0 is its first name. */
typedef enum { SHAPE_ROUND, SHAPE_SQUARE } Shape;
VK_ENUM_DECL(shape);
VK_ENUM_IMPL(shape, "round", "square")

static xmlDocPtr
parse(const char *xml)
{
    xmlDocPtr doc = vk_xml_parse_string_named(xml, "(test)", false);

    g_assert_nonnull(doc);
    return doc;
}

/* The last error is a VIR_ERR_XML_ERROR with exactly MESSAGE after libvirt's
 * prefix. */
static void
assert_xml_error(const char *message)
{
    g_autofree char *want = vk_error_compose(VIR_ERR_XML_ERROR, message);

    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==, want);
}

static void
test_nodes(void)
{
    xmlDocPtr doc = parse("<a x='1' y=''><!-- c --><b>one</b><c/><b>two</b></a>");
    xmlNodePtr a = xmlDocGetRootElement(doc);
    g_autofree char *b = vk_xml_child_text(a, "b");
    g_autofree char *x = vk_xml_prop(a, "x");
    g_autofree char *y = vk_xml_prop(a, "y");

    g_assert_true(vk_xml_is_element(a, "a"));
    g_assert_true(vk_xml_is_element(a, NULL));
    g_assert_false(vk_xml_is_element(a, "b"));
    g_assert_false(vk_xml_is_element(NULL, NULL));
    g_assert_cmpstr(b, ==, "one");           /* the first one */
    g_assert_nonnull(vk_xml_child(a, "c"));
    g_assert_null(vk_xml_child(a, "d"));
    g_assert_null(vk_xml_child(NULL, "b"));
    g_assert_null(vk_xml_child_text(a, "d"));
    g_assert_cmpstr(x, ==, "1");
    g_assert_cmpstr(y, ==, "");
    g_assert_null(vk_xml_prop(a, "z"));
    g_assert_null(vk_xml_prop(NULL, "x"));
    g_assert_null(vk_xml_text(NULL));
    xmlFreeDoc(doc);
}

static void
test_numbers(void)
{
    unsigned long long ull;
    unsigned int u;
    int i;

    g_assert_cmpint(vk_xml_parse_ull("0x1F", 0, &ull), ==, 0);
    g_assert_cmpuint(ull, ==, 31);
    g_assert_cmpint(vk_xml_parse_uint("4294967295", 10, &u), ==, 0);
    g_assert_cmpuint(u, ==, G_MAXUINT);
    g_assert_cmpint(vk_xml_parse_uint("4294967296", 10, &u), ==, -1);
    g_assert_cmpint(vk_xml_parse_uint("-1", 10, &u), ==, -1);
    g_assert_cmpint(vk_xml_parse_uint("12abc", 10, &u), ==, -1);
    g_assert_cmpint(vk_xml_parse_uint("", 10, &u), ==, -1);
    g_assert_cmpint(vk_xml_parse_uint(NULL, 10, &u), ==, -1);
    g_assert_cmpint(vk_xml_parse_int("-2147483648", 10, &i), ==, 0);
    g_assert_cmpint(i, ==, G_MININT);
    g_assert_cmpint(vk_xml_parse_int("2147483648", 10, &i), ==, -1);
}

static void
test_attributes(void)
{
    xmlDocPtr doc = parse("<e n='7' neg='-3' bad='x' mode='on'/>");
    xmlNodePtr e = xmlDocGetRootElement(doc);
    unsigned int u = 42;
    int i = 42;
    VkTristate t = VK_TRISTATE_ABSENT;

    g_assert_cmpint(vk_xml_attr_uint(e, "missing", 10, &u), ==, 0);
    g_assert_cmpuint(u, ==, 42);
    g_assert_cmpint(vk_xml_attr_uint(e, "n", 10, &u), ==, 1);
    g_assert_cmpuint(u, ==, 7);
    g_assert_cmpint(vk_xml_attr_int(e, "neg", &i), ==, 1);
    g_assert_cmpint(i, ==, -3);

    vk_error_reset();
    g_assert_cmpint(vk_xml_attr_uint(e, "neg", 10, &u), ==, -1);
    assert_xml_error("Invalid value for attribute 'neg' in element 'e': '-3'. "
                     "Expected non-negative integer value");
    vk_error_reset();
    g_assert_cmpint(vk_xml_attr_int(e, "bad", &i), ==, -1);
    assert_xml_error("Invalid value for attribute 'bad' in element 'e': 'x'. "
                     "Expected integer value");

    g_assert_cmpint(vk_xml_attr_tristate(e, "mode", vk_xml_on_off, &t), ==, 1);
    g_assert_cmpint(t, ==, VK_TRISTATE_ON);
    vk_error_reset();
    g_assert_cmpint(vk_xml_attr_tristate(e, "mode", vk_xml_yes_no, &t), ==, -1);
    assert_xml_error("Invalid value for attribute 'mode' in element 'e': 'on'.");

    xmlFreeDoc(doc);
}

static void
test_enums(void)
{
    xmlDocPtr doc = parse("<e color='green' shape='square' bad='blue' empty=''/>");
    xmlNodePtr e = xmlDocGetRootElement(doc);
    Color color = COLOR_ABSENT;
    Shape shape = SHAPE_ROUND;

    g_assert_null(color_to_string(COLOR_ABSENT));
    g_assert_cmpstr(color_to_string(COLOR_RED), ==, "red");
    g_assert_null(color_to_string(COLOR_GREEN + 1));
    g_assert_cmpint(color_from_string("red"), ==, COLOR_RED);
    g_assert_cmpint(color_from_string(""), ==, -1);
    g_assert_cmpint(color_from_string(NULL), ==, -1);
    g_assert_cmpstr(shape_to_string(SHAPE_ROUND), ==, "round");
    g_assert_cmpint(shape_from_string("round"), ==, SHAPE_ROUND);

    g_assert_cmpint(vk_xml_attr_enum(e, "missing", color_from_string, VK_XML_ENUM_OUT(color)), ==, 0);
    g_assert_cmpint(color, ==, COLOR_ABSENT);
    g_assert_cmpint(vk_xml_attr_enum(e, "color", color_from_string, VK_XML_ENUM_OUT(color)), ==, 1);
    g_assert_cmpint(color, ==, COLOR_GREEN);
    g_assert_cmpint(vk_xml_attr_enum(e, "shape", shape_from_string, VK_XML_ENUM_OUT(shape)), ==, 1);
    g_assert_cmpint(shape, ==, SHAPE_SQUARE);
    vk_error_reset();
    g_assert_cmpint(vk_xml_attr_enum(e, "bad", color_from_string, VK_XML_ENUM_OUT(color)), ==, -1);
    assert_xml_error("Invalid value for attribute 'bad' in element 'e': 'blue'.");
    vk_error_reset();
    g_assert_cmpint(vk_xml_attr_enum(e, "empty", color_from_string, VK_XML_ENUM_OUT(color)), ==, -1);
    assert_xml_error("Invalid value for attribute 'empty' in element 'e': ''.");
    g_assert_cmpint(color, ==, COLOR_GREEN);    /* left as it was */
    xmlFreeDoc(doc);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xml-read/nodes", test_nodes);
    g_test_add_func("/xml-read/numbers", test_numbers);
    g_test_add_func("/xml-read/attributes", test_attributes);
    g_test_add_func("/xml-read/enums", test_enums);
    return g_test_run();
}
