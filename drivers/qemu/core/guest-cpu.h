/* The CPU a started guest really got, in its live XML as libvirt shows it:
 * a named model's features as QEMU enabled them (CPUID words read back from
 * the vCPU), named with libvirt's CPU map, check='full'.  The <cpu> as it
 * was started is kept for the migratable XML. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Fill in the live <cpu> of OBJ (locked, with its job, QEMU just started).
 * Without a named model, CPU map or answer from QEMU the CPU stays as
 * defined (logged): the guest runs either way. */
void vk_qemu_guest_cpu_update(VkDomainObj *obj);
