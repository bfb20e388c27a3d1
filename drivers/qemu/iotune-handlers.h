/* virsh blkdeviotune (virDomainGetBlockIoTune, virDomainSetBlockIoTune). */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_iotune_handlers_register(VkRpcProgram *remote);
