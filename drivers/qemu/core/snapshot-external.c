/* External disk-only snapshots (snapshot-external.h). */
#include "drivers/qemu/core/snapshot-external.h"

#include <glib/gstdio.h>
#include <string.h>

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/block-chain.h"
#include "drivers/qemu/core/block-job-start.h"
#include "drivers/qemu/core/block-job.h"
#include "drivers/qemu/core/block-nodes.h"
#include "drivers/qemu/core/domain-store.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/qemu-img.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/monitor/command-line.h"
#include "virtkit/virtkit.h"

/* libvirt's default overlay name: the image's, its extension replaced by
 * the snapshot's name (or the name appended when it has none). */
static char *
overlay_name(const char *image, const char *snapshot)
{
    const char *slash = strrchr(image, '/');
    const char *dot = strrchr(image, '.');

    if (dot && (!slash || dot > slash))
        return g_strdup_printf("%.*s.%s", (int) (dot - image), image, snapshot);
    return g_strdup_printf("%s.%s", image, snapshot);
}

int
vk_qemu_snapshot_external_prepare(VkDomainObj *obj, VkSnapshotDef *def)
{
    bool any = false;

    g_free(def->state);
    def->state = g_strdup(vk_domain_obj_is_active(obj) ? "disk-snapshot" : "shutoff");
    g_free(def->memory);
    def->memory = g_strdup("no");
    for (guint i = 0; i < def->disks->len; i++) {
        VkSnapshotDiskDef *sd = g_ptr_array_index(def->disks, i);
        const VkDomainDiskDef *disk = g_ptr_array_index(obj->def->disks, i);

        /* disk-only: what is not left out is taken externally */
        if (g_str_equal(sd->snapshot, "internal")) {
            g_free(sd->snapshot);
            sd->snapshot = g_strdup("external");
        }
        if (!g_str_equal(sd->snapshot, "external") || !disk->src_path)
            continue;
        if (!sd->file)
            sd->file = overlay_name(disk->src_path, def->name);
        if (!sd->driver_type)
            sd->driver_type = g_strdup("qcow2");
        any = true;
    }
    if (!any) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "nothing selected for snapshot");
        return -1;
    }
    return 0;
}

bool
vk_qemu_snapshot_is_external(const VkSnapshotDef *def)
{
    for (guint i = 0; i < def->disks->len; i++)
        if (g_strcmp0(((VkSnapshotDiskDef *) g_ptr_array_index(def->disks, i))->snapshot,
                      "external") == 0)
            return true;
    return g_strcmp0(def->memory, "external") == 0;
}

/* The overlay SD->file on DISK's image: qemu-img create, backed by the
 * image (a running guest holds it locked: its size is given instead of
 * read from it).  Refused when the file exists, unless REUSE. */
static int
create_overlay(const VkDomainDiskDef *disk, const VkSnapshotDiskDef *sd, bool reuse, bool live)
{
    const char *fmt = disk->driver_type ? disk->driver_type : "raw";
    g_autofree char *size = NULL;

    if (g_file_test(sd->file, G_FILE_TEST_EXISTS)) {
        if (reuse)
            return 0;
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "external snapshot file for disk %s already exists and is not a "
                        "block device: %s", disk->target_dev, sd->file);
        return -1;
    }
    if (live) {
        gint64 bytes = vk_qemu_img_virtual_size(disk->src_path);
        if (bytes < 0)
            return -1;
        size = g_strdup_printf("%" G_GINT64_FORMAT, bytes);
    }
    const char *args[] = { "create", "-q", "-f", sd->driver_type, "-b", disk->src_path,
                           "-F", fmt, live ? "-u" : sd->file, live ? sd->file : NULL,
                           size, NULL };
    return vk_qemu_img(args, NULL);
}

/* The disks of OBJ that DEF takes externally, and their snapshot disks. */
static void
external_disks(VkDomainObj *obj, const VkSnapshotDef *def, GPtrArray *disks, GPtrArray *sds)
{
    for (guint i = 0; i < def->disks->len; i++) {
        VkSnapshotDiskDef *sd = g_ptr_array_index(def->disks, i);
        VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->def, sd->name);
        if (disk && disk->src_path && sd->file && g_str_equal(sd->snapshot, "external")) {
            g_ptr_array_add(disks, disk);
            g_ptr_array_add(sds, sd);
        }
    }
}

/* DISK (a definition's) reads SD's overlay from now on. */
static void
move_to_overlay(VkDomainDiskDef *disk, const VkSnapshotDiskDef *sd)
{
    g_free(disk->src_path);
    disk->src_path = g_strdup(sd->file);
    g_free(disk->driver_type);
    disk->driver_type = g_strdup(sd->driver_type);
    disk->type = VK_DISK_TYPE_FILE;
}

/* DISK's top image becomes the first of its chain (node INDEX, 0 none). */
static void
push_old_top(VkDomainDiskDef *disk, guint index)
{
    VkDiskLayer *old = g_new0(VkDiskLayer, 1);

    old->path = g_strdup(disk->src_path);
    old->format = g_strdup(disk->driver_type ? disk->driver_type : "raw");
    old->block = disk->type == VK_DISK_TYPE_BLOCK;
    old->index = index;
    if (!disk->backing)
        disk->backing = vk_disk_chain_new();
    g_ptr_array_insert(disk->backing, 0, old);
}

/* The running guest's DISK moved onto the overlay node INDEX: its old top
 * image is the first of its chain now. */
static void
move_live_disk(VkDomainDiskDef *disk, const VkSnapshotDiskDef *sd, guint index)
{
    push_old_top(disk, disk->src_index);
    move_to_overlay(disk, sd);
    disk->src_index = index;
}

/* The config's DISK reads SD's overlay next time, its old image below. */
static void
push_config_layer(VkDomainDiskDef *disk, const VkSnapshotDiskDef *sd)
{
    push_old_top(disk, 0);
    move_to_overlay(disk, sd);
}

static void
remove_files(GPtrArray *sds, guint n, bool reuse)
{
    for (guint i = 0; i < n && !reuse; i++)
        g_unlink(((VkSnapshotDiskDef *) g_ptr_array_index(sds, i))->file);
}

/* One transaction of blockdev-snapshot, node of each disk onto its overlay. */
static int
snapshot_transaction(VkDomainObj *obj, GPtrArray *disks, const guint *indexes)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    VkJson *actions = vk_json_new_array();

    for (guint i = 0; i < disks->len; i++) {
        VkJson *action = vk_json_new_object();
        VkJson *data = vk_json_new_object();
        g_autofree char *node = vk_qemu_format_node_name(
            ((VkDomainDiskDef *) g_ptr_array_index(disks, i))->src_index);
        g_autofree char *overlay = vk_qemu_format_node_name(indexes[i]);
        vk_json_object_set_string(data, "node", node);
        vk_json_object_set_string(data, "overlay", overlay);
        vk_json_object_set_string(action, "type", "blockdev-snapshot");
        vk_json_object_set(action, "data", data);
        vk_json_array_append(actions, action);
    }
    vk_json_object_set(args, "actions", actions);
    return vk_qemu_process_monitor_query(obj, "transaction", args, NULL);
}

static int
take_live(VkDomainObj *obj, GPtrArray *disks, GPtrArray *sds, bool reuse)
{
    g_autofree guint *indexes = g_new0(guint, disks->len + 1);
    guint made = 0;

    for (; made < disks->len; made++) {
        VkDomainDiskDef *disk = g_ptr_array_index(disks, made);
        VkSnapshotDiskDef *sd = g_ptr_array_index(sds, made);
        VkDiskLayer overlay = { .path = sd->file, .format = sd->driver_type };
        if (create_overlay(disk, sd, reuse, true) < 0)
            break;
        overlay.index = indexes[made] = vk_qemu_block_next_node(obj);
        if (vk_qemu_block_nodes_add(obj, &overlay, 0) < 0) {
            if (!reuse)
                g_unlink(sd->file);
            goto undo;
        }
    }
    if (made == disks->len && snapshot_transaction(obj, disks, indexes) == 0) {
        for (guint i = 0; i < disks->len; i++)
            move_live_disk(g_ptr_array_index(disks, i), g_ptr_array_index(sds, i), indexes[i]);
        return 0;
    }
undo: {
        g_autoptr(VkError) err = vk_error_steal();
        for (guint i = 0; i < made; i++)
            vk_qemu_block_nodes_delete(obj, indexes[i]);
        remove_files(sds, made, reuse);
        vk_error_set(g_steal_pointer(&err));
    }
    return -1;
}

static int
take_offline(GPtrArray *disks, GPtrArray *sds, bool reuse)
{
    for (guint i = 0; i < disks->len; i++) {
        if (create_overlay(g_ptr_array_index(disks, i), g_ptr_array_index(sds, i), reuse,
                           false) < 0) {
            remove_files(sds, i, reuse);
            return -1;
        }
    }
    for (guint i = 0; i < disks->len; i++)
        move_to_overlay(g_ptr_array_index(disks, i), g_ptr_array_index(sds, i));
    return 0;
}

int
vk_qemu_snapshot_external_take(VkDomainObj *obj, const VkSnapshotDef *def, bool reuse)
{
    g_autoptr(GPtrArray) disks = g_ptr_array_new();
    g_autoptr(GPtrArray) sds = g_ptr_array_new();
    bool active = vk_domain_obj_is_active(obj);

    external_disks(obj, def, disks, sds);
    if ((active ? take_live(obj, disks, sds, reuse) : take_offline(disks, sds, reuse)) < 0)
        return -1;
    /* a running persistent guest boots from the overlays next time too,
     * its config naming the image below (libvirt's <backingStore>) */
    if (active && obj->new_def) {
        for (guint i = 0; i < sds->len; i++) {
            VkSnapshotDiskDef *sd = g_ptr_array_index(sds, i);
            VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->new_def, sd->name);
            if (disk)
                push_config_layer(disk, sd);
        }
    }
    if (active && vk_qemu_process_save_status(obj) < 0)
        return -1;
    if (!obj->persistent)
        return 0;
    return vk_domain_store_save_config(vk_qemu_driver()->store, vk_domain_obj_config(obj));
}

/* Commit the overlay SD->file of DISK into the image below it. */
static int
commit_overlay(VkDomainObj *obj, VkDomainDiskDef *disk, const VkSnapshotDiskDef *sd)
{
    int pos = vk_qemu_block_chain_find(disk, sd->file);
    const VkDiskLayer *below;
    VkQemuBlockJob *job;

    if (!vk_qemu_block_job_disk(obj, disk->target_dev))
        return -1;   /* busy with another job */
    if (pos < 0 || (guint) pos >= vk_qemu_block_chain_length(disk)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                        "snapshot image '%s' of disk '%s' is not in its backing chain",
                        sd->file, disk->target_dev);
        return -1;
    }
    below = g_ptr_array_index(disk->backing, pos);
    if (vk_qemu_block_commit(obj, disk, pos ? sd->file : NULL, below->path, pos == 0, 0) < 0 ||
        vk_qemu_block_job_wait(obj, disk->target_dev) < 0)
        return -1;
    if (pos == 0 && (job = vk_qemu_block_job_find(obj, disk->target_dev)) &&
        vk_qemu_block_job_end(obj, job, VK_BLOCK_JOB_END_PIVOT) < 0)
        return -1;
    return 0;
}

int
vk_qemu_snapshot_external_delete(VkDomainObj *obj, const VkSnapshotDef *snap)
{
    if (!vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "deleting external snapshots of a shut-off domain is not supported");
        return -1;
    }
    for (guint i = 0; i < snap->disks->len; i++) {
        const VkSnapshotDiskDef *sd = g_ptr_array_index(snap->disks, i);
        VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->def, sd->name);

        if (!sd->file || !g_str_equal(sd->snapshot, "external") || !disk)
            continue;
        /* the config follows the live disk back down (block-job-finish.c) */
        if (commit_overlay(obj, disk, sd) < 0)
            return -1;
        g_unlink(sd->file);
    }
    if (vk_qemu_process_save_status(obj) < 0 || !obj->persistent)
        return obj->persistent ? -1 : 0;
    return vk_domain_store_save_config(vk_qemu_driver()->store, vk_domain_obj_config(obj));
}
