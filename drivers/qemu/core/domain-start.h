/* Starting guests: QEMU launched (process.h), the steps QMP takes before
 * the vCPUs run (ptys, link states, display passwords, vCPU pins, disk
 * throttling), then running or paused with libvirt's events; and starting
 * them with a definition other than their own: virsh create (a transient
 * guest), restore (the definition in a save image). */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"
#include "remote-protocol.h"

/* Start OBJ (locked, with the job).  PAUSED leaves the vCPUs stopped.
 * Emits the start events.  On failure nothing of the attempt remains and
 * the domain is shut off with reason "failed". */
int vk_qemu_domain_start(VkDomainObj *obj, bool paused);

/* The same for a guest whose state comes from elsewhere (a restore): QEMU
 * starts with -incoming defer and waits for QMP migrate-incoming.  OBJ is
 * left paused (reason migration) with its process up, and nothing is
 * emitted: the caller loads the state, resumes and tells the clients, or
 * stops it (vk_qemu_process_stop) when that fails. */
int vk_qemu_domain_start_incoming(VkDomainObj *obj);

/* The same for a revert to a snapshot: QEMU starts with its vCPUs stopped,
 * from the internal snapshot SNAPSHOT (-loadvm, the VM state included) or,
 * when NULL, booting; OBJ is left paused (reason from-snapshot), nothing
 * emitted, no status file saved yet: the caller goes on. */
int vk_qemu_domain_start_from_snapshot(VkDomainObj *obj, const char *snapshot);
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
