/* virsh cpu-stats: the guest's CPU time from its cgroup, in total (v2's
 * cpu.stat or v1's cpuacct) and per host CPU (v1's cpuacct.usage_percpu;
 * libvirt's error on v2). */
#include "drivers/qemu/handlers/handlers.h"

#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-tunables.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

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
    ret->nparams = vk_typed_params_reply(params, (int) MIN(args->nparams, 3),
                                         &ret->params.params_val, &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_CPU_STATS, domain_get_cpu_stats },
};

void
vk_qemu_cpu_stats_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
