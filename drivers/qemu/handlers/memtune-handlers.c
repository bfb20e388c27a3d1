/* virsh memtune: the guest's memory limits in its cgroup (v1's
 * memory.limit_in_bytes..., v2's memory.max...), live and in the config
 * (<memtune>), in KiB as libvirt gives them. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/conf/domain-tune.h"
#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-tunables.h"
#include "drivers/qemu/core/param-checks.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

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
    ret->nparams = vk_typed_params_reply(params, args->nparams, &ret->params.params_val,
                                         &ret->params.params_len);
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
        if (p == VK_MEMTUNE_N)
            return vk_qemu_param_unsupported(&params[i]);
        if (vk_qemu_param_check_type(&params[i], REMOTE_TYPED_PARAM_ULLONG) < 0)
            return -1;
        kib[p] = MIN(params[i].value.remote_typed_param_value_u.ul, VK_MEMTUNE_UNLIMITED);
    }
    if (kib[VK_MEMTUNE_HARD] != UNSET && kib[VK_MEMTUNE_SWAP_HARD] != UNSET &&
        kib[VK_MEMTUNE_HARD] > kib[VK_MEMTUNE_SWAP_HARD])
        return vk_invalid_arg(VIR_FROM_QEMU, "%s", "memory hard_limit tunable value must be "
                                                   "lower than or equal to swap_hard_limit");
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
set_memtune_def(VkDomainDef *def, const unsigned long long kib[VK_MEMTUNE_N])
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
        /* the live XML shows the limits too */
        if (ch.live)
            set_memtune_def(ch.live, kib);
        if (ch.config)
            set_memtune_def(ch.config, kib);
        rc = vk_qemu_change_commit(&ch);
    }
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_MEMORY_PARAMETERS, domain_get_memory_parameters },
    { REMOTE_PROC_DOMAIN_SET_MEMORY_PARAMETERS, domain_set_memory_parameters },
};

void
vk_qemu_memtune_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
