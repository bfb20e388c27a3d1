/* virsh domtime, domhostname and domifaddr. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_guest_address_handlers_register(VkRpcProgram *remote);
