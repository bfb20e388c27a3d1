/* The state of one run of the virtkit tool and what every command uses:
 * the connection, printing, and virsh's way of reporting errors. */
#pragma once

#include <stdbool.h>

#include "tools/command.h"
#include "virtkit/virtkit.h"

struct _VkshControl {
    virConnectPtr conn;     /* NULL until a command needs it */
    char *uri;              /* -c URI, or NULL for the default */
    bool readonly;          /* -r */
    bool quiet;             /* -q: no table headers, no blank lines */
    bool interactive;
    bool quit;              /* set by quit / exit */
};

/* Open the connection if it is not yet open: false after printing virsh's
 * "failed to connect to the hypervisor" and the reason. */
bool vksh_connect(VkshControl *ctl);
void vksh_disconnect(VkshControl *ctl);

/* Informational text ("Domain 'x' started"): left out with -q, as virsh's
 * vshPrintExtra. */
void vksh_print_extra(VkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* "error: MESSAGE" on stderr. */
void vksh_error(VkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* TEXT as a whole decimal number that fits an int (virsh's test of an id
 * or an <number> option). */
bool vksh_parse_int(const char *text, int *value);

/* TEXT, a string an API call returned (NULL: it failed), printed (then a
 * newline with NEWLINE) and freed: whether there was one. */
bool vksh_print_result(char *text, bool newline);

/* BYTES for people as virsh shows them: the value and its unit ("B",
 * "KiB" ... "EiB"), for "%.2lf %s". */
double vksh_pretty_capacity(unsigned long long bytes, const char **unit);
/* TEXT as a size in bytes, a whole number with libvirt's optional scale
 * suffix ("10M", "1GiB", "5KB").  When the number is fine but the suffix
 * or the size is not, *WHY gets libvirt's error for it (g_free). */
bool vksh_parse_size(const char *text, unsigned long long *bytes, char **why);

/* False after printing virsh's "Options --A and --B are mutually
 * exclusive" when the command has both. */
bool vksh_exclusive(VkshControl *ctl, const VkshCmd *cmd, const char *a, const char *b);

/* Ways a command may name its domain or network (virsh tries them in this
 * order). */
typedef enum {
    VKSH_BY_ID = 1 << 0,
    VKSH_BY_UUID = 1 << 1,
    VKSH_BY_NAME = 1 << 2,
    VKSH_BY_ALL = VKSH_BY_ID | VKSH_BY_UUID | VKSH_BY_NAME,
} VkshLookupFlags;

/* As virsh, keep a copy of each error the API reports (the next call
 * resets the API's own record): install once, before any call. */
void vksh_errors_init(void);
/* Print the kept error (or the API's last one), if there is one, and forget
 * it. */
void vksh_report_last_error(VkshControl *ctl);
/* Forget the kept error (an expected failure the command handled). */
void vksh_reset_error(void);
/* Code of the kept error, VIR_ERR_OK when none. */
int vksh_last_error_code(void);

/* Run one parsed command: connect when it needs to, call its handler,
 * report a failure.  True on success. */
bool vksh_run(VkshControl *ctl, const VkshCmd *cmd);
