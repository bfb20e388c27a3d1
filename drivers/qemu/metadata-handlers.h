/* Procedures that read and change a guest's <title>, <description> and
 * the namespaced elements of its <metadata> (virsh desc, virsh metadata),
 * live and in the persistent config. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_metadata_handlers_register(VkRpcProgram *remote);
