/* virsh numatune: the guest's memory mode and nodes, live (cpuset.mems of
 * its thread groups) and in the config (<numatune><memory>), with libvirt
 * 9.0's rules: a running guest keeps its mode and changes nodes only in
 * restrictive mode (or when it had no <numatune>). */
#include "drivers/qemu/handlers/handlers.h"

#include "common/conf/domain-tune.h"
#include "common/rpc/typed-params.h"
#include "common/util/error.h"
#include "drivers/qemu/core/bitmap-text.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/param-checks.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

#define MODE_PARAM "numa_mode"
#define NODESET_PARAM "numa_nodeset"
/* room for the node numbers a nodeset may name */
#define NODE_MAP_BYTES 128

static const char *const mode_names[] = { "strict", "preferred", "interleave", "restrictive", NULL };
static const VkDomainTuneKey memory_key = { "numatune", "memory" };

/* DEF's <numatune> memory mode (-1 when it has none) and nodeset. */
static int
defined_mode(const VkDomainDef *def)
{
    g_autofree char *mode = vk_domain_tune_get(def, &memory_key, "mode");
    g_autofree char *nodeset = vk_domain_tune_get(def, &memory_key, "nodeset");

    if (!mode)
        return nodeset ? 0 : -1;   /* strict is the default */
    for (int i = 0; mode_names[i]; i++) {
        if (g_str_equal(mode, mode_names[i]))
            return i;
    }
    return 0;
}

static int
domain_get_numa_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_numa_parameters_args *args = argsp;
    remote_domain_get_numa_parameters_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    g_autofree char *nodeset = NULL;
    VkDomainDef *def;
    VkDomainObj *obj;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                                "qemuDomainGetNumaParameters")))
        return vk_qemu_domain_end(obj, -1);
    if (args->nparams == 0) {
        ret->nparams = 2;   /* the client asks how many */
        return vk_qemu_domain_end(obj, 0);
    }
    nodeset = vk_domain_tune_get(def, &memory_key, "nodeset");
    vk_typed_params_add_int(params, MAX(defined_mode(def), 0), MODE_PARAM);
    vk_typed_params_add_string(params, nodeset ? nodeset : "", NODESET_PARAM);
    ret->nparams = vk_typed_params_reply(params, args->nparams, &ret->params.params_val,
                                         &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

/* What a set call asks: MODE -1 and NODESET NULL when not given. */
typedef struct {
    int mode;
    char *nodeset;   /* libvirt's canonical form */
} NumaRequest;

static int
parse_request(const remote_typed_param *params, u_int n, NumaRequest *req)
{
    for (u_int i = 0; i < n; i++) {
        const remote_typed_param *p = &params[i];

        if (g_str_equal(p->field, MODE_PARAM) && p->value.type == REMOTE_TYPED_PARAM_INT) {
            req->mode = p->value.remote_typed_param_value_u.i;
            if (req->mode < 0 || req->mode >= (int) g_strv_length((GStrv) mode_names)) {
                vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                                "unsupported numatune mode: '%d'", req->mode);
                return -1;
            }
        } else if (g_str_equal(p->field, NODESET_PARAM) &&
                   p->value.type == REMOTE_TYPED_PARAM_STRING) {
            g_autofree unsigned char *map = vk_bitmap_parse(p->value.remote_typed_param_value_u.s,
                                                            NODE_MAP_BYTES);
            if (!map)
                return -1;
            g_free(req->nodeset);
            req->nodeset = vk_bitmap_format(map, NODE_MAP_BYTES);
        } else {
            return vk_qemu_param_unsupported(p);
        }
    }
    return 0;
}

/* Every node of NODESET is one the host has. */
static int
check_nodes_online(const char *nodeset)
{
    g_autofree char *online = NULL;
    g_autofree unsigned char *have = NULL;
    g_autofree unsigned char *want = vk_bitmap_parse(nodeset, NODE_MAP_BYTES);

    if (g_file_get_contents("/sys/devices/system/node/online", &online, NULL, NULL))
        have = vk_bitmap_parse(g_strstrip(online), NODE_MAP_BYTES);
    vk_error_reset();
    for (int n = 0; want && n < NODE_MAP_BYTES * 8; n++) {
        bool wanted = want[n / 8] & (1 << (n % 8));
        bool there = have ? have[n / 8] & (1 << (n % 8)) : n == 0;
        if (wanted && !there) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "NUMA node %d is unavailable", n);
            return -1;
        }
    }
    return 0;
}

static int
set_live_nodes(VkDomainObj *obj, const char *nodeset)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autoptr(GPtrArray) groups = NULL;
    int mode = defined_mode(obj->def);

    if (mode >= 0 && mode != 3) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "change of nodeset for running domain requires restrictive numa mode");
        return -1;
    }
    if (check_nodes_online(nodeset) < 0)
        return -1;
    groups = vk_qemu_cgroup_thread_groups(cg, NULL);
    for (guint i = 0; i < groups->len; i++) {
        if (vk_cgroup_set(g_ptr_array_index(groups, i), VK_CGROUP_CPUSET, "cpuset.mems",
                          nodeset) < 0)
            return -1;
    }
    return 0;
}

static int
set_live(VkDomainObj *obj, const NumaRequest *req)
{
    int mode = defined_mode(obj->def);

    if (!vk_qemu_cgroup_has(obj, VK_CGROUP_CPUSET)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cgroup cpuset controller is not mounted");
        return -1;
    }
    if (req->mode >= 0 && mode >= 0 && req->mode != mode) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "can't change numatune mode for running domain");
        return -1;
    }
    return req->nodeset ? set_live_nodes(obj, req->nodeset) : 0;
}

/* The request into DEF's <numatune>: the mode written out, strict when
 * none was ever given. */
static void
store(VkDomainDef *def, const NumaRequest *req)
{
    int mode = req->mode >= 0 ? req->mode : MAX(defined_mode(def), 0);

    vk_domain_tune_set(def, &memory_key, "mode", mode_names[mode], NULL);
    if (req->nodeset)
        vk_domain_tune_set(def, &memory_key, "nodeset", req->nodeset, NULL);
}

static int
domain_set_numa_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_numa_parameters_args *args = argsp;
    NumaRequest req = { .mode = -1 };
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetNumaParameters") == 0 &&
        parse_request(args->params.params_val, args->params.params_len, &req) == 0 &&
        (!ch.live || set_live(obj, &req) == 0)) {
        if (ch.live)
            store(ch.live, &req);
        if (ch.config)
            store(ch.config, &req);
        rc = vk_qemu_change_commit(&ch);
    }
    g_free(req.nodeset);
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_NUMA_PARAMETERS, domain_get_numa_parameters },
    { REMOTE_PROC_DOMAIN_SET_NUMA_PARAMETERS, domain_set_numa_parameters },
};

void
vk_qemu_numa_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
