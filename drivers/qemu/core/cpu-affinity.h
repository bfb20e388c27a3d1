/* CPU affinity of a guest's threads: libvirt's cpusets ("0-3,^2") and
 * <cputune> pins as CPU maps (CPU 0 in the low bit of byte 0), and the
 * pins applied when a guest starts. */
#pragma once

#include <glib.h>

#include "common/util/json.h"
#include "drivers/qemu/core/domain-obj.h"

/* The host's CPU count (configured CPUs). */
unsigned int vk_qemu_host_cpu_count(void);

/* Set the bits of CPUSET in MAP (MAPLEN bytes); NULL or unreadable means
 * every host CPU. */
void vk_qemu_cpuset_to_map(const char *cpuset, unsigned char *map, int maplen);

/* As libvirt lists them from a definition: a vCPU's <vcpupin>, else
 * <vcpu cpuset=>, else every host CPU; the emulator's <emulatorpin>, else
 * the same fallbacks. */
void vk_qemu_vcpu_pin_map(const VkDomainDef *def, int vcpu, unsigned char *map, int maplen);
void vk_qemu_emulator_pin_map(const VkDomainDef *def, unsigned char *map, int maplen);
/* An I/O thread's <iothreadpin>, with the same fallbacks. */
void vk_qemu_iothread_pin_map(const VkDomainDef *def, int iothread, unsigned char *map,
                              int maplen);

/* N of QMP query-iothreads' entry for iothreadN (0 for others). */
int vk_qemu_iothread_number(const VkJson *iothread);

/* The affinity thread TID has now, as a map. */
void vk_qemu_thread_affinity_map(gint64 tid, unsigned char *map, int maplen);

/* OBJ (locked, its job held, its QEMU up, vCPUs not yet running): the
 * emulator pin for every QEMU thread, then each vCPU and I/O thread its pin; no-op
 * when the definition pins nothing.  -1 with an error. */
int vk_qemu_apply_cpu_affinity(VkDomainObj *obj);
