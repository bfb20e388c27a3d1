/* Block jobs of a running guest: virsh blockpull, blockcommit, blockcopy
 * and blockjob (--info, --abort, --pivot, --bandwidth). */
#include "drivers/qemu/handlers/handlers.h"

#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/block-job-start.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/process.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* BANDWIDTH in bytes/s: given so with BYTES, else in MiB/s. */
static int
bandwidth_bytes(guint64 bandwidth, bool bytes, guint64 *out)
{
    if (!bytes) {
        if (bandwidth > (guint64) G_MAXINT64 >> 20) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OVERFLOW,
                            "bandwidth must be less than %" G_GUINT64_FORMAT,
                            (guint64) G_MAXINT64 >> 20);
            return -1;
        }
        bandwidth <<= 20;
    }
    *out = bandwidth;
    return 0;
}

static int
domain_block_pull(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_pull_args *args = argsp;
    VkDomainDiskDef *disk;
    VkDomainObj *obj;
    guint64 bw;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                       "qemuDomainBlockPull") < 0 ||
        bandwidth_bytes(args->bandwidth, args->flags & VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                        &bw) < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(disk = vk_qemu_block_job_disk(obj, args->path)))
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, vk_qemu_block_pull(obj, disk, NULL, bw));
}

/* A copy must not outlive a persistent definition, which would not know
 * it: libvirt 9.0 copies only transient domains, or with TRANSIENT_JOB. */
static int
block_copy(VkDomainObj *obj, const char *path, const VkDiskLayer *dest, guint64 bw,
           unsigned int flags)
{
    VkDomainDiskDef *disk;

    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_not_running();
    if (obj->persistent && !(flags & VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", "domain is not transient");
        return -1;
    }
    if (!(disk = vk_qemu_block_job_disk(obj, path)))
        return -1;
    return vk_qemu_block_copy(obj, disk, dest, flags, bw);
}

static int
domain_block_rebase(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_rebase_args *args = argsp;
    const char *base = args->base ? *args->base : NULL;
    unsigned int flags = args->flags;
    VkDomainDiskDef *disk;
    VkDomainObj *obj;
    guint64 bw;

    if (vk_check_flags(VIR_FROM_QEMU, flags, 0x7f, "qemuDomainBlockRebase") < 0 ||
        bandwidth_bytes(args->bandwidth, flags & VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                        &bw) < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (flags & VIR_DOMAIN_BLOCK_REBASE_COPY) {
        VkDiskLayer dest = { .path = (char *) base,
                             .block = flags & VIR_DOMAIN_BLOCK_REBASE_COPY_DEV,
                             .format = flags & VIR_DOMAIN_BLOCK_REBASE_COPY_RAW ? "raw" : NULL };
        /* the rebase flags SHALLOW and REUSE_EXT are the copy's */
        return vk_qemu_domain_end(obj, block_copy(obj, args->path, &dest, bw, flags & 0x3));
    }
    if (!(disk = vk_qemu_block_job_disk(obj, args->path)))
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, vk_qemu_block_pull(obj, disk, base, bw));
}

static int
domain_block_copy(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_copy_args *args = argsp;
    g_autoptr(VkDiskLayer) dest = NULL;
    guint64 bw = 0;
    VkDomainObj *obj;

    for (u_int i = 0; i < args->params.params_len; i++) {
        const remote_typed_param *p = &args->params.params_val[i];
        if (g_str_equal(p->field, "bandwidth") && p->value.type == REMOTE_TYPED_PARAM_ULLONG)
            bw = p->value.remote_typed_param_value_u.ul;
    }
    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0xf, "qemuDomainBlockCopy") < 0 ||
        !(dest = vk_qemu_block_copy_dest_parse(args->destxml)) ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    return vk_qemu_domain_end(obj, block_copy(obj, args->path, dest, bw, args->flags));
}

static int
domain_block_commit(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_commit_args *args = argsp;
    VkDomainDiskDef *disk;
    VkDomainObj *obj;
    guint64 bw;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0x1f, "qemuDomainBlockCommit") < 0 ||
        bandwidth_bytes(args->bandwidth, args->flags & VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                        &bw) < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(disk = vk_qemu_block_job_disk(obj, args->disk)))
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, vk_qemu_block_commit(obj, disk, args->top ? *args->top : NULL,
                                                        args->base ? *args->base : NULL,
                                                        args->flags & VIR_DOMAIN_BLOCK_COMMIT_ACTIVE,
                                                        bw));
}

/* The running OBJ's job on the disk PATH names; NULL with libvirt's error. */
static VkQemuBlockJob *
job_of(VkDomainObj *obj, const char *path)
{
    VkDomainDiskDef *disk;
    VkQemuBlockJob *job;

    if (!vk_domain_obj_is_active(obj)) {
        vk_qemu_not_running();
        return NULL;
    }
    if (!(disk = vk_domain_def_disk_by_name(obj->def, path))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "disk '%s' not found in domain", path);
        return NULL;
    }
    if (!(job = vk_qemu_block_job_find(obj, disk->target_dev)))
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "disk %s does not have an active block job", disk->target_dev);
    return job;
}

static int
domain_block_job_abort(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_job_abort_args *args = argsp;
    bool pivot = args->flags & VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
    VkQemuBlockJob *job;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0x3, "qemuDomainBlockJobAbort") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(job = job_of(obj, args->path)))
        return vk_qemu_domain_end(obj, -1);
    if (pivot && job->type != VIR_DOMAIN_BLOCK_JOB_TYPE_COPY &&
        job->type != VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "job type '%s' does not support pivot", job->id);
        return vk_qemu_domain_end(obj, -1);
    }
    if (pivot && !job->ready) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_BLOCK_COPY_ACTIVE,
                        "block job '%s' not ready for pivot yet", job->id);
        return vk_qemu_domain_end(obj, -1);
    }
    return vk_qemu_domain_end(obj, vk_qemu_block_job_end(obj, job, pivot ? VK_BLOCK_JOB_END_PIVOT
                                                                         : VK_BLOCK_JOB_END_ABORT));
}

/* QEMU's view of job ID (query-block-jobs): offset, len, speed; zeros
 * when QEMU has let it go already. */
static int
query_block_job(VkDomainObj *obj, const char *id, remote_domain_get_block_job_info_ret *ret)
{
    g_autoptr(VkJson) reply = NULL;

    if (vk_qemu_process_monitor_query(obj, "query-block-jobs", NULL, &reply) < 0)
        return -1;
    for (guint i = 0; i < vk_json_array_length(reply); i++) {
        const VkJson *j = vk_json_array_get(reply, i);
        if (g_strcmp0(vk_json_object_get_string(j, "device", NULL), id) != 0)
            continue;
        ret->cur = (guint64) vk_json_object_get_int(j, "offset", 0);
        ret->end = (guint64) vk_json_object_get_int(j, "len", 0);
        ret->bandwidth = (guint64) vk_json_object_get_int(j, "speed", 0);
    }
    return 0;
}

static int
domain_get_block_job_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_block_job_info_args *args = argsp;
    remote_domain_get_block_job_info_ret *ret = retp;
    VkDomainDiskDef *disk;
    VkQemuBlockJob *job;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES,
                       "qemuDomainGetBlockJobInfo") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_domain_end(obj, vk_qemu_not_running());
    if (!(disk = vk_domain_def_disk_by_name(obj->def, args->path))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "disk '%s' not found in domain",
                        args->path);
        return vk_qemu_domain_end(obj, -1);
    }
    if (!(job = vk_qemu_block_job_find(obj, disk->target_dev)))
        return vk_qemu_domain_end(obj, 0);   /* found = 0: no job */
    ret->found = 1;
    ret->type = job->type;
    if (query_block_job(obj, job->id, ret) < 0)
        return vk_qemu_domain_end(obj, -1);
    if (!(args->flags & VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES))
        ret->bandwidth >>= 20;
    return vk_qemu_domain_end(obj, 0);
}

static int
domain_block_job_set_speed(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_job_set_speed_args *args = argsp;
    g_autoptr(VkJson) qmp_args = vk_json_new_object();
    VkQemuBlockJob *job;
    VkDomainObj *obj;
    guint64 bw;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                       "qemuDomainBlockJobSetSpeed") < 0 ||
        bandwidth_bytes(args->bandwidth, args->flags & VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                        &bw) < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(job = job_of(obj, args->path)))
        return vk_qemu_domain_end(obj, -1);
    vk_json_object_set_string(qmp_args, "device", job->id);
    vk_json_object_set_int(qmp_args, "speed", (gint64) bw);
    if (vk_qemu_process_monitor_query(obj, "block-job-set-speed", qmp_args, NULL) < 0)
        return vk_qemu_domain_end(obj, -1);
    job->bandwidth = bw;
    return vk_qemu_domain_end(obj, vk_qemu_process_save_status(obj));
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_BLOCK_PULL, domain_block_pull },
    { REMOTE_PROC_DOMAIN_BLOCK_REBASE, domain_block_rebase },
    { REMOTE_PROC_DOMAIN_BLOCK_COPY, domain_block_copy },
    { REMOTE_PROC_DOMAIN_BLOCK_COMMIT, domain_block_commit },
    { REMOTE_PROC_DOMAIN_BLOCK_JOB_ABORT, domain_block_job_abort },
    { REMOTE_PROC_DOMAIN_GET_BLOCK_JOB_INFO, domain_get_block_job_info },
    { REMOTE_PROC_DOMAIN_BLOCK_JOB_SET_SPEED, domain_block_job_set_speed },
};

void
vk_qemu_block_job_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
