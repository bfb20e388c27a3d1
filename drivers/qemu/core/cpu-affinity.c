/* CPU affinity: libvirt's cpusets and <cputune> pins as CPU maps, and
 * the pins applied to a starting guest's threads (sched_setaffinity, as
 * libvirt does where it has no cgroups to do it). */
#include "drivers/qemu/core/cpu-affinity.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "common/conf/domain-tune.h"
#include "common/util/error.h"
#include "drivers/qemu/core/process.h"

unsigned int
vk_qemu_host_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_CONF);

    return n > 0 ? (unsigned int) n : 1;
}

/* Set the bits of a libvirt cpuset string ("0-3,^2,8") in MAP (MAPLEN
 * bytes, CPU 0 in the low bit of byte 0); CPUs beyond MAP are ignored.
 * A NULL or unreadable string means every host CPU. */
void
vk_qemu_cpuset_to_map(const char *cpuset, unsigned char *map, int maplen)
{
    unsigned int ncpus = vk_qemu_host_cpu_count();
    g_auto(GStrv) parts = cpuset ? g_strsplit(cpuset, ",", -1) : NULL;
    bool any = false;

    memset(map, 0, maplen);
    for (guint i = 0; parts && parts[i]; i++) {
        const char *p = g_strstrip(parts[i]);
        bool negate = *p == '^';
        unsigned int lo, hi;

        if (negate)
            p++;
        if (sscanf(p, "%u-%u", &lo, &hi) != 2) {
            if (sscanf(p, "%u", &lo) != 1)
                continue;
            hi = lo;
        }
        for (unsigned int c = lo; c <= hi && c / 8 < (unsigned int) maplen; c++) {
            if (negate)
                map[c / 8] &= ~(1 << (c % 8));
            else
                map[c / 8] |= 1 << (c % 8);
        }
        any = true;
    }
    if (any)
        return;
    for (unsigned int c = 0; c < ncpus && c / 8 < (unsigned int) maplen; c++)
        map[c / 8] |= 1 << (c % 8);
}

/* The cpuset= of <cputune>'s child ELEMENT (with ID_ATTR=ID when ID >= 0:
 * <vcpupin vcpu=N>, <iothreadpin iothread=N>) in DEF, or NULL. */
static char *
cputune_cpuset(const VkDomainDef *def, const char *element, const char *id_attr, int id)
{
    g_autofree char *number = g_strdup_printf("%d", id);
    VkDomainTuneKey key = { "cputune", element, id >= 0 ? id_attr : NULL, number };

    return vk_domain_tune_get(def, &key, "cpuset");
}

/* The affinity of a vCPU as libvirt lists it from a definition: its
 * <vcpupin>, else <vcpu cpuset=>, else every host CPU. */
void
vk_qemu_vcpu_pin_map(const VkDomainDef *def, int vcpu, unsigned char *map, int maplen)
{
    g_autofree char *pin = cputune_cpuset(def, "vcpupin", "vcpu", vcpu);

    vk_qemu_cpuset_to_map(pin ? pin : def->cpuset, map, maplen);
}

void
vk_qemu_thread_affinity_map(gint64 tid, unsigned char *map, int maplen)
{
    cpu_set_t set;

    memset(map, 0, maplen);
    CPU_ZERO(&set);
    if (sched_getaffinity((pid_t) tid, sizeof(set), &set) < 0)
        return;
    for (int c = 0; c < CPU_SETSIZE && c / 8 < maplen; c++)
        if (CPU_ISSET(c, &set))
            map[c / 8] |= 1 << (c % 8);
}

void
vk_qemu_iothread_pin_map(const VkDomainDef *def, int iothread, unsigned char *map, int maplen)
{
    g_autofree char *pin = cputune_cpuset(def, "iothreadpin", "iothread", iothread);

    vk_qemu_cpuset_to_map(pin ? pin : def->cpuset, map, maplen);
}

void
vk_qemu_emulator_pin_map(const VkDomainDef *def, unsigned char *map, int maplen)
{
    g_autofree char *pin = cputune_cpuset(def, "emulatorpin", NULL, -1);

    vk_qemu_cpuset_to_map(pin ? pin : def->cpuset, map, maplen);
}

/* MAP (MAPLEN bytes) as the affinity of thread TID. */
static int
set_thread_affinity(pid_t tid, const unsigned char *map, int maplen)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    for (int c = 0; c < CPU_SETSIZE && c / 8 < maplen; c++)
        if (map[c / 8] & (1 << (c % 8)))
            CPU_SET(c, &set);
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot set CPU affinity of thread %d",
                              (int) tid);
        return -1;
    }
    return 0;
}

/* Every thread of PID gets MAP: the emulator's pin, before the vCPUs get
 * theirs (libvirt sets it at exec, so that every thread inherits it). */
static int
pin_all_threads(pid_t pid, const unsigned char *map, int maplen)
{
    g_autofree char *dir_path = g_strdup_printf("/proc/%d/task", (int) pid);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        if (set_thread_affinity((pid_t) atoi(name), map, maplen) < 0)
            return -1;
    }
    return 0;
}

static bool
has_pins(const VkDomainDef *def)
{
    g_autofree char *vcpupin = cputune_cpuset(def, "vcpupin", "vcpu", -1);
    g_autofree char *emulatorpin = cputune_cpuset(def, "emulatorpin", NULL, -1);
    g_autofree char *iothreadpin = cputune_cpuset(def, "iothreadpin", "iothread", -1);

    return def->cpuset || vcpupin || emulatorpin || iothreadpin;
}

int
vk_qemu_apply_cpu_affinity(VkDomainObj *obj)
{
    int maplen = (int) (vk_qemu_host_cpu_count() + 7) / 8;
    g_autofree unsigned char *map = g_malloc0(maplen);
    g_autoptr(VkJson) cpus = NULL;
    g_autoptr(VkJson) iothreads = NULL;

    if (!has_pins(obj->def))
        return 0;   /* nothing asked: the threads keep the daemon's affinity */
    vk_qemu_emulator_pin_map(obj->def, map, maplen);
    if (pin_all_threads(obj->pid, map, maplen) < 0 ||
        vk_qemu_process_monitor_query(obj, "query-cpus-fast", NULL, &cpus) < 0)
        return -1;
    for (guint i = 0; i < vk_json_array_length(cpus); i++) {
        VkJson *cpu = vk_json_array_get(cpus, i);
        vk_qemu_vcpu_pin_map(obj->def, (int) vk_json_object_get_int(cpu, "cpu-index", i), map,
                             maplen);
        if (set_thread_affinity((pid_t) vk_json_object_get_int(cpu, "thread-id", 0), map,
                                maplen) < 0)
            return -1;
    }
    if (obj->def->iothreads == 0)
        return 0;
    if (vk_qemu_process_monitor_query(obj, "query-iothreads", NULL, &iothreads) < 0)
        return -1;
    for (guint i = 0; i < vk_json_array_length(iothreads); i++) {
        VkJson *t = vk_json_array_get(iothreads, i);
        vk_qemu_iothread_pin_map(obj->def, vk_qemu_iothread_number(t), map, maplen);
        if (set_thread_affinity((pid_t) vk_json_object_get_int(t, "thread-id", 0), map,
                                maplen) < 0)
            return -1;
    }
    return 0;
}

int
vk_qemu_iothread_number(const VkJson *iothread)
{
    const char *id = vk_json_object_get_string(iothread, "id", "");

    /* our command line names them iothreadN, as libvirt does */
    return g_str_has_prefix(id, "iothread") ? atoi(id + strlen("iothread")) : 0;
}
