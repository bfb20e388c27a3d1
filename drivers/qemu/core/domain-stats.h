/* What the statistics calls read about a running guest outside QEMU's
 * monitor (/proc for CPU time and memory, /proc/net/dev for taps, image
 * files for sizes), and small readers of QMP's block replies.  No locking,
 * no domain objects: plain inputs, plain outputs. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/util/json.h"

/* ---- processes and threads (/proc) ---- */

typedef struct {
    guint64 user_ns;
    guint64 system_ns;
    int last_cpu;        /* the host CPU it last ran on */
} VkCpuTimes;

/* CPU time of process PID (TID 0) or of its thread TID.  -1 when gone. */
int vk_stats_cpu_times(pid_t pid, pid_t tid, VkCpuTimes *out);

/* Resident set size of PID in KiB, 0 when unknown. */
guint64 vk_stats_rss_kib(pid_t pid);

/* Scheduler statistics of thread TID of PID, in ns: DELAY is the time spent
 * runnable but waiting for a host CPU (schedstat), WAIT the time spent
 * waiting (sched's wait_sum; 0 unless the kernel keeps schedstats). */
void vk_stats_thread_sched(pid_t pid, pid_t tid, guint64 *delay_ns, guint64 *wait_ns);

/* ---- host network interfaces ---- */

typedef struct {
    long long rx_bytes, rx_packets, rx_errs, rx_drop;
    long long tx_bytes, tx_packets, tx_errs, tx_drop;
} VkInterfaceCounters;

/* Counters of host interface IFNAME from /proc/net/dev.  SWAPPED: the
 * interface is a tap whose other end is the guest, so what the host
 * receives the guest sent: rx and tx change places, as libvirt reports
 * them.  -1 with an error when there is no such interface. */
int vk_stats_host_interface(const char *ifname, bool swapped, VkInterfaceCounters *out);

/* ---- disk images ---- */

typedef struct {
    guint64 capacity;     /* the size the guest sees */
    guint64 allocation;   /* host bytes in use (blocks of a sparse file) */
    guint64 physical;     /* size of the file or device */
} VkBlockSizes;

/* Sizes of the image at PATH in FORMAT (raw when NULL), without QEMU: a
 * qcow2 capacity comes from its header, other formats count as raw.  -1
 * with an error when the file cannot be read. */
int vk_stats_image_sizes(const char *path, const char *format, VkBlockSizes *out);

/* Whether the image at PATH in FORMAT names a backing file: 1 yes, 0 no
 * (raw, or a qcow2 header without one), -1 not known. */
int vk_stats_image_has_backing(const char *path, const char *format);

/* ---- QMP block replies ---- */

/* Whether the "qdev" of a query-block / query-blockstats entry is the
 * device ALIAS: QEMU gives the id or the QOM path
 * (/machine/peripheral/ALIAS or a child of it, like virtio-blk's backend). */
bool vk_stats_qdev_is(const char *qdev, const char *alias);

/* The entry of LIST (a query-block or query-blockstats reply) of the device
 * ALIAS, or NULL. */
VkJson *vk_stats_find_block_entry(const VkJson *list, const char *alias);

typedef struct {
    long long rd_req, rd_bytes, rd_ns;
    long long wr_req, wr_bytes, wr_ns;
    long long fl_req, fl_ns;
    guint64 wr_highest_offset;   /* of the storage below the format layer */
} VkBlockCounters;

/* Add the counters of the query-blockstats ENTRY to OUT. */
void vk_stats_add_block_counters(const VkJson *entry, VkBlockCounters *out);
