/* Which cgroup mount serves which controller (see cgroup-layout.h). */
#include "common/host/cgroup-layout.h"

#include <string.h>

static const char *const controller_names[VK_CGROUP_N] = {
    "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "net_cls", "perf_event",
};

const char *
vk_cgroup_controller_name(VkCgroupController controller)
{
    return controller_names[controller];
}

static int
controller_by_name(const char *name, bool v2)
{
    if (v2 && g_str_equal(name, "io"))
        return VK_CGROUP_BLKIO;   /* v2 calls blkio "io" */
    for (int c = 0; c < VK_CGROUP_N; c++) {
        if (g_str_equal(name, controller_names[c]))
            return c;
    }
    return -1;
}

/* One line of mountinfo: its mount point (escapes undone), file system type
 * and super options; FALSE for lines of another form. */
static gboolean
parse_mount(const char *line, char **mount_point, char **fstype, char **options)
{
    g_auto(GStrv) halves = g_strsplit(line, " - ", 2);
    g_auto(GStrv) head = NULL, tail = NULL;

    if (!halves[0] || !halves[1])
        return FALSE;
    head = g_strsplit(halves[0], " ", -1);
    tail = g_strsplit(halves[1], " ", -1);
    if (g_strv_length(head) < 5 || g_strv_length(tail) < 3)
        return FALSE;
    *mount_point = g_strcompress(head[4]);
    *fstype = g_strdup(tail[0]);
    *options = g_strdup(tail[2]);
    return TRUE;
}

static bool
below_root(const char *path, const char *root)
{
    size_t n = strlen(root);

    while (n > 1 && root[n - 1] == '/')
        n--;
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The v2 mount's controllers, plus cpuacct and devices, as libvirt's v2
 * backend claims them. */
static void
claim_v2(VkCgroupLayout *layout)
{
    g_autofree char *path = g_build_filename(layout->unified, "cgroup.controllers", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) names = NULL;

    if (g_file_get_contents(path, &text, NULL, NULL))
        names = g_strsplit_set(g_strstrip(text), " \n", -1);
    for (guint i = 0; names && names[i]; i++) {
        int c = controller_by_name(names[i], true);
        if (c >= 0)
            layout->mount[c] = g_strdup(layout->unified);
    }
    static const VkCgroupController always[] = { VK_CGROUP_CPUACCT, VK_CGROUP_DEVICES };
    for (guint i = 0; i < G_N_ELEMENTS(always); i++) {
        if (!layout->mount[always[i]])
            layout->mount[always[i]] = g_strdup(layout->unified);
    }
}

static void
claim_v1(VkCgroupLayout *layout, const char *mount_point, const char *options)
{
    g_auto(GStrv) opts = g_strsplit(options, ",", -1);

    for (guint i = 0; opts[i]; i++) {
        int c = controller_by_name(opts[i], false);
        if (c >= 0 && !layout->mount[c])
            layout->mount[c] = g_strdup(mount_point);
    }
}

VkCgroupLayout *
vk_cgroup_layout_read(const char *root, const char *mountinfo)
{
    VkCgroupLayout *layout = g_new0(VkCgroupLayout, 1);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GPtrArray) v1 = g_ptr_array_new_with_free_func(g_free);

    if (!g_file_get_contents(mountinfo, &text, NULL, NULL))
        return layout;
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_autofree char *mount_point = NULL, *fstype = NULL, *options = NULL;

        if (!parse_mount(lines[i], &mount_point, &fstype, &options) ||
            !below_root(mount_point, root))
            continue;
        if (g_str_equal(fstype, "cgroup2") && !layout->unified) {
            layout->unified = g_steal_pointer(&mount_point);
        } else if (g_str_equal(fstype, "cgroup")) {
            g_ptr_array_add(v1, g_steal_pointer(&mount_point));
            g_ptr_array_add(v1, g_steal_pointer(&options));
        }
    }
    /* libvirt asks the v2 backend first */
    if (layout->unified)
        claim_v2(layout);
    for (guint i = 0; i + 1 < v1->len; i += 2)
        claim_v1(layout, g_ptr_array_index(v1, i), g_ptr_array_index(v1, i + 1));
    return layout;
}

void
vk_cgroup_layout_free(VkCgroupLayout *layout)
{
    if (!layout)
        return;
    for (int c = 0; c < VK_CGROUP_N; c++)
        g_free(layout->mount[c]);
    g_free(layout->unified);
    g_free(layout);
}

bool
vk_cgroup_layout_has(const VkCgroupLayout *layout, VkCgroupController controller)
{
    return layout && layout->mount[controller];
}

bool
vk_cgroup_layout_is_v2(const VkCgroupLayout *layout, VkCgroupController controller)
{
    return vk_cgroup_layout_has(layout, controller) &&
           g_strcmp0(layout->mount[controller], layout->unified) == 0;
}
