/* The procedures that register and deregister domain events. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_events_register_handlers(VkRpcProgram *remote);
