/* virsh save, restore, managedsave and the save-image commands: a
 * guest's state goes to a libvirt save image (save-image.h) through QEMU's
 * migration to a file descriptor, and comes back through -incoming defer
 * and migrate-incoming. */
#pragma once

#include <stdbool.h>

#include "common/rpc/program.h"
#include "drivers/qemu/domain-obj.h"

void vk_qemu_save_handlers_register(VkRpcProgram *remote);

/* Where NAME's managed save image lives (ROOT/var/lib/libvirt/qemu/save/NAME.save). */
char *vk_qemu_managed_save_path(const char *name);

/* Whether OBJ (locked) has a managed save image. */
bool vk_qemu_has_managed_save(VkDomainObj *obj);

/* Start OBJ (locked, with the job) from its managed save image, which is
 * removed once the guest runs.  1 when it has none (boot it instead), 0
 * when it runs, -1 with an error. */
int vk_qemu_managed_save_start(VkDomainObj *obj, bool paused);

/* Undefine of OBJ (locked): with a managed save image, refused as libvirt
 * does unless REMOVE (VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), which removes it. */
int vk_qemu_managed_save_check_undefine(VkDomainObj *obj, bool remove);
