#include "drivers/qemu/core/iotune.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/core/process.h"

/* QMP's names of the VkIotuneField values, in the same order. */
static const char *const qmp_names[VK_IOTUNE_N] = {
    "bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
    "bps_max", "bps_rd_max", "bps_wr_max", "iops_max", "iops_rd_max", "iops_wr_max",
    "iops_size",
    "bps_max_length", "bps_rd_max_length", "bps_wr_max_length",
    "iops_max_length", "iops_rd_max_length", "iops_wr_max_length",
};

/* The device block_set_io_throttle takes for DISK, as libvirt names it
 * (qomName): a virtio disk's block backend is its virtio-backend child. */
static char *
disk_qom_name(const VkDomainDef *def, const VkDomainDiskDef *disk)
{
    g_autofree char *alias = disk->info.alias ? g_strdup(disk->info.alias)
                                              : vk_qemu_disk_alias(def, disk);

    if (disk->bus == VK_DISK_BUS_VIRTIO)
        return g_strdup_printf("/machine/peripheral/%s/virtio-backend", alias);
    return g_steal_pointer(&alias);
}

static bool
is_max_length(VkIotuneField f)
{
    return f >= VK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH;
}

int
vk_qemu_iotune_set(VkDomainObj *obj, const VkDomainDiskDef *disk, const VkDiskIotune *t)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *id = disk_qom_name(obj->def, disk);

    vk_json_object_set_string(args, "id", id);
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        /* QEMU refuses a burst length of 0: like libvirt, send only set ones */
        if (is_max_length(f) && !t->v[f])
            continue;
        vk_json_object_set_int(args, qmp_names[f], (gint64) t->v[f]);
    }
    if (t->group_name)
        vk_json_object_set_string(args, "group", t->group_name);
    return vk_qemu_process_monitor_query(obj, "block_set_io_throttle", args, NULL);
}

int
vk_qemu_iotune_apply_all(VkDomainObj *obj)
{
    for (guint i = 0; i < obj->def->disks->len; i++) {
        const VkDomainDiskDef *disk = g_ptr_array_index(obj->def->disks, i);

        if (!disk->src_path || disk->bus == VK_DISK_BUS_SD ||
            !vk_disk_iotune_has_any(&disk->iotune))
            continue;
        if (vk_qemu_iotune_set(obj, disk, &disk->iotune) < 0)
            return -1;
    }
    return 0;
}

int
vk_qemu_iotune_query(VkDomainObj *obj, const VkDomainDiskDef *disk, VkDiskIotune *out)
{
    g_autoptr(VkJson) blocks = NULL;
    g_autofree char *id = disk_qom_name(obj->def, disk);
    VkJson *entry, *inserted;

    vk_disk_iotune_clear(out);
    if (vk_qemu_process_monitor_query(obj, "query-block", NULL, &blocks) < 0)
        return -1;
    if (!(entry = vk_stats_find_block_entry(blocks, id)) ||
        !(inserted = vk_json_object_get_object(entry, "inserted"))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot find throttling info for device '%s'", id);
        return -1;
    }
    for (int f = 0; f < VK_IOTUNE_N; f++)
        out->v[f] = vk_json_get_uint64(vk_json_object_get(inserted, qmp_names[f]), 0);
    out->group_name = g_strdup(vk_json_object_get_string(inserted, "group", NULL));
    return 0;
}
