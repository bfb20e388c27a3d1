/* Placing a new partition (disk-partition.h). */
#include "drivers/storage/backends/disk-partition.h"

#include "common/util/error.h"

#define SECTOR_SIZE 512ULL

/* libvirt's virStoragePartedFs: the parted filesystem word of each volume
 * format of a dos disk pool */
static const char *
parted_fs(const char *format)
{
    static const char *const map[][2] = {
        { "none", "ext2" }, { "linux", "ext2" }, { "fat16", "fat16" }, { "fat32", "fat32" },
        { "linux-swap", "linux-swap" }, { "linux-lvm", "ext2" }, { "linux-raid", "ext2" },
        { "extended", "extended" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
        if (g_str_equal(map[i][0], format))
            return map[i][1];
    return NULL;
}

static bool
has_kind(const VkPartTable *t, VkPartKind kind)
{
    for (guint i = 0; i < t->extents->len; i++) {
        const VkPartExtent *e = &g_array_index(t->extents, VkPartExtent, i);
        if (!e->free && e->kind == kind)
            return true;
    }
    return false;
}

static VkPartKind
kind_to_create(const VkPartTable *t)
{
    guint used = 0;

    if (!g_str_equal(t->label, "dos"))
        return VK_PART_PRIMARY;
    for (guint i = 0; i < t->extents->len; i++) {
        const VkPartExtent *e = &g_array_index(t->extents, VkPartExtent, i);
        if (!e->free && e->kind != VK_PART_LOGICAL)
            used++;
    }
    return used >= 4 ? VK_PART_LOGICAL : VK_PART_PRIMARY;
}

static char *
part_format(const VkPartTable *t, const char *format)
{
    const char *fs = parted_fs(format);

    if (!g_str_equal(t->label, "dos"))
        return g_strdup("primary");
    if (!fs) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s", "Invalid partition type");
        return NULL;
    }
    if (g_str_equal(format, "extended")) {
        if (!has_kind(t, VK_PART_EXTENDED))
            return g_strdup(fs);
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "extended partition already exists");
        return NULL;
    }
    if (kind_to_create(t) == VK_PART_PRIMARY)
        return g_strdup_printf("primary %s", fs);
    if (has_kind(t, VK_PART_EXTENDED))
        return g_strdup_printf("logical %s", fs);
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                    "no extended partition found and no primary partition available");
    return NULL;
}

/* libvirt's virStorageBackendDiskPartBoundaries, rule for rule */
static int
boundaries(const VkPartTable *t, unsigned long long alloc, VkPartPlan *plan)
{
    bool dos = g_str_equal(t->label, "dos");
    VkPartKind kind = kind_to_create(t);
    unsigned long long cyl = t->cylinder, extra = cyl - (alloc % cyl);
    unsigned long long smallest = 0, aligned = alloc;
    const VkPartExtent *best = NULL;

    for (guint i = 0; i < t->extents->len; i++) {
        const VkPartExtent *e = &g_array_index(t->extents, VkPartExtent, i);
        unsigned long long size = e->end - e->start, needed = alloc;
        if (!e->free)
            continue;
        if (dos) {
            needed += extra;   /* libvirt tests a start of 0 here, never over extra */
            if (kind == VK_PART_LOGICAL)
                size -= SECTOR_SIZE;
        }
        if (size <= needed || (smallest != 0 && size >= smallest) ||
            (kind == VK_PART_LOGICAL) != (e->kind == VK_PART_LOGICAL))
            continue;
        smallest = size;
        best = e;
        aligned = needed;
    }
    if (!best) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "no large enough free extent");
        return -1;
    }
    plan->start = (best->start == 0 ? SECTOR_SIZE : best->start) +
                  (kind == VK_PART_LOGICAL ? SECTOR_SIZE : 0);
    plan->end = plan->start + aligned - (dos ? plan->start % cyl : 0) - 1;
    return 0;
}

int
vk_part_plan(const VkPartTable *table, const char *format, unsigned long long capacity,
             VkPartPlan *plan)
{
    if (!(plan->part_format = part_format(table, format)))
        return -1;
    if (boundaries(table, capacity, plan) < 0) {
        g_clear_pointer(&plan->part_format, g_free);
        return -1;
    }
    return 0;
}
