/* A running guest's cgroup tunables (see domain-tunables.h). */
#include "drivers/qemu/core/domain-tunables.h"

#include <stdlib.h>
#include <string.h>

#include "common/conf/domain-tune.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-blkio.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "virtkit/virtkit.h"

/* v1 shows "no limit" as the largest page-aligned counter */
#define V1_MEMORY_UNLIMITED_BYTES 9223372036854771712ULL

static const char *const sched_names[VK_SCHED_N] = {
    "cpu_shares", "vcpu_period", "vcpu_quota", "emulator_period", "emulator_quota",
    "global_period", "global_quota", "iothread_period", "iothread_quota",
};
static const char *const sched_elements[VK_SCHED_N] = {
    "shares", "period", "quota", "emulator_period", "emulator_quota",
    "global_period", "global_quota", "iothread_period", "iothread_quota",
};
/* the thread groups each bandwidth pair governs; NULL: the guest's group */
static const char *const sched_scopes[VK_SCHED_N] = {
    NULL, "vcpu", "vcpu", "emulator", "emulator", NULL, NULL, "iothread", "iothread",
};

const char *
vk_sched_param_name(VkSchedParam p)
{
    return sched_names[p];
}

const char *
vk_sched_param_element(VkSchedParam p)
{
    return sched_elements[p];
}

bool
vk_sched_param_is_quota(VkSchedParam p)
{
    return p != VK_SCHED_CPU_SHARES && (p - VK_SCHED_VCPU_PERIOD) % 2 == 1;
}

static int
not_mounted(const char *what)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "cgroup %s controller is not mounted",
                    what);
    return -1;
}

/* The groups of CG that SCOPE names: its thread groups "SCOPEn", or
 * "emulator"; CG itself for NULL. */
static GPtrArray *
scope_groups(const VkCgroup *cg, const char *scope)
{
    GPtrArray *groups;

    if (scope)
        return vk_qemu_cgroup_thread_groups(cg, scope);
    groups = g_ptr_array_new_with_free_func((GDestroyNotify) vk_cgroup_free);
    g_ptr_array_add(groups, vk_cgroup_new(cg->layout, cg->path));
    return groups;
}

/* v2 keeps "QUOTA PERIOD" in one file */
static int
read_bandwidth(const VkCgroup *cg, long long *period, long long *quota)
{
    bool v2 = vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_CPU);
    g_autofree char *p = NULL, *q = NULL;

    if (v2) {
        g_autofree char *max = vk_cgroup_get(cg, VK_CGROUP_CPU, "cpu.max");
        g_auto(GStrv) parts = max ? g_strsplit(max, " ", 2) : NULL;
        if (!parts || !parts[0] || !parts[1])
            return -1;
        *quota = g_str_equal(parts[0], "max") ? -1 : g_ascii_strtoll(parts[0], NULL, 10);
        *period = g_ascii_strtoll(parts[1], NULL, 10);
        return 0;
    }
    if (!(p = vk_cgroup_get(cg, VK_CGROUP_CPU, "cpu.cfs_period_us")) ||
        !(q = vk_cgroup_get(cg, VK_CGROUP_CPU, "cpu.cfs_quota_us")))
        return -1;
    *period = g_ascii_strtoll(p, NULL, 10);
    *quota = g_ascii_strtoll(q, NULL, 10);
    return 0;
}

static int
write_bandwidth(const VkCgroup *cg, bool is_quota, long long value)
{
    long long period, quota;
    g_autofree char *text = NULL;

    if (!vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_CPU)) {
        text = g_strdup_printf("%lld", value);
        return vk_cgroup_set(cg, VK_CGROUP_CPU, is_quota ? "cpu.cfs_quota_us" : "cpu.cfs_period_us",
                             text);
    }
    if (read_bandwidth(cg, &period, &quota) < 0)
        return -1;
    if (is_quota)
        quota = value;
    else
        period = value;
    text = quota < 0 ? g_strdup_printf("max %lld", period)
                     : g_strdup_printf("%lld %lld", quota, period);
    return vk_cgroup_set(cg, VK_CGROUP_CPU, "cpu.max", text);
}

static const char *
shares_file(const VkCgroup *cg)
{
    /* libvirt's v2 backend keeps cpu_shares in cpu.weight as given */
    return vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_CPU) ? "cpu.weight" : "cpu.shares";
}

int
vk_qemu_sched_get_live(VkDomainObj *obj, long long values[VK_SCHED_N])
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autofree char *shares = NULL;

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPU))
        return not_mounted("CPU");
    if (!(shares = vk_cgroup_get(cg, VK_CGROUP_CPU, shares_file(cg))))
        return -1;
    values[VK_SCHED_CPU_SHARES] = g_ascii_strtoll(shares, NULL, 10);
    for (int p = VK_SCHED_VCPU_PERIOD; p < VK_SCHED_N; p += 2) {
        g_autoptr(GPtrArray) groups = scope_groups(cg, sched_scopes[p]);
        /* a guest without I/O threads shows its own group's values */
        const VkCgroup *from = groups->len ? g_ptr_array_index(groups, 0) : cg;
        if (read_bandwidth(from, &values[p], &values[p + 1]) < 0)
            return -1;
    }
    return 0;
}

int
vk_qemu_sched_set_live(VkDomainObj *obj, VkSchedParam p, long long value)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autoptr(GPtrArray) groups = NULL;

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPU))
        return not_mounted("CPU");
    if (p == VK_SCHED_CPU_SHARES) {
        g_autofree char *text = g_strdup_printf("%lld", value);
        return vk_cgroup_set(cg, VK_CGROUP_CPU, shares_file(cg), text);
    }
    groups = scope_groups(cg, sched_scopes[p]);
    for (guint i = 0; i < groups->len; i++) {
        if (write_bandwidth(g_ptr_array_index(groups, i), vk_sched_param_is_quota(p), value) < 0)
            return -1;
    }
    return 0;
}

/* ---- memtune ----------------------------------------------------------- */

static const char *const memtune_names[VK_MEMTUNE_N] = { "hard_limit", "soft_limit",
                                                         "swap_hard_limit" };
static const char *const memtune_v1_files[VK_MEMTUNE_N] = {
    "memory.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.memsw.limit_in_bytes",
};
static const char *const memtune_v2_files[VK_MEMTUNE_N] = { "memory.max", "memory.high",
                                                            "memory.swap.max" };

const char *
vk_memtune_param_name(VkMemtuneParam p)
{
    return memtune_names[p];
}

static const char *
memtune_file(const VkCgroup *cg, VkMemtuneParam p)
{
    return vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_MEMORY) ? memtune_v2_files[p]
                                                                 : memtune_v1_files[p];
}

int
vk_qemu_memtune_get_live(VkDomainObj *obj, unsigned long long kib[VK_MEMTUNE_N])
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_MEMORY))
        return not_mounted("memory");
    for (int p = 0; p < VK_MEMTUNE_N; p++) {
        g_autofree char *text = vk_cgroup_get(cg, VK_CGROUP_MEMORY, memtune_file(cg, p));
        unsigned long long bytes;

        if (!text) {
            /* no swap accounting: libvirt shows no limit */
            vk_error_reset();
            kib[p] = VK_MEMTUNE_UNLIMITED;
            continue;
        }
        bytes = g_str_equal(text, "max") ? G_MAXUINT64 : g_ascii_strtoull(text, NULL, 10);
        kib[p] = bytes >= V1_MEMORY_UNLIMITED_BYTES ? VK_MEMTUNE_UNLIMITED : bytes / 1024;
    }
    return 0;
}

int
vk_qemu_memtune_set_live(VkDomainObj *obj, VkMemtuneParam p, unsigned long long kib)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    bool v2;
    g_autofree char *text = NULL;

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_MEMORY))
        return not_mounted("memory");
    v2 = vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_MEMORY);
    if (kib >= VK_MEMTUNE_UNLIMITED)
        text = g_strdup(v2 ? "max" : "-1");
    else
        text = g_strdup_printf("%llu", kib * 1024);
    return vk_cgroup_set(cg, VK_CGROUP_MEMORY, memtune_file(cg, p), text);
}

/* ---- at start ---------------------------------------------------------- */

static int
apply_cputune(VkDomainObj *obj)
{
    for (int p = 0; p < VK_SCHED_N; p++) {
        VkDomainTuneKey key = { "cputune", sched_elements[p] };
        g_autofree char *text = vk_domain_tune_get(obj->def, &key, NULL);

        if (text && vk_qemu_sched_set_live(obj, p, g_ascii_strtoll(text, NULL, 10)) < 0)
            return -1;
    }
    return 0;
}

static int
apply_memtune(VkDomainObj *obj)
{
    for (int p = 0; p < VK_MEMTUNE_N; p++) {
        VkDomainTuneKey key = { "memtune", memtune_names[p] };
        g_autofree char *text = vk_domain_tune_get(obj->def, &key, NULL);

        if (text && vk_qemu_memtune_set_live(obj, p, g_ascii_strtoull(text, NULL, 10)) < 0)
            return -1;
    }
    return 0;
}

/* A pinned thread group's cpuset (the pin, else <vcpu cpuset=> for the
 * vCPUs and the emulator); the threads' affinity is cpu-affinity.c's. */
static int
apply_pin(VkDomainObj *obj, const char *group, int n, const char *fallback)
{
    g_autofree char *number = g_strdup_printf("%d", n);
    g_autofree char *child = g_strdup_printf("%spin", group);
    VkDomainTuneKey key = { "cputune", child, n >= 0 ? group : NULL, n >= 0 ? number : NULL };
    g_autofree char *cpuset = vk_domain_tune_get(obj->def, &key, "cpuset");
    g_autoptr(VkCgroup) cg = NULL;

    if (!cpuset && !fallback)
        return 0;
    cg = vk_qemu_cgroup_thread_group(obj, group, n);
    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPUSET))
        return 0;
    return vk_cgroup_set(cg, VK_CGROUP_CPUSET, "cpuset.cpus", cpuset ? cpuset : fallback);
}

static int
apply_pins(VkDomainObj *obj)
{
    const VkDomainDef *def = obj->def;

    for (unsigned int i = 0; i < def->vcpus; i++) {
        g_autoptr(VkCgroup) cg = vk_qemu_cgroup_thread_group(obj, "vcpu", (int) i);
        /* offline vCPUs have no group */
        if (cg && vk_cgroup_exists(cg) && apply_pin(obj, "vcpu", (int) i, def->cpuset) < 0)
            return -1;
    }
    for (unsigned int i = 1; i <= def->iothreads; i++) {
        if (apply_pin(obj, "iothread", (int) i, NULL) < 0)
            return -1;
    }
    return apply_pin(obj, "emulator", -1, def->cpuset);
}

/* <blkiotune>'s weight and devices: a weight the I/O scheduler cannot
 * take fails the start, as in libvirt. */
static int
apply_blkio(VkDomainObj *obj)
{
    static const char *const fields[] = { "weight", "read_iops_sec", "write_iops_sec",
                                          "read_bytes_sec", "write_bytes_sec" };
    VkDomainTuneKey key = { "blkiotune", "weight" };
    g_autofree char *weight = vk_domain_tune_get(obj->def, &key, NULL);
    g_auto(GStrv) paths = vk_domain_blkio_device_paths(obj->def);

    if (weight && g_ascii_strtoull(weight, NULL, 10) > 0 &&
        vk_qemu_blkio_set_weight(obj, (unsigned int) g_ascii_strtoull(weight, NULL, 10)) < 0)
        return -1;
    for (guint i = 0; paths[i]; i++) {
        for (guint f = 0; f < G_N_ELEMENTS(fields); f++) {
            g_autofree char *v = vk_domain_blkio_device_get(obj->def, paths[i], fields[f]);
            if (v && vk_qemu_blkio_set_device(obj, paths[i], fields[f],
                                              g_ascii_strtoull(v, NULL, 10)) < 0)
                return -1;
        }
    }
    return 0;
}

/* <numatune>'s nodes in strict or restrictive mode bind the guest's
 * memory through cpuset.mems: the thread groups first (v1 wants a parent
 * to hold its children's nodes), then the guest's group. */
static int
apply_numatune(VkDomainObj *obj)
{
    VkDomainTuneKey key = { "numatune", "memory" };
    g_autofree char *mode = vk_domain_tune_get(obj->def, &key, "mode");
    g_autofree char *nodeset = vk_domain_tune_get(obj->def, &key, "nodeset");
    g_autoptr(VkCgroup) cg = NULL;
    g_autoptr(GPtrArray) groups = NULL;

    if (!nodeset || (mode && !g_str_equal(mode, "strict") && !g_str_equal(mode, "restrictive")))
        return 0;
    cg = vk_qemu_cgroup_of(obj);
    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPUSET))
        return 0;
    groups = vk_qemu_cgroup_thread_groups(cg, NULL);
    g_ptr_array_add(groups, vk_cgroup_new(cg->layout, cg->path));
    for (guint i = 0; i < groups->len; i++) {
        if (vk_cgroup_set(g_ptr_array_index(groups, i), VK_CGROUP_CPUSET, "cpuset.mems",
                          nodeset) < 0)
            return -1;
    }
    return 0;
}

int
vk_qemu_tunables_apply(VkDomainObj *obj)
{
    if (apply_cputune(obj) < 0 || apply_memtune(obj) < 0 || apply_blkio(obj) < 0 ||
        apply_pins(obj) < 0 || apply_numatune(obj) < 0)
        return -1;
    return 0;
}

/* ---- CPU accounting ---------------------------------------------------- */

/* KEY's number in a "key value" per line file */
static guint64
stat_value(const char *text, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    size_t n = strlen(key);

    for (guint i = 0; lines[i]; i++) {
        if (strncmp(lines[i], key, n) == 0 && lines[i][n] == ' ')
            return g_ascii_strtoull(lines[i] + n + 1, NULL, 10);
    }
    return 0;
}

int
vk_qemu_cpuacct_total(VkDomainObj *obj, guint64 *total, guint64 *user, guint64 *system)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autofree char *stat = NULL, *usage = NULL;
    /* cpuacct.stat counts USER_HZ ticks */
    const guint64 tick_ns = 1000000000ULL / 100;

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPUACCT))
        return not_mounted("CPUACCT");
    if (vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_CPUACCT)) {
        if (!(stat = vk_cgroup_get(cg, VK_CGROUP_CPUACCT, "cpu.stat")))
            return -1;
        *total = stat_value(stat, "usage_usec") * 1000;
        *user = stat_value(stat, "user_usec") * 1000;
        *system = stat_value(stat, "system_usec") * 1000;
        return 0;
    }
    if (!(usage = vk_cgroup_get(cg, VK_CGROUP_CPUACCT, "cpuacct.usage")) ||
        !(stat = vk_cgroup_get(cg, VK_CGROUP_CPUACCT, "cpuacct.stat")))
        return -1;
    *total = g_ascii_strtoull(usage, NULL, 10);
    *user = stat_value(stat, "user") * tick_ns;
    *system = stat_value(stat, "system") * tick_ns;
    return 0;
}

/* The numbers of CG's cpuacct.usage_percpu added into SUMS (grown to fit) */
static int
add_percpu(const VkCgroup *cg, GArray *sums)
{
    g_autofree char *text = vk_cgroup_get(cg, VK_CGROUP_CPUACCT, "cpuacct.usage_percpu");
    g_auto(GStrv) values = text ? g_strsplit_set(text, " \n", -1) : NULL;
    guint n = 0;

    if (!text)
        return -1;
    for (guint i = 0; values[i]; i++) {
        guint64 v;

        if (!*values[i])
            continue;
        v = g_ascii_strtoull(values[i], NULL, 10);
        if (n >= sums->len)
            g_array_set_size(sums, n + 1);
        g_array_index(sums, guint64, n++) += v;
    }
    return 0;
}

int
vk_qemu_cpuacct_percpu(VkDomainObj *obj, GArray **cpu_time, GArray **vcpu_time)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autoptr(GArray) all = g_array_new(FALSE, TRUE, sizeof(guint64));
    g_autoptr(GArray) vcpus = g_array_new(FALSE, TRUE, sizeof(guint64));
    g_autoptr(GPtrArray) groups = NULL;

    if (!cg || !vk_cgroup_layout_has(cg->layout, VK_CGROUP_CPUACCT))
        return not_mounted("CPUACCT");
    if (vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_CPUACCT)) {
        vk_error_report(VIR_FROM_CGROUP, VIR_ERR_OPERATION_UNSUPPORTED,
                        "operation '%s' not supported for backend '%s'", "getCpuacctPercpuUsage",
                        "cgroup V2");
        return -1;
    }
    if (add_percpu(cg, all) < 0)
        return -1;
    groups = vk_qemu_cgroup_thread_groups(cg, "vcpu");
    for (guint i = 0; i < groups->len; i++) {
        if (add_percpu(g_ptr_array_index(groups, i), vcpus) < 0)
            return -1;
    }
    g_array_set_size(vcpus, MAX(vcpus->len, all->len));
    *cpu_time = g_steal_pointer(&all);
    *vcpu_time = g_steal_pointer(&vcpus);
    return 0;
}
