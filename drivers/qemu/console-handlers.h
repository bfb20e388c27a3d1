/* virsh console: DOMAIN_OPEN_CONSOLE. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_console_handlers_register(VkRpcProgram *remote);
