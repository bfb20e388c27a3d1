/* virsh send-key. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_input_handlers_register(VkRpcProgram *remote);
