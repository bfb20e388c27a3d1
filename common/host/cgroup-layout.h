/* The host's cgroup hierarchies as libvirt uses them: which mount serves
 * each controller (v1 per-controller mounts, a v2 unified mount, or both),
 * found in /proc/self/mountinfo below one root directory (/sys/fs/cgroup on
 * a host, a directory of the test's under --root).  Read once by a driver. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* libvirt's controllers, in libvirt's order */
typedef enum {
    VK_CGROUP_CPU,
    VK_CGROUP_CPUACCT,
    VK_CGROUP_CPUSET,
    VK_CGROUP_MEMORY,
    VK_CGROUP_DEVICES,
    VK_CGROUP_FREEZER,
    VK_CGROUP_BLKIO,
    VK_CGROUP_NET_CLS,
    VK_CGROUP_PERF_EVENT,
    VK_CGROUP_N
} VkCgroupController;

typedef struct {
    char *mount[VK_CGROUP_N];   /* the mount serving the controller, NULL: none */
    char *unified;              /* the cgroup2 mount, NULL when there is none */
} VkCgroupLayout;

/* The cgroup mounts below ROOT, read from MOUNTINFO (a /proc/PID/mountinfo
 * file).  As libvirt, the v2 mount claims the controllers its
 * cgroup.controllers lists, plus cpuacct (v2's cpu.stat) and devices (BPF);
 * the v1 mounts take the others.  Never NULL: no mounts, no controllers. */
VkCgroupLayout *vk_cgroup_layout_read(const char *root, const char *mountinfo);
void vk_cgroup_layout_free(VkCgroupLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkCgroupLayout, vk_cgroup_layout_free)

/* Whether CONTROLLER is served, and by the v2 mount. */
bool vk_cgroup_layout_has(const VkCgroupLayout *layout, VkCgroupController controller);
bool vk_cgroup_layout_is_v2(const VkCgroupLayout *layout, VkCgroupController controller);

/* libvirt's name of CONTROLLER ("cpu", "blkio", ...). */
const char *vk_cgroup_controller_name(VkCgroupController controller);
