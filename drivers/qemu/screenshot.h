/* virsh screenshot. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_screenshot_handlers_register(VkRpcProgram *remote);
