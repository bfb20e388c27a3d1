/* Block job events (block-job-events.h). */
#include "drivers/qemu/core/block-job-events.h"

#include <string.h>

#include "drivers/qemu/driver.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

void
vk_qemu_block_job_emit(VkDomainObj *obj, const char *target, int type, int status)
{
    const VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->def, target);
    remote_nonnull_domain dom = { .name = obj->def->name, .id = obj->def->id };
    remote_domain_event_callback_block_job_msg v1 = {
        .msg = { .path = disk && disk->src_path ? disk->src_path : (char *) target,
                 .type = type, .status = status },
    };
    remote_domain_event_block_job_2_msg v2 = {
        .dst = (char *) target, .type = type, .status = status,
    };

    memcpy(dom.uuid, obj->def->uuid, VK_UUID_LEN);
    v1.msg.dom = dom;
    v2.dom = dom;
    VkEventMessage m1 = {
        VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
        REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB, (xdrproc_t) xdr_remote_domain_event_block_job_msg,
        &v1.msg,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BLOCK_JOB,
        (xdrproc_t) xdr_remote_domain_event_callback_block_job_msg, &v1, &v1.callbackID,
        obj->def->uuid,
    };
    VkEventMessage m2 = {
        VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB_2,
        (xdrproc_t) xdr_remote_domain_event_block_job_2_msg, &v2, &v2.callbackID,
        obj->def->uuid,
    };

    vk_event_registry_emit(vk_qemu_driver()->events, &m1);
    vk_event_registry_emit(vk_qemu_driver()->events, &m2);
}
