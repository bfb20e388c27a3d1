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

/* "error: MESSAGE" on stderr. */
void vksh_error(VkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Print the API's last error, if there is one, and reset it. */
void vksh_report_last_error(VkshControl *ctl);

/* Run one parsed command: connect when it needs to, call its handler,
 * report a failure.  True on success. */
bool vksh_run(VkshControl *ctl, const VkshCmd *cmd);
