/* Starting block jobs (block-job-start.h). */
#include "drivers/qemu/core/block-job-start.h"

#include <libxml/parser.h>
#include <string.h>

#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/block-chain.h"
#include "drivers/qemu/core/block-nodes.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/qemu-img.h"
#include "drivers/qemu/monitor/command-line.h"
#include "virtkit/virtkit.h"

VkDomainDiskDef *
vk_qemu_block_job_disk(VkDomainObj *obj, const char *name)
{
    VkDomainDiskDef *disk;

    if (!vk_domain_obj_is_active(obj)) {
        vk_qemu_not_running();
        return NULL;
    }
    if (!(disk = vk_domain_def_disk_by_name(obj->def, name))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "disk '%s' not found in domain", name);
        return NULL;
    }
    if (vk_qemu_block_job_find(obj, disk->target_dev) || disk->mirror) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_BLOCK_COPY_ACTIVE,
                        "disk '%s' already in active block job", disk->target_dev);
        return NULL;
    }
    if (!disk->src_index || !disk->src_no_backing) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "block jobs are not supported on disk '%s'", disk->target_dev);
        return NULL;
    }
    return disk;
}

/* The path of the image at chain position POS (0 the top). */
static const char *
path_at(const VkDomainDiskDef *disk, int pos)
{
    return pos ? ((VkDiskLayer *) g_ptr_array_index(disk->backing, pos - 1))->path
               : disk->src_path;
}

/* The position of PATH in DISK's chain (0 the top), below position FROM
 * when FROM >= 0; -1 with libvirt's error. */
static int
chain_position(const VkDomainDiskDef *disk, const char *path, int from)
{
    int pos = vk_qemu_block_chain_find(disk, path);

    if (pos >= 0 && pos > from)
        return pos;
    if (from >= 0)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "could not find image '%s' beneath '%s' in chain for '%s'", path,
                        path_at(disk, from), disk->target_dev);
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "could not find image '%s' in chain for '%s'", path, disk->target_dev);
    return -1;
}

/* The node number of the image at chain position POS (0 the top). */
static guint
index_at(const VkDomainDiskDef *disk, int pos)
{
    if (pos == 0)
        return disk->src_index;
    return ((VkDiskLayer *) g_ptr_array_index(disk->backing, pos - 1))->index;
}

static VkJson *
job_args(const char *id, const VkDomainDiskDef *disk, guint64 bandwidth)
{
    VkJson *args = vk_json_new_object();
    g_autofree char *device = vk_qemu_format_node_name(disk->src_index);

    vk_json_object_set_string(args, "job-id", id);
    vk_json_object_set_string(args, "device", device);
    if (bandwidth)
        vk_json_object_set_int(args, "speed", (gint64) bandwidth);
    return args;
}

static void
set_node(VkJson *args, const char *key, guint index)
{
    g_autofree char *node = vk_qemu_format_node_name(index);

    vk_json_object_set_string(args, key, node);
}

/* Run COMMAND with ARGS (taken) for JOB (taken), which is recorded first
 * so that QEMU's first events find it; undone when QEMU refuses. */
static int
start_job(VkDomainObj *obj, VkQemuBlockJob *job, const char *command, VkJson *args)
{
    g_autoptr(VkJson) owned = args;
    g_autofree char *id = g_strdup(job->id);

    vk_json_object_set_bool(owned, "auto-finalize", TRUE);
    vk_json_object_set_bool(owned, "auto-dismiss", FALSE);
    vk_qemu_block_job_add(obj, job);
    if (vk_qemu_process_monitor_query(obj, command, owned, NULL) == 0)
        return 0;
    g_autoptr(VkError) err = vk_error_steal();
    VkQemuBlockJob *added = vk_qemu_block_job_find(obj, job->disk);
    if (added && g_str_equal(added->id, id))
        g_ptr_array_remove(((VkQemuRuntime *) obj->runtime)->block_jobs, added);
    vk_qemu_process_save_status(obj);
    vk_error_set(g_steal_pointer(&err));
    return -1;
}

static VkQemuBlockJob *
job_new(const char *prefix, const VkDomainDiskDef *disk, int type, guint64 bandwidth)
{
    VkQemuBlockJob *job = g_new0(VkQemuBlockJob, 1);

    job->disk = g_strdup(disk->target_dev);
    job->id = g_strdup_printf("%s-%s-libvirt-%u-format", prefix, disk->target_dev,
                              disk->src_index);
    job->type = type;
    job->bandwidth = bandwidth;
    return job;
}

int
vk_qemu_block_pull(VkDomainObj *obj, VkDomainDiskDef *disk, const char *base, guint64 bandwidth)
{
    VkQemuBlockJob *job;
    VkJson *args;
    int pos = 0;

    if (base && (pos = chain_position(disk, base, 0)) < 0)
        return -1;
    job = job_new("pull", disk, VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, bandwidth);
    args = job_args(job->id, disk, bandwidth);
    if (pos > 0) {
        job->base = index_at(disk, pos);
        set_node(args, "base-node", job->base);
    }
    return start_job(obj, job, "block-stream", args);
}

int
vk_qemu_block_commit(VkDomainObj *obj, VkDomainDiskDef *disk, const char *top, const char *base,
                     bool active, guint64 bandwidth)
{
    int top_pos = 0;
    int base_pos = (int) vk_qemu_block_chain_length(disk);
    VkQemuBlockJob *job;
    VkJson *args;

    if (top && (top_pos = chain_position(disk, top, -1)) < 0)
        return -1;
    if (top_pos == 0 && !active) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "commit of '%s' active layer requires active flag", disk->target_dev);
        return -1;
    }
    if (base && (base_pos = chain_position(disk, base, top_pos)) < 0)
        return -1;
    if (base_pos <= top_pos) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "could not find base image in chain for '%s'", disk->target_dev);
        return -1;
    }
    job = job_new("commit", disk, top_pos == 0 ? VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
                                               : VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, bandwidth);
    job->top = top_pos ? index_at(disk, top_pos) : 0;
    job->base = index_at(disk, base_pos);
    args = job_args(job->id, disk, bandwidth);
    if (job->top)
        set_node(args, "top-node", job->top);
    set_node(args, "base-node", job->base);
    if (top_pos == 0) {
        /* the live XML shows where an active commit goes while it runs */
        disk->mirror = g_new0(VkDiskMirror, 1);
        disk->mirror->job = g_strdup("active-commit");
        VkDiskLayer *b = g_ptr_array_index(disk->backing, base_pos - 1);
        disk->mirror->dest.path = g_strdup(b->path);
        disk->mirror->dest.format = g_strdup(b->format);
        disk->mirror->dest.block = b->block;
        disk->mirror->dest.index = b->index;
    }
    if (start_job(obj, job, "block-commit", args) < 0) {
        g_clear_pointer(&disk->mirror, vk_disk_mirror_free);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Copy
 * ------------------------------------------------------------------- */

VkDiskLayer *
vk_qemu_block_copy_dest_parse(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNodePtr src = root ? vk_xml_child(root, "source") : NULL;
    xmlNodePtr drv = root ? vk_xml_child(root, "driver") : NULL;
    g_autoptr(VkDiskLayer) dest = g_new0(VkDiskLayer, 1);
    g_autofree char *type = root ? vk_xml_prop(root, "type") : NULL;

    dest->block = g_strcmp0(type, "block") == 0;
    dest->path = src ? vk_xml_prop(src, dest->block ? "dev" : "file") : NULL;
    dest->format = drv ? vk_xml_prop(drv, "type") : NULL;
    /* the root's name is read before the document goes */
    bool is_disk = root && xmlStrEqual(root->name, (const xmlChar *) "disk");

    if (doc)
        xmlFreeDoc(doc);
    if (!is_disk || !dest->path) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s",
                        "missing source information for the block copy destination");
        return NULL;
    }
    return g_steal_pointer(&dest);
}

/* A new, empty image at DEST as big as DISK's; a shallow copy's is backed
 * by DISK's first backing image, as libvirt makes it. */
static int
create_target(const VkDomainDiskDef *disk, const VkDiskLayer *dest, bool shallow)
{
    gint64 size = vk_qemu_img_virtual_size(disk->src_path);
    g_autofree char *size_text = g_strdup_printf("%" G_GINT64_FORMAT, size);
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    const VkDiskLayer *below = vk_qemu_block_chain_length(disk) && shallow ?
                               g_ptr_array_index(disk->backing, 0) : NULL;

    if (size < 0)
        return -1;
    g_ptr_array_add(args, (gpointer) "create");
    g_ptr_array_add(args, (gpointer) "-q");
    g_ptr_array_add(args, (gpointer) "-f");
    g_ptr_array_add(args, dest->format);
    if (below) {
        const char *more[] = { "-u", "-b", below->path, "-F", below->format };
        for (guint i = 0; i < G_N_ELEMENTS(more); i++)
            g_ptr_array_add(args, (gpointer) more[i]);
    }
    g_ptr_array_add(args, dest->path);
    g_ptr_array_add(args, size_text);
    g_ptr_array_add(args, NULL);
    return vk_qemu_img((const char *const *) args->pdata, NULL);
}

int
vk_qemu_block_copy(VkDomainObj *obj, VkDomainDiskDef *disk, const VkDiskLayer *dest,
                   unsigned int flags, guint64 bandwidth)
{
    bool shallow = flags & VIR_DOMAIN_BLOCK_COPY_SHALLOW;
    bool reuse = flags & VIR_DOMAIN_BLOCK_COPY_REUSE_EXT;
    g_autoptr(VkDiskLayer) target = vk_disk_layer_copy(dest);
    guint below = shallow && vk_qemu_block_chain_length(disk) ?
                  ((VkDiskLayer *) g_ptr_array_index(disk->backing, 0))->index : 0;
    VkQemuBlockJob *job;
    VkJson *args;

    if (!target->format)
        target->format = g_strdup(disk->driver_type ? disk->driver_type : "raw");
    if (!reuse && create_target(disk, target, shallow) < 0)
        return -1;
    target->index = vk_qemu_block_next_node(obj);
    if (vk_qemu_block_nodes_add(obj, target, below) < 0)
        return -1;
    disk->mirror = g_new0(VkDiskMirror, 1);
    disk->mirror->job = g_strdup("copy");
    disk->mirror->dest = *target;
    memset(target, 0, sizeof(*target));
    job = job_new("copy", disk, VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, bandwidth);
    job->shallow = shallow;
    args = job_args(job->id, disk, bandwidth);
    set_node(args, "target", disk->mirror->dest.index);
    vk_json_object_set_string(args, "sync", shallow ? "top" : "full");
    if (flags & VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES)
        vk_json_object_set_string(args, "copy-mode", "write-blocking");
    if (start_job(obj, job, "blockdev-mirror", args) < 0) {
        vk_qemu_block_nodes_delete(obj, disk->mirror->dest.index);
        g_clear_pointer(&disk->mirror, vk_disk_mirror_free);
        return -1;
    }
    return 0;
}
