/* The domain corpus end to end (tests/data/domain): for every NAME.xml, do
 * what the daemon does at define -- parse, apply the defaults, assign PCI
 * addresses, format the inactive XML -- and compare the bytes with
 * NAME.expected.xml, libvirtd 9.0's dumpxml --inactive.  Every
 * invalid-NAME.xml must fail in that same pipeline with the error code,
 * error domain and message recorded in invalid-NAME.error.  And defining
 * NAME.expected.xml itself must give it back unchanged.  A document without
 * its partner file (or a partner without its document) fails: the corpus
 * never shrinks silently. */
#include <glib/gstdio.h>
#include <string.h>

#include "common/conf/domain.h"
#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"
#include "corpus.h"

static const char *
data_dir(void)
{
    static char *dir;

    if (!dir)
        dir = vk_test_corpus_dir("domain");
    return dir;
}

/* The define pipeline; NULL with the error left in place on failure. */
static char *
define_and_dump(const char *xml)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);

    if (!def)
        return NULL;
    if (vk_domain_def_apply_defaults(def, NULL) < 0)
        return NULL;
    if (vk_domain_pci_assign(def, NULL) < 0)
        return NULL;
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
}

/* `diff -u` of the two texts, to show what to fix. */
static char *
unified_diff(const char *name, const char *want, const char *got)
{
    g_autofree char *tmp = g_dir_make_tmp("domain-corpus-XXXXXX", NULL);
    g_autofree char *want_path = NULL;
    g_autofree char *got_path = NULL;
    g_autofree char *want_label = g_strdup_printf("%s.expected.xml", name);
    g_autofree char *got_label = g_strdup_printf("%s (virtkit)", name);
    char *out = NULL;

    if (!tmp)
        return g_strdup("(no temporary directory for a diff)");
    want_path = g_build_filename(tmp, "expected.xml", NULL);
    got_path = g_build_filename(tmp, "got.xml", NULL);
    if (g_file_set_contents(want_path, want, -1, NULL) &&
        g_file_set_contents(got_path, got, -1, NULL)) {
        const char *argv[] = { "diff", "-u", "--label", want_label, "--label", got_label,
                               want_path, got_path, NULL };
        if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                          &out, NULL, NULL, NULL))
            out = g_strdup("(diff could not run)");
    }
    g_unlink(want_path);
    g_unlink(got_path);
    g_rmdir(tmp);
    return out ? out : g_strdup("(no diff)");
}

static void
test_valid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *input = vk_test_corpus_read("domain", name, ".xml");
    g_autofree char *want = vk_test_corpus_read("domain", name, ".expected.xml");
    g_autofree char *got = NULL;

    vk_error_reset();
    got = define_and_dump(input);
    if (!got) {
        g_test_fail_printf("%s: refused (code %d): %s", name, vk_error_last_code(),
                           vk_error_last_message());
        return;
    }
    if (!g_str_equal(got, want)) {
        g_autofree char *diff = unified_diff(name, want, got);
        g_test_message("%s", diff);
        g_test_fail_printf("%s: output differs from libvirtd's", name);
    }
}

/* libvirtd accepts its own output (virt-clone, virt-xml and a daemon
 * restart rely on it) and gives it back as NAME.redefined.xml says: the
 * same, or with the controllers it appended at define moved among those of
 * their type.  So must we. */
static void
test_fixed_point(gconstpointer data)
{
    const char *name = data;
    g_autofree char *expected = vk_test_corpus_read("domain", name, ".expected.xml");
    g_autofree char *expected_path = g_strdup_printf("%s/%s.expected.xml", data_dir(), name);
    g_autofree char *want = vk_test_corpus_redefined(expected_path);
    g_autofree char *got = NULL;

    vk_error_reset();
    got = define_and_dump(expected);
    if (!got) {
        g_test_fail_printf("%s: own output refused (code %d): %s", name, vk_error_last_code(),
                           vk_error_last_message());
        return;
    }
    if (!g_str_equal(got, want)) {
        g_autofree char *diff = unified_diff(name, want, got);
        g_test_message("%s", diff);
        g_test_fail_printf("%s: defining libvirtd's output again differs from libvirtd's", name);
    }
}

static void
test_invalid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *input = vk_test_corpus_read("domain", name, ".xml");
    g_autofree char *recorded = vk_test_corpus_read("domain", name, ".error");
    g_auto(GStrv) lines = g_strsplit(recorded, "\n", 3);
    g_autofree char *got = NULL;
    const VkError *err;
    int code, domain;
    char *message;

    if (!lines[0] || !lines[1] || !lines[2]) {
        g_test_fail_printf("%s.error: not code, domain and message, one a line", name);
        return;
    }
    code = (int) g_ascii_strtoll(lines[0], NULL, 10);
    domain = (int) g_ascii_strtoll(lines[1], NULL, 10);
    /* the message runs to the end of the file, less its final newline */
    message = lines[2];
    if (g_str_has_suffix(message, "\n"))
        message[strlen(message) - 1] = '\0';

    vk_error_reset();
    got = define_and_dump(input);
    if (got) {
        g_test_fail_printf("%s: accepted; libvirtd refuses it with: %s", name, message);
        return;
    }
    err = vk_error_last();
    if (!err) {
        g_test_fail_printf("%s: refused without an error", name);
        return;
    }
    g_assert_cmpstr(err->message, ==, message);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) inputs = NULL;
    g_autoptr(GPtrArray) valid = g_ptr_array_new();
    g_autoptr(GPtrArray) invalid = g_ptr_array_new();

    /* keep going after a failed case: the point is the list of them */
    g_autofree char **args = g_new0(char *, argc + 2);
    int nargs = argc + 1;
    memcpy(args, argv, sizeof(char *) * argc);
    args[argc] = (char *) "--keep-going";
    argv = args;
    g_test_init(&nargs, &argv, NULL);
    /* a wrong message does not hide the wrong code or domain after it */
    g_test_set_nonfatal_assertions();
    /* only NAME.xml with its NAME.expected.xml and invalid-NAME.xml with its
     * invalid-NAME.error count; other files (a fuzzer's scratch files) are
     * not documents */
    inputs = vk_test_corpus_list(data_dir(), NULL, ".xml", ".expected.xml");
    /* libvirtd's second defines are partners, not inputs */
    for (guint i = inputs->len; i > 0; i--)
        if (g_str_has_suffix(g_ptr_array_index(inputs, i - 1), ".redefined"))
            g_ptr_array_remove_index(inputs, i - 1);
    for (guint i = 0; i < inputs->len; i++) {
        const char *name = g_ptr_array_index(inputs, i);
        bool is_invalid = g_str_has_prefix(name, "invalid-");
        const char *partner = is_invalid ? ".error" : ".expected.xml";
        g_autofree char *file = g_strconcat(name, ".xml", NULL);
        g_autofree char *missing = g_strconcat(name, partner, NULL);

        if (!vk_test_corpus_has(data_dir(), name, partner))
            vk_test_corpus_add_orphan("/domain-corpus", file, missing);
        else
            g_ptr_array_add(is_invalid ? invalid : valid, (char *) name);
    }
    /* every NAME.expected.xml and invalid-NAME.error belongs to a document */
    vk_test_corpus_check_partners(data_dir(), "/domain-corpus", ".expected.xml", ".xml");
    vk_test_corpus_check_partners(data_dir(), "/domain-corpus", ".error", ".xml");
    vk_test_corpus_check_partners(data_dir(), "/domain-corpus", ".redefined.xml", ".xml");
    /* both halves of the corpus: a valid document and a refused one */
    if (!valid->len || !invalid->len)
        g_error("corpus %s: no %s document", data_dir(), valid->len ? "invalid" : "valid");
    for (guint i = 0; i < valid->len; i++) {
        const char *name = g_ptr_array_index(valid, i);
        g_autofree char *path = g_strdup_printf("/domain-corpus/valid/%s", name);
        g_test_add_data_func(path, name, test_valid);
    }
    for (guint i = 0; i < valid->len; i++) {
        const char *name = g_ptr_array_index(valid, i);
        g_autofree char *path = g_strdup_printf("/domain-corpus/fixed-point/%s", name);
        g_test_add_data_func(path, name, test_fixed_point);
    }
    for (guint i = 0; i < invalid->len; i++) {
        const char *name = g_ptr_array_index(invalid, i);
        g_autofree char *path = g_strdup_printf("/domain-corpus/invalid/%s", name);
        g_test_add_data_func(path, name, test_invalid);
    }
    return g_test_run();
}
