/* libvirt's tunable event (VIR_DOMAIN_EVENT_ID_TUNABLE): after a live
 * change of a tunable, the values changed as typed parameters
 * ("cputune.cpu_shares", "cputune.vcpupin0", ...). */
#pragma once

#include "common/rpc/typed-params.h"
#include "drivers/qemu/core/domain-obj.h"

/* Send PARAMS (emptied) about OBJ (locked); nothing when it is empty. */
void vk_qemu_emit_tunable(VkDomainObj *obj, VkTypedParams *params);

/* A copy of each of the N PARAMS of a call into EVENT, named PREFIX.NAME
 * ("blkdeviotune.total_bytes_sec"), in the call's order. */
void vk_qemu_tunable_add_params(VkTypedParams *event, const char *prefix,
                                const remote_typed_param *params, u_int n);
