/* virsh schedinfo: the guest's CPU weight and bandwidth (per vCPU,
 * emulator, whole guest, I/O thread) in its cgroups, live and in the config
 * (<cputune>), with libvirt 9.0's parameter names, checks and tunable
 * events. */
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
#include "drivers/qemu/core/param-checks.h"
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
    vk_typed_params_reply(params, nparams, val, len);
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

    if (p < 0)
        return vk_qemu_param_unsupported(param);
    if (vk_qemu_param_check_type(param, vk_sched_param_is_quota(p) ? REMOTE_TYPED_PARAM_LLONG
                                                                    : REMOTE_TYPED_PARAM_ULLONG) < 0)
        return -1;
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

/* VALUE into DEF's <cputune> */
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
        long long value = 0;
        int p = 0;

        if (check_sched_param(&params[i], v2, &p, &value) < 0)
            return -1;
        /* live, a period or quota of 0 leaves the groups as they are */
        if (ch->live && (p == VK_SCHED_CPU_SHARES || value != 0)) {
            if (vk_qemu_sched_set_live(ch->obj, p, value) < 0)
                return -1;
            config_set_sched(ch->live, p, value);
        }
        if (ch->live)
            add_sched_param(event, p, value, "cputune.");
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

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_TYPE, domain_get_scheduler_type },
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS, domain_get_scheduler_parameters },
    { REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, domain_get_scheduler_parameters_flags },
    { REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS, domain_set_scheduler_parameters },
    { REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, domain_set_scheduler_parameters_flags },
};

void
vk_qemu_sched_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
