/* The block-job and block-job-2 events of a block job: the first names the
 * disk by its image path (the disk's source when the event is sent), the
 * second by its target. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Both events for the disk TARGET of OBJ (locked): TYPE is a
 * virDomainBlockJobType, STATUS a virConnectDomainEventBlockJobStatus. */
void vk_qemu_block_job_emit(VkDomainObj *obj, const char *target, int type, int status);
