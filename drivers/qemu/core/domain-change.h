/* "Live and/or config" changes of a domain (virDomainModificationImpact),
 * and libvirt's argument checks that go with them. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/rpc/server.h"
#include "drivers/qemu/core/domain-obj.h"
#include "virtkit/virtkit.h"   /* VIR_DOMAIN_AFFECT_* */

/* Secrets only go to read-write clients: FLAGS with SECURE_FLAG from a
 * read-only CLIENT give libvirt's "operation forbidden: API with secure
 * flag" (VIR_ERR_OPERATION_DENIED).  0 or -1. */
int vk_qemu_check_secure(VkServerClient *client, unsigned int flags, unsigned int secure_flag,
                         const char *api);

/* libvirt's "domain is not running" (VIR_ERR_OPERATION_INVALID).  -1. */
int vk_qemu_not_running(void);

/* A change of OBJ (locked, with its job) as FLAGS ask: LIVE is OBJ's live
 * definition when the running guest changes, CONFIG a copy of its persistent
 * one when that changes (else NULL).  The copy is only installed by
 * vk_qemu_change_commit(), so a failure half-way changes nothing saved. */
typedef struct {
    VkDomainObj *obj;
    VkDomainDef *live;
    VkDomainDef *config;
} VkDomainChange;

/* Fill CH for FLAGS; bits of FLAGS outside LIVE|CONFIG|EXTRA_FLAGS give
 * libvirt's "unsupported flags (0x..) in function API".  CURRENT means the
 * live guest when it runs, else the config.  -1 with libvirt's error when
 * FLAGS ask for what is not there (not running, transient). */
int vk_qemu_change_begin(VkDomainChange *ch, VkDomainObj *obj, unsigned int flags,
                         unsigned int extra_flags, const char *api);
/* Save the changed config atomically and make it the persistent definition;
 * save the status file when the live definition changed. */
int vk_qemu_change_commit(VkDomainChange *ch);
/* Free what was not committed. */
void vk_qemu_change_end(VkDomainChange *ch);

/* The one definition a getter's FLAGS (LIVE, CONFIG or CURRENT, plus
 * EXTRA_FLAGS) name, in OBJ (locked); NULL with libvirt's error. */
VkDomainDef *vk_qemu_one_def(VkDomainObj *obj, unsigned int flags, unsigned int extra_flags,
                             const char *api);
