#include "schema.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

/* libxml2's messages for the failed validation, collected */
static void
collect(void *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(ctx, fmt, ap);
    va_end(ap);
}

static xmlRelaxNGPtr
load_schema(const char *path, GString *errors)
{
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr rng;

    xmlRelaxNGSetParserErrors(pctxt, collect, collect, errors);
    rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return rng;
}

/* Compiling domain.rng takes longer than validating a document against it
 * (far longer under ASan): each schema is compiled once per test program
 * and kept until it exits. */
static xmlRelaxNGPtr
cached_schema(const char *path, GString *errors)
{
    static GHashTable *schemas;
    xmlRelaxNGPtr rng;

    if (!schemas)
        schemas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if ((rng = g_hash_table_lookup(schemas, path)))
        return rng;
    if (!g_file_test(path, G_FILE_TEST_EXISTS) || !(rng = load_schema(path, errors)))
        return NULL;
    g_hash_table_insert(schemas, g_strdup(path), rng);
    return rng;
}

void
vk_test_assert_schema_valid(const char *xml, const char *schema)
{
    g_autofree char *path = g_path_is_absolute(schema)
                                ? g_strdup(schema)
                                : g_build_filename(VK_TEST_SCHEMA_DIR, schema, NULL);
    g_autoptr(GString) errors = g_string_new(NULL);
    xmlRelaxNGPtr rng;
    xmlRelaxNGValidCtxtPtr vctxt;
    xmlDocPtr doc;

    if (!(rng = cached_schema(path, errors))) {
        g_test_fail_printf("%s is missing or unreadable: no schema check\n%s", path, errors->str);
        return;
    }
    doc = xmlReadMemory(xml, (int) strlen(xml), "formatted.xml", NULL, XML_PARSE_NONET);
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidErrors(vctxt, collect, collect, errors);
    if (!doc || xmlRelaxNGValidateDoc(vctxt, doc) != 0)
        g_test_fail_printf("not valid against %s:\n%s\ndocument:\n%s", path, errors->str, xml);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
}
