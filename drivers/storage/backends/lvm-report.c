/* lvm2 reports (lvm-report.h). */
#include "drivers/storage/backends/lvm-report.h"

#include <stdbool.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/storage/backends/command.h"

void
vk_lvm_volume_free(VkLvmVolume *lv)
{
    if (!lv)
        return;
    g_free(lv->name);
    g_free(lv->uuid);
    g_free(lv->device);
    g_free(lv->attr);
    g_free(lv->origin);
    g_free(lv);
}

static int
bad_output(const char *tool, const char *line)
{
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "cannot parse %s output '%s'",
                    tool, line);
    return -1;
}

int
vk_lvm_vg_sizes(const char *vg, unsigned long long *size, unsigned long long *free_bytes)
{
    const char *argv[] = { "vgs", "--separator", ":", "--noheadings", "--units", "b",
                           "--unbuffered", "--nosuffix", "--options", "vg_size,vg_free", vg,
                           NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) f = NULL;

    if (vk_storage_command_run(argv, &out) < 0)
        return -1;
    f = g_strsplit(g_strstrip(out), ":", -1);
    if (g_strv_length(f) != 2)
        return bad_output("vgs", out);
    *size = g_ascii_strtoull(f[0], NULL, 10);
    *free_bytes = g_ascii_strtoull(f[1], NULL, 10);
    return 0;
}

/* "/dev/sdb(12)": the PV and the extent the segment starts at */
static void
parse_devices(VkLvmVolume *lv, const char *devices, unsigned long long extent_size)
{
    const char *paren = strchr(devices, '(');

    lv->device = paren ? g_strndup(devices, paren - devices) : g_strdup(devices);
    lv->pv_start = paren ? g_ascii_strtoull(paren + 1, NULL, 10) * extent_size : 0;
}

/* lv_name#origin#uuid#devices#segtype#stripes#seg_size#vg_extent_size#size#lv_attr */
static VkLvmVolume *
parse_lv(const char *line)
{
    g_auto(GStrv) f = g_strsplit(line, "#", -1);
    VkLvmVolume *lv;

    if (g_strv_length(f) != 10)
        return NULL;
    lv = g_new0(VkLvmVolume, 1);
    lv->name = g_strdup(g_strstrip(f[0]));
    lv->origin = g_strdup(f[1]);
    lv->uuid = g_strdup(f[2]);
    parse_devices(lv, f[3], g_ascii_strtoull(f[7], NULL, 10));
    lv->seg_size = g_ascii_strtoull(f[6], NULL, 10);
    lv->size = g_ascii_strtoull(f[8], NULL, 10);
    lv->attr = g_strdup(g_strstrip(f[9]));
    return lv;
}

static bool
seen(GPtrArray *lvs, const char *name)
{
    for (guint i = 0; i < lvs->len; i++)
        if (g_str_equal(((VkLvmVolume *) g_ptr_array_index(lvs, i))->name, name))
            return true;
    return false;
}

GPtrArray *
vk_lvm_list_volumes(const char *vg)
{
    const char *argv[] = { "lvs", "--separator", "#", "--noheadings", "--units", "b",
                           "--unbuffered", "--nosuffix", "--options",
                           "lv_name,origin,uuid,devices,segtype,stripes,seg_size,vg_extent_size,"
                           "size,lv_attr", vg, NULL };
    g_autoptr(GPtrArray) lvs = g_ptr_array_new_with_free_func(
        (GDestroyNotify) vk_lvm_volume_free);
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;

    if (vk_storage_command_run(argv, &out) < 0)
        return NULL;
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        VkLvmVolume *lv;
        if (!*g_strstrip(*l))
            continue;
        if (!(lv = parse_lv(*l))) {
            bad_output("lvs", *l);
            return NULL;
        }
        if (seen(lvs, lv->name))   /* later segments of the same LV */
            vk_lvm_volume_free(lv);
        else
            g_ptr_array_add(lvs, lv);
    }
    return g_steal_pointer(&lvs);
}

int
vk_lvm_vg_find(const char *vg, const char *const *devices)
{
    const char *argv[] = { "pvs", "--noheadings", "--separator", ",", "-o", "pv_name,vg_name",
                           NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    int found = VK_LVM_VG_ABSENT;

    if (vk_storage_command_run(argv, &out) < 0)
        return -1;
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) f = g_strsplit(g_strstrip(*l), ",", 2);
        if (g_strv_length(f) != 2 || !g_str_equal(f[1], vg))
            continue;
        if (g_strv_contains(devices, f[0]))
            return VK_LVM_VG_MATCHES;
        found = VK_LVM_VG_OTHER_DEVICES;
    }
    return found;
}
