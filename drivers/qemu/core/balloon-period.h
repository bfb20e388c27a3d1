/* The balloon's statistics period (<memballoon><stats period='N'/>): how
 * often QEMU asks the guest's balloon driver for its memory figures. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Tell the QEMU of OBJ (locked, with its job, running) to poll every
 * SECONDS (0: stop): qom-set guest-stats-polling-interval on the balloon
 * device.  -1 with an error. */
int vk_qemu_balloon_set_period(VkDomainObj *obj, int seconds);

/* At start: the period of OBJ's definition, when it has one, as libvirt
 * sets it up; a QEMU that refuses is logged, not fatal. */
void vk_qemu_balloon_apply_period(VkDomainObj *obj);
