/* Test corpora (see corpus.h). */
#include "corpus.h"

#include <string.h>

#include "common/util/error.h"
#include "virtkit-config.h"

char *
vk_test_corpus_dir(const char *sub)
{
    const char *top = g_getenv("VIRTKIT_TEST_DATA");

    return g_build_filename(top ? top : VIRTKIT_SOURCE_ROOT "/tests/data", sub, NULL);
}

static gint
cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

GPtrArray *
vk_test_corpus_list(const char *dir, const char *prefix, const char *suffix, const char *except)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    if (!d)
        g_error("corpus %s: %s", dir, err->message);
    while ((entry = g_dir_read_name(d))) {
        if (!g_str_has_suffix(entry, suffix) || (prefix && !g_str_has_prefix(entry, prefix)) ||
            (except && g_str_has_suffix(entry, except)))
            continue;
        g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(suffix)));
    }
    if (!names->len)
        g_error("corpus %s: no %s*%s: a wrong path or a broken checkout", dir,
                prefix ? prefix : "", suffix);
    g_ptr_array_sort(names, cmp_name);
    return names;
}

char *
vk_test_corpus_redefined(const char *expected_path)
{
    const char *suffix = g_str_has_suffix(expected_path, ".expected.xml") ? ".expected.xml" : ".xml";
    g_autofree char *base = g_strndup(expected_path, strlen(expected_path) - strlen(suffix));
    g_autofree char *redefined = g_strconcat(base, ".redefined.xml", NULL);
    char *text = NULL;

    if (!g_file_get_contents(redefined, &text, NULL, NULL) &&
        !g_file_get_contents(expected_path, &text, NULL, NULL))
        g_error("cannot read %s", expected_path);
    return text;
}

gboolean
vk_test_corpus_has(const char *dir, const char *name, const char *suffix)
{
    g_autofree char *path = g_strdup_printf("%s/%s%s", dir, name, suffix);

    return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

static void
test_orphan(gconstpointer data)
{
    g_test_fail_printf("%s", (const char *) data);
}

void
vk_test_corpus_add_orphan(const char *test_root, const char *file, const char *missing)
{
    g_autofree char *path = g_strdup_printf("%s/orphan/%s", test_root, file);

    g_test_add_data_func_full(path, g_strdup_printf("%s has no %s", file, missing), test_orphan,
                              g_free);
}

void
vk_test_corpus_check_partners(const char *dir, const char *test_root, const char *suffix,
                              const char *partner)
{
    g_autoptr(GPtrArray) names = vk_test_corpus_list(dir, NULL, suffix, NULL);

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *file = g_strconcat(name, suffix, NULL);
        g_autofree char *missing = g_strconcat(name, partner, NULL);
        if (!vk_test_corpus_has(dir, name, partner))
            vk_test_corpus_add_orphan(test_root, file, missing);
    }
}

char *
vk_test_corpus_read(const char *sub, const char *name, const char *suffix)
{
    g_autofree char *dir = vk_test_corpus_dir(sub);
    g_autofree char *path = g_strdup_printf("%s/%s%s", dir, name, suffix);
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err))
        g_error("%s", err->message);
    return text;
}

void
vk_test_assert_same(const char *what, const char *want, const char *got)
{
    if (g_strcmp0(want, got) != 0) {
        g_test_message("%s: expected:\n%s\ngot:\n%s", what, want, got ? got : "(null)");
        g_test_fail();
    }
}

void
vk_test_assert_recorded_error(const char *name, const char *recorded, gboolean refused)
{
    g_auto(GStrv) lines = g_strsplit(recorded, "\n", 3);
    const VkError *err;
    char *message;

    if (!lines[0] || !lines[1] || !lines[2]) {
        g_test_fail_printf("%s.error: not code, domain and message, one a line", name);
        return;
    }
    message = lines[2];
    if (g_str_has_suffix(message, "\n"))
        message[strlen(message) - 1] = '\0';
    if (!refused) {
        g_test_fail_printf("%s: accepted; libvirt refuses it with: %s", name, message);
        return;
    }
    if (!(err = vk_error_last())) {
        g_test_fail_printf("%s: refused without an error", name);
        return;
    }
    g_assert_cmpstr(err->message, ==, message);
    g_assert_cmpint(err->code, ==, (int) g_ascii_strtoll(lines[0], NULL, 10));
    g_assert_cmpint(err->domain, ==, (int) g_ascii_strtoll(lines[1], NULL, 10));
}

static void
case_free(gpointer data)
{
    VkTestCase *c = data;

    g_free(c->name);
    g_free(c);
}

void
vk_test_corpus_register(const char *sub, gconstpointer corpus, GTestDataFunc valid,
                        GTestDataFunc invalid, const char *expected_suffix)
{
    g_autofree char *dir = vk_test_corpus_dir(sub);
    g_autoptr(GPtrArray) names = vk_test_corpus_list(dir, NULL, ".xml", ".expected.xml");

    for (guint i = 0; i < names->len; i++) {
        VkTestCase *c = g_new0(VkTestCase, 1);
        gboolean bad = g_str_has_prefix(g_ptr_array_index(names, i), "invalid-");
        const char *partner = bad ? ".error" : expected_suffix;
        g_autofree char *path = NULL;

        c->corpus = corpus;
        c->name = g_strdup(g_ptr_array_index(names, i));
        path = g_strdup_printf("/%s/%s/%s", sub, bad ? "invalid" : "valid", c->name);
        g_test_add_data_func_full(path, c, bad ? invalid : valid, case_free);
        if (!vk_test_corpus_has(dir, c->name, partner)) {
            g_autofree char *file = g_strconcat(c->name, ".xml", NULL);
            vk_test_corpus_add_orphan(sub, file, partner);
        }
    }
    /* and no expected output or error without its document */
    vk_test_corpus_check_partners(dir, sub, expected_suffix, ".xml");
    vk_test_corpus_check_partners(dir, sub, ".error", ".xml");
}
