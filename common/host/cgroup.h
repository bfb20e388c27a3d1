/* One cgroup in every hierarchy of a layout (cgroup-layout.h): made,
 * given processes and threads, its files read and written, removed.  The
 * path is the same below each mount ("/machine/qemu-1-g.libvirt-qemu"), as
 * libvirt places groups on a host without systemd. */
#pragma once

#include <sys/types.h>

#include "common/host/cgroup-layout.h"

typedef struct {
    const VkCgroupLayout *layout;   /* borrowed: outlives the group */
    char *path;                     /* absolute below each mount */
    bool threads;                   /* a thread group: only in the CPU hierarchies */
} VkCgroup;

VkCgroup *vk_cgroup_new(const VkCgroupLayout *layout, const char *path);
/* The thread group NAME below PARENT (vcpuN, emulator, iothreadN): as
 * libvirt's, it lives in the cpu, cpuacct and cpuset hierarchies only. */
VkCgroup *vk_cgroup_child(const VkCgroup *parent, const char *name);
void vk_cgroup_free(VkCgroup *cg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkCgroup, vk_cgroup_free)

/* The group's directory in the hierarchy serving CONTROLLER; NULL when
 * no mount serves it. */
char *vk_cgroup_dir(const VkCgroup *cg, VkCgroupController controller);

/* Make the group (and its parents) in every hierarchy.  v1 cpuset groups
 * get their parent's CPUs and memory nodes; on v2 the parents hand their
 * controllers down, and a thread group is made a threaded one.  -1 with an
 * error. */
int vk_cgroup_create(const VkCgroup *cg);
/* 0 when the group is there in every hierarchy, else -1 with libvirt's
 * error for a group it would not make (a partition other than /machine). */
int vk_cgroup_require(const VkCgroup *cg);
/* Whether the group is there in the first hierarchy of the layout. */
bool vk_cgroup_exists(const VkCgroup *cg);
/* Move process PID (all its threads), or one thread TID, into the group in
 * every hierarchy. */
int vk_cgroup_add_process(const VkCgroup *cg, pid_t pid);
int vk_cgroup_add_thread(const VkCgroup *cg, pid_t tid);
/* Remove the group, its child groups first (rmdir; a group whose tasks are
 * still leaving is tried again for a moment). */
int vk_cgroup_remove(const VkCgroup *cg);

/* FILE of the group in CONTROLLER's hierarchy, written or read (trimmed);
 * -1 / NULL with libvirt's "Unable to write to '...'" kind of error. */
int vk_cgroup_set(const VkCgroup *cg, VkCgroupController controller, const char *file,
                  const char *value);
char *vk_cgroup_get(const VkCgroup *cg, VkCgroupController controller, const char *file);
