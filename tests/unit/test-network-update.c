/* virNetworkUpdate on definitions (common/conf/network-update.c) against
 * libvirtd 9.0: each tests/data/network-update/CASE.txt lists update steps
 * (COMMAND SECTION PARENT-INDEX XML) and CASE.expected holds what libvirtd
 * made of them (scripts/regenerate-network-update-expected.sh): its
 * net-dumpxml --inactive of the defined base network, then after each step
 * the document or the error.  The test starts from libvirtd's base document
 * (so the uuid, MAC and bridge name it made up are the same), replays the
 * steps with vk_network_def_update() and compares each result byte for
 * byte, each error by code, domain and message.  Also the actions each
 * section asks of a running network. */
#include <string.h>

#include "common/conf/network-update.h"
#include "common/util/error.h"
#include "corpus.h"

typedef struct {
    char *line;   /* the step as CASE.txt spells it */
    unsigned int command, section;
    int parent_index;
    char *xml;
} Step;

typedef struct {
    char *title;   /* the "## " line of CASE.expected */
    GString *body;
} Record;

static const char *const commands[] = { "", "modify", "delete", "add-last", "add-first", NULL };
static const char *const sections[] = {
    "", "bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range", "forward",
    "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv", NULL,
};

static void
step_free(gpointer data)
{
    Step *s = data;

    g_free(s->line);
    g_free(s->xml);
    g_free(s);
}

static void
record_free(gpointer data)
{
    Record *r = data;

    g_free(r->title);
    g_string_free(r->body, TRUE);
    g_free(r);
}

/* WORD as the index of its name in NAMES, or as a number */
static unsigned int
word_number(const char *word, const char *const *names)
{
    for (guint i = 1; names[i]; i++)
        if (g_str_equal(word, names[i]))
            return i;
    if (g_str_equal(word, "add"))
        return 3;
    return (unsigned int) g_ascii_strtoll(word, NULL, 10);
}

/* The steps of CASE.txt (its base line is libvirtd's business) */
static GPtrArray *
read_steps(const char *name)
{
    g_autofree char *text = vk_test_corpus_read("network-update", name, ".txt");
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GPtrArray *steps = g_ptr_array_new_with_free_func(step_free);
    bool seen_base = false;

    for (char **l = lines; *l; l++) {
        g_autofree char *line = g_strstrip(g_strdup(*l));
        g_auto(GStrv) parts = NULL;
        Step *s;

        if (!*line || line[0] == '#')
            continue;
        if (!seen_base) {
            seen_base = true;
            continue;
        }
        parts = g_strsplit(line, " ", 4);
        if (g_strv_length(parts) < 4)
            g_error("%s.txt: not COMMAND SECTION PARENT-INDEX XML: %s", name, line);
        s = g_new0(Step, 1);
        s->line = g_strdup(line);
        s->command = word_number(parts[0], commands);
        s->section = word_number(parts[1], sections);
        s->parent_index = (int) g_ascii_strtoll(parts[2], NULL, 10);
        s->xml = g_strdup(parts[3]);
        g_ptr_array_add(steps, s);
    }
    return steps;
}

/* CASE.expected cut at its "## " lines */
static GPtrArray *
read_records(const char *name)
{
    g_autofree char *text = vk_test_corpus_read("network-update", name, ".expected");
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GPtrArray *records = g_ptr_array_new_with_free_func(record_free);
    Record *r = NULL;

    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "## ")) {
            r = g_new0(Record, 1);
            r->title = g_strdup(*l + 3);
            r->body = g_string_new(NULL);
            g_ptr_array_add(records, r);
        } else if (r) {
            g_string_append_printf(r->body, "%s\n", *l);
        }
    }
    return records;
}

/* What a step gave: the document, or "error CODE DOMAIN\nMESSAGE\n" as
 * the expected file spells it */
static char *
outcome(VkNetworkDef *def, int rc)
{
    const VkError *err = vk_error_last();

    if (rc == 0)
        return vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
    if (!err)
        return g_strdup("error without a recorded error\n");
    return g_strdup_printf("error %d %d\n%s\n", err->code, err->domain, err->message);
}

static void
assert_same(const char *what, const char *want, const char *got)
{
    g_autofree char *w = g_strdup(want);
    g_autofree char *g = g_strdup(got);

    /* the file's end gives the last record an extra newline */
    while (g_str_has_suffix(w, "\n\n"))
        w[strlen(w) - 1] = '\0';
    if (g_strcmp0(w, g) != 0) {
        g_test_message("%s: expected:\n%s\ngot:\n%s", what, w, g ? g : "(null)");
        g_test_fail();
    }
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autoptr(GPtrArray) steps = read_steps(name);
    g_autoptr(GPtrArray) records = read_records(name);
    g_autoptr(VkNetworkDef) def = NULL;
    const Record *base;

    if (records->len != steps->len + 1) {
        g_test_fail_printf("%s: %u steps but %u records: regenerate %s.expected", name,
                           steps->len, records->len, name);
        return;
    }
    base = g_ptr_array_index(records, 0);
    if (!(def = vk_network_def_parse_string(base->body->str))) {
        g_test_fail_printf("%s: libvirtd's base refused: %s", name, vk_error_last_message());
        return;
    }
    for (guint i = 0; i < steps->len; i++) {
        const Step *s = g_ptr_array_index(steps, i);
        const Record *r = g_ptr_array_index(records, i + 1);
        g_autofree char *title = g_strdup_printf("step %u: %s", i + 1, s->line);
        g_autofree char *got = NULL, *before = NULL;
        int rc;

        if (!g_str_equal(r->title, title)) {
            g_test_fail_printf("%s: record '%s' is not for '%s'", name, r->title, title);
            return;
        }
        before = vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
        vk_error_reset();
        rc = vk_network_def_update(def, s->command, s->section, s->parent_index, s->xml);
        got = outcome(def, rc);
        assert_same(title, r->body->str, got);
        if (rc < 0) {
            /* a refused update leaves the definition as it was */
            g_autofree char *after = vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
            assert_same("unchanged after a refusal", before, after);
        }
    }
}

static VkNetworkDef *
parse_ok(const char *xml)
{
    VkNetworkDef *def = vk_network_def_parse_string(xml);

    if (!def)
        g_error("refused: %s", vk_error_last_message());
    return def;
}

/* bridge_driver.c's networkUpdate: restart, SIGHUP, radvd, firewall */
static void
test_actions(void)
{
    g_autoptr(VkNetworkDef) nat = parse_ok(
        "<network><name>a</name><forward mode='nat'/><bridge name='b'/>"
        "<ip address='10.0.0.1' prefix='24'/></network>");
    g_autoptr(VkNetworkDef) with_host = vk_network_def_copy(nat);
    g_autoptr(VkNetworkDef) open = parse_ok(
        "<network><name>o</name><forward mode='open'/><bridge name='b'/>"
        "<ip address='10.0.0.1' prefix='24'/></network>");
    const unsigned int restart = VK_NETWORK_UPDATE_RESTART_DNSMASQ;
    const unsigned int refresh = VK_NETWORK_UPDATE_REFRESH_DNSMASQ;
    const unsigned int firewall = VK_NETWORK_UPDATE_RELOAD_FIREWALL;

    g_assert_cmpint(vk_network_def_update(with_host, VK_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                          VK_NETWORK_SECTION_IP_DHCP_HOST, -1,
                                          "<host name='h' ip='10.0.0.5'/>"), ==, 0);
    g_assert_cmpuint(vk_network_update_actions(nat, with_host, VK_NETWORK_SECTION_IP_DHCP_HOST),
                     ==, restart | refresh | firewall);
    g_assert_cmpuint(vk_network_update_actions(with_host, with_host,
                                               VK_NETWORK_SECTION_IP_DHCP_HOST),
                     ==, refresh | firewall);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_IP_DHCP_RANGE), ==,
                     restart | firewall);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_DNS_HOST), ==,
                     refresh);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_DNS_TXT), ==,
                     restart);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_DNS_SRV), ==,
                     restart);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_IP), ==,
                     restart | VK_NETWORK_UPDATE_REFRESH_RADVD | firewall);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_FORWARD_INTERFACE),
                     ==, firewall);
    g_assert_cmpuint(vk_network_update_actions(open, open, VK_NETWORK_SECTION_IP_DHCP_RANGE),
                     ==, restart);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_PORTGROUP), ==, 0);
    g_assert_cmpuint(vk_network_update_actions(nat, nat, VK_NETWORK_SECTION_FORWARD_PF), ==, 0);
}

int
main(int argc, char **argv)
{
    g_autofree char *dir = NULL;
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/network-update/actions", test_actions);
    dir = vk_test_corpus_dir("network-update");
    names = vk_test_corpus_list(dir, NULL, ".txt", NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/network-update/%s", name);
        g_test_add_data_func(path, name, test_case);
        if (!vk_test_corpus_has(dir, name, ".expected")) {
            g_autofree char *file = g_strconcat(name, ".txt", NULL);
            vk_test_corpus_add_orphan("network-update", file, ".expected");
        }
    }
    vk_test_corpus_check_partners(dir, "network-update", ".expected", ".txt");
    return g_test_run();
}
