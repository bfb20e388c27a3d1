/* The storage pool and volume definitions (common/conf/storage-*.c) against
 * libvirtd 9.0 (scripts/regenerate-storage-expected.sh says how each file
 * was made).  Pools: every tests/data/storage-pool/NAME.xml parses and
 * formats to the bytes of NAME.expected.xml (the uuid blanked when the
 * document gives none: libvirtd makes one up), formats the same again when
 * its output is parsed, and validates against storagepool.rng (but for
 * rng-invalid-*, which libvirtd keeps though its schema refuses); manual-*
 * are pool types this libvirtd has no backend for, their expected output
 * written by hand.  Volumes: libvirtd's dump NAME.expected.xml (its pool
 * directory as @POOL@) reads back as an existing volume and formats to the
 * same bytes, valid against storagevol.rng; NAME.xml reads as a create
 * request to what libvirtd made of it.  Every invalid-NAME.xml fails with
 * the code, domain and message of invalid-NAME.error. */
#include <string.h>

#include "common/conf/storage-pool-def.h"
#include "common/conf/storage-vol-def.h"
#include "common/util/error.h"
#include "corpus.h"
#include "schema.h"

#define POOL_DIR "/var/lib/virtkit/images/corpus"

/* ---- pools ---------------------------------------------------------------- */

static char *
pool_define(const char *xml)
{
    g_autoptr(VkStoragePoolDef) def = vk_storage_pool_def_parse_string(xml);

    return def ? vk_storage_pool_def_format(def) : NULL;
}

static char *
blank_uuid(const char *xml)
{
    g_autoptr(GRegex) uuid = g_regex_new("<uuid>[^<]*</uuid>", 0, 0, NULL);

    return g_regex_replace_literal(uuid, xml, -1, 0, "<uuid/>", 0, NULL);
}

static void
test_pool_valid(gconstpointer data)
{
    const VkTestCase *c = data;
    g_autofree char *input = vk_test_corpus_read("storage-pool", c->name, ".xml");
    g_autofree char *want = vk_test_corpus_read("storage-pool", c->name, ".expected.xml");
    g_autofree char *got = NULL, *again = NULL;

    vk_error_reset();
    if (!(got = pool_define(input))) {
        g_test_fail_printf("%s: refused (code %d): %s", c->name, vk_error_last_code(),
                           vk_error_last_message());
        return;
    }
    if (!strstr(input, "<uuid>")) {
        g_autofree char *want_shape = blank_uuid(want), *got_shape = blank_uuid(got);
        vk_test_assert_same(c->name, want_shape, got_shape);
    } else {
        vk_test_assert_same(c->name, want, got);
    }
    again = pool_define(got);
    vk_test_assert_same("reformatted", got, again);
    /* libvirtd keeps some documents its own schema refuses */
    if (!g_str_has_prefix(c->name, "rng-invalid-"))
        vk_test_assert_schema_valid(got, "storagepool.rng");
}

static void
test_pool_invalid(gconstpointer data)
{
    const VkTestCase *c = data;
    g_autofree char *input = vk_test_corpus_read("storage-pool", c->name, ".xml");
    g_autofree char *recorded = vk_test_corpus_read("storage-pool", c->name, ".error");
    g_autofree char *got = NULL;

    vk_error_reset();
    got = pool_define(input);
    vk_test_assert_recorded_error(c->name, recorded, got == NULL);
}

/* ---- volumes (all in a dir pool) ------------------------------------------ */

static char *
vol_read(const char *name, const char *suffix)
{
    g_autofree char *text = vk_test_corpus_read("storage-vol", name, suffix);
    g_auto(GStrv) parts = g_strsplit(text, "@POOL@", -1);

    return g_strjoinv(POOL_DIR, parts);
}

static char *
vol_define(const char *xml, unsigned int flags)
{
    g_autoptr(VkStorageVolDef) def = vk_storage_vol_def_parse_string(xml, VK_STORAGE_POOL_DIR,
                                                                     flags);

    return def ? vk_storage_vol_def_format(def, VK_STORAGE_POOL_DIR) : NULL;
}

/* What the create request decides of the volume libvirtd made. */
static void
compare_request(const char *name, const VkStorageVolDef *req, const VkStorageVolDef *made)
{
    g_assert_cmpstr(req->name, ==, made->name);
    g_assert_cmpstr(req->target_format, ==, made->target_format);
    g_assert_cmpstr(req->backing.path, ==, made->backing.path);
    g_assert_cmpstr(req->backing.format, ==, made->backing.format);
    /* qemu-img rounds a qcow2 image up to 512 bytes; with a backing store
     * and no capacity the backing file's size is taken */
    if (req->has_capacity && (made->capacity < req->capacity || made->capacity - req->capacity >= 512))
        g_test_fail_printf("%s: capacity %llu, libvirtd made %llu", name, req->capacity,
                           made->capacity);
    if (req->has_features)
        g_assert_cmpint(req->lazy_refcounts, ==, made->lazy_refcounts);
    if (req->cluster_size)
        g_assert_cmpuint(req->cluster_size, ==, made->cluster_size);
}

static void
test_vol_valid(gconstpointer data)
{
    const VkTestCase *c = data;
    g_autofree char *input = vol_read(c->name, ".xml");
    g_autofree char *dump = vol_read(c->name, ".expected.xml");
    g_autofree char *got = NULL, *again = NULL, *request = NULL;
    g_autoptr(VkStorageVolDef) req = NULL, made = NULL;

    vk_error_reset();
    /* libvirtd's own output reads back to the same bytes */
    got = vol_define(dump, VK_STORAGE_VOL_PARSE_EXISTING);
    vk_test_assert_same(c->name, dump, got);
    vk_test_assert_schema_valid(dump, "storagevol.rng");
    /* the request reads, formats valid and stable, and asks for what was made */
    if (!(req = vk_storage_vol_def_parse_string(input, VK_STORAGE_POOL_DIR, 0))) {
        g_test_fail_printf("%s: refused (code %d): %s", c->name, vk_error_last_code(),
                           vk_error_last_message());
        return;
    }
    made = vk_storage_vol_def_parse_string(dump, VK_STORAGE_POOL_DIR,
                                           VK_STORAGE_VOL_PARSE_EXISTING);
    g_assert_nonnull(made);
    compare_request(c->name, req, made);
    request = vk_storage_vol_def_format(req, VK_STORAGE_POOL_DIR);
    vk_test_assert_schema_valid(request, "storagevol.rng");
    again = vol_define(request, 0);
    vk_test_assert_same("reformatted", request, again);
}

static void
test_vol_invalid(gconstpointer data)
{
    const VkTestCase *c = data;
    g_autofree char *input = vol_read(c->name, ".xml");
    g_autofree char *recorded = vk_test_corpus_read("storage-vol", c->name, ".error");
    g_autofree char *got = NULL;

    vk_error_reset();
    got = vol_define(input, 0);
    vk_test_assert_recorded_error(c->name, recorded, got == NULL);
}

/* ---- what the corpora cannot show ----------------------------------------- */

static VkStorageVolDef *
vol_ok(const char *xml, VkStoragePoolType type, unsigned int flags)
{
    VkStorageVolDef *def = vk_storage_vol_def_parse_string(xml, type, flags);

    if (!def)
        g_error("refused: %s", vk_error_last_message());
    return def;
}

static void
test_vol_disk_pool(void)
{
    g_autoptr(VkStorageVolDef) def = vol_ok("<volume><name>vde1</name><capacity unit='M'>10"
                                            "</capacity></volume>", VK_STORAGE_POOL_DISK, 0);
    g_autoptr(VkStorageVolDef) linux = vol_ok("<volume><name>vde2</name><capacity>1</capacity>"
                                              "<target><format type='linux-swap'/></target>"
                                              "</volume>", VK_STORAGE_POOL_DISK, 0);
    g_autofree char *xml = vk_storage_vol_def_format(def, VK_STORAGE_POOL_DISK);

    /* disk pools default to "none" and know partition types, not images */
    g_assert_cmpstr(def->target_format, ==, "none");
    g_assert_cmpstr(linux->target_format, ==, "linux-swap");
    g_assert_nonnull(strstr(xml, "<format type='none'/>"));
    g_assert_null(vk_storage_vol_def_parse_string("<volume><name>x</name><capacity>1</capacity>"
                                                  "<target><format type='qcow2'/></target>"
                                                  "</volume>", VK_STORAGE_POOL_DISK, 0));
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "unsupported configuration: unknown volume format type qcow2");
}

static void
test_vol_logical_pool(void)
{
    g_autoptr(VkStorageVolDef) def = vol_ok("<volume><name>lv</name><capacity>1</capacity>"
                                            "<target><format type='anything'/></target>"
                                            "</volume>", VK_STORAGE_POOL_LOGICAL, 0);
    g_autofree char *xml = NULL;

    /* logical pools have no volume formats: the element is not even read */
    g_assert_null(def->target_format);
    def->source_device = g_strdup("/dev/vdc");
    def->source_extents = g_array_new(FALSE, TRUE, sizeof(VkStorageExtent));
    g_array_append_val(def->source_extents, ((VkStorageExtent) { 0, 4194304 }));
    xml = vk_storage_vol_def_format(def, VK_STORAGE_POOL_LOGICAL);
    g_assert_nonnull(strstr(xml, "  <source>\n    <device path='/dev/vdc'>\n"
                                 "      <extent start='0' end='4194304'/>\n    </device>\n"
                                 "  </source>\n"));
    g_assert_null(strstr(xml, "<format"));
    vk_test_assert_schema_valid(xml, "storagevol.rng");
}

static void
test_vol_defaults(void)
{
    g_autoptr(VkStorageVolDef) def = vol_ok("<volume><name>v</name><capacity unit='KiB'>2"
                                            "</capacity><target><nocow/><features/></target>"
                                            "</volume>", VK_STORAGE_POOL_DIR, 0);
    g_autoptr(VkStorageVolDef) copy = vk_storage_vol_def_copy(def);
    g_autoptr(VkStorageVolDef) existing = vol_ok("<volume><name>a/b</name></volume>",
                                                 VK_STORAGE_POOL_DIR,
                                                 VK_STORAGE_VOL_PARSE_EXISTING);
    g_autofree char *a = vk_storage_vol_def_format(def, VK_STORAGE_POOL_DIR);
    g_autofree char *b = vk_storage_vol_def_format(copy, VK_STORAGE_POOL_DIR);

    /* allocation defaults to the capacity; <features> brings compat 1.1 */
    g_assert_cmpuint(def->capacity, ==, 2048);
    g_assert_cmpuint(def->allocation, ==, 2048);
    g_assert_false(def->has_allocation);
    g_assert_true(def->nocow);
    g_assert_cmpstr(def->compat, ==, "1.1");
    g_assert_cmpstr(def->target_format, ==, "raw");
    g_assert_cmpstr(a, ==, b);
    /* libvirt does not format <nocow/> */
    g_assert_null(strstr(a, "nocow"));
    /* a volume read back needs no capacity, and its name is not checked */
    g_assert_false(existing->has_capacity);
}

static VkStoragePoolDef *
pool_ok(const char *xml)
{
    VkStoragePoolDef *def = vk_storage_pool_def_parse_string(xml);

    if (!def)
        g_error("refused: %s", vk_error_last_message());
    return def;
}

static void
test_pool_live_and_copy(void)
{
    g_autoptr(VkStoragePoolDef) def = pool_ok(
        "<pool type='disk'><name>d</name><source><device path='/dev/vde'/></source>"
        "<target><path>/dev</path></target></pool>");
    g_autoptr(VkStoragePoolDef) copy = NULL;
    VkStoragePoolSourceDevice *dev = g_ptr_array_index(def->source.devices, 0);
    g_autofree char *a = NULL, *b = NULL;

    g_assert_null(def->source.format);
    g_assert_cmpstr(vk_storage_pool_source_format_name(&def->source, def->type), ==, "unknown");
    def->capacity = 10737418240ULL;
    def->allocation = 1048576;
    def->available = 10736369664ULL;
    dev->free_extents = g_array_new(FALSE, TRUE, sizeof(VkStorageExtent));
    g_array_append_val(dev->free_extents, ((VkStorageExtent) { 32256, 10737418240ULL }));
    copy = vk_storage_pool_def_copy(def);
    a = vk_storage_pool_def_format(def);
    b = vk_storage_pool_def_format(copy);
    g_assert_cmpstr(a, ==, b);
    g_assert_nonnull(strstr(a, "<capacity unit='bytes'>10737418240</capacity>"));
    g_assert_nonnull(strstr(a, "    <device path='/dev/vde'>\n"
                               "      <freeExtent start='32256' end='10737418240'/>\n"
                               "    </device>\n"));
    vk_test_assert_schema_valid(a, "storagepool.rng");
}

static void
test_pool_sources(void)
{
    VkStoragePoolSource src = { 0 };
    g_autofree char *xml = NULL;

    /* find-storage-pool-sources: a <source> document in, <source> out */
    g_assert_cmpint(vk_storage_pool_source_parse_string(
                        "<source><host name='nfs.example.com'/></source>",
                        VK_STORAGE_POOL_NETFS, &src), ==, 0);
    g_assert_cmpstr(g_ptr_array_index(src.hosts, 0), ==, "nfs.example.com");
    src.dir = g_strdup("/export");
    xml = vk_storage_pool_source_format(&src, VK_STORAGE_POOL_NETFS);
    g_assert_cmpstr(xml, ==, "<source>\n  <host name='nfs.example.com'/>\n"
                             "  <dir path='/export'/>\n  <format type='auto'/>\n</source>\n");
    g_assert_cmpint(vk_storage_pool_source_parse_string("<pool/>", VK_STORAGE_POOL_NETFS,
                                                        &src), ==, -1);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "XML error: expecting root element of 'source', not 'pool'");
    vk_storage_pool_source_clear(&src);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/storage/volume/disk-pool", test_vol_disk_pool);
    g_test_add_func("/storage/volume/logical-pool", test_vol_logical_pool);
    g_test_add_func("/storage/volume/defaults", test_vol_defaults);
    g_test_add_func("/storage/pool/live-and-copy", test_pool_live_and_copy);
    g_test_add_func("/storage/pool/sources", test_pool_sources);
    vk_test_corpus_register("storage-pool", NULL, test_pool_valid, test_pool_invalid,
                            ".expected.xml");
    vk_test_corpus_register("storage-vol", NULL, test_vol_valid, test_vol_invalid,
                            ".expected.xml");
    return g_test_run();
}
