/* virsh save, restore, managedsave and the save-image commands (the work
 * is in save-restore.h). */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_save_handlers_register(VkRpcProgram *remote);
