/* KVM's per-vCPU statistics through QEMU's query-stats, as libvirt 9.0
 * shows them in domstats --vcpu (vcpu.N.NAME.sum / .cur / .max) and sums
 * them for cpu.haltpoll.*. */
#pragma once

#include "common/rpc/typed-params.h"
#include "drivers/qemu/core/domain-obj.h"

typedef struct _VkKvmVcpuStats VkKvmVcpuStats;

/* The statistics of the running OBJ's vCPUs (its job held); NULL (no
 * error) when QEMU has none. */
VkKvmVcpuStats *vk_qemu_kvm_vcpu_stats(VkDomainObj *obj);
void vk_qemu_kvm_vcpu_stats_free(VkKvmVcpuStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkKvmVcpuStats, vk_qemu_kvm_vcpu_stats_free)

/* vCPU INDEX's numbers as "vcpu.INDEX.NAME.sum" and the like; histograms
 * are left out, as libvirt does. */
void vk_qemu_kvm_vcpu_stats_add(const VkKvmVcpuStats *stats, int index, VkTypedParams *params);
/* NAME summed over all vCPUs. */
guint64 vk_qemu_kvm_vcpu_stats_sum(const VkKvmVcpuStats *stats, const char *name);
