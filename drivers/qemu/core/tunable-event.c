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
    for (u_int i = 0; i < n; i++)
        vk_typed_params_add_copy(event, &params[i], "%s.%s", prefix, params[i].field);
}
