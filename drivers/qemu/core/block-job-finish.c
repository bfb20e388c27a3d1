/* The end of a block job on its disk (block-job-finish.h). */
#include "drivers/qemu/core/block-job-finish.h"

#include "common/util/error.h"
#include "drivers/qemu/core/block-chain.h"
#include "drivers/qemu/core/block-nodes.h"
#include "drivers/qemu/core/domain-store.h"
#include "drivers/qemu/driver.h"
#include "virtkit/virtkit.h"

/* Position in DISK's backing of the layer with node INDEX, or the length
 * of the chain when none has it (index 0: below the whole chain). */
static guint
layer_position(const VkDomainDiskDef *disk, guint index)
{
    for (guint i = 0; i < vk_qemu_block_chain_length(disk); i++)
        if (((VkDiskLayer *) g_ptr_array_index(disk->backing, i))->index == index)
            return i;
    return vk_qemu_block_chain_length(disk);
}

/* Drop the backing layers FROM .. TO - 1 of DISK, and their nodes. */
static void
drop_layers(VkDomainObj *obj, VkDomainDiskDef *disk, guint from, guint to)
{
    for (guint i = from; i < to; i++)
        vk_qemu_block_nodes_delete(obj, ((VkDiskLayer *) g_ptr_array_index(disk->backing, i))->index);
    if (to > from)
        g_ptr_array_remove_range(disk->backing, from, to - from);
}

/* DISK now reads LAYER (taken over) as its top image: the old top and the
 * first DROP backing layers go (their nodes too); when LAYER was the next
 * one in the chain it leaves the chain (its node stays: it is the top now). */
static void
move_top(VkDomainObj *obj, VkDomainDiskDef *disk, VkDiskLayer *layer, guint drop, bool in_chain)
{
    VkDiskLayer old_top = { .path = disk->src_path, .block = disk->type == VK_DISK_TYPE_BLOCK };

    vk_qemu_block_nodes_delete(obj, disk->src_index);
    vk_qemu_block_image_release(obj, &old_top);
    drop_layers(obj, disk, 0, MIN(drop, vk_qemu_block_chain_length(disk)));
    if (in_chain && vk_qemu_block_chain_length(disk))
        g_ptr_array_remove_index(disk->backing, 0);
    g_free(disk->src_path);
    disk->src_path = g_steal_pointer(&layer->path);
    g_free(disk->driver_type);
    disk->driver_type = g_steal_pointer(&layer->format);
    disk->src_index = layer->index;
    disk->type = layer->block ? VK_DISK_TYPE_BLOCK : VK_DISK_TYPE_FILE;
}

/* The config of a running persistent guest follows its disk onto the
 * commit's base, as libvirt's does: a base the config's chain names takes
 * its place there; another one comes with the chain below it. */
static void
follow_in_config(VkDomainObj *obj, const VkDomainDiskDef *disk, const char *old_top)
{
    VkDomainDiskDef *cfg = obj->new_def ? vk_domain_def_disk_by_name(obj->new_def, disk->target_dev)
                                        : NULL;
    guint pos = 0;

    if (!cfg || g_strcmp0(cfg->src_path, old_top) != 0)
        return;
    if (!cfg->backing)
        cfg->backing = vk_disk_chain_new();
    while (pos < cfg->backing->len &&
           g_strcmp0(((VkDiskLayer *) g_ptr_array_index(cfg->backing, pos))->path, disk->src_path))
        pos++;
    if (pos < cfg->backing->len) {
        g_ptr_array_remove_range(cfg->backing, 0, pos + 1);
    } else {
        g_ptr_array_set_size(cfg->backing, 0);
        for (guint i = 0; i < vk_qemu_block_chain_length(disk); i++) {
            VkDiskLayer *layer = vk_disk_layer_copy(g_ptr_array_index(disk->backing, i));
            layer->index = 0;
            g_ptr_array_add(cfg->backing, layer);
        }
        cfg->src_no_backing = disk->src_no_backing;
    }
    g_free(cfg->src_path);
    cfg->src_path = g_strdup(disk->src_path);
    g_free(cfg->driver_type);
    cfg->driver_type = g_strdup(disk->driver_type);
    if (vk_domain_store_save_config(vk_qemu_driver()->store, obj->new_def) < 0) {
        g_warning("%s: cannot save the config: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
}

static int
finish_active_commit(VkDomainObj *obj, VkDomainDiskDef *disk, VkQemuBlockJob *job)
{
    guint base = layer_position(disk, job->base);
    g_autoptr(VkDiskLayer) layer = NULL;

    g_clear_pointer(&disk->mirror, vk_disk_mirror_free);
    if (job->ending != VK_BLOCK_JOB_END_PIVOT)
        return VIR_DOMAIN_BLOCK_JOB_CANCELED;
    layer = vk_disk_layer_copy(g_ptr_array_index(disk->backing, base));
    g_autofree char *old_top = g_strdup(disk->src_path);
    move_top(obj, disk, layer, base, true);
    follow_in_config(obj, disk, old_top);
    return VIR_DOMAIN_BLOCK_JOB_COMPLETED;
}

static int
finish_copy(VkDomainObj *obj, VkDomainDiskDef *disk, VkQemuBlockJob *job)
{
    VkDiskMirror *mirror = g_steal_pointer(&disk->mirror);
    int status = VIR_DOMAIN_BLOCK_JOB_CANCELED;

    if (!mirror)
        return VIR_DOMAIN_BLOCK_JOB_FAILED;
    if (job->ending == VK_BLOCK_JOB_END_PIVOT) {
        /* a full copy has no backing image; a shallow one keeps the chain */
        move_top(obj, disk, &mirror->dest, job->shallow ? 0 : vk_qemu_block_chain_length(disk),
                 false);
        status = VIR_DOMAIN_BLOCK_JOB_COMPLETED;
    } else {
        vk_qemu_block_nodes_delete(obj, mirror->dest.index);
        vk_qemu_block_image_release(obj, &mirror->dest);
    }
    vk_disk_mirror_free(mirror);
    return status;
}

int
vk_qemu_block_job_finish(VkDomainObj *obj, VkQemuBlockJob *job, const char *error)
{
    VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->def, job->disk);

    if (!disk)
        return VIR_DOMAIN_BLOCK_JOB_FAILED;
    /* QEMU reports a job cancelled before it was ready with an error */
    if (error && job->ending == VK_BLOCK_JOB_END_ABORT)
        error = NULL;
    if (error) {
        g_warning("%s: block job %s failed: %s", obj->def->name, job->id, error);
        if (disk->mirror && job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY)
            vk_qemu_block_nodes_delete(obj, disk->mirror->dest.index);
        g_clear_pointer(&disk->mirror, vk_disk_mirror_free);
        return VIR_DOMAIN_BLOCK_JOB_FAILED;
    }
    switch (job->type) {
    case VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT:
        return finish_active_commit(obj, disk, job);
    case VIR_DOMAIN_BLOCK_JOB_TYPE_COPY:
        return finish_copy(obj, disk, job);
    default:
        break;
    }
    if (job->ending == VK_BLOCK_JOB_END_ABORT)
        return VIR_DOMAIN_BLOCK_JOB_CANCELED;
    /* pull: the images above the base are merged into the top; commit: the
     * images from TOP down to the base are merged into the base */
    drop_layers(obj, disk, job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL ? 0
                                                                      : layer_position(disk, job->top),
                layer_position(disk, job->base));
    return VIR_DOMAIN_BLOCK_JOB_COMPLETED;
}
