/* Consoles: pty paths of a running guest, and the console sessions on them. */
#pragma once

#include "common/rpc/server.h"
#include "drivers/qemu/core/domain-obj.h"

/* Put the ptys QEMU opened into OBJ's live definition (<source path>),
 * asking QEMU (query-chardev).  OBJ is locked, its job held; the lock is
 * dropped while QEMU answers. */
int vk_qemu_console_read_ptys(VkDomainObj *obj);

/* The open console sessions of the driver's guests: one per pty. */
typedef struct _VkQemuConsoles VkQemuConsoles;
VkQemuConsoles *vk_qemu_consoles_new(void);
void vk_qemu_consoles_free(VkQemuConsoles *consoles);

/* Whether CHR is one of the ptys QEMU opens. */
bool vk_qemu_console_is_pty(const VkDomainChrDef *chr);

/* A session on the pty PATH for CLIENT through FD (taken), ending the one
 * there with FORCE; -1 with libvirt's error when one is there without
 * FORCE. */
int vk_qemu_console_start_session(VkServerClient *client, const char *path, int fd, bool force);
