/* common/conf/domain-tune: one child of <cputune>, <memtune>, <blkiotune>,
 * <numatune> read, set and removed, in libvirt's order and form, and what
 * it makes survives a format / parse round trip. */
#include "common/conf/domain-tune.h"

#include <string.h>

static const char *const minimal =
    "<domain type='kvm'><name>t</name><memory unit='KiB'>65536</memory><vcpu>2</vcpu>"
    "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>";

static VkDomainDef *
new_def(void)
{
    VkDomainDef *def = vk_domain_def_parse_string(minimal, VK_DOMAIN_PARSE_INACTIVE);

    g_assert_nonnull(def);
    return def;
}

/* The formatted XML of DEF, parsed again and formatted: the same text. */
static char *
round_trip(const VkDomainDef *def)
{
    g_autofree char *xml = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_autoptr(VkDomainDef) again = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autofree char *xml2 = NULL;

    g_assert_nonnull(again);
    xml2 = vk_domain_def_format(again, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_cmpstr(xml, ==, xml2);
    return g_steal_pointer(&xml);
}

static void
test_cputune(void)
{
    g_autoptr(VkDomainDef) def = new_def();
    VkDomainTuneKey shares = { "cputune", "shares" };
    VkDomainTuneKey quota = { "cputune", "quota" };
    VkDomainTuneKey pin1 = { "cputune", "vcpupin", "vcpu", "1" };
    g_autofree char *xml = NULL, *value = NULL, *pin = NULL;

    g_assert_null(vk_domain_tune_get(def, &shares, NULL));
    /* set out of order: libvirt's order comes out */
    vk_domain_tune_set(def, &pin1, "cpuset", "0-1", NULL);
    vk_domain_tune_set(def, &quota, NULL, "2000", NULL);
    vk_domain_tune_set(def, &shares, NULL, "300", NULL);
    value = vk_domain_tune_get(def, &shares, NULL);
    g_assert_cmpstr(value, ==, "300");
    pin = vk_domain_tune_get(def, &pin1, "cpuset");
    g_assert_cmpstr(pin, ==, "0-1");
    xml = round_trip(def);
    g_assert_nonnull(strstr(xml, "  <cputune>\n    <shares>300</shares>\n    <quota>2000</quota>\n"
                                 "    <vcpupin vcpu='1' cpuset='0-1'/>\n  </cputune>\n"));
    /* removing every child removes the element */
    vk_domain_tune_set(def, &shares, NULL, NULL, NULL);
    vk_domain_tune_set(def, &quota, NULL, NULL, NULL);
    vk_domain_tune_set(def, &pin1, "cpuset", NULL, NULL);
    g_clear_pointer(&xml, g_free);
    xml = round_trip(def);
    g_assert_null(strstr(xml, "cputune"));
}

static void
test_memtune_units(void)
{
    g_autoptr(VkDomainDef) def = new_def();
    VkDomainTuneKey hard = { "memtune", "hard_limit" };
    VkDomainTuneKey soft = { "memtune", "soft_limit" };
    g_autofree char *xml = NULL;

    vk_domain_tune_set(def, &soft, NULL, "1000", "KiB");
    vk_domain_tune_set(def, &hard, NULL, "300000", "KiB");
    xml = round_trip(def);
    g_assert_nonnull(strstr(xml, "  <memtune>\n    <hard_limit unit='KiB'>300000</hard_limit>\n"
                                 "    <soft_limit unit='KiB'>1000</soft_limit>\n  </memtune>\n"));
    /* memtune comes before <vcpu>, as libvirt puts it */
    g_assert_true(strstr(xml, "<memtune>") < strstr(xml, "<vcpu"));
}

static void
test_blkio_devices(void)
{
    g_autoptr(VkDomainDef) def = new_def();
    g_autofree char *xml = NULL, *value = NULL;
    g_auto(GStrv) paths = NULL;

    vk_domain_blkio_device_set(def, "/dev/vda", "write_bytes_sec", "2000");
    vk_domain_blkio_device_set(def, "/dev/vda", "weight", "300");
    vk_domain_blkio_device_set(def, "/dev/vdb", "read_iops_sec", "10");
    paths = vk_domain_blkio_device_paths(def);
    g_assert_cmpuint(g_strv_length(paths), ==, 2);
    g_assert_cmpstr(paths[1], ==, "/dev/vdb");
    value = vk_domain_blkio_device_get(def, "/dev/vda", "weight");
    g_assert_cmpstr(value, ==, "300");
    xml = round_trip(def);
    g_assert_nonnull(strstr(xml, "    <device>\n      <path>/dev/vda</path>\n"
                                 "      <weight>300</weight>\n"
                                 "      <write_bytes_sec>2000</write_bytes_sec>\n    </device>\n"));
    /* a device left with its path only goes */
    vk_domain_blkio_device_set(def, "/dev/vdb", "read_iops_sec", NULL);
    g_clear_pointer(&xml, g_free);
    xml = round_trip(def);
    g_assert_null(strstr(xml, "/dev/vdb"));
}

static void
test_numatune(void)
{
    g_autoptr(VkDomainDef) def = new_def();
    VkDomainTuneKey memory = { "numatune", "memory" };
    g_autofree char *xml = NULL;

    vk_domain_tune_set(def, &memory, "mode", "interleave", NULL);
    vk_domain_tune_set(def, &memory, "nodeset", "0", NULL);
    xml = round_trip(def);
    g_assert_nonnull(strstr(xml, "  <numatune>\n    <memory mode='interleave' nodeset='0'/>\n"
                                 "  </numatune>\n"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/domain-tune/cputune", test_cputune);
    g_test_add_func("/domain-tune/memtune-units", test_memtune_units);
    g_test_add_func("/domain-tune/blkio-devices", test_blkio_devices);
    g_test_add_func("/domain-tune/numatune", test_numatune);
    return g_test_run();
}
