/* vcpupin, emulatorpin and iothreadpin with a CPU list: live (the thread
 * group's cpuset and the threads' affinity) and in the config (<cputune>'s
 * pins), with libvirt 9.0's checks and tunable events. */
#include "drivers/qemu/handlers/handlers.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "common/conf/domain-tune.h"
#include "common/rpc/typed-params.h"
#include "common/util/error.h"
#include "drivers/qemu/core/bitmap-text.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/tunable-event.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* What a pin call names: the thread kind and number, their <cputune>
 * child, the event's parameter. */
typedef struct {
    const char *group;        /* "vcpu", "emulator", "iothread" */
    int n;                    /* -1 for the emulator */
    VkDomainTuneKey key;
    char number[16];
} PinTarget;

static void
pin_target(PinTarget *t, const char *group, int n)
{
    t->group = group;
    t->n = n;
    g_snprintf(t->number, sizeof(t->number), "%d", n);
    t->key.element = "cputune";
    t->key.child = g_str_equal(group, "vcpu") ? "vcpupin"
                   : g_str_equal(group, "iothread") ? "iothreadpin" : "emulatorpin";
    t->key.attr = n >= 0 ? group : NULL;
    t->key.attr_value = n >= 0 ? t->number : NULL;
}

static int
set_affinity(pid_t tid, const char *cpuset)
{
    int maplen = (int) (vk_qemu_host_cpu_count() + 7) / 8;
    g_autofree unsigned char *map = g_malloc0(maplen);
    cpu_set_t set;

    vk_qemu_cpuset_to_map(cpuset, map, maplen);
    CPU_ZERO(&set);
    for (int c = 0; c < CPU_SETSIZE && c / 8 < maplen; c++)
        if (map[c / 8] & (1 << (c % 8)))
            CPU_SET(c, &set);
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot set CPU affinity on process %d",
                              (int) tid);
        return -1;
    }
    return 0;
}

/* The thread numbered N that QMP's COMMAND lists (query-cpus-fast,
 * query-iothreads) into TIDS. */
static void
listed_threads(VkDomainObj *obj, const char *command, int n, GArray *tids)
{
    bool vcpu = g_str_equal(command, "query-cpus-fast");
    g_autoptr(VkJson) list = NULL;

    if (vk_qemu_process_monitor_query(obj, command, NULL, &list) < 0) {
        vk_error_reset();
        return;
    }
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *e = vk_json_array_get(list, i);
        int number = vcpu ? (int) vk_json_object_get_int(e, "cpu-index", i)
                          : vk_qemu_iothread_number(e);
        pid_t tid = (pid_t) vk_json_object_get_int(e, "thread-id", 0);

        if (number == n)
            g_array_append_val(tids, tid);
    }
}

/* The threads a pin sets the affinity of: a vCPU's or an I/O thread's
 * one thread; for the emulator QEMU's main thread, as libvirt, the
 * emulator group's cpuset taking care of its others. */
static GArray *
target_threads(VkDomainObj *obj, const PinTarget *t)
{
    GArray *tids = g_array_new(FALSE, FALSE, sizeof(pid_t));

    if (t->n < 0)
        g_array_append_val(tids, obj->pid);
    else
        listed_threads(obj, g_str_equal(t->group, "vcpu") ? "query-cpus-fast" : "query-iothreads",
                       t->n, tids);
    return tids;
}

static int
pin_live(VkDomainObj *obj, const PinTarget *t, const char *cpuset)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_thread_group(obj, t->group, t->n);
    g_autoptr(GArray) tids = target_threads(obj, t);

    /* an offline vCPU has no thread and no group: only its pin is kept */
    if (cg && vk_cgroup_exists(cg) && vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPUSET) &&
        vk_cgroup_set(cg, VK_CGROUP_CPUSET, "cpuset.cpus", cpuset) < 0)
        return -1;
    for (guint i = 0; i < tids->len; i++) {
        if (set_affinity(g_array_index(tids, pid_t, i), cpuset) < 0)
            return -1;
    }
    vk_domain_tune_set(obj->def, &t->key, "cpuset", cpuset, NULL);
    return 0;
}

static unsigned int
vcpus_of(const VkDomainDef *def)
{
    return def->vcpus;
}

/* Whether the pin's vCPU or I/O thread is there in DEF (WHICH: "live" or
 * "persistent"), with libvirt's error when not. */
static int
check_target(const VkDomainDef *def, const PinTarget *t, const char *which)
{
    if (g_str_equal(t->group, "vcpu") && (unsigned int) t->n >= vcpus_of(def)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "vcpu %d is out of range of %s cpu count %u", t->n, which,
                        vcpus_of(def));
        return -1;
    }
    if (g_str_equal(t->group, "iothread") && (t->n < 1 || (unsigned int) t->n > def->iothreads)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s %d not found",
                        g_str_equal(which, "live") ? "iothread" : "iothreadid", t->n);
        return -1;
    }
    return 0;
}

static int
pin(const remote_nonnull_domain *ref, const PinTarget *t, const char *cpumap, u_int maplen,
    unsigned int flags, const char *api)
{
    g_autoptr(VkTypedParams) event = vk_typed_params_new();
    g_autofree char *cpuset = vk_bitmap_format((const unsigned char *) cpumap, (int) maplen);
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    if (!(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags, 0, api) < 0)
        goto out;
    if (!cpuset) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto out;
    }
    if ((ch.live && check_target(ch.live, t, "live") < 0) ||
        (ch.config && check_target(ch.config, t, "persistent") < 0))
        goto out;
    if (ch.live) {
        if (pin_live(obj, t, cpuset) < 0)
            goto out;
        vk_typed_params_add_string(event, cpuset, "cputune.%s%s", t->key.child,
                                   t->n >= 0 ? t->number : "");
    }
    if (ch.config)
        vk_domain_tune_set(ch.config, &t->key, "cpuset", cpuset, NULL);
    if ((rc = vk_qemu_change_commit(&ch)) == 0)
        vk_qemu_emit_tunable(obj, event);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_pin_vcpu_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pin_vcpu_flags_args *args = argsp;
    PinTarget t;

    pin_target(&t, "vcpu", (int) MIN(args->vcpu, (unsigned int) G_MAXINT - 1));
    return pin(&args->dom, &t, args->cpumap.cpumap_val, args->cpumap.cpumap_len, args->flags,
               "qemuDomainPinVcpuFlags");
}

static int
domain_pin_vcpu(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pin_vcpu_args *args = argsp;
    PinTarget t;

    pin_target(&t, "vcpu", (int) MIN(args->vcpu, (unsigned int) G_MAXINT - 1));
    return pin(&args->dom, &t, args->cpumap.cpumap_val, args->cpumap.cpumap_len,
               VIR_DOMAIN_AFFECT_LIVE, "qemuDomainPinVcpuFlags");
}

static int
domain_pin_emulator(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pin_emulator_args *args = argsp;
    PinTarget t;

    pin_target(&t, "emulator", -1);
    return pin(&args->dom, &t, args->cpumap.cpumap_val, args->cpumap.cpumap_len, args->flags,
               "qemuDomainPinEmulator");
}

static int
domain_pin_iothread(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_pin_iothread_args *args = argsp;
    PinTarget t;

    pin_target(&t, "iothread", (int) MIN(args->iothreads_id, (unsigned int) G_MAXINT - 1));
    return pin(&args->dom, &t, args->cpumap.cpumap_val, args->cpumap.cpumap_len, args->flags,
               "qemuDomainPinIOThread");
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_PIN_VCPU, domain_pin_vcpu },
    { REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS, domain_pin_vcpu_flags },
    { REMOTE_PROC_DOMAIN_PIN_EMULATOR, domain_pin_emulator },
    { REMOTE_PROC_DOMAIN_PIN_IOTHREAD, domain_pin_iothread },
};

void
vk_qemu_pin_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
