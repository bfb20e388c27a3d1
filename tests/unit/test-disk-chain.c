/* A disk's live <backingStore> chain and <mirror> (common/conf/disk-chain.c):
 * libvirtd 9.0's live XML (tests/data/block-jobs/expected.txt) parses and
 * formats back unchanged, and the inactive XML shows neither. */
#include <glib.h>
#include <string.h>

#include "common/conf/domain.h"

/* Two disks as libvirtd showed them: an active commit in its ready phase,
 * and a copy's target. */
static const char *const disks[] = {
    "    <disk type='file' device='disk'>\n"
    "      <driver name='qemu' type='qcow2'/>\n"
    "      <source file='/i/top.qcow2' index='2'/>\n"
    "      <backingStore type='file' index='3'>\n"
    "        <format type='qcow2'/>\n"
    "        <source file='/i/mid.qcow2'/>\n"
    "        <backingStore type='file' index='4'>\n"
    "          <format type='qcow2'/>\n"
    "          <source file='/i/base.qcow2'/>\n"
    "          <backingStore/>\n"
    "        </backingStore>\n"
    "      </backingStore>\n"
    "      <mirror type='file' job='active-commit' ready='yes'>\n"
    "        <format type='qcow2'/>\n"
    "        <source file='/i/base.qcow2' index='4'/>\n"
    "      </mirror>\n"
    "      <target dev='vda' bus='virtio'/>\n",
    "    <disk type='file' device='disk'>\n"
    "      <driver name='qemu' type='qcow2'/>\n"
    "      <source file='/i/b.qcow2' index='1'/>\n"
    "      <backingStore/>\n"
    "      <mirror type='file' file='/i/copy.qcow2' format='qcow2' job='copy' ready='yes'>\n"
    "        <format type='qcow2'/>\n"
    "        <source file='/i/copy.qcow2' index='9'/>\n"
    "        <backingStore/>\n"
    "      </mirror>\n"
    "      <target dev='vdb' bus='virtio'/>\n",
};

static char *
domain_xml(void)
{
    GString *s = g_string_new("<domain type='kvm' id='1'>\n  <name>c</name>\n"
                              "  <memory unit='KiB'>65536</memory>\n"
                              "  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
                              "  </os>\n  <devices>\n");

    for (guint i = 0; i < G_N_ELEMENTS(disks); i++)
        g_string_append_printf(s, "%s    </disk>\n", disks[i]);
    g_string_append(s, "  </devices>\n</domain>\n");
    return g_string_free(s, FALSE);
}

static void
test_round_trip(void)
{
    g_autofree char *xml = domain_xml();
    VkDomainDef *def = vk_domain_def_parse_string(xml, 0);
    g_autofree char *live = NULL;

    g_assert_nonnull(def);
    live = vk_domain_def_format(def, 0);
    for (guint i = 0; i < G_N_ELEMENTS(disks); i++)
        g_assert_nonnull(strstr(live, disks[i]));
    VkDomainDiskDef *vda = g_ptr_array_index(def->disks, 0);
    g_assert_cmpuint(vda->backing->len, ==, 2);
    g_assert_cmpuint(((VkDiskLayer *) g_ptr_array_index(vda->backing, 1))->index, ==, 4);
    g_assert_true(vda->src_no_backing);
    g_assert_cmpstr(vda->mirror->job, ==, "active-commit");
    vk_domain_def_free(def);
}

static void
test_inactive_shows_none(void)
{
    g_autofree char *xml = domain_xml();
    VkDomainDef *def = vk_domain_def_parse_string(xml, 0);
    g_autofree char *inactive = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);

    g_assert_null(strstr(inactive, "backingStore"));
    g_assert_null(strstr(inactive, "<mirror"));
    vk_domain_def_free(def);
    /* parsed as a config, the live parts are not even read */
    def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_null(((VkDomainDiskDef *) g_ptr_array_index(def->disks, 0))->mirror);
    vk_domain_def_free(def);
}

/* A config's own chain (as libvirtd 9.0 keeps one given at define): kept
 * in the inactive XML, an index given there dropped. */
static void
test_config_chain_kept(void)
{
    const char *head = "    <disk type='file' device='disk'>\n"
                       "      <driver name='qemu' type='qcow2'/>\n"
                       "      <source file='/i/top.qcow2'/>\n";
    const char *tail = ">\n"
                       "        <format type='qcow2'/>\n"
                       "        <source file='/i/mid.qcow2'/>\n"
                       "        <backingStore/>\n"
                       "      </backingStore>\n"
                       "      <target dev='vda' bus='virtio'/>\n";
    g_autofree char *given = g_strdup_printf("%s      <backingStore type='file' index='7'%s",
                                             head, tail);
    g_autofree char *wanted = g_strdup_printf("%s      <backingStore type='file'%s", head, tail);
    g_autofree char *xml = g_strdup_printf("<domain type='kvm'><name>c</name><memory>65536</memory>"
                                           "<os><type arch='x86_64'>hvm</type></os><devices>%s"
                                           "</disk></devices></domain>", given);
    VkDomainDef *def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autofree char *out = NULL;

    g_assert_nonnull(def);
    out = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(out, wanted));
    vk_domain_def_free(def);
}

static void
test_bad_mirror_refused(void)
{
    const char *xml =
        "<domain type='kvm'><name>c</name><memory>65536</memory>"
        "<os><type arch='x86_64'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><source file='/i/a'/>"
        "<mirror type='file' job='copy'><format type='qcow2'/></mirror>"
        "<target dev='vda' bus='virtio'/></disk></devices></domain>";

    g_assert_null(vk_domain_def_parse_string(xml, 0));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/disk-chain/round-trip", test_round_trip);
    g_test_add_func("/disk-chain/inactive-shows-none", test_inactive_shows_none);
    g_test_add_func("/disk-chain/config-chain-kept", test_config_chain_kept);
    g_test_add_func("/disk-chain/bad-mirror-refused", test_bad_mirror_refused);
    return g_test_run();
}
