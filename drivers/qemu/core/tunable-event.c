/* The tunable event (see tunable-event.h). */
#include "drivers/qemu/core/tunable-event.h"

#include <stdlib.h>
#include <string.h>

#include "drivers/qemu/driver.h"
#include "remote-protocol.h"

void
vk_qemu_emit_tunable(VkDomainObj *obj, VkTypedParams *params)
{
    remote_domain_event_callback_tunable_msg cb = {
        .dom = { .name = obj->def->name, .id = obj->def->id },
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_TUNABLE, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TUNABLE,
        (xdrproc_t) xdr_remote_domain_event_callback_tunable_msg, &cb, &cb.callbackID,
        obj->def->uuid,
    };

    if (vk_typed_params_len(params) == 0)
        return;
    memcpy(cb.dom.uuid, obj->def->uuid, VK_UUID_LEN);
    vk_typed_params_steal(params, &cb.params.params_val, &cb.params.params_len);
    vk_event_registry_emit(vk_qemu_driver()->events, &m);
    for (u_int i = 0; i < cb.params.params_len; i++)
        xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &cb.params.params_val[i]);
    free(cb.params.params_val);
}

void
vk_qemu_tunable_add_params(VkTypedParams *event, const char *prefix,
                           const remote_typed_param *params, u_int n)
{
    for (u_int i = 0; i < n; i++) {
        const remote_typed_param *p = &params[i];
        const char *f = p->field;

        switch (p->value.type) {
        case REMOTE_TYPED_PARAM_INT:
            vk_typed_params_add_int(event, p->value.remote_typed_param_value_u.i, "%s.%s", prefix, f);
            break;
        case REMOTE_TYPED_PARAM_UINT:
            vk_typed_params_add_uint(event, p->value.remote_typed_param_value_u.ui, "%s.%s", prefix, f);
            break;
        case REMOTE_TYPED_PARAM_LLONG:
            vk_typed_params_add_llong(event, p->value.remote_typed_param_value_u.l, "%s.%s", prefix, f);
            break;
        case REMOTE_TYPED_PARAM_ULLONG:
            vk_typed_params_add_ullong(event, p->value.remote_typed_param_value_u.ul, "%s.%s", prefix,
                                       f);
            break;
        case REMOTE_TYPED_PARAM_BOOLEAN:
            vk_typed_params_add_bool(event, p->value.remote_typed_param_value_u.b, "%s.%s", prefix, f);
            break;
        case REMOTE_TYPED_PARAM_STRING:
            vk_typed_params_add_string(event, p->value.remote_typed_param_value_u.s, "%s.%s", prefix,
                                       f);
            break;
        default:
            break;
        }
    }
}
