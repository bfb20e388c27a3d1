/* Starting guests with a definition other than their own: virsh create
 * (a transient guest), restore (the definition in a save image), start
 * of a guest with a managed save image. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/domain-obj.h"
#include "remote-protocol.h"

/* Start the shut-off OBJ (locked, with the job) as virsh start does: from
 * its managed save image when it has one, else booting.  0 or -1 with an
 * error. */
int vk_qemu_domain_boot(VkDomainObj *obj, bool paused);

/* Brings the locked OBJ (with its job) up: vk_qemu_process_start() or a
 * restore.  0, or -1 with an error and the guest shut off. */
typedef int (*VkQemuStartFunc)(VkDomainObj *obj, gpointer data);

/* Start the shut-off OBJ (locked, with the job) running DEF (taken)
 * instead of its own definition, which stays its config for later. */
int vk_qemu_domain_start_with_def(VkDomainObj *obj, VkDomainDef *def, VkQemuStartFunc start,
                                  gpointer data);

/* Run DEF (taken) as a new transient guest, or in place of the shut-off
 * domain of its name and UUID (which keeps its config).  RESULT (may be
 * NULL) names the guest.  A new guest that fails to start is gone again. */
int vk_qemu_domain_run_def(VkDomainDef *def, VkQemuStartFunc start, gpointer data,
                           remote_nonnull_domain *result);
