/* virsh send-key: keys pressed on a running guest's keyboard, through
 * QMP send-key with QEMU's own numbers (keycodes.h). */
#include "drivers/qemu/handlers/handlers.h"

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/monitor/keycodes.h"
#include "drivers/qemu/core/process.h"
#include "remote-protocol.h"

/* QMP send-key's arguments for the keys of ARGS; NULL with an error for a
 * key with no qnum. */
static VkJson *
send_key_args(const remote_domain_send_key_args *args)
{
    g_autoptr(VkJson) qmp = vk_json_new_object();
    VkJson *keys = vk_json_new_array();

    vk_json_object_set(qmp, "keys", keys);
    for (u_int i = 0; i < args->keycodes.keycodes_len; i++) {
        int qnum = vk_keycode_to_qnum(args->codeset, args->keycodes.keycodes_val[i]);
        VkJson *key;

        if (qnum < 0)
            return NULL;
        key = vk_json_new_object();
        vk_json_object_set_string(key, "type", "number");
        vk_json_object_set_int(key, "data", qnum);
        vk_json_array_append(keys, key);
    }
    if (args->holdtime)
        vk_json_object_set_int(qmp, "hold-time", args->holdtime);
    return g_steal_pointer(&qmp);
}

static int
domain_send_key(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_send_key_args *args = argsp;
    g_autoptr(VkJson) qmp = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainSendKey") < 0 ||
        !(qmp = send_key_args(args)) || !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_domain_end(obj, vk_qemu_not_running());
    return vk_qemu_domain_end(obj, vk_qemu_process_monitor_query(obj, "send-key", qmp, NULL));
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SEND_KEY, domain_send_key },
};

void
vk_qemu_input_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
