/* QEMU's firmware descriptors: order by file name, a later directory
 * replacing or (empty file) hiding a name, broken ones skipped, targets. */
#include <stdlib.h>

#include <glib/gstdio.h>

#include "drivers/qemu/monitor/firmware-descriptors.h"

#define UEFI_Q35 "{\"interface-types\":[\"uefi\"],\"mapping\":{\"device\":\"flash\"," \
    "\"executable\":{\"filename\":\"/fw/%s_CODE.fd\",\"format\":\"raw\"}," \
    "\"nvram-template\":{\"filename\":\"/fw/%s_VARS.fd\",\"format\":\"raw\"}}," \
    "\"targets\":[{\"architecture\":\"x86_64\",\"machines\":[\"pc-q35-*\"]}]," \
    "\"features\":[\"requires-smm\",\"secure-boot\",\"verbose-dynamic\"]}"

static void
put(const char *dir, const char *name, const char *text)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static char *
uefi(const char *name)
{
    return g_strdup_printf(UEFI_Q35, name, name);
}

static void
test_order_and_overrides(void)
{
    g_autofree char *base = g_dir_make_tmp("fwdesc-XXXXXX", NULL);
    g_autofree char *sys = g_build_filename(base, "share", NULL);
    g_autofree char *etc = g_build_filename(base, "etc", NULL);
    g_autofree char *a = uefi("A"), *b = uefi("B"), *c = uefi("C"), *d = uefi("D");

    g_mkdir(sys, 0755);
    g_mkdir(etc, 0755);
    put(sys, "50-b.json", b);
    put(sys, "40-a.json", a);
    put(sys, "60-c.json", c);
    put(sys, "70-broken.json", "{\"interface-types\":");
    put(sys, "README", "not a descriptor");
    put(etc, "60-c.json", "");            /* hides the system one */
    put(etc, "50-b.json", d);             /* replaces it */
    const char *dirs[] = { sys, etc, NULL };
    g_autoptr(GPtrArray) all = vk_qemu_firmware_load(dirs);

    g_assert_cmpuint(all->len, ==, 2);
    const VkQemuFirmware *first = all->pdata[0], *second = all->pdata[1];
    g_assert_cmpstr(first->executable, ==, "/fw/A_CODE.fd");
    g_assert_cmpstr(second->executable, ==, "/fw/D_CODE.fd");
    g_assert_cmpstr(second->nvram_template, ==, "/fw/D_VARS.fd");
    g_assert_true(g_str_has_suffix(second->path, "etc/50-b.json"));
    g_assert_cmpuint(first->interfaces, ==, VK_QEMU_FW_IFACE_UEFI);
    g_assert_cmpuint(first->features, ==, VK_QEMU_FW_FEATURE_REQUIRES_SMM |
                                          VK_QEMU_FW_FEATURE_SECURE_BOOT);
    g_assert_true(first->split);
    g_assert_cmpint(first->device, ==, VK_QEMU_FW_DEVICE_FLASH);
    g_assert_true(vk_qemu_firmware_has_target(first, "x86_64", "pc-q35-7.2"));
    g_assert_false(vk_qemu_firmware_has_target(first, "x86_64", "pc-i440fx-7.2"));
    g_assert_false(vk_qemu_firmware_has_target(first, "aarch64", "pc-q35-7.2"));

    const char *none[] = { "/nonexistent/firmware", NULL };
    g_autoptr(GPtrArray) empty = vk_qemu_firmware_load(none);
    g_assert_cmpuint(empty->len, ==, 0);
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", base);
    g_assert_cmpint(system(rm), ==, 0);
}

static void
test_split_flash_needs_template(void)
{
    g_autofree char *dir = g_dir_make_tmp("fwdesc-XXXXXX", NULL);

    put(dir, "10-no-vars.json", "{\"interface-types\":[\"uefi\"],\"mapping\":{\"device\":\"flash\","
        "\"executable\":{\"filename\":\"/fw/X.fd\"}},\"targets\":[]}");
    put(dir, "20-memory.json", "{\"interface-types\":[\"bios\"],\"mapping\":{\"device\":\"memory\","
        "\"filename\":\"/fw/bios.bin\"},\"targets\":[]}");
    const char *dirs[] = { dir, NULL };
    g_autoptr(GPtrArray) all = vk_qemu_firmware_load(dirs);

    g_assert_cmpuint(all->len, ==, 1);
    const VkQemuFirmware *fw = all->pdata[0];
    g_assert_cmpint(fw->device, ==, VK_QEMU_FW_DEVICE_OTHER);
    g_assert_cmpuint(fw->interfaces, ==, VK_QEMU_FW_IFACE_BIOS);
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(rm), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/firmware-descriptors/order-and-overrides", test_order_and_overrides);
    g_test_add_func("/firmware-descriptors/split-flash-needs-template", test_split_flash_needs_template);
    return g_test_run();
}
