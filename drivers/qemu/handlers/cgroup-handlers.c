/* Resource control through the guest's cgroups: virsh schedinfo (CPU
 * weight and bandwidth), memtune and cpu-stats, live and in the config,
 * with libvirt 9.0's parameter names, checks and tunable events. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "common/conf/domain-tune.h"
#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-tunables.h"
#include "drivers/qemu/core/tunable-event.h"
#include "drivers/qemu/driver.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

#define invalid_arg(...) (vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, __VA_ARGS__), -1)

/* libvirt's limits of CPU bandwidth values */
#define MIN_PERIOD 1000LL
#define MAX_PERIOD 1000000LL
#define MIN_QUOTA 1000LL
#define MAX_QUOTA 17592186044415LL

static int
session_refused(void)
{
    if (!vk_qemu_driver()->paths->session)
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                    "CPU tuning is not available in session mode");
    return -1;
}

static int
wrong_type(const remote_typed_param *p, const char *expected)
{
    return invalid_arg("invalid type '%d' for parameter '%s', expected '%s'", p->value.type,
                       p->field, expected);
}

/* ---- schedinfo --------------------------------------------------------- */

static int
domain_get_scheduler_type(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_scheduler_type_args *args = argsp;
    remote_domain_get_scheduler_type_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&args->dom);
    int rc = 0;

    if (!obj || session_refused() < 0)
        return -1;
    vk_domain_obj_lock(obj);
    ret->nparams = VK_SCHED_N;
    if (vk_domain_obj_is_active(obj) && !vk_qemu_cgroup_has(obj, VK_CGROUP_CPU)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cgroup CPU controller is not mounted");
        rc = -1;
    }
    vk_domain_obj_unlock(obj);
    if (rc == 0)
        ret->type = strdup("posix");
    return rc;
}

static void
add_sched_param(VkTypedParams *params, VkSchedParam p, long long value, const char *prefix)
{
    if (vk_sched_param_is_quota(p))
        vk_typed_params_add_llong(params, value, "%s%s", prefix, vk_sched_param_name(p));
    else
        vk_typed_params_add_ullong(params, (unsigned long long) value, "%s%s", prefix,
                                   vk_sched_param_name(p));
}

/* The values of the config: what <cputune> says, 0 for what it does not. */
static void
config_sched(const VkDomainDef *def, long long values[VK_SCHED_N])
{
    for (int p = 0; p < VK_SCHED_N; p++) {
        VkDomainTuneKey key = { "cputune", vk_sched_param_element(p) };
        g_autofree char *text = vk_domain_tune_get(def, &key, NULL);
        values[p] = text ? g_ascii_strtoll(text, NULL, 10) : 0;
    }
}

static int
get_sched(const remote_nonnull_domain *ref, int nparams, unsigned int flags,
          remote_typed_param **val, u_int *len)
{
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    long long values[VK_SCHED_N];
    VkDomainDef *def;
    VkDomainObj *obj;

    if (session_refused() < 0 || !(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, flags, VIR_TYPED_PARAM_STRING_OKAY,
                                "qemuDomainGetSchedulerParametersFlags")))
        return vk_qemu_domain_end(obj, -1);
    if (def == obj->def && vk_domain_obj_is_active(obj)) {
        if (vk_qemu_sched_get_live(obj, values) < 0)
            return vk_qemu_domain_end(obj, -1);
    } else {
        config_sched(def, values);
    }
    for (int p = 0; p < VK_SCHED_N; p++)
        add_sched_param(params, p, values[p], "");
    vk_typed_params_truncate(params, (guint) MAX(nparams, 0));
    vk_typed_params_steal(params, val, len);
    return vk_qemu_domain_end(obj, 0);
}

static int
domain_get_scheduler_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_scheduler_parameters_args *args = argsp;
    remote_domain_get_scheduler_parameters_ret *ret = retp;

    return get_sched(&args->dom, args->nparams, 0, &ret->params.params_val,
                     &ret->params.params_len);
}

static int
domain_get_scheduler_parameters_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_scheduler_parameters_flags_args *args = argsp;
    remote_domain_get_scheduler_parameters_flags_ret *ret = retp;

    return get_sched(&args->dom, args->nparams, args->flags, &ret->params.params_val,
                     &ret->params.params_len);
}

static int
sched_param_by_name(const char *name)
{
    for (int p = 0; p < VK_SCHED_N; p++) {
        if (g_str_equal(name, vk_sched_param_name(p)))
            return p;
    }
    return -1;
}

/* One parameter's name, type and range, as libvirt checks them; its value
 * in *VALUE. */
static int
check_sched_param(const remote_typed_param *param, bool v2, int *which, long long *value)
{
    int p = sched_param_by_name(param->field);
    long long v;

    if (p < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "parameter '%s' not supported", param->field);
        return -1;
    }
    if (vk_sched_param_is_quota(p) && param->value.type != REMOTE_TYPED_PARAM_LLONG)
        return wrong_type(param, "llong");
    if (!vk_sched_param_is_quota(p) && param->value.type != REMOTE_TYPED_PARAM_ULLONG)
        return wrong_type(param, "ullong");
    v = vk_sched_param_is_quota(p) ? param->value.remote_typed_param_value_u.l
                                   : (long long) param->value.remote_typed_param_value_u.ul;
    if (p == VK_SCHED_CPU_SHARES && (v2 ? (v < 1 || v > 10000) : (v < 2 || v > 262144)))
        return invalid_arg("shares '%lld' must be in range [%d, %d]", v, v2 ? 1 : 2,
                           v2 ? 10000 : 262144);
    if (p != VK_SCHED_CPU_SHARES && !vk_sched_param_is_quota(p) && v > 0 &&
        (v < MIN_PERIOD || v > MAX_PERIOD))
        return invalid_arg("value of '%s' is out of range [%lld, %lld]", param->field,
                           MIN_PERIOD, MAX_PERIOD);
    if (vk_sched_param_is_quota(p) && v > 0 && (v < MIN_QUOTA || v > MAX_QUOTA))
        return invalid_arg("value of '%s' is out of range [%lld, %lld]", param->field,
                           MIN_QUOTA, MAX_QUOTA);
    *which = p;
    *value = v;
    return 0;
}

static void
config_set_sched(VkDomainDef *def, VkSchedParam p, long long value)
{
    VkDomainTuneKey key = { "cputune", vk_sched_param_element(p) };
    g_autofree char *text = g_strdup_printf("%lld", value);

    vk_domain_tune_set(def, &key, NULL, text, NULL);
}

static int
set_sched_params(VkDomainChange *ch, const remote_typed_param *params, u_int n,
                 VkTypedParams *event)
{
    bool v2 = vk_cgroup_layout_is_v2(vk_qemu_driver()->cgroups, VK_CGROUP_CPU);

    for (u_int i = 0; i < n; i++) {
        long long value;
        int p;

        if (check_sched_param(&params[i], v2, &p, &value) < 0)
            return -1;
        if (ch->live) {
            /* a period or quota of 0 leaves the groups as they are */
            if ((p == VK_SCHED_CPU_SHARES || value != 0) &&
                vk_qemu_sched_set_live(ch->obj, p, value) < 0)
                return -1;
            add_sched_param(event, p, value, "cputune.");
        }
        if (ch->config)
            config_set_sched(ch->config, p, value);
    }
    return 0;
}

static int
set_sched(const remote_nonnull_domain *ref, const remote_typed_param *params, u_int n,
          unsigned int flags)
{
    g_autoptr(VkTypedParams) event = vk_typed_params_new();
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    if (session_refused() < 0 || !(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags, 0, "qemuDomainSetSchedulerParametersFlags") == 0 &&
        set_sched_params(&ch, params, n, event) == 0)
        rc = vk_qemu_change_commit(&ch);
    else if (ch.live)
        vk_qemu_change_commit(&ch);   /* what reached the groups stays in the status */
    if (rc == 0)
        vk_qemu_emit_tunable(obj, event);
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_set_scheduler_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_scheduler_parameters_args *args = argsp;

    return set_sched(&args->dom, args->params.params_val, args->params.params_len,
                     VIR_DOMAIN_AFFECT_CURRENT);
}

static int
domain_set_scheduler_parameters_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_scheduler_parameters_flags_args *args = argsp;

    return set_sched(&args->dom, args->params.params_val, args->params.params_len, args->flags);
}

/* ---- memtune ----------------------------------------------------------- */

static void
config_memtune(const VkDomainDef *def, unsigned long long kib[VK_MEMTUNE_N])
{
    for (int p = 0; p < VK_MEMTUNE_N; p++) {
        VkDomainTuneKey key = { "memtune", vk_memtune_param_name(p) };
        g_autofree char *text = vk_domain_tune_get(def, &key, NULL);
        kib[p] = text ? g_ascii_strtoull(text, NULL, 10) : VK_MEMTUNE_UNLIMITED;
    }
}

static int
domain_get_memory_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_memory_parameters_args *args = argsp;
    remote_domain_get_memory_parameters_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    unsigned long long kib[VK_MEMTUNE_N];
    VkDomainDef *def;
    VkDomainObj *obj;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                                "qemuDomainGetMemoryParameters")))
        return vk_qemu_domain_end(obj, -1);
    if (args->nparams == 0) {
        ret->nparams = VK_MEMTUNE_N;   /* the client asks how many */
        return vk_qemu_domain_end(obj, 0);
    }
    if (def == obj->def && vk_domain_obj_is_active(obj)) {
        if (vk_qemu_memtune_get_live(obj, kib) < 0)
            return vk_qemu_domain_end(obj, -1);
    } else {
        config_memtune(def, kib);
    }
    for (int p = 0; p < VK_MEMTUNE_N; p++)
        vk_typed_params_add_ullong(params, kib[p], "%s", vk_memtune_param_name(p));
    vk_typed_params_truncate(params, (guint) MAX(args->nparams, 0));
    ret->nparams = (int) vk_typed_params_len(params);
    vk_typed_params_steal(params, &ret->params.params_val, &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

/* The values a set call gives, UNSET for those it does not name. */
#define UNSET G_MAXUINT64
static int
parse_memtune(const remote_typed_param *params, u_int n, unsigned long long kib[VK_MEMTUNE_N])
{
    for (int p = 0; p < VK_MEMTUNE_N; p++)
        kib[p] = UNSET;
    for (u_int i = 0; i < n; i++) {
        int p = 0;

        while (p < VK_MEMTUNE_N && !g_str_equal(params[i].field, vk_memtune_param_name(p)))
            p++;
        if (p == VK_MEMTUNE_N) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                            "parameter '%s' not supported", params[i].field);
            return -1;
        }
        if (params[i].value.type != REMOTE_TYPED_PARAM_ULLONG)
            return wrong_type(&params[i], "ullong");
        kib[p] = MIN(params[i].value.remote_typed_param_value_u.ul, VK_MEMTUNE_UNLIMITED);
    }
    if (kib[VK_MEMTUNE_HARD] != UNSET && kib[VK_MEMTUNE_SWAP_HARD] != UNSET &&
        kib[VK_MEMTUNE_HARD] > kib[VK_MEMTUNE_SWAP_HARD])
        return invalid_arg("%s", "memory hard_limit tunable value must be lower than or equal "
                                 "to swap_hard_limit");
    return 0;
}

static int
set_memtune_live(VkDomainObj *obj, const unsigned long long kib[VK_MEMTUNE_N])
{
    /* the swap limit may never fall below the hard limit: raise it first,
     * lower it last */
    static const VkMemtuneParam raising[] = { VK_MEMTUNE_SWAP_HARD, VK_MEMTUNE_HARD, VK_MEMTUNE_SOFT };
    static const VkMemtuneParam lowering[] = { VK_MEMTUNE_HARD, VK_MEMTUNE_SOFT, VK_MEMTUNE_SWAP_HARD };
    unsigned long long now[VK_MEMTUNE_N];
    const VkMemtuneParam *order;

    if (vk_qemu_memtune_get_live(obj, now) < 0)
        return -1;
    order = kib[VK_MEMTUNE_SWAP_HARD] != UNSET && kib[VK_MEMTUNE_SWAP_HARD] >= now[VK_MEMTUNE_SWAP_HARD]
                ? raising : lowering;
    for (int i = 0; i < VK_MEMTUNE_N; i++) {
        if (kib[order[i]] != UNSET && vk_qemu_memtune_set_live(obj, order[i], kib[order[i]]) < 0)
            return -1;
    }
    return 0;
}

static void
set_memtune_config(VkDomainDef *def, const unsigned long long kib[VK_MEMTUNE_N])
{
    for (int p = 0; p < VK_MEMTUNE_N; p++) {
        VkDomainTuneKey key = { "memtune", vk_memtune_param_name(p) };
        g_autofree char *text = g_strdup_printf("%llu", kib[p]);

        if (kib[p] != UNSET)
            vk_domain_tune_set(def, &key, NULL, kib[p] >= VK_MEMTUNE_UNLIMITED ? NULL : text, "KiB");
    }
}

static int
domain_set_memory_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_memory_parameters_args *args = argsp;
    unsigned long long kib[VK_MEMTUNE_N];
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetMemoryParameters") == 0 &&
        parse_memtune(args->params.params_val, args->params.params_len, kib) == 0 &&
        (!ch.live || set_memtune_live(obj, kib) == 0)) {
        if (ch.config)
            set_memtune_config(ch.config, kib);
        rc = vk_qemu_change_commit(&ch);
    }
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

/* ---- cpu-stats --------------------------------------------------------- */

/* N_CPUS from START: "cpu_time" and "vcpu_time" of each (as many as
 * NPARAMS asks), one stride of NPARAMS a CPU; the reply's nparams is the
 * stride. */
static void
add_percpu_params(VkTypedParams *params, GArray *cpu, GArray *vcpu, int start, int n_cpus,
                  int nparams)
{
    for (int c = start; c < start + n_cpus && c < (int) cpu->len; c++) {
        vk_typed_params_add_ullong(params, g_array_index(cpu, guint64, c), "cpu_time");
        if (nparams >= 2)
            vk_typed_params_add_ullong(params, g_array_index(vcpu, guint64, c), "vcpu_time");
    }
}

static int
percpu_stats(VkDomainObj *obj, remote_domain_get_cpu_stats_args *args,
             remote_domain_get_cpu_stats_ret *ret)
{
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    g_autoptr(GArray) cpu = NULL, vcpu = NULL;
    int host_cpus = (int) vk_qemu_host_cpu_count();

    /* how many values each CPU has, how many CPUs there are: asked before
     * the numbers, and answered without them, as libvirt does */
    if (args->nparams == 0) {
        ret->nparams = args->ncpus == 0 ? host_cpus : 2;
        return 0;
    }
    if (args->start_cpu >= host_cpus) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum of %d",
                        args->start_cpu, host_cpus - 1);
        return -1;
    }
    if (vk_qemu_cpuacct_percpu(obj, &cpu, &vcpu) < 0)
        return -1;
    add_percpu_params(params, cpu, vcpu, args->start_cpu, (int) args->ncpus,
                      (int) MIN(args->nparams, 2));
    ret->nparams = (int) MIN(args->nparams, 2);
    vk_typed_params_steal(params, &ret->params.params_val, &ret->params.params_len);
    return 0;
}

static int
domain_get_cpu_stats(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_cpu_stats_args *args = argsp;
    remote_domain_get_cpu_stats_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    guint64 total, user, system;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                       "qemuDomainGetCPUStats") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_domain_end(obj, vk_qemu_not_running());
    if (!vk_qemu_cgroup_has(obj, VK_CGROUP_CPUACCT)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cgroup CPUACCT controller is not mounted");
        return vk_qemu_domain_end(obj, -1);
    }
    if (args->start_cpu != -1)
        return vk_qemu_domain_end(obj, percpu_stats(obj, args, ret));
    if (vk_qemu_cpuacct_total(obj, &total, &user, &system) < 0)
        return vk_qemu_domain_end(obj, -1);
    if (args->nparams == 0) {
        ret->nparams = 3;
        return vk_qemu_domain_end(obj, 0);
    }
    vk_typed_params_add_ullong(params, total, "cpu_time");
    vk_typed_params_add_ullong(params, user, "user_time");
    vk_typed_params_add_ullong(params, system, "system_time");
    vk_typed_params_truncate(params, args->nparams);
    ret->nparams = (int) vk_typed_params_len(params);
    vk_typed_params_steal(params, &ret->params.params_val, &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_TYPE, domain_get_scheduler_type },
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS, domain_get_scheduler_parameters },
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, domain_get_scheduler_parameters_flags },
    { REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS, domain_set_scheduler_parameters },
    { REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, domain_set_scheduler_parameters_flags },
    { REMOTE_PROC_DOMAIN_GET_MEMORY_PARAMETERS, domain_get_memory_parameters },
    { REMOTE_PROC_DOMAIN_SET_MEMORY_PARAMETERS, domain_set_memory_parameters },
    { REMOTE_PROC_DOMAIN_GET_CPU_STATS, domain_get_cpu_stats },
};

void
vk_qemu_cgroup_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
