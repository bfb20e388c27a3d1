/* A running guest's cgroups, laid out as libvirt 9.0 does on a host without
 * systemd: PARTITION/qemu-ID-NAME.libvirt-qemu (partition /machine unless
 * <resource> names another) with the children emulator, vcpuN and
 * iothreadN holding those threads.  The path follows from the guest's id
 * and name, so a restarted daemon finds the groups again. */
#pragma once

#include "common/host/cgroup.h"
#include "common/util/paths.h"
#include "drivers/qemu/core/domain-obj.h"

/* The layout the daemon uses: the mounts below its root's /sys/fs/cgroup,
 * none for a daemon that is not root (as libvirt's session mode). */
VkCgroupLayout *vk_qemu_cgroup_layout_new(const VkPaths *paths);

/* OBJ (locked, its job held, QEMU up, vCPUs stopped): make its groups and
 * put its threads in them, note the partition in the live XML and apply
 * the definition's tunables.  0 when the host has no usable cgroups. */
int vk_qemu_cgroup_setup(VkDomainObj *obj);
/* After a vCPU hotplug or unplug: each vCPU QEMU has in its vcpuN group,
 * the groups of the vCPUs gone removed, as libvirt does. */
int vk_qemu_cgroup_sync_vcpus(VkDomainObj *obj);
/* Remove OBJ's groups (at stop; QEMU is gone). */
void vk_qemu_cgroup_remove(VkDomainObj *obj);

/* The running OBJ's group, NULL when it has none (host without cgroups). */
VkCgroup *vk_qemu_cgroup_of(VkDomainObj *obj);
/* Its thread group KIND ("vcpu", "iothread": with N; "emulator": N < 0). */
VkCgroup *vk_qemu_cgroup_thread_group(VkDomainObj *obj, const char *kind, int n);
/* The thread groups of CG named KIND ("vcpu": vcpu0, vcpu1...;
 * "emulator"), or all of them when KIND is NULL, in name order. */
GPtrArray *vk_qemu_cgroup_thread_groups(const VkCgroup *cg, const char *kind);
/* Whether the running OBJ has CONTROLLER. */
bool vk_qemu_cgroup_has(VkDomainObj *obj, VkCgroupController controller);
