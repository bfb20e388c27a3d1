/* virsh domjobinfo and domjobabort. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_job_handlers_register(VkRpcProgram *remote);
