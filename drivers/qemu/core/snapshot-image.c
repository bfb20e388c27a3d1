/* Internal snapshots in qcow2 images (snapshot-image.h). */
#include "drivers/qemu/core/snapshot-image.h"

#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/qemu-img.h"

static const char *const op_flags[] = {
    [VK_SNAPSHOT_IMAGE_CREATE] = "-c",
    [VK_SNAPSHOT_IMAGE_APPLY] = "-a",
    [VK_SNAPSHOT_IMAGE_DELETE] = "-d",
};

/* qemu-img snapshot OP NAME PATH */
static int
run_qemu_img(VkSnapshotImageOp op, const char *name, const char *path)
{
    const char *args[] = { "snapshot", op_flags[op], name, path, NULL };

    return vk_qemu_img(args, NULL);
}

/* The disks of DOM that SNAP holds internally (borrowed). */
static GPtrArray *
internal_disks(const VkDomainDef *dom, const VkSnapshotDef *snap)
{
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; i < dom->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(dom->disks, i);
        VkSnapshotDiskDef *sd = vk_snapshot_def_disk(snap, disk->target_dev);
        if (sd && g_strcmp0(sd->snapshot, "internal") == 0 && disk->src_path)
            g_ptr_array_add(out, disk);
    }
    return out;
}

int
vk_qemu_snapshot_images(const VkDomainDef *dom, const VkSnapshotDef *snap, VkSnapshotImageOp op)
{
    g_autoptr(GPtrArray) disks = internal_disks(dom, snap);

    for (guint i = 0; i < disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(disks, i);

        if (run_qemu_img(op, snap->name, disk->src_path) == 0)
            continue;
        if (op == VK_SNAPSHOT_IMAGE_DELETE) {
            g_warning("%s", vk_error_last_message());
            vk_error_reset();
            continue;
        }
        if (op == VK_SNAPSHOT_IMAGE_CREATE) {
            /* take back what the earlier disks got, keeping this error */
            g_autoptr(VkError) err = vk_error_steal();
            for (guint j = 0; j < i; j++)
                run_qemu_img(VK_SNAPSHOT_IMAGE_DELETE, snap->name,
                             ((VkDomainDiskDef *) g_ptr_array_index(disks, j))->src_path);
            vk_error_set(g_steal_pointer(&err));
        }
        return -1;
    }
    return 0;
}

/* HMP COMMAND NAME; HMP answers with text, which is empty on success. */
static int
hmp(VkDomainObj *obj, const char *command, const char *name, const char *failure)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autoptr(VkJson) reply = NULL;
    g_autofree char *line = g_strdup_printf("%s \"%s\"", command, name);
    const char *text;

    vk_json_object_set_string(args, "command-line", line);
    if (vk_qemu_process_monitor_query(obj, "human-monitor-command", args, &reply) < 0)
        return -1;
    text = vk_json_get_string(reply);
    if (text && *text) {
        g_autofree char *msg = g_strstrip(g_strdup(text));
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s: %s", failure, msg);
        return -1;
    }
    return 0;
}

int
vk_qemu_snapshot_savevm(VkDomainObj *obj, const char *name)
{
    return hmp(obj, "savevm", name, "Failed to take snapshot");
}

int
vk_qemu_snapshot_delvm(VkDomainObj *obj, const char *name)
{
    return hmp(obj, "delvm", name, "Failed to delete snapshot");
}
