/* vCPU and memory procedures: vcpucount, setvcpus (config, and live
 * hotplug with QMP device_add of the CPU), vcpuinfo, vcpupin and
 * emulatorpin listings, setmem (balloon) and setmaxmem. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/conf/domain-iothreads.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/process.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* How long a vCPU unplug may take before we give up, as libvirt. */
#define VCPU_UNPLUG_WAIT_MS 5000

/* ---------------------------------------------------------------------
 * QMP and host helpers
 * ------------------------------------------------------------------- */

/* COMMAND (ARGS: JSON text or NULL) on OBJ's monitor with its "return" in
 * *REPLY (see vk_qemu_process_monitor_query()). */
static int
monitor_query(VkDomainObj *obj, const char *command, const char *args, VkJson **reply)
{
    g_autoptr(VkJson) args_node = args ? vk_json_parse(args, -1) : NULL;

    return vk_qemu_process_monitor_query(obj, command, args_node, reply);
}

static int
check_maplen(int count, int maplen)
{
    if (count < 0 || maplen <= 0 || maplen > REMOTE_CPUMAP_MAX ||
        (gint64) count * maplen > REMOTE_CPUMAPS_MAX) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "vCPU map buffer length exceeds maximum");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * vCPU counts
 * ------------------------------------------------------------------- */

static void
set_vcpus_current(VkDomainDef *def, unsigned int n)
{
    def->current_vcpus = n == def->vcpus ? 0 : n;
}

static int
get_vcpus_flags(const remote_nonnull_domain *ref, unsigned int flags, int *num)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    VkDomainDef *def;
    int rc = -1;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    if ((flags & VIR_DOMAIN_VCPU_GUEST) && !vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                        "vCPU count provided by the guest agent can only be requested for "
                        "live domains");
    } else if (flags & VIR_DOMAIN_VCPU_GUEST) {
        /* the guest agent's count, under a job of its own (not the lock) */
        vk_domain_obj_unlock(obj);
        return vk_qemu_agent_vcpu_count(ref, flags & VIR_DOMAIN_VCPU_MAXIMUM, num);
    } else if ((def = vk_qemu_one_def(obj, flags, VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST,
                                      "qemuDomainGetVcpusFlags"))) {
        *num = (int) ((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->vcpus
                                                        : vk_domain_def_current_vcpus(def));
        rc = 0;
    }
    vk_domain_obj_unlock(obj);
    return rc;
}

static int
domain_get_vcpus_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_vcpus_flags_args *args = argsp;

    return get_vcpus_flags(&args->dom, args->flags,
                           &((remote_domain_get_vcpus_flags_ret *) retp)->num);
}

static int
domain_get_max_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_max_vcpus_args *args = argsp;

    return get_vcpus_flags(&args->dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM,
                           &((remote_domain_get_max_vcpus_ret *) retp)->num);
}

/* The topology's vCPU count, 0 when the definition gives none. */
static unsigned int
topology_vcpus(const VkDomainDef *def)
{
    const VkDomainCpuDef *cpu = def->cpu;

    if (!cpu || !cpu->sockets)
        return 0;
    return cpu->sockets * (cpu->dies ? cpu->dies : 1) * (cpu->cores ? cpu->cores : 1) *
           (cpu->threads ? cpu->threads : 1);
}

static int
set_vcpus_max_config(VkDomainDef *def, unsigned int n)
{
    unsigned int topology = topology_vcpus(def);

    if (topology && topology != n) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                        "CPU topology doesn't match the desired vcpu count");
        return -1;
    }
    unsigned int current = MIN(vk_domain_def_current_vcpus(def), n);
    def->vcpus = n;
    set_vcpus_current(def, current);
    return 0;
}

static int
set_vcpus_config(VkDomainDef *def, unsigned int n)
{
    if (n > def->vcpus) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "requested vcpus is greater than max allowable vcpus for the persistent "
                        "domain: %u > %u", n, def->vcpus);
        return -1;
    }
    set_vcpus_current(def, n);
    return 0;
}

/* ---------------------------------------------------------------------
 * Live vCPU hotplug
 *
 * QEMU lists the CPU slots of the guest's -smp topology in
 * query-hotpluggable-cpus; a plugged one has a qom-path.  The slots are
 * ordered by QEMU's CPU index (socket, die, core, thread), which is the
 * libvirt vCPU id.  vCPUs present at boot sit under /machine/unattached and
 * cannot go; those we plug are named vcpuN, as libvirt names them.
 * ------------------------------------------------------------------- */

typedef struct {
    VkJson *entry;       /* one element of query-hotpluggable-cpus */
    gint64 order[4];     /* socket, die, core, thread */
} VcpuSlot;

static gint
slot_compare(gconstpointer a, gconstpointer b)
{
    const VcpuSlot *x = a, *y = b;

    for (int i = 0; i < 4; i++)
        if (x->order[i] != y->order[i])
            return x->order[i] < y->order[i] ? -1 : 1;
    return 0;
}

/* The slots of LIST in vCPU id order. */
static GArray *
vcpu_slots(VkJson *list)
{
    static const char *const ids[] = { "socket-id", "die-id", "core-id", "thread-id" };
    GArray *slots = g_array_new(FALSE, TRUE, sizeof(VcpuSlot));

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VcpuSlot s = { .entry = vk_json_array_get(list, i) };
        VkJson *props = vk_json_object_get_object(s.entry, "props");

        for (int k = 0; k < 4; k++)
            s.order[k] = vk_json_object_get_int(props, ids[k], 0);
        g_array_append_val(slots, s);
    }
    g_array_sort(slots, slot_compare);
    return slots;
}

static bool
slot_plugged(const VcpuSlot *s)
{
    return vk_json_object_has(s->entry, "qom-path");
}

/* Whether the slot holds a vCPU we plugged (only those can be unplugged). */
static bool
slot_ours(const VcpuSlot *s, guint index)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/vcpu%u", index);

    return g_strcmp0(vk_json_object_get_string(s->entry, "qom-path", NULL), path) == 0;
}

static int
plug_vcpu(VkDomainObj *obj, const VcpuSlot *s, guint index)
{
    g_autoptr(VkJson) args = vk_json_copy(vk_json_object_get_object(s->entry, "props"));
    g_autofree char *id = g_strdup_printf("vcpu%u", index);
    g_autofree char *text = NULL;

    vk_json_object_set_string(args, "driver", vk_json_object_get_string(s->entry, "type", ""));
    vk_json_object_set_string(args, "id", id);
    text = vk_json_to_string(args);
    return vk_qemu_process_monitor_command(obj, "device_add", text);
}

/* Ask the guest to let vCPU INDEX go and wait (as libvirt, up to 5 s) until
 * QEMU no longer lists it: a guest that does not answer keeps it. */
static int
unplug_vcpu(VkDomainObj *obj, guint index)
{
    g_autofree char *args = g_strdup_printf("{\"id\":\"vcpu%u\"}", index);
    gint64 deadline = g_get_monotonic_time() + VCPU_UNPLUG_WAIT_MS * 1000;

    if (vk_qemu_process_monitor_command(obj, "device_del", args) < 0)
        return -1;
    while (g_get_monotonic_time() < deadline) {
        g_autoptr(VkJson) list = NULL;
        g_autoptr(GArray) slots = NULL;

        if (monitor_query(obj, "query-hotpluggable-cpus", NULL, &list) < 0)
            return -1;
        slots = vcpu_slots(list);
        if (index >= slots->len || !slot_plugged(&g_array_index(slots, VcpuSlot, index)))
            return 0;
        g_usleep(100 * 1000);
    }
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s",
                    "vcpu unplug request timed out. Unplug result must be manually inspected "
                    "in the domain");
    return -1;
}

/* Whether the plugged vCPUs can be brought to N: only the ones we plugged
 * can leave. */
static bool
vcpus_reachable(GArray *slots, guint n)
{
    for (guint i = n; i < slots->len; i++) {
        const VcpuSlot *s = &g_array_index(slots, VcpuSlot, i);

        if (slot_plugged(s) && !slot_ours(s, i))
            return false;
    }
    return true;
}

/* Plug or unplug vCPUs of the running OBJ until N are online. */
static int
set_vcpus_live(VkDomainObj *obj, unsigned int n)
{
    g_autoptr(VkJson) list = NULL;
    g_autoptr(GArray) slots = NULL;
    int rc = 0;

    if (n > obj->def->vcpus) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "requested vcpus is greater than max allowable vcpus for the live "
                        "domain: %u > %u", n, obj->def->vcpus);
        return -1;
    }
    if (monitor_query(obj, "query-hotpluggable-cpus", NULL, &list) < 0)
        return -1;
    slots = vcpu_slots(list);
    if (!vcpus_reachable(slots, n)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "failed to find appropriate hotpluggable vcpus to reach the desired "
                        "target vcpu count");
        return -1;
    }
    /* plug upwards, unplug downwards, as libvirt does */
    for (guint i = 0; i < slots->len && i < n && rc == 0; i++) {
        if (!slot_plugged(&g_array_index(slots, VcpuSlot, i)))
            rc = plug_vcpu(obj, &g_array_index(slots, VcpuSlot, i), i);
    }
    for (guint i = slots->len; i-- > n && rc == 0;) {
        if (slot_plugged(&g_array_index(slots, VcpuSlot, i)))
            rc = unplug_vcpu(obj, i);
    }
    return rc;
}

/* The number of vCPUs QEMU has online (after a partial hotplug too). */
static int
count_online_vcpus(VkDomainObj *obj)
{
    g_autoptr(VkJson) list = NULL;

    if (monitor_query(obj, "query-cpus-fast", NULL, &list) < 0)
        return -1;
    return (int) vk_json_array_length(list);
}

static int
set_vcpus(const remote_nonnull_domain *ref, unsigned int n, unsigned int flags)
{
    VkDomainObj *obj;
    VkDomainChange ch;
    int rc = -1;

    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        /* through the agent, under its own job */
        if (vk_check_flags(VIR_FROM_QEMU, flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                               VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST |
                               VIR_DOMAIN_VCPU_HOTPLUGGABLE, "qemuDomainSetVcpusFlags") < 0)
            return -1;
        if (n == 0)
            return vk_invalid_arg(VIR_FROM_DOMAIN, "nvcpus in virDomainSetVcpusFlags must not be zero");
        return vk_qemu_agent_set_vcpu_count(ref, n);
    }
    if (!(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags,
                             VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST |
                                 VIR_DOMAIN_VCPU_HOTPLUGGABLE,
                             "qemuDomainSetVcpusFlags") < 0)
        goto out;
    if (n == 0) {
        vk_invalid_arg(VIR_FROM_DOMAIN, "nvcpus in virDomainSetVcpusFlags must not be zero");
        goto out;
    }
    if ((flags & VIR_DOMAIN_VCPU_MAXIMUM) && ch.live) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "maximum vcpu count of a live domain can't be modified");
        goto out;
    }
    if (ch.config && ((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? set_vcpus_max_config(ch.config, n)
                                             : set_vcpus_config(ch.config, n)) < 0)
        goto out;
    if (ch.live) {
        int live_rc = set_vcpus_live(obj, n);
        int online = count_online_vcpus(obj);

        /* the definition follows what QEMU has, even after a partial change */
        if (online > 0)
            set_vcpus_current(obj->def, (unsigned int) online);
        if (vk_qemu_cgroup_sync_vcpus(obj) < 0 && live_rc == 0)
            live_rc = -1;
        if (live_rc < 0) {
            vk_qemu_process_save_status(obj);
            goto out;
        }
    }
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_set_vcpus_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_vcpus_flags_args *args = argsp;

    return set_vcpus(&args->dom, args->nvcpus, args->flags);
}

static int
domain_set_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_vcpus_args *args = argsp;

    return set_vcpus(&args->dom, args->nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

/* ---------------------------------------------------------------------
 * vcpuinfo, vcpupin, emulatorpin
 * ------------------------------------------------------------------- */

static int
domain_get_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_vcpus_args *args = argsp;
    remote_domain_get_vcpus_ret *ret = retp;
    VkDomainObj *obj;
    g_autoptr(VkJson) list = NULL;
    guint n;

    if (args->maxinfo < 0 || args->maxinfo > REMOTE_VCPUINFO_MAX) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "vCPU count exceeds maximum");
        return -1;
    }
    if (check_maplen(args->maxinfo, args->maplen) < 0 || !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot retrieve vcpu information for inactive domain");
        return vk_qemu_domain_end(obj, -1);
    }
    if (monitor_query(obj, "query-cpus-fast", NULL, &list) < 0)
        return vk_qemu_domain_end(obj, -1);

    n = MIN(vk_json_array_length(list), (guint) args->maxinfo);
    ret->info.info_val = calloc(MAX(n, 1), sizeof(remote_vcpu_info));
    ret->info.info_len = n;
    ret->cpumaps.cpumaps_len = args->maxinfo * args->maplen;
    ret->cpumaps.cpumaps_val = calloc(MAX(ret->cpumaps.cpumaps_len, 1), 1);
    for (guint i = 0; i < n; i++) {
        VkJson *cpu = vk_json_array_get(list, i);
        gint64 tid = vk_json_object_get_int(cpu, "thread-id", 0);
        remote_vcpu_info *info = &ret->info.info_val[i];

        info->number = (unsigned int) vk_json_object_get_int(cpu, "cpu-index", i);
        info->state = VIR_VCPU_RUNNING;
        VkCpuTimes t = { 0 };
        vk_stats_cpu_times(obj->pid, (pid_t) tid, &t);
        info->cpu_time = t.user_ns + t.system_ns;
        info->cpu = t.last_cpu;
        if (args->maplen > 0)
            vk_qemu_thread_affinity_map(tid, (unsigned char *) ret->cpumaps.cpumaps_val + i * args->maplen,
                            args->maplen);
    }
    return vk_qemu_domain_end(obj, 0);
}

static int
domain_get_vcpu_pin_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_vcpu_pin_info_args *args = argsp;
    remote_domain_get_vcpu_pin_info_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = NULL;
    VkDomainDef *def;

    if (check_maplen(args->ncpumaps, args->maplen) < 0 ||
        !(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (!(def = vk_qemu_one_def(obj, args->flags, 0, "qemuDomainGetVcpuPinInfo"))) {
        vk_domain_obj_unlock(obj);
        return -1;
    }
    ret->cpumaps.cpumaps_len = args->ncpumaps * args->maplen;
    ret->cpumaps.cpumaps_val = calloc(MAX(ret->cpumaps.cpumaps_len, 1), 1);
    /* as many as the client has room for: python asks for the current
     * count, virsh for the maximum */
    ret->num = MIN((int) def->vcpus, args->ncpumaps);
    for (int i = 0; i < ret->num; i++)
        vk_qemu_vcpu_pin_map(def, i, (unsigned char *) ret->cpumaps.cpumaps_val + i * args->maplen,
                     args->maplen);
    vk_domain_obj_unlock(obj);
    return 0;
}

/* The I/O threads of a running guest, in QEMU's order, with the affinity
 * their threads have (libvirt's live answer); -1 with an error. */
static int
live_iothreads(VkDomainObj *obj, remote_domain_get_iothread_info_ret *ret, int maplen)
{
    g_autoptr(VkJson) list = NULL;
    guint n;

    if (vk_qemu_process_monitor_query(obj, "query-iothreads", NULL, &list) < 0)
        return -1;
    n = vk_json_array_length(list);
    ret->info.info_val = calloc(MAX(n, 1), sizeof(remote_domain_iothread_info));
    for (guint i = 0; i < n; i++) {
        VkJson *t = vk_json_array_get(list, i);
        remote_domain_iothread_info *info = &ret->info.info_val[ret->info.info_len];
        int id = vk_qemu_iothread_number(t);

        if (id <= 0)
            continue;
        ret->info.info_len++;
        info->iothread_id = id;
        info->cpumap.cpumap_len = maplen;
        info->cpumap.cpumap_val = calloc(maplen, 1);
        vk_qemu_thread_affinity_map(vk_json_object_get_int(t, "thread-id", 0),
                                    (unsigned char *) info->cpumap.cpumap_val, maplen);
    }
    return 0;
}

/* The I/O threads of a definition (<iothreadids>, or 1..N for
 * <iothreads>N</iothreads>), and their pins. */
static void
defined_iothreads(const VkDomainDef *def, remote_domain_get_iothread_info_ret *ret, int maplen)
{
    ret->info.info_val = calloc(MAX(def->iothreads, 1), sizeof(remote_domain_iothread_info));
    ret->info.info_len = def->iothreads;
    for (unsigned int i = 0; i < def->iothreads; i++) {
        remote_domain_iothread_info *info = &ret->info.info_val[i];
        info->iothread_id = g_array_index(def->iothread_ids, VkDomainIothreadDef, i).id;
        info->cpumap.cpumap_len = maplen;
        info->cpumap.cpumap_val = calloc(maplen, 1);
        vk_qemu_iothread_pin_map(def, (int) info->iothread_id,
                                 (unsigned char *) info->cpumap.cpumap_val, maplen);
    }
}

static int
domain_get_iothread_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_iothread_info_args *args = argsp;
    remote_domain_get_iothread_info_ret *ret = retp;
    int maplen = (int) (vk_qemu_host_cpu_count() + 7) / 8;
    VkDomainObj *obj;
    VkDomainDef *def;
    int rc = 0;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, args->flags, 0, "qemuDomainGetIOThreadInfo")))
        return vk_qemu_domain_end(obj, -1);
    if (def == obj->def && vk_domain_obj_is_active(obj) && def->iothreads > 0)
        rc = live_iothreads(obj, ret, maplen);
    else
        defined_iothreads(def, ret, maplen);
    ret->ret = ret->info.info_len;
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_get_emulator_pin_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_emulator_pin_info_args *args = argsp;
    remote_domain_get_emulator_pin_info_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = NULL;
    g_autofree char *pin = NULL;
    VkDomainDef *def;

    if (check_maplen(1, args->maplen) < 0 || !(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (!(def = vk_qemu_one_def(obj, args->flags, 0, "qemuDomainGetEmulatorPinInfo"))) {
        vk_domain_obj_unlock(obj);
        return -1;
    }
    ret->cpumaps.cpumaps_len = args->maplen;
    ret->cpumaps.cpumaps_val = calloc(args->maplen, 1);
    vk_qemu_emulator_pin_map(def, (unsigned char *) ret->cpumaps.cpumaps_val, args->maplen);
    ret->ret = 1;
    vk_domain_obj_unlock(obj);
    return 0;
}

/* ---------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------- */

static unsigned long long
current_memory(const VkDomainDef *def)
{
    return def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
}

static int
set_max_memory_config(VkDomainDef *def, unsigned long long kib)
{
    if (def->cpu && def->cpu->numa_xml) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "initial memory size of a domain with NUMA nodes cannot be modified "
                        "with this API");
        return -1;
    }
    if (def->max_memory_kib && def->max_memory_kib < kib) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                        "cannot set initial memory size greater than the maximum memory size");
        return -1;
    }
    def->current_memory_kib = MIN(current_memory(def), kib);
    def->memory_kib = kib;
    return 0;
}

/* Ask the balloon for KIB, then take what the balloon has now as the live
 * current memory: it only moves when the guest's driver answers (libvirt
 * follows it from QEMU's BALLOON_CHANGE event). */
static int
set_memory_live(VkDomainObj *obj, unsigned long long kib)
{
    g_autofree char *args = g_strdup_printf("{\"value\":%llu}", kib * 1024);
    g_autoptr(VkJson) balloon = NULL;

    if (!vk_domain_def_has_balloon(obj->def)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "Unable to change memory of active domain without the balloon device "
                        "and guest OS balloon driver");
        return -1;
    }
    if (vk_qemu_process_monitor_command(obj, "balloon", args) < 0)
        return -1;
    if (monitor_query(obj, "query-balloon", NULL, &balloon) == 0) {
        guint64 actual = vk_json_get_uint64(vk_json_object_get(balloon, "actual"), 0);

        if (actual)
            obj->def->current_memory_kib = actual / 1024;
    }
    return 0;
}

static int
set_memory(const remote_nonnull_domain *ref, unsigned long long kib, unsigned int flags)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);
    VkDomainChange ch;
    int rc = -1;

    if (!obj)
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags, VIR_DOMAIN_MEM_MAXIMUM,
                             "qemuDomainSetMemoryFlags") < 0)
        goto out;
    if (kib == 0) {
        vk_invalid_arg(VIR_FROM_DOMAIN, "memory in virDomainSetMemoryFlags must not be zero");
        goto out;
    }
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (ch.live) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                            "cannot resize the maximum memory on an active domain");
            goto out;
        }
        if (set_max_memory_config(ch.config, kib) < 0)
            goto out;
    } else {
        /* the limit is the smaller maximum of the definitions changed */
        unsigned long long max = ch.live ? ch.live->memory_kib : G_MAXUINT64;

        if (ch.config)
            max = MIN(max, ch.config->memory_kib);
        if (kib > max) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                            "cannot set memory higher than max memory");
            goto out;
        }
        if (ch.live && set_memory_live(obj, kib) < 0)
            goto out;
        if (ch.config)
            ch.config->current_memory_kib = kib;
    }
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_set_memory_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_memory_flags_args *args = argsp;

    return set_memory(&args->dom, args->memory, args->flags);
}

static int
domain_set_memory(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_memory_args *args = argsp;

    return set_memory(&args->dom, args->memory, VIR_DOMAIN_AFFECT_LIVE);
}

static int
domain_set_max_memory(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_max_memory_args *args = argsp;

    return set_memory(&args->dom, args->memory, VIR_DOMAIN_MEM_MAXIMUM);
}

/* ---------------------------------------------------------------------
 * The host's CPU map (clients ask for it before vcpuinfo and vcpupin)
 * ------------------------------------------------------------------- */

static int
node_get_cpu_map(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_get_cpu_map_args *args = argsp;
    remote_node_get_cpu_map_ret *ret = retp;
    unsigned int ncpus = vk_qemu_host_cpu_count();
    int maplen = (int) (ncpus + 7) / 8;
    g_autofree char *online = NULL;
    g_autofree unsigned char *map = g_malloc0(maplen);

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "virHostCPUGetMap") < 0)
        return -1;
    if (g_file_get_contents("/sys/devices/system/cpu/online", &online, NULL, NULL))
        g_strstrip(online);
    vk_qemu_cpuset_to_map(online, map, maplen);
    if (args->need_map) {
        ret->cpumap.cpumap_len = maplen;
        ret->cpumap.cpumap_val = malloc(maplen);   /* XDR frees it */
        memcpy(ret->cpumap.cpumap_val, map, maplen);
    }
    if (args->need_online) {
        for (int i = 0; i < maplen; i++)
            ret->online += __builtin_popcount(map[i]);
    }
    ret->ret = (int) ncpus;
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_GET_CPU_MAP, node_get_cpu_map },
    { REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS, domain_get_vcpus_flags },
    { REMOTE_PROC_DOMAIN_GET_MAX_VCPUS, domain_get_max_vcpus },
    { REMOTE_PROC_DOMAIN_SET_VCPUS_FLAGS, domain_set_vcpus_flags },
    { REMOTE_PROC_DOMAIN_SET_VCPUS, domain_set_vcpus },
    { REMOTE_PROC_DOMAIN_GET_VCPUS, domain_get_vcpus },
    { REMOTE_PROC_DOMAIN_GET_VCPU_PIN_INFO, domain_get_vcpu_pin_info },
    { REMOTE_PROC_DOMAIN_GET_EMULATOR_PIN_INFO, domain_get_emulator_pin_info },
    { REMOTE_PROC_DOMAIN_GET_IOTHREAD_INFO, domain_get_iothread_info },
    { REMOTE_PROC_DOMAIN_SET_MEMORY_FLAGS, domain_set_memory_flags },
    { REMOTE_PROC_DOMAIN_SET_MEMORY, domain_set_memory },
    { REMOTE_PROC_DOMAIN_SET_MAX_MEMORY, domain_set_max_memory },
};

void
vk_qemu_tuning_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
