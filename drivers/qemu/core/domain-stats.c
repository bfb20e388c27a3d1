/* Statistics read outside QEMU's monitor, and QMP block reply readers
 * (see domain-stats.h). */
#include "drivers/qemu/core/domain-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"

/* ---------------------------------------------------------------------
 * /proc
 * ------------------------------------------------------------------- */

/* /proc/PID or /proc/PID/task/TID, followed by FILE. */
static char *
proc_path(pid_t pid, pid_t tid, const char *file)
{
    if (tid > 0)
        return g_strdup_printf("/proc/%d/task/%d/%s", (int) pid, (int) tid, file);
    return g_strdup_printf("/proc/%d/%s", (int) pid, file);
}

static char *
proc_read(pid_t pid, pid_t tid, const char *file)
{
    g_autofree char *path = NULL;
    char *text = NULL;

    if (pid <= 0)
        return NULL;
    path = proc_path(pid, tid, file);
    return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

int
vk_stats_cpu_times(pid_t pid, pid_t tid, VkCpuTimes *out)
{
    g_autofree char *text = proc_read(pid, tid, "stat");
    unsigned long long utime, stime;
    guint64 tick_ns = 1000000000ULL / (guint64) sysconf(_SC_CLK_TCK);
    const char *fields;
    int processor = 0;

    /* the command name may hold spaces and ')': the fields follow the last
     * ')'; fields 14 and 15 are utime and stime, field 39 the processor */
    if (!text || !(fields = strrchr(text, ')')) ||
        sscanf(fields + 2,
               "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
               "%*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*d %d",
               &utime, &stime, &processor) < 2)
        return -1;
    out->user_ns = utime * tick_ns;
    out->system_ns = stime * tick_ns;
    out->last_cpu = processor;
    return 0;
}

guint64
vk_stats_rss_kib(pid_t pid)
{
    g_autofree char *text = proc_read(pid, 0, "statm");
    unsigned long long size, resident;

    if (!text || sscanf(text, "%llu %llu", &size, &resident) != 2)
        return 0;
    return resident * (guint64) sysconf(_SC_PAGESIZE) / 1024;
}

/* The value of "KEY : VALUE" in /proc/.../sched (milliseconds with a
 * fraction), in ns; 0 when absent. */
static guint64
sched_field_ns(const char *text, const char *key)
{
    const char *p = text ? strstr(text, key) : NULL;
    double ms;

    if (!p || !(p = strchr(p, ':')) || sscanf(p + 1, "%lf", &ms) != 1 || ms < 0)
        return 0;
    return (guint64) (ms * 1000000.0);
}

void
vk_stats_thread_sched(pid_t pid, pid_t tid, guint64 *delay_ns, guint64 *wait_ns)
{
    g_autofree char *schedstat = proc_read(pid, tid, "schedstat");
    g_autofree char *sched = proc_read(pid, tid, "sched");
    unsigned long long run, delay;

    *delay_ns = schedstat && sscanf(schedstat, "%llu %llu", &run, &delay) == 2 ? delay : 0;
    *wait_ns = sched_field_ns(sched, "wait_sum");
}

/* ---------------------------------------------------------------------
 * Host interfaces
 * ------------------------------------------------------------------- */

int
vk_stats_host_interface(const char *ifname, bool swapped, VkInterfaceCounters *out)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    long long c[16];

    if (!g_file_get_contents("/proc/net/dev", &text, NULL, NULL)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s", "cannot read /proc/net/dev");
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        char *colon = strchr(lines[i], ':');
        if (!colon)
            continue;
        *colon = '\0';
        if (!g_str_equal(g_strstrip(lines[i]), ifname))
            continue;
        /* rx: bytes packets errs drop fifo frame compressed multicast, then tx: bytes packets errs drop ... */
        if (sscanf(colon + 1, "%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
                   &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7],
                   &c[8], &c[9], &c[10], &c[11]) != 12)
            break;
        const long long *rx = swapped ? &c[8] : &c[0];
        const long long *tx = swapped ? &c[0] : &c[8];
        *out = (VkInterfaceCounters) {
            .rx_bytes = rx[0], .rx_packets = rx[1], .rx_errs = rx[2], .rx_drop = rx[3],
            .tx_bytes = tx[0], .tx_packets = tx[1], .tx_errs = tx[2], .tx_drop = tx[3],
        };
        return 0;
    }
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                    "/proc/net/dev: Interface not found");
    return -1;
}

/* ---------------------------------------------------------------------
 * Images
 * ------------------------------------------------------------------- */

/* The big-endian 64-bit field at byte OFFSET of a qcow2 header (8: the
 * backing file's offset, 24: the virtual size); -1 when FD holds no qcow2
 * image. */
static gint64
qcow2_header_field(int fd, guint offset)
{
    guint8 header[32];
    guint64 value = 0;

    if (pread(fd, header, sizeof(header), 0) != (ssize_t) sizeof(header) ||
        memcmp(header, "QFI\xfb", 4) != 0)
        return -1;
    for (guint i = offset; i < offset + 8; i++)
        value = (value << 8) | header[i];
    return (gint64) value;
}

static guint64
qcow2_virtual_size(int fd)
{
    gint64 size = qcow2_header_field(fd, 24);

    return size > 0 ? (guint64) size : 0;
}

int
vk_stats_image_has_backing(const char *path, const char *format)
{
    int fd;
    gint64 offset;

    if (!format || g_str_equal(format, "raw"))
        return 0;
    if (!g_str_equal(format, "qcow2") || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    offset = qcow2_header_field(fd, 8);
    close(fd);
    return offset < 0 ? -1 : offset > 0;
}

int
vk_stats_image_sizes(const char *path, const char *format, VkBlockSizes *out)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot stat file '%s'", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        out->physical = out->allocation = end > 0 ? (guint64) end : 0;
    } else {
        out->physical = (guint64) st.st_size;
        out->allocation = (guint64) st.st_blocks * 512;
    }
    out->capacity = out->physical;
    if (g_strcmp0(format, "qcow2") == 0) {
        guint64 virt = qcow2_virtual_size(fd);
        if (virt)
            out->capacity = virt;
    }
    close(fd);
    return 0;
}

/* ---------------------------------------------------------------------
 * QMP block replies
 * ------------------------------------------------------------------- */

bool
vk_stats_qdev_is(const char *qdev, const char *alias)
{
    static const char prefix[] = "/machine/peripheral/";
    const char *rest;

    if (!qdev || !alias || !*alias)
        return false;
    if (g_str_equal(qdev, alias))
        return true;
    if (!g_str_has_prefix(qdev, prefix))
        return false;
    rest = qdev + strlen(prefix);
    return g_str_has_prefix(rest, alias) &&
           (rest[strlen(alias)] == '\0' || rest[strlen(alias)] == '/');
}

VkJson *
vk_stats_find_block_entry(const VkJson *list, const char *alias)
{
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *entry = vk_json_array_get(list, i);
        if (vk_stats_qdev_is(vk_json_object_get_string(entry, "qdev", NULL), alias))
            return entry;
    }
    return NULL;
}

void
vk_stats_add_block_counters(const VkJson *entry, VkBlockCounters *out)
{
    const VkJson *s = vk_json_object_get_object(entry, "stats");
    const VkJson *below = vk_json_object_get_object(vk_json_object_get_object(entry, "parent"),
                                                    "stats");

    out->rd_req += vk_json_object_get_int(s, "rd_operations", 0);
    out->rd_bytes += vk_json_object_get_int(s, "rd_bytes", 0);
    out->rd_ns += vk_json_object_get_int(s, "rd_total_time_ns", 0);
    out->wr_req += vk_json_object_get_int(s, "wr_operations", 0);
    out->wr_bytes += vk_json_object_get_int(s, "wr_bytes", 0);
    out->wr_ns += vk_json_object_get_int(s, "wr_total_time_ns", 0);
    out->fl_req += vk_json_object_get_int(s, "flush_operations", 0);
    out->fl_ns += vk_json_object_get_int(s, "flush_total_time_ns", 0);
    /* How far the guest wrote into the host file: the format layer's own
     * offsets are guest offsets, the layer below has the file's. */
    out->wr_highest_offset += (guint64) vk_json_object_get_int(below ? below : s,
                                                               "wr_highest_offset", 0);
}
