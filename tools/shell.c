#include "tools/shell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
vksh_print_extra(VkshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void
vksh_error(VkshControl *ctl, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* keep the order of output and errors on a terminal */
    fflush(stdout);
    fprintf(stderr, "error: %s\n", msg);
}

bool
vksh_parse_int(const char *text, int *value)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < G_MININT || v > G_MAXINT)
        return false;
    *value = (int) v;
    return true;
}

bool
vksh_exclusive(VkshControl *ctl, const VkshCmd *cmd, const char *a, const char *b)
{
    if (vksh_cmd_opt_bool(cmd, a) && vksh_cmd_opt_bool(cmd, b)) {
        vksh_error(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

/* The copy of the last reported error: the tool runs commands one at a
 * time on one thread. */
static virErrorPtr saved_error;

static void
save_error(void *opaque, virErrorPtr err)
{
    virErrorPtr copy;

    if (!err)
        return;
    copy = virSaveLastError();
    if (saved_error)
        virFreeError(saved_error);
    saved_error = copy;
}

void
vksh_errors_init(void)
{
    virSetErrorFunc(NULL, save_error);
}

void
vksh_reset_error(void)
{
    if (saved_error) {
        virFreeError(saved_error);
        saved_error = NULL;
    }
    virResetLastError();
}

int
vksh_last_error_code(void)
{
    if (saved_error)
        return saved_error->code;
    return virGetLastErrorCode();
}

void
vksh_report_last_error(VkshControl *ctl)
{
    virErrorPtr err = saved_error ? saved_error : virGetLastError();

    if (err && err->code != VIR_ERR_OK)
        vksh_error(ctl, "%s", err->message ? err->message : "unknown error");
    vksh_reset_error();
}

bool
vksh_connect(VkshControl *ctl)
{
    if (ctl->conn)
        return true;
    ctl->conn = ctl->readonly ? virConnectOpenReadOnly(ctl->uri) : virConnectOpen(ctl->uri);
    if (!ctl->conn) {
        vksh_error(ctl, "%s", "failed to connect to the hypervisor");
        vksh_report_last_error(ctl);
        return false;
    }
    return true;
}

void
vksh_disconnect(VkshControl *ctl)
{
    if (ctl->conn) {
        virConnectClose(ctl->conn);
        ctl->conn = NULL;
    }
}

bool
vksh_run(VkshControl *ctl, const VkshCmd *cmd)
{
    bool ok;

    if (!(cmd->def->flags & VKSH_CMD_NOCONNECT) && !vksh_connect(ctl))
        return false;
    vksh_reset_error();
    ok = cmd->def->handler(ctl, cmd);
    if (!ok)
        vksh_report_last_error(ctl);
    if (!ctl->quiet)
        printf("\n");
    fflush(stdout);
    return ok;
}

double
vksh_pretty_capacity(unsigned long long bytes, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double value = bytes;
    gsize i = 0;

    while (value >= 1024 && i + 1 < G_N_ELEMENTS(units)) {
        value /= 1024;
        i++;
    }
    *unit = units[i];
    return value;
}

/* The factor of a size's SUFFIX as libvirt reads it: "k", "KiB" (1024),
 * "KB" (1000), up to "E"; none or "b": 1.  0 when it is none of those. */
static unsigned long long
size_scale(const char *suffix)
{
    static const char order[] = "bkmgtpe";
    const char *pos;
    unsigned long long base, scale = 1;

    if (!*suffix)
        return 1;
    if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0)
        base = 1024;
    else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2])
        base = 1000;
    else
        return 0;
    if (!(pos = strchr(order, g_ascii_tolower(*suffix))))
        return 0;
    for (long i = 0; i < pos - order; i++)
        scale *= base;
    return scale;
}

bool
vksh_parse_size(const char *text, unsigned long long *bytes, char **why)
{
    unsigned long long value, scale;
    char *end;

    *why = NULL;
    errno = 0;
    if (!g_ascii_isdigit(*text))
        return false;
    value = g_ascii_strtoull(text, &end, 10);
    if (errno)
        return false;
    if (!(scale = size_scale(end))) {
        *why = g_strdup_printf("invalid argument: unknown suffix '%s'", end);
        return false;
    }
    if (value > G_MAXUINT64 / scale) {
        *why = g_strdup_printf("value too large: %s", text);
        return false;
    }
    *bytes = value * scale;
    return true;
}

bool
vksh_print_result(char *text, bool newline)
{
    if (!text)
        return false;
    printf(newline ? "%s\n" : "%s", text);
    free(text);
    return true;
}
