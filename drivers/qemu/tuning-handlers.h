/* Procedures that read and change a guest's vCPUs and memory (vcpucount,
 * setvcpus, vcpuinfo, vcpupin, emulatorpin, setmem, setmaxmem). */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/rpc/program.h"
#include "drivers/qemu/domain-obj.h"

void vk_qemu_tuning_handlers_register(VkRpcProgram *remote);
