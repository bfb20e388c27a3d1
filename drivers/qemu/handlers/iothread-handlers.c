/* I/O threads added, removed and tuned (virsh iothreadadd, iothreaddel,
 * iothreadset): the running guest through QMP, the definitions'
 * <iothreads>/<iothreadids>, with libvirt's checks and errors.  iothreadinfo
 * and iothreadpin live with the other tuning calls. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/conf/domain-iothreads.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/iothread-hotplug.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static int
check_id(unsigned int id)
{
    if (id != 0)
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                    "invalid value of 0 for iothread_id");
    return -1;
}

/* libvirt's virDomainDriverAddIOThreadCheck. */
static int
check_add(const VkDomainDef *def, unsigned int id)
{
    if (!vk_domain_iothread_find(def, id))
        return 0;
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                    "an IOThread is already using iothread_id '%u'", id);
    return -1;
}

/* libvirt's virDomainDriverDelIOThreadCheck: there, and used by no disk or
 * controller. */
static int
check_del(const VkDomainDef *def, unsigned int id)
{
    const char *disk;

    if (!vk_domain_iothread_find(def, id)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                        "cannot find IOThread '%u' in iothreadids list", id);
        return -1;
    }
    if ((disk = vk_domain_iothread_user(def, id))) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                        "cannot remove IOThread %u since it is being used by disk '%s'", id, disk);
        return -1;
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        if (((VkDomainControllerDef *) g_ptr_array_index(def->controllers, i))->iothread == id) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                            "cannot remove IOThread '%u' since it is being used by controller",
                            id);
            return -1;
        }
    }
    return 0;
}

/* Add (ADD) or remove I/O thread ID in the definitions CH changes, QEMU's
 * too for the live one.  Both are checked before either changes: a refusal
 * of the config leaves the running guest alone too. */
static int
apply_change(VkDomainChange *ch, unsigned int id, bool add)
{
    int (*check)(const VkDomainDef *, unsigned int) = add ? check_add : check_del;
    int (*hotplug)(VkDomainObj *, unsigned int) =
        add ? vk_qemu_iothread_hotplug_add : vk_qemu_iothread_hotplug_del;
    void (*change)(VkDomainDef *, unsigned int) =
        add ? vk_domain_iothread_add : vk_domain_iothread_del;

    if ((ch->live && check(ch->live, id) < 0) || (ch->config && check(ch->config, id) < 0))
        return -1;
    if (ch->live) {
        if (hotplug(ch->obj, id) < 0)
            return -1;
        change(ch->live, id);
    }
    if (ch->config)
        change(ch->config, id);
    return 0;
}

/* Add (ADD) or remove I/O thread ID of REF as FLAGS say. */
static int
change_iothread(const remote_nonnull_domain *ref, unsigned int id, unsigned int flags, bool add)
{
    VkDomainObj *obj;
    VkDomainChange ch;
    int rc = -1;

    if (check_id(id) < 0 || !(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags, 0,
                             add ? "qemuDomainAddIOThread" : "qemuDomainDelIOThread") == 0 &&
        apply_change(&ch, id, add) == 0)
        rc = vk_qemu_change_commit(&ch);
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_add_iothread(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_add_iothread_args *args = argsp;

    return change_iothread(&args->dom, args->iothread_id, args->flags, true);
}

static int
domain_del_iothread(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_del_iothread_args *args = argsp;

    return change_iothread(&args->dom, args->iothread_id, args->flags, false);
}

/* The parameters iothreadset may send (libvirt's VIR_DOMAIN_IOTHREAD_*
 * names), their QOM properties and types. */
static const struct {
    const char *field;
    const char *property;
    int type;
} tunables[] = {
    { "poll_max_ns", "poll-max-ns", REMOTE_TYPED_PARAM_ULLONG },
    { "poll_grow", "poll-grow", REMOTE_TYPED_PARAM_UINT },
    { "poll_shrink", "poll-shrink", REMOTE_TYPED_PARAM_UINT },
    { "thread_pool_min", "thread-pool-min", REMOTE_TYPED_PARAM_INT },
    { "thread_pool_max", "thread-pool-max", REMOTE_TYPED_PARAM_INT },
};

/* The entry of tunables[] for P, checked as virTypedParamsValidate does;
 * -1 with its error. */
static int
tunable_of(const remote_typed_param *p)
{
    for (guint i = 0; i < G_N_ELEMENTS(tunables); i++) {
        if (!g_str_equal(p->field, tunables[i].field))
            continue;
        if (p->value.type != tunables[i].type) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                            "invalid type '%d' for parameter '%s'", p->value.type, p->field);
            return -1;
        }
        return (int) i;
    }
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_ARGUMENT_UNSUPPORTED,
                    "parameter '%s' not supported", p->field);
    return -1;
}

static gint64
tunable_value(const remote_typed_param *p)
{
    switch (p->value.type) {
    case REMOTE_TYPED_PARAM_ULLONG:
        return (gint64) p->value.remote_typed_param_value_u.ul;
    case REMOTE_TYPED_PARAM_UINT:
        return p->value.remote_typed_param_value_u.ui;
    default:
        return p->value.remote_typed_param_value_u.i;
    }
}

/* I/O thread ID of DEF, or NULL with libvirt's error. */
static VkDomainIothreadDef *
find_for_params(const VkDomainDef *def, unsigned int id)
{
    VkDomainIothreadDef *t = vk_domain_iothread_find(def, id);

    if (!t)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "cannot find IOThread '%u' in iothreadids", id);
    return t;
}

/* A thread pool size of T (the definitions keep those; polling values
 * only live in QEMU).  Whether tunables[K] is one. */
static bool
keep_pool_size(VkDomainIothreadDef *t, int k, gint64 v)
{
    if (g_str_equal(tunables[k].property, "thread-pool-min"))
        t->thread_pool_min = (int) v;
    else if (g_str_equal(tunables[k].property, "thread-pool-max"))
        t->thread_pool_max = (int) v;
    else
        return false;
    return true;
}

/* Each parameter on I/O thread ID of the running guest. */
static int
set_live_params(VkDomainObj *obj, unsigned int id, const remote_typed_param *params, u_int n)
{
    VkDomainIothreadDef *t = find_for_params(obj->def, id);

    for (u_int i = 0; t && i < n; i++) {
        int k = tunable_of(&params[i]);
        gint64 v = tunable_value(&params[i]);

        if (vk_qemu_iothread_set_property(obj, id, tunables[k].property, v) < 0)
            return -1;
        keep_pool_size(t, k, v);
    }
    return t ? 0 : -1;
}

/* The config keeps thread pool sizes; polling values libvirt refuses. */
static int
set_config_params(VkDomainDef *def, unsigned int id, const remote_typed_param *params, u_int n)
{
    VkDomainIothreadDef *t = find_for_params(def, id);

    for (u_int i = 0; t && i < n; i++) {
        if (!keep_pool_size(t, tunable_of(&params[i]), tunable_value(&params[i]))) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                            "configuring persistent polling values is not supported");
            return -1;
        }
    }
    return t ? 0 : -1;
}

static int
domain_set_iothread_params(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_iothread_params_args *args = argsp;
    const remote_typed_param *params = args->params.params_val;
    VkDomainObj *obj;
    VkDomainChange ch;
    int rc = -1;

    for (u_int i = 0; i < args->params.params_len; i++) {
        if (tunable_of(&params[i]) < 0)
            return -1;
    }
    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    /* the config (a copy until committed) first: its refusal changes nothing */
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetIOThreadParams") < 0 ||
        (ch.config &&
         set_config_params(ch.config, args->iothread_id, params, args->params.params_len) < 0) ||
        (ch.live && set_live_params(obj, args->iothread_id, params, args->params.params_len) < 0))
        goto out;
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_ADD_IOTHREAD, domain_add_iothread },
    { REMOTE_PROC_DOMAIN_DEL_IOTHREAD, domain_del_iothread },
    { REMOTE_PROC_DOMAIN_SET_IOTHREAD_PARAMS, domain_set_iothread_params },
};

void
vk_qemu_iothread_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
