/* Statistics of guests: domstats (CONNECT_GET_ALL_DOMAIN_STATS, also
 * behind virDomainListGetStats), domblkstat, domifstat, dommemstat,
 * domblkinfo, domcontrol and domblkerror.
 *
 * What QEMU knows (block counters, balloon, vCPU threads) comes over QMP
 * with the domain's job held and its lock dropped, as every monitor call;
 * what the host knows (CPU time, RSS, tap counters, image files) comes
 * from domain-stats.c. */
#include <stdlib.h>
#include <string.h>

#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/core/domain-tunables.h"
#include "drivers/qemu/core/kvm-stats.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/handlers/handlers.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* The virDomainStatsTypes groups we gather.  PERF is accepted and empty:
 * no perf event can be enabled here, and libvirt gives nothing then. */
#define STATS_SUPPORTED \
    (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
     VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK | \
     VIR_DOMAIN_STATS_PERF | VIR_DOMAIN_STATS_IOTHREAD)

/* ---------------------------------------------------------------------
 * Common frame
 * ------------------------------------------------------------------- */


/* COMMAND on OBJ's monitor (locked, its job held; see
 * vk_qemu_process_monitor_query()): the reply, or NULL with an error. */
static VkJson *
monitor_query(VkDomainObj *obj, const char *command, const VkJson *args)
{
    VkJson *reply = NULL;

    if (vk_qemu_process_monitor_query(obj, command, args, &reply) < 0) {
        vk_json_free(reply);
        return NULL;
    }
    return reply;
}

/* The same where a failure only means less to report (domstats). */
static VkJson *
monitor_query_quiet(VkDomainObj *obj, const char *command, const VkJson *args)
{
    VkJson *reply = monitor_query(obj, command, args);

    if (!reply)
        vk_error_reset();
    return reply;
}

/* What a per-domain call does once its domain is found, locked, running
 * and (when it asked) its job held. */
typedef int (*RunningFunc)(VkDomainObj *obj, void *args, void *ret);

/* Find the domain of REF and run FN on it while it runs; libvirt's "domain
 * is not running" otherwise.  JOB: FN talks to QEMU. */
static int
with_running_domain(const remote_nonnull_domain *ref, bool job, RunningFunc fn,
                    void *args, void *ret)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    int rc = -1;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    if (job && vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        return -1;
    }
    /* checked with the job held: the guest may have stopped meanwhile */
    if (!vk_domain_obj_is_active(obj))
        vk_qemu_not_running();
    else
        rc = fn(obj, args, ret);
    if (job)
        vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    return rc;
}

/* ---------------------------------------------------------------------
 * Disks
 * ------------------------------------------------------------------- */

/* The qdev id QEMU knows DISK by (the live definition carries it). */
static char *
disk_alias(const VkDomainDef *def, const VkDomainDiskDef *disk)
{
    return disk->info.alias ? g_strdup(disk->info.alias) : vk_qemu_disk_alias(def, disk);
}

/* The query-block or query-blockstats entry of DISK in LIST, or NULL. */
static VkJson *
disk_entry(const VkJson *list, const VkDomainDef *def, const VkDomainDiskDef *disk)
{
    g_autofree char *alias = disk_alias(def, disk);

    return vk_stats_find_block_entry(list, alias);
}

/* Counters of the disk PATH names, or of every disk when PATH is empty
 * (virsh domblkstat without a device).  OBJ runs, its job is held. */
static int
gather_block_counters(VkDomainObj *obj, const char *path, VkBlockCounters *out)
{
    VkDomainDiskDef *disk = NULL;
    g_autoptr(VkJson) stats = NULL;

    if (*path && !(disk = vk_domain_def_disk_by_name(obj->def, path))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "invalid path: %s", path);
        return -1;
    }
    if (!(stats = monitor_query(obj, "query-blockstats", NULL)))
        return -1;
    memset(out, 0, sizeof(*out));
    if (disk) {
        VkJson *entry = disk_entry(stats, obj->def, disk);
        if (!entry) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                            "cannot find statistics for device '%s'", disk->target_dev);
            return -1;
        }
        vk_stats_add_block_counters(entry, out);
        return 0;
    }
    for (guint i = 0; i < obj->def->disks->len; i++)
        vk_stats_add_block_counters(disk_entry(stats, obj->def,
                                               g_ptr_array_index(obj->def->disks, i)), out);
    return 0;
}

static int
block_stats_run(VkDomainObj *obj, void *argsp, void *retp)
{
    remote_domain_block_stats_ret *ret = retp;
    VkBlockCounters c;

    if (gather_block_counters(obj, ((remote_domain_block_stats_args *) argsp)->path, &c) < 0)
        return -1;
    ret->rd_req = c.rd_req;
    ret->rd_bytes = c.rd_bytes;
    ret->wr_req = c.wr_req;
    ret->wr_bytes = c.wr_bytes;
    ret->errs = -1;   /* QEMU does not count errors */
    return 0;
}

static int
domain_block_stats(VkServerClient *client, void *argsp, void *retp)
{
    return with_running_domain(&((remote_domain_block_stats_args *) argsp)->dom, true,
                               block_stats_run, argsp, retp);
}

/* The VIR_DOMAIN_BLOCK_STATS_* fields, in libvirt's order. */
static void
add_block_stats_fields(VkTypedParams *p, const VkBlockCounters *c)
{
    vk_typed_params_add_llong(p, c->wr_bytes, "wr_bytes");
    vk_typed_params_add_llong(p, c->wr_req, "wr_operations");
    vk_typed_params_add_llong(p, c->rd_bytes, "rd_bytes");
    vk_typed_params_add_llong(p, c->rd_req, "rd_operations");
    vk_typed_params_add_llong(p, c->fl_req, "flush_operations");
    vk_typed_params_add_llong(p, c->wr_ns, "wr_total_times");
    vk_typed_params_add_llong(p, c->rd_ns, "rd_total_times");
    vk_typed_params_add_llong(p, c->fl_ns, "flush_total_times");
}

static int
block_stats_flags_run(VkDomainObj *obj, void *argsp, void *retp)
{
    remote_domain_block_stats_flags_args *args = argsp;
    remote_domain_block_stats_flags_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    VkBlockCounters c;

    if (gather_block_counters(obj, args->path, &c) < 0)
        return -1;
    add_block_stats_fields(params, &c);
    /* nparams 0 asks how many there are (virsh asks first, then fetches) */
    if (args->nparams == 0) {
        ret->nparams = (int) vk_typed_params_len(params);
        return 0;
    }
    ret->nparams = vk_typed_params_reply(params, args->nparams, &ret->params.params_val,
                                         &ret->params.params_len);
    return 0;
}

static int
domain_block_stats_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_stats_flags_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                       "qemuDomainBlockStatsFlags") < 0)
        return -1;
    return with_running_domain(&args->dom, true, block_stats_flags_run, argsp, retp);
}

/* capacity / allocation / physical of a running guest's DISK: what QEMU
 * says of the image, the file's own size from the file. */
static int
live_block_info(VkDomainObj *obj, VkDomainDiskDef *disk, VkBlockSizes *out)
{
    g_autoptr(VkJson) blocks = monitor_query(obj, "query-block", NULL);
    VkJson *image;

    if (!blocks)
        return -1;
    image = vk_json_object_get_object(
        vk_json_object_get_object(disk_entry(blocks, obj->def, disk), "inserted"), "image");
    if (!image) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot find statistics for device '%s'", disk->target_dev);
        return -1;
    }
    if (vk_stats_image_sizes(disk->src_path, disk->driver_type, out) < 0)
        return -1;
    out->capacity = vk_json_get_uint64(vk_json_object_get(image, "virtual-size"), out->capacity);
    out->allocation = vk_json_get_uint64(vk_json_object_get(image, "actual-size"),
                                         out->allocation);
    return 0;
}

static int
domain_get_block_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_block_info_args *args = argsp;
    remote_domain_get_block_info_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = NULL;
    VkDomainDiskDef *disk;
    VkBlockSizes sizes;
    int rc = -1;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetBlockInfo") < 0 ||
        !(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        return -1;
    }
    if (!(disk = vk_domain_def_disk_by_name(obj->def, args->path))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "invalid path %s not assigned to domain", args->path);
    } else if (!disk->src_path) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "disk '%s' does not currently have a source assigned", args->path);
    } else if (vk_domain_obj_is_active(obj) ? live_block_info(obj, disk, &sizes) == 0
                                            : vk_stats_image_sizes(disk->src_path,
                                                                   disk->driver_type,
                                                                   &sizes) == 0) {
        ret->capacity = sizes.capacity;
        ret->allocation = sizes.allocation;
        ret->physical = sizes.physical;
        rc = 0;
    }
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    return rc;
}

/* ---------------------------------------------------------------------
 * Interfaces
 * ------------------------------------------------------------------- */

static bool
looks_like_mac(const char *s)
{
    unsigned int b[6];
    char tail;

    return strlen(s) == 17 &&
           sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
                  &tail) == 6;
}

/* The interface DEVICE names (its MAC address or its host-side name), or
 * NULL with libvirt's error. */
static VkDomainNetDef *
find_net(const VkDomainDef *def, const char *device)
{
    bool by_mac = looks_like_mac(device);
    VkDomainNetDef *found = NULL;

    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        if (by_mac ? g_ascii_strcasecmp(net->mac, device) != 0
                   : g_strcmp0(net->target_dev, device) != 0)
            continue;
        if (found) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                            "multiple devices matching MAC address %s found", device);
            return NULL;
        }
        found = net;
    }
    if (!found)
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                        "'%s' is not a known interface", device);
    return found;
}

/* The counters of NET as the guest sees them.  A tap on a bridge is the
 * guest's cable: what it receives the guest sent.  Ethernet and direct
 * (macvtap) interfaces share the guest's view and are read as they are. */
static int
net_counters(const VkDomainNetDef *net, VkInterfaceCounters *out)
{
    bool shares_view = net->type == VK_NET_TYPE_ETHERNET || net->type == VK_NET_TYPE_DIRECT;

    if (!net->target_dev) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "Interface name not provided");
        return -1;
    }
    return vk_stats_host_interface(net->target_dev, !shares_view, out);
}

static int
interface_stats_run(VkDomainObj *obj, void *argsp, void *retp)
{
    remote_domain_interface_stats_ret *ret = retp;
    VkDomainNetDef *net = find_net(obj->def, ((remote_domain_interface_stats_args *) argsp)->device);
    VkInterfaceCounters c;

    if (!net || net_counters(net, &c) < 0)
        return -1;
    ret->rx_bytes = c.rx_bytes;
    ret->rx_packets = c.rx_packets;
    ret->rx_errs = c.rx_errs;
    ret->rx_drop = c.rx_drop;
    ret->tx_bytes = c.tx_bytes;
    ret->tx_packets = c.tx_packets;
    ret->tx_errs = c.tx_errs;
    ret->tx_drop = c.tx_drop;
    return 0;
}

static int
domain_interface_stats(VkServerClient *client, void *argsp, void *retp)
{
    /* host counters only: no QEMU, no job */
    return with_running_domain(&((remote_domain_interface_stats_args *) argsp)->dom, false,
                               interface_stats_run, argsp, retp);
}

/* ---------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------- */

/* The balloon's guest statistics as QEMU names them (qom-get guest-stats),
 * in libvirt's order; DIVISOR turns bytes into KiB. */
static const struct {
    const char *qemu;
    int tag;
    guint64 divisor;
} guest_stats[] = {
    { "stat-swap-in", VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 1024 },
    { "stat-swap-out", VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 1024 },
    { "stat-major-faults", VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 1 },
    { "stat-minor-faults", VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 1 },
    { "stat-free-memory", VIR_DOMAIN_MEMORY_STAT_UNUSED, 1024 },
    { "stat-total-memory", VIR_DOMAIN_MEMORY_STAT_AVAILABLE, 1024 },
    { "last-update", VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 1 },   /* beside "stats", not in it */
    { "stat-available-memory", VIR_DOMAIN_MEMORY_STAT_USABLE, 1024 },
    { "stat-disk-caches", VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, 1024 },
    { "stat-htlb-pgalloc", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 1 },
    { "stat-htlb-pgfail", VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 1 },
};

/* The domstats name (balloon.NAME) of each memory stat tag. */
static const char *const balloon_names[] = {
    [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
    [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
    [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
    [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
    [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
    [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
    [VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = NULL,   /* balloon.current */
    [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
    [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
    [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last-update",
    [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
    [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
    [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
};

static void
push_mem(GArray *out, int tag, guint64 val)
{
    remote_domain_memory_stat s = { .tag = tag, .val = val };

    g_array_append_val(out, s);
}

static bool
has_balloon(const VkDomainDef *def)
{
    return vk_domain_def_has_balloon(def) && def->memballoon->info.alias;
}

/* What the guest's balloon driver last reported; QEMU gives -1 for what
 * it never got (the guest has no driver, or no polling period is set). */
static void
balloon_guest_stats(VkDomainObj *obj, GArray *out)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s",
                                            obj->def->memballoon->info.alias);
    g_autoptr(VkJson) reply = NULL;
    VkJson *stats;

    vk_json_object_set_string(args, "path", path);
    vk_json_object_set_string(args, "property", "guest-stats");
    if (!(reply = monitor_query_quiet(obj, "qom-get", args)))
        return;
    stats = vk_json_object_get_object(reply, "stats");
    for (guint i = 0; i < G_N_ELEMENTS(guest_stats); i++) {
        const VkJson *from =
            guest_stats[i].tag == VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE ? reply : stats;
        gint64 v = vk_json_object_get_int(from, guest_stats[i].qemu, -1);
        if (v >= 0)
            push_mem(out, guest_stats[i].tag, (guint64) v / guest_stats[i].divisor);
    }
}

/* virDomainMemoryStats of the running OBJ (job held), in libvirt's order:
 * the balloon size, the guest's own figures, QEMU's RSS. */
static void
gather_memory_stats(VkDomainObj *obj, GArray *out)
{
    const VkDomainDef *def = obj->def;
    guint64 actual = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;

    if (has_balloon(def)) {
        g_autoptr(VkJson) balloon = monitor_query_quiet(obj, "query-balloon", NULL);
        gint64 bytes = vk_json_object_get_int(balloon, "actual", -1);
        if (bytes >= 0)
            actual = (guint64) bytes / 1024;
    }
    push_mem(out, VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, actual);
    if (has_balloon(obj->def))
        balloon_guest_stats(obj, out);
    push_mem(out, VIR_DOMAIN_MEMORY_STAT_RSS, vk_stats_rss_kib(obj->pid));
}

static int
memory_stats_run(VkDomainObj *obj, void *argsp, void *retp)
{
    remote_domain_memory_stats_args *args = argsp;
    remote_domain_memory_stats_ret *ret = retp;
    g_autoptr(GArray) stats = g_array_new(FALSE, TRUE, sizeof(remote_domain_memory_stat));
    guint n;

    gather_memory_stats(obj, stats);
    n = MIN(stats->len, args->maxStats);
    ret->stats.stats_val = calloc(MAX(n, 1), sizeof(remote_domain_memory_stat));
    if (n)
        memcpy(ret->stats.stats_val, stats->data, n * sizeof(remote_domain_memory_stat));
    ret->stats.stats_len = n;
    return 0;
}

static int
domain_memory_stats(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_memory_stats_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainMemoryStats") < 0)
        return -1;
    return with_running_domain(&args->dom, true, memory_stats_run, argsp, retp);
}

/* ---------------------------------------------------------------------
 * domcontrol, domblkerror
 * ------------------------------------------------------------------- */

static int
control_info_run(VkDomainObj *obj, void *argsp, void *retp)
{
    /* VIR_DOMAIN_CONTROL_OK: our monitor calls never leave the domain
     * unusable; a call in progress just makes the next one queue */
    memset(retp, 0, sizeof(remote_domain_get_control_info_ret));
    return 0;
}

static int
domain_get_control_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_control_info_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetControlInfo") < 0)
        return -1;
    return with_running_domain(&args->dom, false, control_info_run, argsp, retp);
}

/* The I/O errors QEMU saw, from query-block's io-status of each disk. */
static int
disk_errors_run(VkDomainObj *obj, void *argsp, void *retp)
{
    remote_domain_get_disk_errors_args *args = argsp;
    remote_domain_get_disk_errors_ret *ret = retp;
    const VkDomainDef *def = obj->def;
    g_autoptr(VkJson) blocks = NULL;
    guint n = 0;

    /* maxerrors 0 asks how much room the answer may need: one per disk */
    if (args->maxerrors == 0) {
        ret->nerrors = (int) def->disks->len;
        return 0;
    }
    if (!(blocks = monitor_query(obj, "query-block", NULL)))
        return -1;
    ret->errors.errors_val = calloc(MAX(def->disks->len, 1), sizeof(remote_domain_disk_error));
    for (guint i = 0; i < def->disks->len && n < args->maxerrors; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        const char *status = vk_json_object_get_string(disk_entry(blocks, def, disk),
                                                       "io-status", "ok");
        if (g_str_equal(status, "ok"))
            continue;
        ret->errors.errors_val[n].disk = strdup(disk->target_dev);
        ret->errors.errors_val[n].error = g_str_equal(status, "nospace")
                                              ? VIR_DOMAIN_DISK_ERROR_NO_SPACE
                                              : VIR_DOMAIN_DISK_ERROR_UNSPEC;
        n++;
    }
    ret->errors.errors_len = n;
    ret->nerrors = (int) n;
    return 0;
}

static int
domain_get_disk_errors(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_disk_errors_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetDiskErrors") < 0)
        return -1;
    return with_running_domain(&args->dom, true, disk_errors_run, argsp, retp);
}

/* ---------------------------------------------------------------------
 * domstats: one group of typed parameters per function
 * ------------------------------------------------------------------- */

typedef struct {
    VkDomainObj *obj;       /* locked */
    bool active;
    bool monitor;           /* running with the job held: QMP may be used */
    VkTypedParams *params;
} StatsCtx;

static void
stats_state(StatsCtx *ctx)
{
    vk_typed_params_add_int(ctx->params, ctx->obj->state, "state.state");
    vk_typed_params_add_int(ctx->params, ctx->obj->reason, "state.reason");
}

/* CPU time of the guest's cgroup (else of the QEMU process, all its
 * threads), live guests only, and KVM's halt polling times. */
static void
stats_cpu_total(StatsCtx *ctx)
{
    g_autoptr(VkKvmVcpuStats) kvm = NULL;
    VkCpuTimes t;
    guint64 total;

    if (!ctx->active)
        return;
    if (vk_qemu_cpuacct_total(ctx->obj, &total, &t.user_ns, &t.system_ns) < 0) {
        vk_error_reset();
        if (vk_stats_cpu_times(ctx->obj->pid, 0, &t) < 0)
            return;
        total = t.user_ns + t.system_ns;
    }
    vk_typed_params_add_ullong(ctx->params, total, "cpu.time");
    vk_typed_params_add_ullong(ctx->params, t.user_ns, "cpu.user");
    vk_typed_params_add_ullong(ctx->params, t.system_ns, "cpu.system");
    /* no cache monitors can be defined here */
    vk_typed_params_add_uint(ctx->params, 0, "cpu.cache.monitor.count");
    if (ctx->monitor && (kvm = vk_qemu_kvm_vcpu_stats(ctx->obj))) {
        vk_typed_params_add_ullong(ctx->params,
                                   vk_qemu_kvm_vcpu_stats_sum(kvm, "halt_poll_success_ns"),
                                   "cpu.haltpoll.success.time");
        vk_typed_params_add_ullong(ctx->params, vk_qemu_kvm_vcpu_stats_sum(kvm, "halt_poll_fail_ns"),
                                   "cpu.haltpoll.fail.time");
    }
}

static void
stats_balloon(StatsCtx *ctx)
{
    const VkDomainDef *def = ctx->obj->def;
    g_autoptr(GArray) mem = g_array_new(FALSE, TRUE, sizeof(remote_domain_memory_stat));
    guint64 current = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;

    if (ctx->monitor)
        gather_memory_stats(ctx->obj, mem);
    for (guint i = 0; i < mem->len; i++) {
        const remote_domain_memory_stat *s = &g_array_index(mem, remote_domain_memory_stat, i);
        if (s->tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON)
            current = s->val;
    }
    vk_typed_params_add_ullong(ctx->params, current, "balloon.current");
    vk_typed_params_add_ullong(ctx->params, def->memory_kib, "balloon.maximum");
    for (guint i = 0; i < mem->len; i++) {
        remote_domain_memory_stat *s = &g_array_index(mem, remote_domain_memory_stat, i);
        if (s->tag >= 0 && s->tag < (int) G_N_ELEMENTS(balloon_names) && balloon_names[s->tag])
            vk_typed_params_add_ullong(ctx->params, s->val, "balloon.%s", balloon_names[s->tag]);
    }
}

/* One vCPU thread: its state, CPU time and scheduling delays. */
static void
add_vcpu_thread(StatsCtx *ctx, gint64 index, pid_t tid)
{
    VkCpuTimes t = { 0 };
    guint64 delay, wait;

    vk_stats_cpu_times(ctx->obj->pid, tid, &t);
    vk_stats_thread_sched(ctx->obj->pid, tid, &delay, &wait);
    vk_typed_params_add_int(ctx->params, VIR_VCPU_RUNNING, "vcpu.%" G_GINT64_FORMAT ".state",
                            index);
    vk_typed_params_add_ullong(ctx->params, t.user_ns + t.system_ns,
                               "vcpu.%" G_GINT64_FORMAT ".time", index);
    vk_typed_params_add_ullong(ctx->params, wait, "vcpu.%" G_GINT64_FORMAT ".wait", index);
    vk_typed_params_add_ullong(ctx->params, delay, "vcpu.%" G_GINT64_FORMAT ".delay", index);
}

static void
stats_vcpu(StatsCtx *ctx)
{
    const VkDomainDef *def = ctx->obj->def;
    g_autoptr(VkJson) cpus = NULL;
    g_autoptr(VkKvmVcpuStats) kvm = NULL;

    vk_typed_params_add_uint(ctx->params, vk_domain_def_current_vcpus(def), "vcpu.current");
    vk_typed_params_add_uint(ctx->params, def->vcpus, "vcpu.maximum");
    if (!ctx->monitor || !(cpus = monitor_query_quiet(ctx->obj, "query-cpus-fast", NULL)))
        return;
    kvm = vk_qemu_kvm_vcpu_stats(ctx->obj);
    for (guint i = 0; i < vk_json_array_length(cpus); i++) {
        VkJson *cpu = vk_json_array_get(cpus, i);
        gint64 index = vk_json_object_get_int(cpu, "cpu-index", i);

        add_vcpu_thread(ctx, index, (pid_t) vk_json_object_get_int(cpu, "thread-id", 0));
        vk_qemu_kvm_vcpu_stats_add(kvm, (int) index, ctx->params);
    }
}

/* Host-side counters of each interface that has a host device; the index
 * is the interface's place in the definition, as libvirt counts. */
static void
stats_interface(StatsCtx *ctx)
{
    const VkDomainDef *def = ctx->obj->def;

    if (!ctx->active)
        return;
    vk_typed_params_add_uint(ctx->params, def->nets->len, "net.count");
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        VkInterfaceCounters c;
        if (!net->target_dev)
            continue;
        vk_typed_params_add_string(ctx->params, net->target_dev, "net.%u.name", i);
        if (net_counters(net, &c) < 0) {
            vk_error_reset();
            continue;
        }
        vk_typed_params_add_ullong(ctx->params, c.rx_bytes, "net.%u.rx.bytes", i);
        vk_typed_params_add_ullong(ctx->params, c.rx_packets, "net.%u.rx.pkts", i);
        vk_typed_params_add_ullong(ctx->params, c.rx_errs, "net.%u.rx.errs", i);
        vk_typed_params_add_ullong(ctx->params, c.rx_drop, "net.%u.rx.drop", i);
        vk_typed_params_add_ullong(ctx->params, c.tx_bytes, "net.%u.tx.bytes", i);
        vk_typed_params_add_ullong(ctx->params, c.tx_packets, "net.%u.tx.pkts", i);
        vk_typed_params_add_ullong(ctx->params, c.tx_errs, "net.%u.tx.errs", i);
        vk_typed_params_add_ullong(ctx->params, c.tx_drop, "net.%u.tx.drop", i);
    }
}

/* block.I.* of a running guest's disk from QEMU's replies. */
static void
add_live_block(StatsCtx *ctx, guint i, const VkDomainDiskDef *disk, const VkJson *stats,
               const VkJson *blocks)
{
    VkTypedParams *p = ctx->params;
    VkJson *entry = disk_entry(stats, ctx->obj->def, disk);
    VkJson *image = vk_json_object_get_object(
        vk_json_object_get_object(disk_entry(blocks, ctx->obj->def, disk), "inserted"), "image");
    VkBlockCounters c = { 0 };
    unsigned int node;

    if (!entry)
        return;
    /* libvirt's backing index is the N of the libvirt-N-format node name */
    if (sscanf(vk_json_object_get_string(entry, "node-name", ""), "libvirt-%u-", &node) == 1)
        vk_typed_params_add_uint(p, node, "block.%u.backingIndex", i);
    vk_stats_add_block_counters(entry, &c);
    vk_typed_params_add_ullong(p, c.rd_req, "block.%u.rd.reqs", i);
    vk_typed_params_add_ullong(p, c.rd_bytes, "block.%u.rd.bytes", i);
    vk_typed_params_add_ullong(p, c.rd_ns, "block.%u.rd.times", i);
    vk_typed_params_add_ullong(p, c.wr_req, "block.%u.wr.reqs", i);
    vk_typed_params_add_ullong(p, c.wr_bytes, "block.%u.wr.bytes", i);
    vk_typed_params_add_ullong(p, c.wr_ns, "block.%u.wr.times", i);
    vk_typed_params_add_ullong(p, c.fl_req, "block.%u.fl.reqs", i);
    vk_typed_params_add_ullong(p, c.fl_ns, "block.%u.fl.times", i);
    if (!image)
        return;
    vk_typed_params_add_ullong(p, c.wr_highest_offset, "block.%u.allocation", i);
    vk_typed_params_add_ullong(p, vk_json_get_uint64(vk_json_object_get(image, "virtual-size"), 0),
                               "block.%u.capacity", i);
    vk_typed_params_add_ullong(p, vk_json_get_uint64(vk_json_object_get(image, "actual-size"), 0),
                               "block.%u.physical", i);
}

/* block.I.* sizes of a disk read from its image file. */
static void
add_file_block(StatsCtx *ctx, guint i, const VkDomainDiskDef *disk)
{
    VkBlockSizes s;

    if (vk_stats_image_sizes(disk->src_path, disk->driver_type, &s) < 0) {
        vk_error_reset();
        return;
    }
    vk_typed_params_add_ullong(ctx->params, s.allocation, "block.%u.allocation", i);
    vk_typed_params_add_ullong(ctx->params, s.capacity, "block.%u.capacity", i);
    vk_typed_params_add_ullong(ctx->params, s.physical, "block.%u.physical", i);
}

static void
stats_block(StatsCtx *ctx)
{
    const VkDomainDef *def = ctx->obj->def;
    g_autoptr(VkJson) stats = NULL;
    g_autoptr(VkJson) blocks = NULL;

    if (ctx->monitor) {
        stats = monitor_query_quiet(ctx->obj, "query-blockstats", NULL);
        blocks = monitor_query_quiet(ctx->obj, "query-block", NULL);
    }
    vk_typed_params_add_uint(ctx->params, def->disks->len, "block.count");
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        vk_typed_params_add_string(ctx->params, disk->target_dev, "block.%u.name", i);
        if (!disk->src_path)
            continue;
        vk_typed_params_add_string(ctx->params, disk->src_path, "block.%u.path", i);
        if (stats)
            add_live_block(ctx, i, disk, stats, blocks);
        else
            add_file_block(ctx, i, disk);
    }
}

/* iothread.count and each thread's polling values, as QEMU has them; like
 * libvirt, nothing for a guest without I/O threads or QMP. */
static void
stats_iothread(StatsCtx *ctx)
{
    g_autoptr(VkJson) list = NULL;
    guint n;

    if (!ctx->monitor || !(list = monitor_query_quiet(ctx->obj, "query-iothreads", NULL)) ||
        (n = vk_json_array_length(list)) == 0)
        return;
    vk_typed_params_add_uint(ctx->params, n, "iothread.count");
    for (guint i = 0; i < n; i++) {
        VkJson *t = vk_json_array_get(list, i);
        int id = vk_qemu_iothread_number(t);

        if (!vk_json_object_get(t, "poll-max-ns"))
            continue;
        vk_typed_params_add_ullong(ctx->params,
                                   vk_json_get_uint64(vk_json_object_get(t, "poll-max-ns"), 0),
                                   "iothread.%d.poll-max-ns", id);
        vk_typed_params_add_uint(ctx->params, vk_json_object_get_int(t, "poll-grow", 0),
                                 "iothread.%d.poll-grow", id);
        vk_typed_params_add_uint(ctx->params, vk_json_object_get_int(t, "poll-shrink", 0),
                                 "iothread.%d.poll-shrink", id);
    }
}

/* In libvirt's order, which is the order of the record. */
static const struct {
    unsigned int bit;
    void (*gather)(StatsCtx *ctx);
} stats_groups[] = {
    { VIR_DOMAIN_STATS_STATE, stats_state },
    { VIR_DOMAIN_STATS_CPU_TOTAL, stats_cpu_total },
    { VIR_DOMAIN_STATS_BALLOON, stats_balloon },
    { VIR_DOMAIN_STATS_VCPU, stats_vcpu },
    { VIR_DOMAIN_STATS_INTERFACE, stats_interface },
    { VIR_DOMAIN_STATS_BLOCK, stats_block },
    { VIR_DOMAIN_STATS_IOTHREAD, stats_iothread },
};

/* The groups STATS asks for of OBJ (locked).  A running guest's job is
 * taken for QMP, unless NOWAIT and someone else holds it: then only what
 * needs no QEMU is reported, as libvirt does. */
static VkTypedParams *
domain_stats(VkDomainObj *obj, unsigned int stats, bool nowait)
{
    StatsCtx ctx = { .obj = obj, .params = vk_typed_params_new() };
    bool job = vk_domain_obj_is_active(obj) && !(nowait && obj->parent.job_active);

    /* a job held too long: what needs no QEMU is still reported */
    if (job && vk_domain_obj_begin_job(obj) < 0) {
        vk_error_reset();
        job = false;
    }
    ctx.active = vk_domain_obj_is_active(obj);
    ctx.monitor = job && ctx.active;
    for (guint i = 0; i < G_N_ELEMENTS(stats_groups); i++)
        if (stats & stats_groups[i].bit)
            stats_groups[i].gather(&ctx);
    if (job)
        vk_domain_obj_end_job(obj);
    return ctx.params;
}


/* The domains the call names (those gone are skipped, as libvirt does), or
 * all of them. */
static GPtrArray *
stats_domains(const remote_connect_get_all_domain_stats_args *args)
{
    GPtrArray *objs;

    if (args->doms.doms_len == 0)
        return vk_object_list_snapshot(vk_qemu_driver()->domains);
    objs = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_obj_unref);
    for (u_int i = 0; i < args->doms.doms_len; i++) {
        VkDomainObj *obj = vk_qemu_domain_from_ref(&args->doms.doms_val[i]);
        if (obj)
            g_ptr_array_add(objs, obj);
        else
            vk_error_reset();
    }
    return objs;
}

static int
connect_get_all_domain_stats(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_get_all_domain_stats_args *args = argsp;
    remote_connect_get_all_domain_stats_ret *ret = retp;
    unsigned int filters =
        VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE | VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE |
        VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT | VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT |
        VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |
        VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER;
    unsigned int enforce = args->flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
    unsigned int stats = args->stats ? args->stats : STATS_SUPPORTED;
    g_autoptr(GPtrArray) objs = NULL;
    u_int n = 0;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags,
                       filters | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                       "qemuConnectGetAllDomainStats") < 0)
        return -1;
    objs = stats_domains(args);
    ret->retStats.retStats_val = calloc(MAX(objs->len, 1), sizeof(remote_domain_stats_record));
    for (guint i = 0; i < objs->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(objs, i);
        remote_domain_stats_record *rec = &ret->retStats.retStats_val[n];
        vk_domain_obj_lock(obj);
        /* its state filter bits are virConnectListAllDomains's */
        if (obj->parent.removed || !vk_qemu_domain_matches_list_flags(obj, args->flags & filters)) {
            vk_domain_obj_unlock(obj);
            continue;
        }
        /* libvirt checks this per domain: with none to report, no error */
        if (enforce && (stats & ~STATS_SUPPORTED)) {
            vk_domain_obj_unlock(obj);
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                            "Stats types bits 0x%x are not supported by this daemon or QEMU",
                            stats & ~STATS_SUPPORTED);
            ret->retStats.retStats_len = n;   /* what was filled is freed with the reply */
            return -1;
        }
        g_autoptr(VkTypedParams) params =
            domain_stats(obj, stats, args->flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
        vk_qemu_domain_make_ref(&rec->dom, obj->def);
        vk_domain_obj_unlock(obj);
        vk_typed_params_steal(params, &rec->params.params_val, &rec->params.params_len);
        n++;
    }
    ret->retStats.retStats_len = n;
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, connect_get_all_domain_stats },
    { REMOTE_PROC_DOMAIN_BLOCK_STATS, domain_block_stats },
    { REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, domain_block_stats_flags },
    { REMOTE_PROC_DOMAIN_INTERFACE_STATS, domain_interface_stats },
    { REMOTE_PROC_DOMAIN_MEMORY_STATS, domain_memory_stats },
    { REMOTE_PROC_DOMAIN_GET_BLOCK_INFO, domain_get_block_info },
    { REMOTE_PROC_DOMAIN_GET_CONTROL_INFO, domain_get_control_info },
    { REMOTE_PROC_DOMAIN_GET_DISK_ERRORS, domain_get_disk_errors },
};

void
vk_qemu_stats_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
