/* The DOMAIN_SNAPSHOT_* and DOMAIN_LIST_ALL_SNAPSHOTS procedures: virsh
 * snapshot-create(-as), -list, -info, -dumpxml, -current, -parent,
 * -revert, -delete, -edit.  Internal snapshots only (snapshot-actions.h). */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_snapshot_handlers_register(VkRpcProgram *remote);
