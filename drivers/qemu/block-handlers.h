/* virsh blockresize. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_block_handlers_register(VkRpcProgram *remote);
