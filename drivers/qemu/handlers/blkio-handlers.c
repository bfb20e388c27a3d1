/* virsh blkiotune: the guest's I/O weight and its per-device weights and
 * limits, live (the blkio / io cgroup files) and in the config
 * (<blkiotune>), with libvirt 9.0's parameter strings ("path,value,...")
 * and errors. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>

#include "common/conf/domain-tune.h"
#include "common/rpc/typed-params.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-blkio.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/param-checks.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

#define WEIGHT "weight"
#define N_BLKIO_PARAMS 6

/* the string parameters and the <device> child each one sets */
static const char *const device_params[][2] = {
    { "device_weight", "weight" },
    { "device_read_iops_sec", "read_iops_sec" },
    { "device_write_iops_sec", "write_iops_sec" },
    { "device_read_bytes_sec", "read_bytes_sec" },
    { "device_write_bytes_sec", "write_bytes_sec" },
};

/* "path,value,..." of FIELD over DEF's devices that have it */
static char *
device_list(const VkDomainDef *def, const char *field)
{
    g_auto(GStrv) paths = vk_domain_blkio_device_paths(def);
    GString *out = g_string_new(NULL);

    for (guint i = 0; paths[i]; i++) {
        g_autofree char *v = vk_domain_blkio_device_get(def, paths[i], field);
        if (v)
            g_string_append_printf(out, "%s%s,%s", out->len ? "," : "", paths[i], v);
    }
    return g_string_free(out, FALSE);
}

static int
domain_get_blkio_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_blkio_parameters_args *args = argsp;
    remote_domain_get_blkio_parameters_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    VkDomainTuneKey key = { "blkiotune", WEIGHT };
    unsigned int weight = 0;
    VkDomainDef *def;
    VkDomainObj *obj;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                                "qemuDomainGetBlkioParameters")))
        return vk_qemu_domain_end(obj, -1);
    if (args->nparams == 0) {
        ret->nparams = N_BLKIO_PARAMS;   /* the client asks how many */
        return vk_qemu_domain_end(obj, 0);
    }
    if (def == obj->def && vk_domain_obj_is_active(obj)) {
        if (vk_qemu_blkio_get_weight(obj, &weight) < 0)
            return vk_qemu_domain_end(obj, -1);
    } else {
        g_autofree char *text = vk_domain_tune_get(def, &key, NULL);
        weight = text ? (unsigned int) g_ascii_strtoull(text, NULL, 10) : 0;
    }
    vk_typed_params_add_uint(params, weight, WEIGHT);
    for (guint i = 0; i < G_N_ELEMENTS(device_params); i++) {
        g_autofree char *list = device_list(def, device_params[i][1]);
        vk_typed_params_add_string(params, list, "%s", device_params[i][0]);
    }
    ret->nparams = vk_typed_params_reply(params, args->nparams, &ret->params.params_val,
                                         &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

static int
bad_device_list(const remote_typed_param *p)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "unable to parse blkio device '%s' '%s'",
                    p->field, p->value.remote_typed_param_value_u.s);
    return -1;
}

/* "path,value,..." of P as pairs; NULL with libvirt's error. */
static GStrv
parse_device_list(const remote_typed_param *p)
{
    g_auto(GStrv) parts = g_strsplit(p->value.remote_typed_param_value_u.s, ",", -1);
    guint n = g_strv_length(parts);

    if (n == 0 || n % 2 != 0) {
        bad_device_list(p);
        return NULL;
    }
    for (guint i = 1; i < n; i += 2) {
        char *end = NULL;
        g_ascii_strtoull(parts[i], &end, 10);
        if (!*parts[i] || *end || !*parts[i - 1]) {
            bad_device_list(p);
            return NULL;
        }
    }
    return g_steal_pointer(&parts);
}

static int
set_weight(VkDomainChange *ch, const remote_typed_param *p)
{
    VkDomainTuneKey key = { "blkiotune", WEIGHT };
    g_autofree char *text = NULL;

    if (vk_qemu_param_check_type(p, REMOTE_TYPED_PARAM_UINT) < 0)
        return -1;
    if (ch->live && vk_qemu_blkio_set_weight(ch->obj, p->value.remote_typed_param_value_u.ui) < 0)
        return -1;
    text = g_strdup_printf("%u", p->value.remote_typed_param_value_u.ui);
    if (ch->live)
        vk_domain_tune_set(ch->live, &key, NULL, text, NULL);
    if (ch->config)
        vk_domain_tune_set(ch->config, &key, NULL, text, NULL);
    return 0;
}

/* One device parameter: FIELD of each listed device; 0 takes it away. */
static int
set_devices(VkDomainChange *ch, const remote_typed_param *p, const char *field)
{
    g_auto(GStrv) pairs = NULL;

    if (vk_qemu_param_check_type(p, REMOTE_TYPED_PARAM_STRING) < 0)
        return -1;
    if (!(pairs = parse_device_list(p)))
        return -1;
    for (guint i = 0; pairs[i]; i += 2) {
        guint64 value = g_ascii_strtoull(pairs[i + 1], NULL, 10);
        const char *text = value ? pairs[i + 1] : NULL;

        if (ch->live && vk_qemu_blkio_set_device(ch->obj, pairs[i], field, value) < 0)
            return -1;
        if (ch->live)
            vk_domain_blkio_device_set(ch->live, pairs[i], field, text);
        if (ch->config)
            vk_domain_blkio_device_set(ch->config, pairs[i], field, text);
    }
    return 0;
}

static int
set_param(VkDomainChange *ch, const remote_typed_param *p)
{
    if (g_str_equal(p->field, WEIGHT))
        return set_weight(ch, p);
    for (guint i = 0; i < G_N_ELEMENTS(device_params); i++) {
        if (g_str_equal(p->field, device_params[i][0]))
            return set_devices(ch, p, device_params[i][1]);
    }
    return vk_qemu_param_unsupported(p);
}

static int
domain_set_blkio_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_blkio_parameters_args *args = argsp;
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetBlkioParameters") < 0)
        goto out;
    rc = 0;
    for (u_int i = 0; i < args->params.params_len && rc == 0; i++)
        rc = set_param(&ch, &args->params.params_val[i]);
    /* what reached the groups is kept, as libvirt keeps it */
    if (rc == 0 || ch.live)
        rc = vk_qemu_change_commit(&ch) < 0 ? -1 : rc;
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_BLKIO_PARAMETERS, domain_get_blkio_parameters },
    { REMOTE_PROC_DOMAIN_SET_BLKIO_PARAMETERS, domain_set_blkio_parameters },
};

void
vk_qemu_blkio_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
