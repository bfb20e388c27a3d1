/* QEMU capabilities: a real probe, the cache, and both capabilities XMLs
 * checked against libvirt's schemas. */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "tmpdir.h"
#include "drivers/qemu/monitor/capabilities.h"
#include "drivers/qemu/monitor/capabilities-xml.h"
#include "common/util/error.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"
#define SCHEMAS "/usr/share/libvirt/schemas"

static char *cache_dir;
static VkQemuCaps *probed;      /* the first, cold, probe */
static gint64 cold_us;

/* `qemu -machine help`: the line "q35 ... (alias of pc-q35-7.2)" and the
 * one marked "(default)". */
static void
machine_help(char **q35_target, char **default_machine)
{
    const char *argv[] = { QEMU_BIN, "-machine", "help", NULL };
    g_autofree char *out = NULL;
    g_autoptr(GError) err = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                 &out, NULL, NULL, &err);
    g_assert_no_error(err);
    *q35_target = *default_machine = NULL;
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *alias = strstr(*l, "(alias of ");
        if (g_str_has_prefix(*l, "q35 ") && alias) {
            *q35_target = g_strdup(alias + strlen("(alias of "));
            *strchr(*q35_target, ')') = '\0';
        }
        if (strstr(*l, "(default)") && !g_str_has_prefix(*l, "pc ")) {
            *default_machine = g_strndup(*l, strcspn(*l, " "));
        } else if (g_str_has_prefix(*l, "pc ") && strstr(*l, "(default)") && alias) {
            *default_machine = g_strdup(alias + strlen("(alias of "));
            *strchr(*default_machine, ')') = '\0';
        }
    }
}

static void
test_probe(void)
{
    g_autofree char *q35 = NULL;
    g_autofree char *def = NULL;

    g_assert_nonnull(probed);
    g_assert_false(probed->from_cache);
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, 1);
    g_assert_cmpstr(probed->arch, ==, "x86_64");
    g_assert_cmpuint(probed->version, >=, 2000000);
    g_assert_nonnull(probed->package);
    g_assert_true(probed->kvm_present);
    g_assert_cmpint(probed->kvm_device_ok, ==, access("/dev/kvm", R_OK | W_OK) == 0);
    if (probed->kvm_enabled)
        g_assert_true(probed->kvm_device_ok);
    g_assert_cmpuint(probed->machines->len, >, 10);
    g_assert_cmpuint(probed->cpu_models->len, >, 10);
    g_assert_true(vk_qemu_caps_has_device(probed, "virtio-net-pci"));
    g_assert_true(vk_qemu_caps_has_device(probed, "pcie-root-port"));
    g_assert_false(vk_qemu_caps_has_device(probed, "pci-device"));   /* abstract */

    machine_help(&q35, &def);
    g_assert_nonnull(q35);
    g_assert_cmpstr(vk_qemu_caps_canonical_machine(probed, "q35"), ==, q35);
    g_assert_cmpstr(vk_qemu_caps_canonical_machine(probed, q35), ==, q35);
    g_assert_cmpstr(vk_qemu_caps_canonical_machine(probed, "isapc"), ==, "isapc");
    g_assert_true(g_str_has_prefix(vk_qemu_caps_canonical_machine(probed, "pc"), "pc-i440fx-"));
    g_assert_cmpstr(vk_qemu_caps_default_machine(probed), ==, def);
    g_assert_cmpstr(vk_qemu_caps_default_machine(probed), ==,
                    vk_qemu_caps_canonical_machine(probed, "pc"));
    const VkQemuMachine *m = vk_qemu_caps_find_machine(probed, "q35");
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, q35);
    g_assert_cmpint(m->max_cpus, >=, 255);
    g_assert_null(vk_qemu_caps_find_machine(probed, "no-such-machine"));

    /* The version matches what the binary says of itself. */
    const char *argv[] = { QEMU_BIN, "--version", NULL };
    g_autofree char *out = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, &out, NULL, NULL, NULL);
    g_autofree char *ver = g_strdup_printf("version %lu.%lu.%lu", probed->version / 1000000,
                                           probed->version / 1000 % 1000, probed->version % 1000);
    g_assert_nonnull(strstr(out, ver));
}

static void
test_cache_hit(void)
{
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(VkQemuCaps) again = vk_qemu_caps_get(QEMU_BIN, cache_dir);
    gint64 warm_us = g_get_monotonic_time() - t0;
    g_assert_nonnull(again);
    g_assert_true(again->from_cache);
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, 1);
    g_test_message("probe: cold %" G_GINT64_FORMAT " us, cache hit %" G_GINT64_FORMAT " us",
                   cold_us, warm_us);
    g_assert_cmpint(warm_us, <, cold_us);

    /* Same content as the probe. */
    g_autofree char *a = vk_qemu_caps_to_json(probed);
    g_autofree char *b = vk_qemu_caps_to_json(again);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(vk_qemu_caps_canonical_machine(again, "q35"), ==,
                    vk_qemu_caps_canonical_machine(probed, "q35"));
    g_assert_cmpuint(g_hash_table_size(again->devices), ==, g_hash_table_size(probed->devices));
}

static void
test_cache_stale(void)
{
    g_autofree char *path = vk_qemu_caps_cache_path(cache_dir, QEMU_BIN);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));

    /* Another mtime in the file: the binary "changed", so probe again. */
    g_autoptr(VkQemuCaps) c = vk_qemu_caps_from_json(text, strlen(text));
    g_assert_nonnull(c);
    c->binary_mtime -= 100;
    g_autofree char *stale = vk_qemu_caps_to_json(c);
    g_assert_true(g_file_set_contents(path, stale, -1, NULL));
    guint before = vk_qemu_caps_probe_count();
    g_autoptr(VkQemuCaps) fresh = vk_qemu_caps_get(QEMU_BIN, cache_dir);
    g_assert_nonnull(fresh);
    g_assert_false(fresh->from_cache);
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, before + 1);

    /* Garbage in the cache is ignored, not an error. */
    g_assert_true(g_file_set_contents(path, "{ not json", -1, NULL));
    g_autoptr(VkQemuCaps) again = vk_qemu_caps_get(QEMU_BIN, cache_dir);
    g_assert_nonnull(again);
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, before + 2);
    /* ...and rewritten, so the next one hits. */
    g_autoptr(VkQemuCaps) hit = vk_qemu_caps_get(QEMU_BIN, cache_dir);
    g_assert_true(hit->from_cache);
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, before + 2);
}

static void
test_bad_binary(void)
{
    vk_error_reset();
    g_assert_null(vk_qemu_caps_get("/nonexistent/qemu-system-x86_64", cache_dir));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "Cannot check QEMU binary /nonexistent/qemu-system-x86_64: No such file or directory");

    g_assert_null(vk_qemu_caps_get("/etc/hostname", NULL));
    g_assert_nonnull(strstr(vk_error_last_message(), "/etc/hostname"));

    /* Something that runs but is no QEMU: fails fast, naming it. */
    guint before = vk_qemu_caps_probe_count();
    gint64 t0 = g_get_monotonic_time();
    g_assert_null(vk_qemu_caps_get("/bin/false", cache_dir));
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_true(g_str_has_prefix(vk_error_last_message(),
                                   "internal error: Failed to probe QEMU binary /bin/false"));
    g_assert_cmpuint(vk_qemu_caps_probe_count(), ==, before + 1);
}

/* Validate TEXT with xmllint against SCHEMA (a path). */
static void
assert_valid(const char *text, const char *schema)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *file = NULL;
    int fd = g_file_open_tmp("virtkit-caps-XXXXXX.xml", &file, &err);
    g_assert_no_error(err);
    g_assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    const char *argv[] = { "xmllint", "--noout", "--relaxng", schema, file, NULL };
    g_autofree char *out = NULL, *errout = NULL;
    int status = -1;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errout,
                 &status, &err);
    g_assert_no_error(err);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s does not validate against %s:\n%s\n%s", file, schema, errout, text);
    g_unlink(file);
}

/* A copy of libvirt's schemas where host CPU feature names may contain '.':
 * libvirt 9.0 prints "sse4.1" there but its schema forgot the dot. */
static char *
patched_schema_dir(void)
{
    g_autoptr(GError) err = NULL;
    char *dir = g_dir_make_tmp("virtkit-schemas-XXXXXX", &err);
    g_assert_no_error(err);
    g_autoptr(GDir) d = g_dir_open(SCHEMAS, 0, &err);
    g_assert_no_error(err);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *src = g_build_filename(SCHEMAS, name, NULL);
        g_autofree char *dst = g_build_filename(dir, name, NULL);
        g_autofree char *text = NULL;
        gsize len;
        if (!g_file_get_contents(src, &text, &len, NULL))
            continue;
        if (g_str_equal(name, "cputypes.rng")) {
            g_auto(GStrv) parts = g_strsplit(text, "[a-zA-Z0-9\\-_]+<", -1);
            g_free(text);
            text = g_strjoinv("[a-zA-Z0-9\\-_\\.]+<", parts);
            len = strlen(text);
        }
        g_assert_true(g_file_set_contents(dst, text, len, NULL));
    }
    return dir;
}

static char *
xpath_string(xmlDoc *doc, const char *expr)
{
    xmlXPathContext *ctx = xmlXPathNewContext(doc);
    xmlXPathObject *obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    char *out = NULL;
    if (obj && obj->type == XPATH_STRING)
        out = g_strdup((const char *)obj->stringval);
    else if (obj) {
        xmlChar *s = xmlXPathCastToString(obj);
        out = g_strdup((const char *)s);
        xmlFree(s);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    return out;
}

static void
test_capabilities_xml(void)
{
    if (!g_file_test(SCHEMAS "/capability.rng", G_FILE_TEST_EXISTS)) {
        g_test_skip("no libvirt schemas");
        return;
    }
    g_autoptr(VkHostCaps) host = vk_host_caps_read("/", NULL, NULL);
    g_assert_nonnull(host);
    VkQemuCaps *guests[] = { probed };
    g_autofree char *xml = vk_qemu_caps_format_capabilities(host, guests, 1);
    g_autofree char *schemas = patched_schema_dir();
    g_autofree char *rng = g_build_filename(schemas, "capability.rng", NULL);
    assert_valid(xml, rng);

    xmlDoc *doc = xmlReadMemory(xml, strlen(xml), "caps.xml", NULL, 0);
    g_assert_nonnull(doc);
    g_autofree char *first = xpath_string(doc, "string(/capabilities/guest/arch[@name='x86_64']/machine[1])");
    g_assert_cmpstr(first, ==, vk_qemu_caps_default_machine(probed));
    g_autofree char *canon = xpath_string(doc, "string(/capabilities/guest/arch/machine[text()='q35']/@canonical)");
    g_assert_cmpstr(canon, ==, vk_qemu_caps_canonical_machine(probed, "q35"));
    g_autofree char *emu = xpath_string(doc, "string(/capabilities/guest/arch/emulator)");
    g_assert_cmpstr(emu, ==, QEMU_BIN);
    g_autofree char *acpi = xpath_string(doc, "string(/capabilities/guest/features/acpi/@default)");
    g_assert_cmpstr(acpi, ==, "on");
    g_autofree char *apic = xpath_string(doc, "string(/capabilities/guest/features/apic/@default)");
    g_assert_cmpstr(apic, ==, "on");
    g_autofree char *dac = xpath_string(doc, "string(/capabilities/host/secmodel[model='dac']/baselabel[@type='kvm'])");
    g_assert_cmpstr(dac, ==, "+0:+0");
    g_autofree char *ncpus = xpath_string(doc, "string(sum(/capabilities/host/topology/cells/cell/cpus/@num))");
    g_assert_cmpint(atoi(ncpus), ==, (int)sysconf(_SC_NPROCESSORS_ONLN));
    g_autofree char *kvm = xpath_string(doc, "string(count(/capabilities/guest/arch/domain[@type='kvm']))");
    g_assert_cmpint(atoi(kvm), ==, probed->kvm_enabled ? 1 : 0);
    xmlFreeDoc(doc);
    test_tmpdir_remove(schemas);
}

static void
test_domain_caps_xml(void)
{
    if (!g_file_test(SCHEMAS "/domaincaps.rng", G_FILE_TEST_EXISTS)) {
        g_test_skip("no libvirt schemas");
        return;
    }
    g_autoptr(VkHostCaps) host = vk_host_caps_read("/", NULL, NULL);
    const char *machines[] = { NULL, "q35", "pc" };
    for (guint i = 0; i < G_N_ELEMENTS(machines); i++) {
        g_autofree char *xml = vk_qemu_caps_format_domain_caps(host, probed, machines[i], NULL, NULL);
        g_assert_nonnull(xml);
        assert_valid(xml, SCHEMAS "/domaincaps.rng");
        xmlDoc *doc = xmlReadMemory(xml, strlen(xml), "domcaps.xml", NULL, 0);
        g_autofree char *machine = xpath_string(doc, "string(/domainCapabilities/machine)");
        g_assert_cmpstr(machine, ==, machines[i] ? vk_qemu_caps_canonical_machine(probed, machines[i])
                                                 : vk_qemu_caps_default_machine(probed));
        g_autofree char *dom = xpath_string(doc, "string(/domainCapabilities/domain)");
        g_assert_cmpstr(dom, ==, probed->kvm_enabled ? "kvm" : "qemu");
        g_autofree char *hpm = xpath_string(doc, "string(count(/domainCapabilities/cpu/mode[@name='host-passthrough']/enum[@name='hostPassthroughMigratable']/value))");
        g_assert_cmpint(atoi(hpm), ==, probed->kvm_enabled ? 2 : 0);
        g_autofree char *vga = xpath_string(doc, "string(count(/domainCapabilities/devices/video/enum/value[text()='virtio']))");
        g_assert_cmpstr(vga, ==, "1");
        g_autofree char *ide = xpath_string(doc, "string(count(/domainCapabilities/devices/disk/enum[@name='bus']/value[text()='ide']))");
        g_assert_cmpstr(ide, ==, g_str_has_prefix(machine, "pc-q35") ? "0" : "1");
        g_autofree char *custom = xpath_string(doc, "string(count(/domainCapabilities/cpu/mode[@name='custom']/model))");
        g_assert_cmpint(atoi(custom), >, 5);
        xmlFreeDoc(doc);
    }

    g_autofree char *qemu = vk_qemu_caps_format_domain_caps(host, probed, NULL, "qemu", NULL);
    g_assert_nonnull(strstr(qemu, "<domain>qemu</domain>"));
    g_assert_nonnull(strstr(qemu, "<mode name='host-passthrough' supported='no'/>"));

    g_assert_null(vk_qemu_caps_format_domain_caps(host, probed, "no-such", NULL, NULL));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "invalid argument: the machine 'no-such' is not supported by emulator '" QEMU_BIN "'");
    g_assert_null(vk_qemu_caps_format_domain_caps(host, probed, NULL, "xen", NULL));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
}

/* Host facts from a small fake tree: two NUMA-less CPUs, 2 GiB. */
static void
test_host_fake_sysroot(void)
{
    const char *data = g_getenv("VIRTKIT_TEST_DATA");
    g_autofree char *root = g_build_filename(data ? data : "tests/data", "qemu-caps", "sysroot", NULL);
    g_autoptr(VkHostCaps) host = vk_host_caps_read(root, NULL, NULL);
    g_assert_cmpstr(host->uuid, ==, "0123abcd-0123-4567-89ab-0123456789ab");
    g_assert_cmpuint(host->microcode, ==, 0x1000065);
    g_assert_cmpuint(host->cells->len, ==, 1);
    VkHostCell *cell = host->cells->pdata[0];
    g_assert_cmpuint(cell->memory_kib, ==, 2097152);
    g_assert_cmpuint(cell->cpus->len, ==, 2);
    g_assert_cmpuint(host->sockets, ==, 1);
    g_assert_cmpuint(host->cores, ==, 1);
    g_assert_cmpuint(host->threads, ==, 2);
    g_assert_cmpstr(((VkHostCpu *)cell->cpus->pdata[1])->siblings, ==, "0-1");
    g_assert_cmpuint(host->cache_banks->len, ==, 1);
    VkHostCacheBank *b = host->cache_banks->pdata[0];
    g_assert_cmpuint(b->size_bytes, ==, 16 * 1024 * 1024);
    g_assert_cmpstr(b->cpus, ==, "0-1");
    g_assert_false(host->iommu);

    g_autofree char *xml = vk_qemu_caps_format_capabilities(host, NULL, 0);
    g_assert_nonnull(strstr(xml, "<bank id='0' level='3' type='both' size='16' unit='MiB' cpus='0-1'/>"));
    g_assert_nonnull(strstr(xml, "<memory unit='KiB'>2097152</memory>"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-caps/host-fake-sysroot", test_host_fake_sysroot);
    if (!g_file_test(QEMU_BIN, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no " QEMU_BIN);
        return g_test_run();
    }
    g_autoptr(GError) err = NULL;
    cache_dir = g_dir_make_tmp("virtkit-test-caps-XXXXXX", &err);
    g_assert_no_error(err);
    g_autofree char *sub = g_build_filename(cache_dir, "var/cache/libvirt/qemu/capabilities", NULL);
    g_free(cache_dir);
    cache_dir = g_steal_pointer(&sub);

    gint64 t0 = g_get_monotonic_time();
    probed = vk_qemu_caps_get(QEMU_BIN, cache_dir);
    cold_us = g_get_monotonic_time() - t0;
    if (!probed)
        g_error("probe failed: %s", vk_error_last_message());

    g_test_add_func("/qemu-caps/probe", test_probe);
    g_test_add_func("/qemu-caps/cache-hit", test_cache_hit);
    g_test_add_func("/qemu-caps/cache-stale", test_cache_stale);
    g_test_add_func("/qemu-caps/bad-binary", test_bad_binary);
    g_test_add_func("/qemu-caps/capabilities-xml", test_capabilities_xml);
    g_test_add_func("/qemu-caps/domain-caps-xml", test_domain_caps_xml);
    int ret = g_test_run();

    vk_qemu_caps_free(probed);
    g_autofree char *top = g_path_get_dirname(cache_dir);   /* .../qemu */
    for (int i = 0; i < 4; i++) {
        char *up = g_path_get_dirname(top);
        g_free(top);
        top = up;
    }
    test_tmpdir_remove(top);
    g_free(cache_dir);
    return ret;
}
