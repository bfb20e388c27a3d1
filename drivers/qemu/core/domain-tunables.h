/* The cgroup tunables of a running guest, with libvirt's names and units:
 * schedinfo's CPU weight and bandwidth (per vCPU, emulator, whole guest,
 * I/O thread) and memtune's limits, read and written in the guest's groups
 * on v1 or v2, and the definition's values applied at start. */
#pragma once

#include "common/host/cgroup.h"
#include "drivers/qemu/core/domain-obj.h"

/* schedinfo's parameters, in libvirt's order */
typedef enum {
    VK_SCHED_CPU_SHARES,
    VK_SCHED_VCPU_PERIOD, VK_SCHED_VCPU_QUOTA,
    VK_SCHED_EMULATOR_PERIOD, VK_SCHED_EMULATOR_QUOTA,
    VK_SCHED_GLOBAL_PERIOD, VK_SCHED_GLOBAL_QUOTA,
    VK_SCHED_IOTHREAD_PERIOD, VK_SCHED_IOTHREAD_QUOTA,
    VK_SCHED_N
} VkSchedParam;

/* "cpu_shares", "vcpu_period"...; the <cputune> child that keeps it ("shares",
 * "period", "global_quota"...). */
const char *vk_sched_param_name(VkSchedParam p);
const char *vk_sched_param_element(VkSchedParam p);
/* Quotas are signed (-1: none), the others unsigned. */
bool vk_sched_param_is_quota(VkSchedParam p);

/* The values of the running OBJ's groups; -1 with libvirt's error. */
int vk_qemu_sched_get_live(VkDomainObj *obj, long long values[VK_SCHED_N]);
/* One value into the groups it governs. */
int vk_qemu_sched_set_live(VkDomainObj *obj, VkSchedParam p, long long value);

/* memtune's limits in KiB; VK_MEMTUNE_UNLIMITED means none */
#define VK_MEMTUNE_UNLIMITED 9007199254740991ULL
typedef enum { VK_MEMTUNE_HARD, VK_MEMTUNE_SOFT, VK_MEMTUNE_SWAP_HARD, VK_MEMTUNE_N } VkMemtuneParam;
const char *vk_memtune_param_name(VkMemtuneParam p);   /* "hard_limit"... */
int vk_qemu_memtune_get_live(VkDomainObj *obj, unsigned long long kib[VK_MEMTUNE_N]);
int vk_qemu_memtune_set_live(VkDomainObj *obj, VkMemtuneParam p, unsigned long long kib);

/* The definition's <cputune> and <memtune> values into the new groups of
 * OBJ (at start). */
int vk_qemu_tunables_apply(VkDomainObj *obj);

/* The running OBJ's CPU time from its group's accounting, in ns (cpu.stat
 * on v2, cpuacct.usage and cpuacct.stat on v1); -1 with libvirt's error
 * when the guest has no cpuacct group. */
int vk_qemu_cpuacct_total(VkDomainObj *obj, guint64 *total, guint64 *user, guint64 *system);
/* The running OBJ's CPU time on each host CPU (*CPU_TIME) and the part of
 * it its vCPUs used (*VCPU_TIME), in ns, from v1's cpuacct.usage_percpu;
 * -1 with libvirt's error on v2, which has no such file. */
int vk_qemu_cpuacct_percpu(VkDomainObj *obj, GArray **cpu_time, GArray **vcpu_time);
