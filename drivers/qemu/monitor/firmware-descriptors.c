#include "drivers/qemu/monitor/firmware-descriptors.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "common/util/error.h"
#include "common/util/json.h"

static const struct {
    const char *name;
    VkQemuFirmwareFeature bit;
} feature_names[] = {
    { "acpi-s3", VK_QEMU_FW_FEATURE_ACPI_S3 },
    { "acpi-s4", VK_QEMU_FW_FEATURE_ACPI_S4 },
    { "amd-sev", VK_QEMU_FW_FEATURE_AMD_SEV },
    { "amd-sev-es", VK_QEMU_FW_FEATURE_AMD_SEV_ES },
    { "enrolled-keys", VK_QEMU_FW_FEATURE_ENROLLED_KEYS },
    { "requires-smm", VK_QEMU_FW_FEATURE_REQUIRES_SMM },
    { "secure-boot", VK_QEMU_FW_FEATURE_SECURE_BOOT },
};

static void
target_free(VkQemuFirmwareTarget *t)
{
    g_free(t->architecture);
    g_strfreev(t->machines);
    g_free(t);
}

void
vk_qemu_firmware_free(VkQemuFirmware *fw)
{
    if (!fw)
        return;
    g_free(fw->path);
    g_free(fw->executable);
    g_free(fw->executable_format);
    g_free(fw->nvram_template);
    g_free(fw->nvram_template_format);
    if (fw->targets)
        g_ptr_array_unref(fw->targets);
    g_free(fw);
}

static guint
parse_features(const VkJson *list)
{
    guint bits = 0;

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        const char *name = vk_json_get_string(vk_json_array_get(list, i));
        for (guint k = 0; name && k < G_N_ELEMENTS(feature_names); k++)
            if (g_str_equal(name, feature_names[k].name))
                bits |= feature_names[k].bit;
    }
    return bits;
}

static guint
parse_interfaces(const VkJson *list)
{
    guint bits = 0;

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        const char *name = vk_json_get_string(vk_json_array_get(list, i));
        if (g_strcmp0(name, "bios") == 0)
            bits |= VK_QEMU_FW_IFACE_BIOS;
        else if (g_strcmp0(name, "uefi") == 0)
            bits |= VK_QEMU_FW_IFACE_UEFI;
    }
    return bits;
}

static GPtrArray *
parse_targets(const VkJson *list)
{
    GPtrArray *targets = g_ptr_array_new_with_free_func((GDestroyNotify) target_free);

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        const VkJson *t = vk_json_array_get(list, i);
        const VkJson *machines = vk_json_object_get_array(t, "machines");
        GPtrArray *globs = g_ptr_array_new();
        for (guint k = 0; k < vk_json_array_length(machines); k++) {
            const char *glob = vk_json_get_string(vk_json_array_get(machines, k));
            if (glob)
                g_ptr_array_add(globs, g_strdup(glob));
        }
        g_ptr_array_add(globs, NULL);
        VkQemuFirmwareTarget *target = g_new0(VkQemuFirmwareTarget, 1);
        target->architecture = g_strdup(vk_json_object_get_string(t, "architecture", ""));
        target->machines = (GStrv) g_ptr_array_free(globs, FALSE);
        g_ptr_array_add(targets, target);
    }
    return targets;
}

/* The "mapping" member; FALSE when a flash mapping lacks what the spec
 * requires of it. */
static gboolean
parse_mapping(VkQemuFirmware *fw, const VkJson *mapping)
{
    const VkJson *exe = vk_json_object_get_object(mapping, "executable");
    const VkJson *vars = vk_json_object_get_object(mapping, "nvram-template");

    if (g_strcmp0(vk_json_object_get_string(mapping, "device", ""), "flash") != 0)
        return TRUE;
    fw->device = VK_QEMU_FW_DEVICE_FLASH;
    fw->split = g_str_equal(vk_json_object_get_string(mapping, "mode", "split"), "split");
    fw->executable = g_strdup(vk_json_object_get_string(exe, "filename", NULL));
    fw->executable_format = g_strdup(vk_json_object_get_string(exe, "format", "raw"));
    if (vars) {
        fw->nvram_template = g_strdup(vk_json_object_get_string(vars, "filename", NULL));
        fw->nvram_template_format = g_strdup(vk_json_object_get_string(vars, "format", "raw"));
    }
    return fw->executable && (!fw->split || fw->nvram_template);
}

static VkQemuFirmware *
parse_descriptor(const char *path)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        g_debug("cannot read firmware descriptor %s: %s", path, gerr->message);
        return NULL;
    }
    g_autoptr(VkJson) doc = vk_json_parse(text, len);
    if (!doc || !vk_json_is_object(doc)) {
        g_debug("skipping firmware descriptor %s: %s", path,
                  doc ? "not a JSON object" : vk_error_last_message());
        vk_error_reset();
        return NULL;
    }
    g_autoptr(VkQemuFirmware) fw = g_new0(VkQemuFirmware, 1);
    fw->path = g_strdup(path);
    fw->interfaces = parse_interfaces(vk_json_object_get_array(doc, "interface-types"));
    fw->features = parse_features(vk_json_object_get_array(doc, "features"));
    fw->targets = parse_targets(vk_json_object_get_array(doc, "targets"));
    if (!parse_mapping(fw, vk_json_object_get_object(doc, "mapping"))) {
        g_debug("skipping firmware descriptor %s: incomplete flash mapping", path);
        return NULL;
    }
    return g_steal_pointer(&fw);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
vk_qemu_firmware_load(const char *const *dirs)
{
    /* file name -> full path; a later directory replaces an earlier one */
    g_autoptr(GHashTable) by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify) vk_qemu_firmware_free);

    for (guint i = 0; dirs && dirs[i]; i++) {
        g_autoptr(GDir) dir = g_dir_open(dirs[i], 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir)))
            if (g_str_has_suffix(name, ".json"))
                g_hash_table_replace(by_name, g_strdup(name), g_build_filename(dirs[i], name, NULL));
    }
    g_autofree gpointer *names = g_hash_table_get_keys_as_array(by_name, NULL);
    guint n = g_hash_table_size(by_name);
    qsort(names, n, sizeof(gpointer), compare_names);
    for (guint i = 0; i < n; i++) {
        const char *path = g_hash_table_lookup(by_name, names[i]);
        GStatBuf st;
        if (g_stat(path, &st) == 0 && st.st_size == 0)
            continue;   /* an empty file hides the lower-priority one */
        VkQemuFirmware *fw = parse_descriptor(path);
        if (fw)
            g_ptr_array_add(list, fw);
    }
    return list;
}

gboolean
vk_qemu_firmware_has_target(const VkQemuFirmware *fw, const char *arch, const char *machine)
{
    for (guint i = 0; i < fw->targets->len; i++) {
        const VkQemuFirmwareTarget *t = g_ptr_array_index(fw->targets, i);
        if (g_strcmp0(t->architecture, arch) != 0)
            continue;
        for (guint k = 0; t->machines[k]; k++)
            if (fnmatch(t->machines[k], machine, 0) == 0)
                return TRUE;
    }
    return FALSE;
}
