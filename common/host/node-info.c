#include "common/host/node-info.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "common/util/error.h"
#include "common/util/file.h"

static int
read_int(const char *sysroot, const char *path, int fallback)
{
    return (int) vk_file_read_attr_number(sysroot, path, fallback);
}

/* "0-3,5" -> 5 */
static unsigned int
count_cpu_list(const char *list)
{
    unsigned int count = 0;
    g_auto(GStrv) ranges = g_strsplit(list, ",", -1);

    for (char **r = ranges; *r; r++) {
        unsigned int lo, hi;
        if (sscanf(*r, "%u-%u", &lo, &hi) == 2 && hi >= lo)
            count += hi - lo + 1;
        else if (**r)
            count++;
    }
    return count;
}

static bool
cpu_online(const char *sysroot, unsigned int cpu)
{
    g_autofree char *path = g_strdup_printf("sys/devices/system/cpu/cpu%u/online", cpu);
    return read_int(sysroot, path, 1) == 1;   /* cpu0 often has no online file */
}

/* Sockets, cores and threads as libvirt counts them; a topology that does not
 * multiply up to the CPU count is reported flat, as libvirt does. */
static void
read_topology(const char *sysroot, VkNodeInfo *info, unsigned int max_cpu)
{
    g_autoptr(GHashTable) packages = g_hash_table_new(NULL, NULL);
    g_autoptr(GHashTable) cores = g_hash_table_new(NULL, NULL);
    unsigned int threads = 1;
    bool first = true;

    for (unsigned int cpu = 0; cpu < max_cpu; cpu++) {
        g_autofree char *base = g_strdup_printf("sys/devices/system/cpu/cpu%u/topology", cpu);
        g_autofree char *pkg_path = g_strdup_printf("%s/physical_package_id", base);
        g_autofree char *core_path = g_strdup_printf("%s/core_id", base);
        int pkg, core;

        if (!cpu_online(sysroot, cpu))
            continue;
        pkg = read_int(sysroot, pkg_path, 0);
        core = read_int(sysroot, core_path, (int) cpu);
        g_hash_table_add(packages, GINT_TO_POINTER(pkg + 1));
        /* cores are counted in package 0; all packages look alike */
        if (pkg == 0)
            g_hash_table_add(cores, GINT_TO_POINTER(core + 1));
        if (first) {
            g_autofree char *sib_path = g_strdup_printf("%s/thread_siblings_list", base);
            g_autofree char *siblings = vk_file_read_attr(sysroot, sib_path);
            if (siblings)
                threads = MAX(1u, count_cpu_list(siblings));
            first = false;
        }
    }
    info->sockets = MAX(1u, g_hash_table_size(packages) / MAX(1u, info->nodes));
    info->cores = MAX(1u, g_hash_table_size(cores));
    info->threads = threads;
    if (info->sockets * info->cores * info->threads * info->nodes != info->cpus) {
        info->sockets = 1;
        info->nodes = 1;
        info->cores = info->cpus;
        info->threads = 1;
    }
}

static guint64
read_node_memory(const char *sysroot, unsigned int *nodes)
{
    g_autofree char *dir_path = g_build_filename(sysroot, "sys/devices/system/node", NULL);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    const char *name;
    guint64 total = 0;

    *nodes = 0;
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *text = NULL;
        const char *line;

        if (!g_str_has_prefix(name, "node") || !g_ascii_isdigit(name[4]))
            continue;
        path = g_build_filename(dir_path, name, "meminfo", NULL);
        if (!g_file_get_contents(path, &text, NULL, NULL))
            continue;
        (*nodes)++;
        if ((line = strstr(text, "MemTotal:")))
            total += g_ascii_strtoull(line + strlen("MemTotal:"), NULL, 10);
    }
    if (*nodes == 0) {
        /* No NUMA in sysfs: the whole machine is one node. */
        g_autofree char *meminfo = vk_file_read_attr(sysroot, "proc/meminfo");
        const char *line = meminfo ? strstr(meminfo, "MemTotal:") : NULL;
        *nodes = 1;
        if (line)
            total = g_ascii_strtoull(line + strlen("MemTotal:"), NULL, 10);
    }
    return total;
}

static unsigned int
read_mhz(const char *sysroot)
{
    g_autofree char *cpuinfo = vk_file_read_attr(sysroot, "proc/cpuinfo");
    const char *line = cpuinfo ? strstr(cpuinfo, "cpu MHz") : NULL;
    const char *colon = line ? strchr(line, ':') : NULL;

    if (colon)
        return (unsigned int) g_ascii_strtod(colon + 1, NULL);
    return (unsigned int) (read_int(sysroot,
                                    "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", 0) / 1000);
}

int
vk_node_info_read(const char *sysroot, VkNodeInfo *info)
{
    g_autofree char *present = vk_file_read_attr(sysroot, "sys/devices/system/cpu/present");
    g_autofree char *online = vk_file_read_attr(sysroot, "sys/devices/system/cpu/online");
    struct utsname uts;
    unsigned int max_cpu;

    memset(info, 0, sizeof(*info));
    if (!present || !online) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "cannot read the CPU list under '%s'", sysroot);
        return -1;
    }
    uname(&uts);
    g_strlcpy(info->model, uts.machine, sizeof(info->model));
    info->cpus = count_cpu_list(online);
    max_cpu = count_cpu_list(present) + 64;   /* ids may have holes */
    info->memory_kib = read_node_memory(sysroot, &info->nodes);
    info->mhz = read_mhz(sysroot);
    read_topology(sysroot, info, max_cpu);
    return 0;
}
