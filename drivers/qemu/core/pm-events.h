/* The guest suspended itself to RAM (QEMU's SUSPEND, after dompmsuspend
 * through the guest agent) or woke up (WAKEUP, after dompmwakeup): the
 * domain's state and the events libvirt sends for each. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Both with OBJ locked and its job taken. */
void vk_qemu_pm_suspended(VkDomainObj *obj);
void vk_qemu_pm_woken(VkDomainObj *obj);
