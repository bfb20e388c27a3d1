/* Guest power management events (pm-events.h). */
#include "drivers/qemu/core/pm-events.h"

#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/driver.h"
#include "remote-protocol.h"

/* pmsuspend or pmwakeup (SUSPEND: which), reason 0 as libvirt sends it. */
static void
emit_pm_event(VkDomainObj *obj, bool suspend)
{
    remote_domain_event_callback_pmsuspend_msg s = { 0 };
    remote_domain_event_callback_pmwakeup_msg w = { 0 };
    remote_nonnull_domain *dom = suspend ? &s.msg.dom : &w.msg.dom;

    dom->name = obj->def->name;
    dom->id = obj->def->id;
    memcpy(dom->uuid, obj->def->uuid, VK_UUID_LEN);
    VkEventMessage m = {
        suspend ? VIR_DOMAIN_EVENT_ID_PMSUSPEND : VIR_DOMAIN_EVENT_ID_PMWAKEUP,
        suspend ? REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND : REMOTE_PROC_DOMAIN_EVENT_PMWAKEUP,
        suspend ? (xdrproc_t) xdr_remote_domain_event_pmsuspend_msg
                : (xdrproc_t) xdr_remote_domain_event_pmwakeup_msg,
        suspend ? (void *) &s.msg : (void *) &w.msg,
        suspend ? REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMSUSPEND
                : REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMWAKEUP,
        suspend ? (xdrproc_t) xdr_remote_domain_event_callback_pmsuspend_msg
                : (xdrproc_t) xdr_remote_domain_event_callback_pmwakeup_msg,
        suspend ? (void *) &s : (void *) &w,
        suspend ? &s.callbackID : &w.callbackID,
        obj->def->uuid,
    };
    vk_event_registry_emit(vk_qemu_driver()->events, &m);
}

static void
save_status(VkDomainObj *obj)
{
    if (vk_qemu_process_save_status(obj) < 0) {
        g_warning("%s: cannot save the status: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
}

void
vk_qemu_pm_suspended(VkDomainObj *obj)
{
    if (obj->state == VK_DOMAIN_RUNNING) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_PMSUSPENDED, 0);
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_PMSUSPENDED,
                               VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
        save_status(obj);
    }
    emit_pm_event(obj, true);
}

void
vk_qemu_pm_woken(VkDomainObj *obj)
{
    emit_pm_event(obj, false);
    /* only a guest that suspended itself runs again: a paused one stays */
    if (obj->state == VK_DOMAIN_PMSUSPENDED) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_WAKEUP);
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_WAKEUP);
        save_status(obj);
    }
}
