/* Partition tables through parted (parted-table.h). */
#include "drivers/storage/backends/parted-table.h"

#include <stdio.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/storage/backends/command.h"

void
vk_part_table_free(VkPartTable *table)
{
    if (!table)
        return;
    g_free(table->label);
    g_array_unref(table->extents);
    g_free(table);
}

static bool
parse_bytes(const char *s, unsigned long long *out)
{
    char *end = NULL;

    *out = g_ascii_strtoull(s, &end, 10);
    return end != s && g_str_equal(end, "B");
}

/* "N:STARTB:ENDB:SIZEB:free;" or "N:STARTB:ENDB:SIZEB:FS:NAME:FLAGS;" */
static bool
parse_extent(const char *line, VkPartExtent *ext)
{
    g_auto(GStrv) f = g_strsplit(line, ":", -1);

    if (g_strv_length(f) < 5 || !parse_bytes(f[1], &ext->start) ||
        !parse_bytes(f[2], &ext->end))
        return false;
    ext->end += 1;
    ext->free = g_str_has_prefix(f[4], "free");
    ext->number = ext->free ? 0 : (unsigned int) g_ascii_strtoull(f[0], NULL, 10);
    ext->kind = VK_PART_PRIMARY;
    return true;
}

/* dos: numbers from 5 are logical; the primary slot whose range holds
 * other extents is the extended one, and free space in it is logical */
static void
classify_dos(GArray *extents)
{
    for (guint i = 0; i < extents->len; i++) {
        VkPartExtent *outer = &g_array_index(extents, VkPartExtent, i);
        if (outer->free || outer->number > 4)
            continue;
        for (guint j = 0; j < extents->len; j++) {
            VkPartExtent *inner = &g_array_index(extents, VkPartExtent, j);
            if (j == i || inner->start < outer->start || inner->end > outer->end)
                continue;
            outer->kind = VK_PART_EXTENDED;
            inner->kind = VK_PART_LOGICAL;
        }
    }
    for (guint i = 0; i < extents->len; i++) {
        VkPartExtent *e = &g_array_index(extents, VkPartExtent, i);
        if (!e->free && e->number > 4)
            e->kind = VK_PART_LOGICAL;
    }
}

static unsigned long long
parse_cylinder(const char *chs)
{
    const char *p = chs ? strstr(chs, "geometry: ") : NULL;
    unsigned long long c, h, s;

    if (p && sscanf(p + strlen("geometry: "), "%llu,%llu,%llu", &c, &h, &s) == 3)
        return h * s * 512;
    return 255ULL * 63 * 512;
}

static VkPartTable *
malformed(const char *machine)
{
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                    "cannot parse parted output '%s'", machine);
    return NULL;
}

VkPartTable *
vk_part_table_parse(const char *machine, const char *chs)
{
    g_auto(GStrv) lines = g_strsplit(machine, "\n", -1);
    g_autoptr(VkPartTable) t = g_new0(VkPartTable, 1);
    g_auto(GStrv) dev = NULL;

    t->extents = g_array_new(FALSE, TRUE, sizeof(VkPartExtent));
    if (g_strv_length(lines) < 2 || !g_str_has_prefix(lines[0], "BYT;"))
        return malformed(machine);
    dev = g_strsplit(lines[1], ":", -1);
    if (g_strv_length(dev) < 6 || !parse_bytes(dev[1], &t->size))
        return malformed(machine);
    t->label = g_strdup(g_str_equal(dev[5], "msdos") ? "dos" : dev[5]);
    t->cylinder = parse_cylinder(chs);
    for (char **l = lines + 2; *l; l++) {
        VkPartExtent ext;
        if (**l == '\0')
            continue;
        if (!parse_extent(*l, &ext))
            return malformed(machine);
        g_array_append_val(t->extents, ext);
    }
    if (g_str_equal(t->label, "dos"))
        classify_dos(t->extents);
    return g_steal_pointer(&t);
}

VkPartTable *
vk_part_table_read(const char *device)
{
    const char *machine_argv[] = { "parted", "-s", "-m", device, "unit", "B", "print", "free",
                                   NULL };
    const char *chs_argv[] = { "parted", "-s", device, "unit", "chs", "print", NULL };
    g_autofree char *machine = NULL;
    g_autofree char *chs = NULL;

    if (vk_storage_command_run(machine_argv, &machine) < 0 ||
        vk_storage_command_run(chs_argv, &chs) < 0)
        return NULL;
    return vk_part_table_parse(machine, chs);
}

char *
vk_part_device_path(const char *device, unsigned int number, bool separator)
{
    gsize len = strlen(device);
    bool digit = len > 0 && g_ascii_isdigit(device[len - 1]);

    return g_strdup_printf("%s%s%u", device, digit && separator ? "p" : "", number);
}
