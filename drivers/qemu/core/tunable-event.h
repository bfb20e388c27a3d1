/* libvirt's tunable event (VIR_DOMAIN_EVENT_ID_TUNABLE): after a live
 * change of a tunable, the values changed as typed parameters
 * ("cputune.cpu_shares", "cputune.vcpupin0", ...). */
#pragma once

#include "common/rpc/typed-params.h"
#include "drivers/qemu/core/domain-obj.h"

/* Send PARAMS (emptied) about OBJ (locked); nothing when it is empty. */
void vk_qemu_emit_tunable(VkDomainObj *obj, VkTypedParams *params);
