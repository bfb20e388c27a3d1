/* Domain XML: parse, format, defaults, errors.
 *
 * Data: tests/data/domain-conf/ (our fixtures: NAME.xml -> NAME.expected.xml
 * after parse + defaults + format; ref-*.xml are libvirtd outputs) and
 * tests/data/domain/ (the reference libvirtd corpus: every NAME.expected.xml
 * is libvirt's own output, so it must come back byte for byte). */
#include "common/conf/domain.h"
#include "common/util/error.h"
#include "corpus.h"
#include "schema.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static char *
read_file(const char *path)
{
    char *text = NULL;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err))
        g_error("cannot read %s: %s", path, err->message);
    return text;
}

/* Show a diff of two texts in the test log, for failures. */
static void
log_diff(const char *expected, const char *actual)
{
    g_autofree char *dir = g_dir_make_tmp("vk-conf-XXXXXX", NULL);
    g_autofree char *a = g_build_filename(dir, "expected", NULL);
    g_autofree char *b = g_build_filename(dir, "actual", NULL);
    g_autofree char *out = NULL;

    g_file_set_contents(a, expected, -1, NULL);
    g_file_set_contents(b, actual, -1, NULL);
    const char *argv[] = { "diff", "-u", a, b, NULL };
    g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &out, NULL, NULL, NULL);
    g_test_message("%s", out ? out : "(no diff)");
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
}

static void
assert_same_text(const char *expected, const char *actual)
{
    if (g_strcmp0(expected, actual) != 0) {
        log_diff(expected, actual);
        g_assert_cmpstr(actual, ==, expected);
    }
}

static void
assert_schema_valid(const char *xml)
{
    vk_test_assert_schema_valid(xml, "domain.rng");
}

static char *
parse_format(const char *xml, unsigned int flags, bool defaults)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, flags);

    if (!def) {
        g_test_message("parse failed: %s", vk_error_last_message());
        g_test_fail();
        return g_strdup("");
    }
    if (defaults && vk_domain_def_apply_defaults(def, NULL) < 0) {
        g_test_message("defaults failed: %s", vk_error_last_message());
        g_test_fail();
        return g_strdup("");
    }
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
}

/* ---- libvirtd's own outputs come back unchanged -------------------------- */

static void
test_fixed_point(gconstpointer data)
{
    const char *path = data;
    g_autofree char *xml = read_file(path);
    g_autofree char *want = vk_test_corpus_redefined(path);
    g_autofree char *out = parse_format(xml, VK_DOMAIN_PARSE_INACTIVE, false);

    assert_same_text(want, out);
    assert_schema_valid(out);
}

/* ...and so does the result of applying our defaults to them (nothing to add). */
static void
test_fixed_point_defaults(gconstpointer data)
{
    const char *path = data;
    g_autofree char *xml = read_file(path);
    g_autofree char *want = vk_test_corpus_redefined(path);
    g_autofree char *out = parse_format(xml, VK_DOMAIN_PARSE_INACTIVE, true);

    assert_same_text(want, out);
}

/* ---- our fixtures: input -> parse + defaults + format -> expected -------- */

static void
test_fixture(gconstpointer data)
{
    const char *path = data;
    g_autofree char *xml = read_file(path);
    g_autofree char *base = g_strndup(path, strlen(path) - strlen(".xml"));
    g_autofree char *expected_path = g_strconcat(base, ".expected.xml", NULL);
    g_autofree char *expected = read_file(expected_path);
    g_autofree char *out = parse_format(xml, VK_DOMAIN_PARSE_INACTIVE, true);

    assert_same_text(expected, out);
    assert_schema_valid(out);
}

/* ---- round trip: parse, format, parse, format gives the same bytes -------- */

static void
test_round_trip(gconstpointer data)
{
    const char *path = data;
    g_autofree char *xml = read_file(path);
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);

    if (!def) {
        g_test_fail_printf("refused by the parser: %s", vk_error_last_message());
        return;
    }
    g_assert_cmpint(vk_domain_def_apply_defaults(def, NULL), ==, 0);
    g_autofree char *once = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_autofree char *twice = parse_format(once, VK_DOMAIN_PARSE_INACTIVE, false);
    g_autofree char *thrice = parse_format(twice, VK_DOMAIN_PARSE_INACTIVE, true);

    /* As libvirtd, a second define may move the controllers added at the
     * first among those of their type; from then on nothing changes. */
    assert_same_text(twice, thrice);
    assert_schema_valid(once);
}

/* ---- errors ----------------------------------------------------------------- */

#define MINIMAL_HEAD "<domain type='kvm'><name>t</name><memory unit='KiB'>1024</memory>" \
                     "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
#define DISK_AT(addr) MINIMAL_HEAD "<devices><disk type='file' device='disk'>" \
                      "<source file='/a.img'/><target dev='vda' bus='virtio'/>" addr \
                      "</disk></devices></domain>"

typedef struct {
    const char *name;
    const char *xml;
    int code;
    const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
    { "malformed", "<domain type='kvm'>\n  <name>x</name>\n  <memory>1</memory\n</domain>\n",
      VIR_ERR_XML_DETAIL, "(domain_definition):4: expected '>'\n</domain>\n^" },
    { "malformed-open-tag", "<domain", VIR_ERR_XML_DETAIL,
      "(domain_definition):1: Couldn't find end of Start Tag domain line 1\n<domain\n-------^" },
    { "wrong-root", "<foo/>", VIR_ERR_XML_ERROR,
      "XML error: expecting root element of 'domain', not 'foo'" },
    { "unknown-memory-unit",
      "<domain type='kvm'><name>t</name><memory unit='parsecs'>1</memory>"
      "<os><type>hvm</type></os></domain>",
      VIR_ERR_INVALID_ARG, "invalid argument: unknown suffix 'parsecs'" },
    { "memory-overflow-scaled",
      "<domain type='kvm'><name>t</name><memory unit='GiB'>99999999999999</memory>"
      "<os><type>hvm</type></os></domain>",
      VIR_ERR_OVERFLOW, "numerical overflow: value too large: 99999999999999GiB" },
    { "memory-overflow-number",
      "<domain type='kvm'><name>t</name><memory>99999999999999999999999</memory>"
      "<os><type>hvm</type></os></domain>",
      VIR_ERR_XML_ERROR,
      "XML error: Invalid value '99999999999999999999999' for element or attribute './memory[1]'" },
    { "memory-missing",
      "<domain type='kvm'><name>t</name><os><type>hvm</type></os></domain>",
      VIR_ERR_XML_ERROR,
      "XML error: Memory size must be specified via <memory> or in the <numa> configuration" },
    { "pci-slot-32", DISK_AT("<address type='pci' slot='0x20'/>"), VIR_ERR_XML_ERROR,
      "XML error: Invalid PCI address slot='0x20', must be <= 0x1F" },
    { "pci-function-8", DISK_AT("<address type='pci' slot='2' function='8'/>"),
      VIR_ERR_XML_ERROR, "XML error: Invalid PCI address function=0x8, must be <= 7" },
    { "pci-bus-256", DISK_AT("<address type='pci' bus='0x100' slot='2'/>"), VIR_ERR_XML_ERROR,
      "XML error: Invalid PCI address bus='0x100', must be <= 0xFF" },
    { "pci-domain-1", DISK_AT("<address type='pci' domain='1' slot='2'/>"), VIR_ERR_XML_ERROR,
      "XML error: Invalid PCI address 0001:00:02.0. Only PCI domain 0 is available" },
    { "pci-bus-not-number", DISK_AT("<address type='pci' bus='zero' slot='2'/>"),
      VIR_ERR_XML_ERROR,
      "XML error: Invalid value for attribute 'bus' in element 'address': 'zero'. "
      "Expected non-negative integer value" },
    { "address-type-unknown", DISK_AT("<address type='nubus'/>"), VIR_ERR_CONFIG_UNSUPPORTED,
      "unsupported configuration: unknown address type 'nubus'" },
    { "missing-name",
      "<domain type='kvm'><memory>1024</memory><os><type>hvm</type></os></domain>",
      VIR_ERR_NO_NAME, "missing name information" },
    { "bad-uuid",
      "<domain type='kvm'><name>t</name><uuid>1234</uuid><memory>1024</memory>"
      "<os><type>hvm</type></os></domain>",
      VIR_ERR_INTERNAL_ERROR, "internal error: malformed uuid element" },
    { "domain-type-unknown",
      "<domain type='foo'><name>t</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: invalid domain type foo" },
    { "domain-type-missing",
      "<domain><name>t</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      VIR_ERR_INTERNAL_ERROR, "internal error: missing domain type attribute" },
    { "vcpu-not-number",
      "<domain type='kvm'><name>t</name><memory>1024</memory><vcpu>abc</vcpu>"
      "<os><type>hvm</type></os></domain>",
      VIR_ERR_XML_ERROR, "XML error: maximum vcpus count must be an integer" },
    { "disk-without-target",
      "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>"
      "<devices><disk type='file'><source file='/a'/></disk></devices></domain>",
      VIR_ERR_NO_TARGET, "missing target information for device /a" },
    { "disk-bus-unknown",
      "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>"
      "<devices><disk type='file'><target dev='vda' bus='foo'/></disk></devices></domain>",
      VIR_ERR_XML_ERROR, "XML error: Invalid value for attribute 'bus' in element 'target': 'foo'." },
};

static void
test_error_case(gconstpointer data)
{
    const ErrorCase *c = data;

    vk_error_reset();
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(c->xml, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_null(def);
    g_assert_cmpint(vk_error_last_code(), ==, c->code);
    g_assert_cmpstr(vk_error_last_message(), ==, c->message);
}

/* Corpus documents libvirtd refuses that our parser must refuse the same way
 * (the others are refused later: PCI assignment, QEMU validation). */
static const char *const corpus_parse_errors[] = {
    "address-type-unknown", "bad-uuid", "controller-usb-model-unknown", "disk-bus-unknown",
    "domain-type-unknown", "duplicate-target-dev", "hostdev-pci-duplicate-source",
    "interface-mac-multicast", "lifecycle-action-unknown", "malformed-xml", "memory-overflow",
    "memory-too-large-eib", "memory-unit-unknown", "memory-zero", "missing-memory",
    "missing-name", "name-with-slash", "pci-bridge-address-slot-0x20", "pci-bus-0x100",
    "pci-bus-not-a-number", "pci-controller-duplicate-index", "pci-domain-1",
    "pci-function-8", "pci-slot-0x20", "vcpu-current-above-max", "vcpu-zero",
    "watchdog-model-itco", "watchdog-two-devices", NULL
};

static void
test_corpus_error(gconstpointer data)
{
    const char *name = data;
    g_autofree char *corpus = vk_test_corpus_dir("domain");
    g_autofree char *xml_path = g_strdup_printf("%s/invalid-%s.xml", corpus, name);
    g_autofree char *err_path = g_strdup_printf("%s/invalid-%s.error", corpus, name);
    /* a missing file fails (read_file) */
    g_autofree char *xml = read_file(xml_path);
    g_autofree char *expected = read_file(err_path);
    /* line 1 code, line 2 domain, the rest the message */
    g_auto(GStrv) parts = g_strsplit(expected, "\n", 3);
    if (!parts[0] || !parts[1] || !parts[2]) {
        g_test_fail_printf("%s: not code, domain and message, one a line", err_path);
        return;
    }
    g_autofree char *message = g_strdup(parts[2]);
    g_strchomp(message);

    vk_error_reset();
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_null(def);
    const VkError *err = vk_error_last();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, atoi(parts[0]));
    g_assert_cmpint(err->domain, ==, atoi(parts[1]));
    g_assert_cmpstr(err->message, ==, message);
}

/* ---- specific behaviours ---------------------------------------------------- */

static void
test_memory_units(void)
{
    static const struct { const char *unit; const char *value; unsigned long long kib; } cases[] = {
        { "b", "1048576", 1024 }, { "bytes", "1000", 1 }, { "k", "4", 4 }, { "KiB", "4", 4 },
        { "KB", "1024", 1000 }, { "M", "1", 1024 }, { "MiB", "2", 2048 }, { "MB", "1", 977 },
        { "G", "1", 1048576 }, { "GiB", "1", 1048576 }, { "GB", "1", 976563 },
        { "T", "1", 1073741824ULL }, { "TiB", "1", 1073741824ULL }, { "TB", "1", 976562500ULL },
        { NULL, "512", 512 },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='kvm'><name>t</name><memory%s%s%s>%s</memory>"
            "<os><type>hvm</type></os></domain>",
            cases[i].unit ? " unit='" : "", cases[i].unit ? cases[i].unit : "",
            cases[i].unit ? "'" : "", cases[i].value);
        g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, 0);
        g_assert_nonnull(def);
        g_assert_cmpuint(def->memory_kib, ==, cases[i].kib);
        g_assert_cmpuint(def->current_memory_kib, ==, cases[i].kib);
    }
}

static void
test_uuid_and_mac_generated(void)
{
    const char *xml = MINIMAL_HEAD "<devices><interface type='network'>"
                      "<source network='default'/></interface></devices></domain>";
    g_autoptr(VkDomainDef) a = vk_domain_def_parse_string(xml, 0);
    g_autoptr(VkDomainDef) b = vk_domain_def_parse_string(xml, 0);

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, b->uuid, VK_UUID_LEN) != 0);
    g_assert_cmpint(a->uuid[6] >> 4, ==, 4);
    VkDomainNetDef *n = g_ptr_array_index(a->nets, 0);
    g_assert_true(n->mac_generated);
    g_assert_true(g_str_has_prefix(n->mac, "52:54:00:"));
    g_assert_cmpuint(strlen(n->mac), ==, 17);
}

static void
test_pci_address_empty_means_assign(void)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(DISK_AT("<address type='pci'/>"), 0);

    g_assert_nonnull(def);
    VkDomainDiskDef *d = g_ptr_array_index(def->disks, 0);
    g_assert_cmpint(d->info.addr.type, ==, VK_DEVICE_ADDRESS_PCI);
    g_assert_true(vk_device_info_pci_wanted(&d->info));
    g_assert_false(vk_device_info_pci_present(&d->info));

    g_autoptr(VkDomainDef) def2 = vk_domain_def_parse_string(
        DISK_AT("<address type='pci' slot='0x1f' function='7' multifunction='on'/>"), 0);
    g_assert_nonnull(def2);
    d = g_ptr_array_index(def2->disks, 0);
    g_assert_true(vk_device_info_pci_present(&d->info));
    g_assert_cmpuint(d->info.addr.pci.slot, ==, 0x1f);
    g_assert_cmpuint(d->info.addr.pci.function, ==, 7);
    g_assert_cmpint(d->info.addr.pci.multifunction, ==, VK_TRISTATE_ON);
}

static int
count_device(VkDomainDef *def, VkDomainDeviceKind kind, void *device, VkDeviceInfo *info,
             void *opaque)
{
    (*(int *) opaque)++;
    return 0;
}

static void
test_controller_insert_order(void)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(
        MINIMAL_HEAD "<devices>"
        "<controller type='pci' index='2' model='pcie-root-port'/>"
        "<controller type='usb' index='0' model='qemu-xhci'/>"
        "<controller type='pci' index='0' model='pcie-root'/>"
        "<controller type='pci' index='1' model='pcie-root-port'/>"
        "</devices></domain>", 0);
    g_assert_nonnull(def);
    g_assert_cmpuint(def->controllers->len, ==, 4);
    /* as libvirtd 9.0 keeps them: grouped by type in the order the types
     * first appear, by index within a type (checked against libvirtd) */
    int expected[][2] = { { VK_CONTROLLER_PCI, 0 }, { VK_CONTROLLER_PCI, 1 },
                          { VK_CONTROLLER_PCI, 2 }, { VK_CONTROLLER_USB, 0 } };
    for (int i = 0; i < 4; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        g_assert_cmpint(c->type, ==, expected[i][0]);
        g_assert_cmpint(c->index, ==, expected[i][1]);
    }
    VkDomainControllerDef *extra = vk_domain_controller_def_new(VK_CONTROLLER_PCI);
    extra->index = 3;
    extra->pci_model = VK_PCI_MODEL_PCIE_ROOT_PORT;
    vk_domain_def_add_controller(def, extra);
    g_assert_true(g_ptr_array_index(def->controllers, 4) == extra);
    g_assert_true(vk_domain_def_find_controller(def, VK_CONTROLLER_PCI, 3) == extra);

    int n = 0;
    g_assert_cmpint(vk_domain_def_foreach_device(def, count_device, &n), ==, 0);
    g_assert_cmpint(n, ==, 5);
}

static void
test_metadata_kept(void)
{
    const char *xml =
        "<domain type='kvm'><name>t</name><metadata>\n"
        "  <app:foo xmlns:app='http://example.org/app/' a='1'><app:x>y</app:x></app:foo>\n"
        "  <nons>dropped</nons>\n"
        "  <app:bar xmlns:app='http://example.org/app/'/>\n"
        "</metadata><memory>1024</memory><os><type>hvm</type></os></domain>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, 0);

    g_assert_nonnull(def);
    g_assert_cmpstr(def->metadata, ==,
                    "<metadata>\n"
                    "    <app:foo xmlns:app=\"http://example.org/app/\" a=\"1\">\n"
                    "      <app:x>y</app:x>\n"
                    "    </app:foo>\n"
                    "  </metadata>");
}

/* A guest with one type network interface of the given insides. */
#define NETWORK_GUEST(insides)                                                        \
    "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>" \
    "<devices><interface type='network'><mac address='52:54:00:01:02:03'/>" insides   \
    "</interface></devices></domain>"

/* A running guest's type network interface: the live XML (and the status
 * file) carry its port and bridge, the inactive XML neither. */
static void
test_network_source_live_only(void)
{
    const char *xml = NETWORK_GUEST(
        "<source network='n1' portgroup='pg' portid='0b7a0d4e-8c3c-4b8e-9d52-6a1c1f0e2d33'"
        " bridge='virbr3'/><target dev='vnet4'/>");
    const char *live_src = "<source network='n1' portgroup='pg' "
                           "portid='0b7a0d4e-8c3c-4b8e-9d52-6a1c1f0e2d33' bridge='virbr3'/>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, 0);
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;

    g_assert_nonnull(def);
    live = vk_domain_def_format(def, 0);
    inactive = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(live, live_src));
    g_assert_nonnull(strstr(inactive, "<source network='n1' portgroup='pg'/>"));
    g_autoptr(VkDomainDef) again = vk_domain_def_parse_string(live, 0);
    g_assert_nonnull(again);
    g_autofree char *live2 = vk_domain_def_format(again, 0);
    g_assert_cmpstr(live2, ==, live);
    g_assert_null(vk_domain_def_parse_string(
        "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>"
        "<devices><interface type='network'><source network='n1' portid='nope'/>"
        "</interface></devices></domain>", 0));
    g_assert_cmpstr(vk_error_last_message(), ==, "internal error: Unable to parse port id 'nope'");
}

/* A running guest's interface on a hostdev network (its port a VF): the
 * status file keeps it a network interface with the VF in <actual>; the
 * live XML shows it as libvirt does, type hostdev with the VF as source;
 * the inactive XML as it was defined. */
static void
test_network_actual_hostdev(void)
{
    const char *status = NETWORK_GUEST(
        "<source network='vfnet' portid='0b7a0d4e-8c3c-4b8e-9d52-6a1c1f0e2d33'/>"
        "<actual type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' "
        "bus='0x7e' slot='0x10' function='0x2'/></source></actual>");
    const char *vf = "<address type='pci' domain='0x0000' bus='0x7e' slot='0x10' "
                     "function='0x2'/>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(status, 0);
    g_autoptr(VkDomainDef) config = vk_domain_def_parse_string(status, VK_DOMAIN_PARSE_INACTIVE);
    g_autofree char *live = NULL, *saved = NULL, *inactive = NULL;

    g_assert_nonnull(def);
    live = vk_domain_def_format(def, 0);
    saved = vk_domain_def_format(def, VK_DOMAIN_FORMAT_STATUS);
    inactive = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(live, "<interface type='hostdev' managed='yes'>"));
    g_assert_nonnull(strstr(live, vf));
    g_assert_null(strstr(live, "vfnet"));
    g_assert_nonnull(strstr(saved, "<interface type='network'>"));
    g_assert_nonnull(strstr(saved, "<actual type='hostdev' managed='yes'>"));
    g_assert_nonnull(strstr(saved, vf));
    g_assert_nonnull(strstr(inactive, "<source network='vfnet'/>"));
    g_assert_null(strstr(inactive, "actual"));
    /* a definition's <actual> is not ours to take */
    g_assert_false(((VkDomainNetDef *) g_ptr_array_index(config->nets, 0))->actual_hostdev);
    g_autoptr(VkDomainDef) again = vk_domain_def_parse_string(saved, 0);
    g_autofree char *saved2 = vk_domain_def_format(again, VK_DOMAIN_FORMAT_STATUS);
    g_assert_cmpstr(saved2, ==, saved);
}

/* One test FUNC(path) per document of DIR named MUST_START...SUFFIX (ending
 * in SUFFIX or not, as WANT_SUFFIX says; without MUST_START, invalid-* are
 * left out).  None at all fails (vk_test_corpus_list). */
static void
add_dir_tests(const char *dir, const char *suffix, bool want_suffix, const char *prefix,
              GTestDataFunc func, const char *must_start)
{
    g_autoptr(GPtrArray) names = want_suffix
        ? vk_test_corpus_list(dir, must_start, suffix, NULL)
        : vk_test_corpus_list(dir, must_start, ".xml", suffix);
    guint added = 0;

    for (guint i = 0; i < names->len; i++) {
        const char *base = g_ptr_array_index(names, i);
        g_autofree char *n = g_strconcat(base, want_suffix ? suffix : ".xml", NULL);
        g_autofree char *path = g_build_filename(dir, n, NULL);
        g_autofree char *tname = g_strdup_printf("%s/%s", prefix, n);
        if (!must_start && g_str_has_prefix(n, "invalid-"))
            continue;
        /* the path outlives the test run on purpose */
        g_test_add_data_func(tname, g_strdup(path), func);
        added++;
    }
    if (!added)
        g_error("%s: no document for %s", dir, prefix);
}

/* libvirt's disk name index (sda 0, sdz 25, sdaa 26...); a name too long
 * for an int is no disk (the fuzzer found the overflow). */
static void
test_disk_name_index(void)
{
    g_assert_cmpint(vk_domain_disk_name_index("sda"), ==, 0);
    g_assert_cmpint(vk_domain_disk_name_index("vdz"), ==, 25);
    g_assert_cmpint(vk_domain_disk_name_index("hdaa"), ==, 26);
    g_assert_cmpint(vk_domain_disk_name_index("sdzzz"), ==, 18277);
    g_assert_cmpint(vk_domain_disk_name_index("sdA"), ==, -1);
    g_assert_cmpint(vk_domain_disk_name_index("sd"), ==, -1);
    g_assert_cmpint(vk_domain_disk_name_index("sdzzzzzzzz"), ==, -1);
    g_assert_cmpint(vk_domain_disk_name_index("sdzzzzzzzzzzzzzzzzzzzzzz"), ==, -1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* one failing document must not hide the others */
    g_test_set_nonfatal_assertions();

    g_autofree char *corpus = vk_test_corpus_dir("domain");
    g_autofree char *ours = vk_test_corpus_dir("domain-conf");

    g_test_add_func("/domain-conf/memory-units", test_memory_units);
    g_test_add_func("/domain-conf/disk-name-index", test_disk_name_index);
    g_test_add_func("/domain-conf/uuid-mac-generated", test_uuid_and_mac_generated);
    g_test_add_func("/domain-conf/pci-address-empty", test_pci_address_empty_means_assign);
    g_test_add_func("/domain-conf/controller-insert-order", test_controller_insert_order);
    g_test_add_func("/domain-conf/metadata", test_metadata_kept);
    g_test_add_func("/domain-conf/network-source-live-only", test_network_source_live_only);
    g_test_add_func("/domain-conf/network-actual-hostdev", test_network_actual_hostdev);
    for (gsize i = 0; i < G_N_ELEMENTS(error_cases); i++) {
        g_autofree char *tname = g_strdup_printf("/domain-conf/error/%s", error_cases[i].name);
        g_test_add_data_func(tname, &error_cases[i], test_error_case);
    }
    for (gsize i = 0; corpus_parse_errors[i]; i++) {
        g_autofree char *tname = g_strdup_printf("/domain-conf/corpus-error/%s",
                                                 corpus_parse_errors[i]);
        g_test_add_data_func(tname, corpus_parse_errors[i], test_corpus_error);
    }

    add_dir_tests(corpus, ".expected.xml", true, "/domain-conf/fixed-point", test_fixed_point, NULL);
    add_dir_tests(corpus, ".expected.xml", true, "/domain-conf/fixed-point-defaults",
                  test_fixed_point_defaults, NULL);
    add_dir_tests(ours, ".xml", true, "/domain-conf/fixed-point", test_fixed_point, "ref-");
    add_dir_tests(ours, ".expected.xml", false, "/domain-conf/fixture", test_fixture, "fix-");
    add_dir_tests(corpus, ".expected.xml", false, "/domain-conf/round-trip", test_round_trip, NULL);
    add_dir_tests(ours, ".expected.xml", false, "/domain-conf/round-trip", test_round_trip, "fix-");
    /* documents the fuzzer found breaking the round trip once */
    add_dir_tests(ours, ".expected.xml", false, "/domain-conf/round-trip", test_round_trip, "fuzz-");
    return g_test_run();
}
