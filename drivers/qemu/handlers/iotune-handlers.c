/* virsh blkdeviotune: a disk's I/O throttling read and changed, live through
 * QMP and in the persistent definition, with libvirt 9.0's rules. */
#include "drivers/qemu/handlers/handlers.h"

#include <string.h>

#include "common/conf/domain.h"
#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/iotune.h"
#include "drivers/qemu/core/tunable-event.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

#define GROUP_NAME "group_name"

/* libvirt's virReportError(VIR_ERR_INVALID_ARG, ...): "invalid argument: ..." */
#define invalid_arg(...) (vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, __VA_ARGS__), -1)

/* libvirt changes the values in families: naming one value of a family
 * resets the family's others, the families not named keep their values. */
enum { FAMILY_GROUP_NAME = 7 };

static int
family_of(VkIotuneField f)
{
    if (f < VK_IOTUNE_SIZE_IOPS_SEC)
        return f / 3;                     /* bytes, iops, bytes_max, iops_max */
    if (f == VK_IOTUNE_SIZE_IOPS_SEC)
        return 4;
    return 5 + (f - VK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH) / 3;   /* the *_max_length */
}

/* What a call asks: the values it names and the families they belong to. */
typedef struct {
    VkDiskIotune values;
    unsigned int families;   /* bits: 1 << family_of() */
} IotuneRequest;

static int
field_by_name(const char *name)
{
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        if (g_str_equal(name, vk_iotune_field_name(f)))
            return f;
    }
    return -1;
}

static int
wrong_type(const remote_typed_param *p, const char *expected)
{
    return invalid_arg("invalid type '%d' for parameter '%s', expected '%s'",
                               p->value.type, p->field, expected);
}

/* One parameter of a set call into REQ, with libvirt's checks. */
static int
request_add(IotuneRequest *req, const remote_typed_param *p)
{
    int f;

    if (g_str_equal(p->field, GROUP_NAME)) {
        if (p->value.type != REMOTE_TYPED_PARAM_STRING)
            return wrong_type(p, "string");
        g_free(req->values.group_name);
        req->values.group_name = g_strdup(p->value.remote_typed_param_value_u.s);
        req->families |= 1u << FAMILY_GROUP_NAME;
        return 0;
    }
    if ((f = field_by_name(p->field)) < 0)
        return invalid_arg("parameter '%s' not supported", p->field);
    if (p->value.type != REMOTE_TYPED_PARAM_ULLONG)
        return wrong_type(p, "ullong");
    req->values.v[f] = p->value.remote_typed_param_value_u.ul;
    if (req->values.v[f] > VK_IOTUNE_QEMU_MAX) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "block I/O throttle limit value must be no more than %llu",
                        VK_IOTUNE_QEMU_MAX);
        return -1;
    }
    req->families |= 1u << family_of(f);
    return 0;
}

static int
request_parse(IotuneRequest *req, const remote_typed_param *params, u_int n)
{
    int total;

    for (u_int i = 0; i < n; i++) {
        if (request_add(req, &params[i]) < 0)
            return -1;
    }
    if ((total = vk_disk_iotune_conflict(&req->values)) >= 0)
        return invalid_arg("total and read/write of %s cannot be set at the same time",
                           vk_iotune_field_name(total) + strlen("total_"));
    return 0;
}

/* The values REQ gives a disk whose values are OLD, into OUT. */
static int
request_merge(const IotuneRequest *req, const VkDiskIotune *old, VkDiskIotune *out)
{
    vk_disk_iotune_copy(out, &req->values);
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        if (!(req->families & (1u << family_of(f))))
            out->v[f] = old->v[f];
    }
    /* A burst length cleared while its limit stays: QEMU's default of 1 */
    for (int f = VK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH; f < VK_IOTUNE_N; f++) {
        int base = f - VK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH, max = base + 6;
        if ((req->families & (1u << family_of(f))) && old->v[f] && !out->v[f])
            out->v[f] = out->v[base] || out->v[max] ? 1 : 0;
    }
    if (!(req->families & (1u << FAMILY_GROUP_NAME))) {
        g_free(out->group_name);
        out->group_name = g_strdup(old->group_name);
    }
    if (vk_disk_iotune_has_any(out))
        return 0;
    /* all zero: no throttling, and out of any group */
    if (out->group_name && g_strcmp0(out->group_name, old->group_name) != 0) {
        return invalid_arg("creating a new group/updating existing "
                                   "with all tune parameters zero is not supported");
    }
    g_clear_pointer(&out->group_name, g_free);
    return 0;
}

/* QEMU wants each *_max limit above a base limit of the same kind.  (libvirt
 * 9.0 always words it as a reset, whatever the call named.) */
static int
check_max_has_base(const VkDiskIotune *t)
{
    for (int base = VK_IOTUNE_TOTAL_BYTES_SEC; base <= VK_IOTUNE_WRITE_IOPS_SEC; base++) {
        int max = base + VK_IOTUNE_TOTAL_BYTES_SEC_MAX;
        if (t->v[max] && !t->v[base]) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "cannot reset '%s' when '%s' is set",
                            vk_iotune_field_name(base), vk_iotune_field_name(max));
            return -1;
        }
    }
    return 0;
}

static int
set_live(VkDomainObj *obj, VkDomainDef *live, const char *name, const IotuneRequest *req)
{
    VkDomainDiskDef *disk = vk_domain_def_disk_by_name(live, name);
    g_auto(VkDiskIotune) merged = { 0 };

    if (!disk)
        return invalid_arg("disk '%s' not found in domain", name);
    if (request_merge(req, &disk->iotune, &merged) < 0 || check_max_has_base(&merged) < 0 ||
        vk_qemu_iotune_set(obj, disk, &merged) < 0)
        return -1;
    vk_disk_iotune_copy(&disk->iotune, &merged);
    return 0;
}

static int
set_config(VkDomainDef *config, const char *name, const IotuneRequest *req)
{
    VkDomainDiskDef *disk = vk_domain_def_disk_by_name(config, name);
    g_auto(VkDiskIotune) merged = { 0 };

    if (!disk)
        return invalid_arg("missing persistent configuration for disk '%s'",
                                   name);
    if (request_merge(req, &disk->iotune, &merged) < 0)
        return -1;
    vk_disk_iotune_copy(&disk->iotune, &merged);
    return 0;
}

/* libvirt's tunable event after a live change: the disk, then what the
 * call gave */
static void
emit_tunable(VkDomainObj *obj, const remote_domain_set_block_io_tune_args *args)
{
    g_autoptr(VkTypedParams) event = vk_typed_params_new();

    vk_typed_params_add_string(event, args->disk, "blkdeviotune.disk");
    vk_qemu_tunable_add_params(event, "blkdeviotune", args->params.params_val,
                               args->params.params_len);
    vk_qemu_emit_tunable(obj, event);
}

static int
domain_set_block_io_tune(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_block_io_tune_args *args = argsp;
    IotuneRequest req = { 0 };
    VkDomainChange ch = { 0 };
    VkDomainObj *obj;
    int rc = -1;

    (void) client; (void) retp;
    if (vk_check_flags(VIR_FROM_QEMU, args->flags,
                       VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                       "qemuDomainSetBlockIoTune") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetBlockIoTune") == 0 &&
        request_parse(&req, args->params.params_val, args->params.params_len) == 0 &&
        (!ch.live || set_live(obj, ch.live, args->disk, &req) == 0) &&
        (!ch.config || set_config(ch.config, args->disk, &req) == 0))
        rc = vk_qemu_change_commit(&ch);
    if (rc == 0 && ch.live)
        emit_tunable(obj, args);
    vk_disk_iotune_clear(&req.values);
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

/* The list a get call answers: every value, the group name when the client
 * takes strings, in libvirt's order. */
static void
add_params(VkTypedParams *params, const VkDiskIotune *t, bool strings)
{
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        vk_typed_params_add_ullong(params, t->v[f], "%s", vk_iotune_field_name(f));
        if (f == VK_IOTUNE_SIZE_IOPS_SEC && strings)
            vk_typed_params_add_string(params, t->group_name ? t->group_name : "", GROUP_NAME);
    }
}

static int
get_values(VkDomainObj *obj, const VkDomainDef *def, const char *name, VkDiskIotune *out)
{
    bool live = def == obj->def && vk_domain_obj_is_active(obj);
    const VkDomainDiskDef *disk = name ? vk_domain_def_disk_by_name(def, name) : NULL;

    if (!disk && live)
        return invalid_arg("disk '%s' not found in domain", name);
    if (!disk)
        return invalid_arg("disk '%s' was not found in the domain config",
                                   name);
    if (live)
        return vk_qemu_iotune_query(obj, disk, out);
    vk_disk_iotune_copy(out, &disk->iotune);
    return 0;
}

static int
domain_get_block_io_tune(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_block_io_tune_args *args = argsp;
    remote_domain_get_block_io_tune_ret *ret = retp;
    bool strings = args->flags & VIR_TYPED_PARAM_STRING_OKAY;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    g_auto(VkDiskIotune) values = { 0 };
    const char *name = args->disk ? *args->disk : NULL;
    const VkDomainDef *def;
    VkDomainObj *obj;

    (void) client;
    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!(def = vk_qemu_one_def(obj, args->flags, VIR_TYPED_PARAM_STRING_OKAY,
                                "qemuDomainGetBlockIoTune")))
        return vk_qemu_domain_end(obj, -1);
    /* nparams 0 asks how many there are */
    if (args->nparams == 0) {
        ret->nparams = VK_IOTUNE_N + (strings ? 1 : 0);
        return vk_qemu_domain_end(obj, 0);
    }
    if (get_values(obj, def, name, &values) < 0)
        return vk_qemu_domain_end(obj, -1);
    add_params(params, &values, strings);
    ret->nparams = vk_typed_params_reply(params, args->nparams, &ret->params.params_val,
                                         &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SET_BLOCK_IO_TUNE, domain_set_block_io_tune },
    { REMOTE_PROC_DOMAIN_GET_BLOCK_IO_TUNE, domain_get_block_io_tune },
};

void
vk_qemu_iotune_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
