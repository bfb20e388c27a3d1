/* What `virsh nodeinfo` shows of the host: CPU model, counts, topology,
 * frequency and memory, read from sysfs and procfs under a root path. */
#pragma once

#include <glib.h>

typedef struct {
    char model[32];          /* the machine architecture, e.g. "x86_64" */
    guint64 memory_kib;      /* sum of the NUMA nodes' MemTotal */
    unsigned int cpus;       /* online CPUs */
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;    /* per node */
    unsigned int cores;      /* per socket */
    unsigned int threads;    /* per core */
} VkNodeInfo;

/* SYSROOT is "/" on a real host; tests point it at a tree they build. */
int vk_node_info_read(const char *sysroot, VkNodeInfo *info);
