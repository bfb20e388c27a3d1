/* Consoles: pty paths of a running guest and virsh console. */
#pragma once

#include "common/rpc/program.h"
#include "drivers/qemu/domain-obj.h"

/* Put the ptys QEMU opened into OBJ's live definition (<source path>),
 * asking QEMU (query-chardev).  OBJ is locked, its job held; the lock is
 * dropped while QEMU answers. */
int vk_qemu_console_read_ptys(VkDomainObj *obj);

/* The open console sessions of the driver's guests: one per pty. */
typedef struct _VkQemuConsoles VkQemuConsoles;
VkQemuConsoles *vk_qemu_consoles_new(void);
void vk_qemu_consoles_free(VkQemuConsoles *consoles);

void vk_qemu_console_handlers_register(VkRpcProgram *remote);
