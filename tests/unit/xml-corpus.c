#include "xml-corpus.h"

#include <stdbool.h>
#include <string.h>

#include "common/util/error.h"
#include "corpus.h"
#include "schema.h"

typedef struct {
    const VkTestXmlCorpus *corpus;
    char *name;
} Case;

static void
case_free(gpointer data)
{
    Case *c = data;

    g_free(c->name);
    g_free(c);
}

static char *
read_doc(const Case *c, const char *suffix)
{
    g_autofree char *dir = vk_test_corpus_dir(c->corpus->sub);
    g_autofree char *path = g_strdup_printf("%s/%s%s", dir, c->name, suffix);
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err))
        g_error("%s", err->message);
    return text;
}

static void
assert_same(const char *what, const char *want, const char *got)
{
    if (g_strcmp0(want, got) != 0) {
        g_test_message("%s: expected:\n%s\ngot:\n%s", what, want, got ? got : "(null)");
        g_test_fail();
    }
}

static void
test_valid(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *input = read_doc(c, ".xml");
    g_autofree char *want = read_doc(c, c->corpus->self_expected ? ".xml" : ".expected.xml");
    g_autofree char *got = NULL, *again = NULL;

    vk_error_reset();
    if (!(got = c->corpus->define(input))) {
        g_test_fail_printf("%s: refused (code %d): %s", c->name, vk_error_last_code(),
                           vk_error_last_message());
        return;
    }
    if (c->corpus->normalise) {
        g_autofree char *want_n = c->corpus->normalise(c->name, want);
        g_autofree char *got_n = c->corpus->normalise(c->name, got);
        assert_same(c->name, want_n, got_n);
    } else {
        assert_same(c->name, want, got);
    }
    /* what we print reads back to the same */
    again = c->corpus->define(got);
    assert_same("reformatted", got, again);
    vk_test_assert_schema_valid(got, c->corpus->schema);
}

static void
test_invalid(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *input = read_doc(c, ".xml");
    g_autofree char *recorded = read_doc(c, ".error");
    g_auto(GStrv) lines = g_strsplit(recorded, "\n", 3);
    g_autofree char *got = NULL;
    const VkError *err;
    char *message;

    if (!lines[0] || !lines[1] || !lines[2]) {
        g_test_fail_printf("%s.error: not code, domain and message, one a line", c->name);
        return;
    }
    message = lines[2];
    if (g_str_has_suffix(message, "\n"))
        message[strlen(message) - 1] = '\0';
    vk_error_reset();
    if ((got = c->corpus->define(input))) {
        g_test_fail_printf("%s: accepted; libvirt refuses it with: %s", c->name, message);
        return;
    }
    if (!(err = vk_error_last())) {
        g_test_fail_printf("%s: refused without an error", c->name);
        return;
    }
    g_assert_cmpstr(err->message, ==, message);
    g_assert_cmpint(err->code, ==, (int) g_ascii_strtoll(lines[0], NULL, 10));
    g_assert_cmpint(err->domain, ==, (int) g_ascii_strtoll(lines[1], NULL, 10));
}

void
vk_test_xml_corpus_add(const VkTestXmlCorpus *corpus)
{
    g_autofree char *dir = vk_test_corpus_dir(corpus->sub);
    g_autoptr(GPtrArray) names = vk_test_corpus_list(dir, NULL, ".xml", ".expected.xml");
    guint n_invalid = 0;

    for (guint i = 0; i < names->len; i++) {
        Case *c = g_new0(Case, 1);
        bool invalid = g_str_has_prefix(g_ptr_array_index(names, i), "invalid-");
        g_autofree char *path = NULL;

        n_invalid += invalid;
        c->corpus = corpus;
        c->name = g_strdup(g_ptr_array_index(names, i));
        path = g_strdup_printf("/%s/%s/%s", corpus->sub, invalid ? "invalid" : "valid", c->name);
        g_test_add_data_func_full(path, c, invalid ? test_invalid : test_valid, case_free);
        if ((invalid || !corpus->self_expected) &&
            !vk_test_corpus_has(dir, c->name, invalid ? ".error" : ".expected.xml")) {
            g_autofree char *file = g_strconcat(c->name, ".xml", NULL);
            vk_test_corpus_add_orphan(corpus->sub, file, invalid ? ".error" : ".expected.xml");
        }
    }
    /* and no expected output or error without its document (a corpus may
     * hold valid documents only, or invalid ones only) */
    if (!corpus->self_expected && n_invalid < names->len)
        vk_test_corpus_check_partners(dir, corpus->sub, ".expected.xml", ".xml");
    if (n_invalid)
        vk_test_corpus_check_partners(dir, corpus->sub, ".error", ".xml");
}
