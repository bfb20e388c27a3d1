#include "common/util/log.h"
#include "common/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

typedef struct {
    int priority;
    char *match;
    gboolean glob;   /* match has '*' or '?': whole-name pattern, else substring */
} VkLogFilter;

typedef enum {
    VK_LOG_TO_STDERR,
    VK_LOG_TO_JOURNALD,
    VK_LOG_TO_FILE,
    VK_LOG_TO_SYSLOG,
} VkLogDest;

typedef struct {
    int priority;
    VkLogDest dest;
    char *path;   /* file path or syslog ident */
    int fd;       /* file output only */
} VkLogOutput;

static const char *const dest_names[] = {
    [VK_LOG_TO_STDERR] = "stderr",
    [VK_LOG_TO_JOURNALD] = "journald",
    [VK_LOG_TO_FILE] = "file",
    [VK_LOG_TO_SYSLOG] = "syslog",
};

static const char *const priority_names[] = {
    [VK_LOG_DEBUG] = "debug",
    [VK_LOG_INFO] = "info",
    [VK_LOG_WARNING] = "warning",
    [VK_LOG_ERROR] = "error",
};

/* Everything below is guarded by log_lock.  Parsing happens outside the lock
 * because reporting an error logs, and the writer takes the lock. */
static GMutex log_lock;
static int default_priority = VK_LOG_DEFAULT_PRIORITY;
static GPtrArray *log_filters;   /* VkLogFilter*, first match wins; NULL = none */
static GPtrArray *log_outputs;   /* VkLogOutput*; NULL = the default output */
static char *syslog_ident;       /* openlog() keeps the pointer */

int vk_log_floor_ = VK_LOG_DEFAULT_PRIORITY;

static void
filter_free(gpointer data)
{
    VkLogFilter *f = data;
    g_free(f->match);
    g_free(f);
}

static void
output_free(gpointer data)
{
    VkLogOutput *o = data;
    if (o->fd >= 0)
        close(o->fd);
    g_free(o->path);
    g_free(o);
}

VkLogPriority
vk_log_priority_from_glib(GLogLevelFlags level)
{
    if (level & G_LOG_LEVEL_DEBUG)
        return VK_LOG_DEBUG;
    if (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
        return VK_LOG_INFO;
    if (level & G_LOG_LEVEL_WARNING)
        return VK_LOG_WARNING;
    return VK_LOG_ERROR;
}

static int
syslog_priority(int priority)
{
    switch (priority) {
    case VK_LOG_DEBUG: return LOG_DEBUG;
    case VK_LOG_INFO: return LOG_INFO;
    case VK_LOG_WARNING: return LOG_WARNING;
    default: return LOG_ERR;
    }
}

/* systemd points JOURNAL_STREAM at our stderr when stderr is the journal. */
static gboolean
stderr_is_journal(void)
{
    const char *env = g_getenv("JOURNAL_STREAM");
    struct stat st;
    unsigned long long dev, ino;

    if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
        return FALSE;
    if (fstat(STDERR_FILENO, &st) < 0)
        return FALSE;
    return (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino;
}

static VkLogDest
default_dest(void)
{
    static gsize once;
    static VkLogDest dest;

    if (g_once_init_enter(&once)) {
        dest = stderr_is_journal() ? VK_LOG_TO_JOURNALD : VK_LOG_TO_STDERR;
        g_once_init_leave(&once, 1);
    }
    return dest;
}

static int
outputs_min_priority_locked(void)
{
    int min = VK_LOG_ERROR + 1;

    /* the default output takes whatever the level and filters let through */
    if (!log_outputs)
        return VK_LOG_DEBUG;
    for (guint i = 0; i < log_outputs->len; i++) {
        VkLogOutput *o = g_ptr_array_index(log_outputs, i);
        min = MIN(min, o->priority);
    }
    return min;
}

static void
update_floor_locked(void)
{
    int sources = default_priority;

    if (log_filters) {
        for (guint i = 0; i < log_filters->len; i++) {
            VkLogFilter *f = g_ptr_array_index(log_filters, i);
            sources = MIN(sources, f->priority);
        }
    }
    g_atomic_int_set(&vk_log_floor_, MAX(sources, outputs_min_priority_locked()));
}

static gboolean
filter_matches(const VkLogFilter *f, const char *module)
{
    if (f->glob)
        return g_pattern_match_simple(f->match, module);
    return strstr(module, f->match) != NULL;
}

static gboolean
enabled_locked(const char *module, int priority)
{
    int wanted = default_priority;

    if (log_filters) {
        for (guint i = 0; i < log_filters->len; i++) {
            VkLogFilter *f = g_ptr_array_index(log_filters, i);
            if (filter_matches(f, module)) {
                wanted = f->priority;
                break;
            }
        }
    }
    return priority >= wanted && priority >= outputs_min_priority_locked();
}

gboolean
vk_log_enabled(const char *module, VkLogPriority priority)
{
    gboolean ret;

    g_mutex_lock(&log_lock);
    ret = enabled_locked(module ? module : "", priority);
    g_mutex_unlock(&log_lock);
    return ret;
}

/* "1".."4", or a level name (LIBVIRT_DEBUG accepts both). */
static int
parse_priority(const char *text, gboolean names_ok)
{
    guint64 n;

    if (g_ascii_string_to_unsigned(text, 10, VK_LOG_DEBUG, VK_LOG_ERROR, &n, NULL))
        return (int) n;
    if (names_ok) {
        for (int p = VK_LOG_DEBUG; p <= VK_LOG_ERROR; p++) {
            if (g_ascii_strcasecmp(text, priority_names[p]) == 0)
                return p;
        }
        if (g_ascii_strcasecmp(text, "warn") == 0)
            return VK_LOG_WARNING;
    }
    return -1;
}

int
vk_log_set_level(int level)
{
    if (level != 0 && (level < VK_LOG_DEBUG || level > VK_LOG_ERROR)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "log level %d is out of range: expected 1 (debug) to 4 (error)", level);
        return -1;
    }
    g_mutex_lock(&log_lock);
    default_priority = level ? level : VK_LOG_DEFAULT_PRIORITY;
    update_floor_locked();
    g_mutex_unlock(&log_lock);
    return 0;
}

/* Split on blanks, dropping empty items. */
static char **
split_items(const char *text)
{
    g_auto(GStrv) parts = g_strsplit_set(text, " \t\n", -1);
    GPtrArray *items = g_ptr_array_new();

    for (char **p = parts; *p; p++) {
        if (**p)
            g_ptr_array_add(items, g_strdup(*p));
    }
    g_ptr_array_add(items, NULL);
    return (char **) g_ptr_array_free(items, FALSE);
}

/* "PRIORITY:REST" of a filter or output ITEM (BODY: ITEM past any prefix):
 * the priority, and *REST after the colon; -1 with an error naming the item
 * (WHAT: "log filter" / "log output", EXPECTED: what comes after the colon). */
static int
split_priority(const char *item, const char *body, const char *what, const char *expected,
               const char **rest)
{
    const char *colon = strchr(body, ':');
    g_autofree char *prio_text = NULL;
    int prio;

    if (!colon || colon[1] == '\0') {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "malformed %s '%s': expected PRIORITY:%s", what, item, expected);
        return -1;
    }
    prio_text = g_strndup(body, colon - body);
    prio = parse_priority(prio_text, FALSE);
    if (prio < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "invalid priority '%s' in %s '%s': expected 1 to 4", prio_text, what, item);
        return -1;
    }
    *rest = colon + 1;
    return prio;
}

static GPtrArray *
parse_filters(const char *text)
{
    g_auto(GStrv) items = split_items(text);
    g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func(filter_free);

    for (char **p = items; *p; p++) {
        const char *item = *p;
        /* libvirt's '+' asks for stack traces; we accept and ignore it */
        const char *body = item[0] == '+' ? item + 1 : item;
        const char *match;
        int prio = split_priority(item, body, "log filter", "MATCH", &match);

        if (prio < 0)
            return NULL;
        VkLogFilter *f = g_new0(VkLogFilter, 1);
        f->priority = prio;
        f->match = g_strdup(match);
        f->glob = strpbrk(f->match, "*?") != NULL;
        g_ptr_array_add(filters, f);
    }
    return g_steal_pointer(&filters);
}

int
vk_log_set_filters(const char *filters)
{
    GPtrArray *parsed = NULL;

    if (filters && *filters) {
        parsed = parse_filters(filters);
        if (!parsed)
            return -1;
        if (parsed->len == 0)
            g_clear_pointer(&parsed, g_ptr_array_unref);
    }
    g_mutex_lock(&log_lock);
    GPtrArray *old = log_filters;
    log_filters = parsed;
    update_floor_locked();
    g_mutex_unlock(&log_lock);
    if (old)
        g_ptr_array_unref(old);
    return 0;
}

static VkLogOutput *
parse_output(const char *item)
{
    g_autofree char *dest = NULL;
    const char *arg = NULL;
    const char *rest;
    int prio = split_priority(item, item, "log output", "DESTINATION", &rest);

    if (prio < 0)
        return NULL;
    const char *colon2 = strchr(rest, ':');
    dest = colon2 ? g_strndup(rest, colon2 - rest) : g_strdup(rest);
    if (colon2)
        arg = colon2 + 1;

    g_autofree VkLogOutput *out = g_new0(VkLogOutput, 1);
    out->priority = prio;
    out->fd = -1;
    if (g_str_equal(dest, "stderr") && !arg) {
        out->dest = VK_LOG_TO_STDERR;
    } else if (g_str_equal(dest, "journald") && !arg) {
        out->dest = VK_LOG_TO_JOURNALD;
    } else if (g_str_equal(dest, "file") && arg && *arg) {
        if (!g_path_is_absolute(arg)) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                            "log output '%s': file path '%s' must be absolute", item, arg);
            return NULL;
        }
        out->dest = VK_LOG_TO_FILE;
        out->path = g_strdup(arg);
        out->fd = open(arg, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (out->fd < 0) {
            vk_error_report_errno(VIR_FROM_NONE, errno, "cannot open log file '%s'", arg);
            g_free(out->path);
            return NULL;
        }
    } else if (g_str_equal(dest, "syslog") && arg && *arg) {
        out->dest = VK_LOG_TO_SYSLOG;
        out->path = g_strdup(arg);
    } else {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "unknown log output '%s': expected stderr, journald, file:PATH or syslog:NAME",
                        item);
        return NULL;
    }
    return g_steal_pointer(&out);
}

int
vk_log_set_outputs(const char *outputs)
{
    g_autoptr(GPtrArray) parsed = NULL;
    const char *ident = NULL;

    if (outputs && *outputs) {
        g_auto(GStrv) items = split_items(outputs);
        parsed = g_ptr_array_new_with_free_func(output_free);
        for (char **p = items; *p; p++) {
            VkLogOutput *o = parse_output(*p);
            if (!o)
                return -1;
            if (o->dest == VK_LOG_TO_SYSLOG)
                ident = o->path;
            g_ptr_array_add(parsed, o);
        }
        if (parsed->len == 0)
            g_clear_pointer(&parsed, g_ptr_array_unref);
    }

    g_mutex_lock(&log_lock);
    GPtrArray *old = log_outputs;
    log_outputs = g_steal_pointer(&parsed);
    if (ident) {
        /* openlog() keeps the pointer, so keep our own copy alive */
        char *old_ident = syslog_ident;
        syslog_ident = g_strdup(ident);
        openlog(syslog_ident, LOG_PID, LOG_DAEMON);
        g_free(old_ident);
    }
    update_floor_locked();
    g_mutex_unlock(&log_lock);
    if (old)
        g_ptr_array_unref(old);
    return 0;
}

int
vk_log_set_from_env(void)
{
    const char *level = g_getenv("LIBVIRT_DEBUG");
    const char *filters = g_getenv("LIBVIRT_LOG_FILTERS");
    const char *outputs = g_getenv("LIBVIRT_LOG_OUTPUTS");

    if (level && *level) {
        int prio = parse_priority(level, TRUE);
        if (prio < 0) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                            "LIBVIRT_DEBUG='%s': expected 1 to 4 or debug/info/warning/error",
                            level);
            return -1;
        }
        vk_log_set_level(prio);
    }
    if (filters && *filters && vk_log_set_filters(filters) < 0)
        return -1;
    if (outputs && *outputs && vk_log_set_outputs(outputs) < 0)
        return -1;
    return 0;
}

void
vk_log_reset(void)
{
    g_mutex_lock(&log_lock);
    GPtrArray *old_filters = g_steal_pointer(&log_filters);
    GPtrArray *old_outputs = g_steal_pointer(&log_outputs);
    default_priority = VK_LOG_DEFAULT_PRIORITY;
    update_floor_locked();
    g_mutex_unlock(&log_lock);
    if (old_filters)
        g_ptr_array_unref(old_filters);
    if (old_outputs)
        g_ptr_array_unref(old_outputs);
}

int
vk_log_get_level(void)
{
    int level;

    g_mutex_lock(&log_lock);
    level = default_priority;
    g_mutex_unlock(&log_lock);
    return level;
}

char *
vk_log_get_filters(void)
{
    GString *s = g_string_new(NULL);

    g_mutex_lock(&log_lock);
    for (guint i = 0; log_filters && i < log_filters->len; i++) {
        VkLogFilter *f = g_ptr_array_index(log_filters, i);
        g_string_append_printf(s, "%s%d:%s", i ? " " : "", f->priority, f->match);
    }
    g_mutex_unlock(&log_lock);
    return g_string_free(s, FALSE);
}

char *
vk_log_get_outputs(void)
{
    GString *s = g_string_new(NULL);

    g_mutex_lock(&log_lock);
    if (!log_outputs) {
        g_string_append_printf(s, "%d:%s", VK_LOG_DEBUG, dest_names[default_dest()]);
    } else {
        for (guint i = 0; i < log_outputs->len; i++) {
            VkLogOutput *o = g_ptr_array_index(log_outputs, i);
            g_string_append_printf(s, "%s%d:%s", i ? " " : "", o->priority, dest_names[o->dest]);
            if (o->path)
                g_string_append_printf(s, ":%s", o->path);
        }
    }
    g_mutex_unlock(&log_lock);
    return g_string_free(s, FALSE);
}

/* Full write or give up: logging must never fail the caller. */
static void
write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        buf += n;
        len -= (size_t) n;
    }
}

typedef struct {
    const char *module;
    const char *message;
    const char *file;
    const char *line;
    const char *func;
    int priority;
} VkLogRecord;

/* "2024-05-01 10:00:00.123+0000: 1234: debug : rpc.server : func:12 : text\n" */
static char *
format_line(const VkLogRecord *rec)
{
    gint64 now = g_get_real_time();
    time_t secs = (time_t) (now / G_USEC_PER_SEC);
    struct tm tm;
    char stamp[32];

    gmtime_r(&secs, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    if (rec->func)
        return g_strdup_printf("%s.%03d+0000: %ld: %s : %s : %s:%s : %s\n", stamp,
                               (int) ((now % G_USEC_PER_SEC) / 1000), (long) syscall(SYS_gettid),
                               priority_names[rec->priority], rec->module, rec->func,
                               rec->line ? rec->line : "0", rec->message);
    return g_strdup_printf("%s.%03d+0000: %ld: %s : %s : %s\n", stamp,
                           (int) ((now % G_USEC_PER_SEC) / 1000), (long) syscall(SYS_gettid),
                           priority_names[rec->priority], rec->module, rec->message);
}

/* GLib speaks the journal's native protocol itself (no libsystemd needed). */
static void
write_journal(const VkLogRecord *rec)
{
    g_autofree char *priority = g_strdup_printf("%d", syslog_priority(rec->priority));
    const GLogField fields[] = {
        { "MESSAGE", rec->message, -1 },
        { "PRIORITY", priority, -1 },
        { "LIBVIRT_SOURCE", rec->module, -1 },
        { "CODE_FILE", rec->file ? rec->file : "", -1 },
        { "CODE_LINE", rec->line ? rec->line : "0", -1 },
        { "CODE_FUNC", rec->func ? rec->func : "", -1 },
    };

    g_log_writer_journald(G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS(fields), NULL);
}

static void
emit(VkLogDest dest, int fd, const VkLogRecord *rec, const char *line)
{
    switch (dest) {
    case VK_LOG_TO_STDERR:
        write_all(STDERR_FILENO, line, strlen(line));
        break;
    case VK_LOG_TO_FILE:
        write_all(fd, line, strlen(line));
        break;
    case VK_LOG_TO_JOURNALD:
        write_journal(rec);
        break;
    case VK_LOG_TO_SYSLOG:
        syslog(syslog_priority(rec->priority), "%s : %s", rec->module, rec->message);
        break;
    }
}

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
    VkLogRecord rec = { .module = "", .message = "" };
    g_autofree char *owned_message = NULL;
    g_autofree char *line = NULL;

    for (gsize i = 0; i < n_fields; i++) {
        const GLogField *f = &fields[i];
        const char *value = f->value;

        if (g_str_equal(f->key, "MESSAGE")) {
            if (f->length >= 0)
                value = owned_message = g_strndup(f->value, f->length);
            rec.message = value;
        } else if (f->length < 0) {
            if (g_str_equal(f->key, "GLIB_DOMAIN"))
                rec.module = value;
            else if (g_str_equal(f->key, "CODE_FILE"))
                rec.file = value;
            else if (g_str_equal(f->key, "CODE_LINE"))
                rec.line = value;
            else if (g_str_equal(f->key, "CODE_FUNC"))
                rec.func = value;
        }
    }
    rec.priority = vk_log_priority_from_glib(level);

    g_mutex_lock(&log_lock);
    if (!enabled_locked(rec.module, rec.priority))
        goto out;
    line = format_line(&rec);
    if (!log_outputs) {
        emit(default_dest(), -1, &rec, line);
    } else {
        for (guint i = 0; i < log_outputs->len; i++) {
            VkLogOutput *o = g_ptr_array_index(log_outputs, i);
            if (rec.priority >= o->priority)
                emit(o->dest, o->fd, &rec, line);
        }
    }
 out:
    g_mutex_unlock(&log_lock);
    return G_LOG_WRITER_HANDLED;
}

void
vk_log_init(void)
{
    static gsize once;

    if (g_once_init_enter(&once)) {
        g_log_set_writer_func(log_writer, NULL, NULL);
        g_once_init_leave(&once, 1);
    }
}
