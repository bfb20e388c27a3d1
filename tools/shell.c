#include "tools/shell.h"

#include <stdarg.h>
#include <stdio.h>

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

void
vksh_report_last_error(VkshControl *ctl)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        return;
    vksh_error(ctl, "%s", err->message ? err->message : "unknown error");
    virResetLastError();
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
    ok = cmd->def->handler(ctl, cmd);
    if (!ok)
        vksh_report_last_error(ctl);
    if (!ctl->quiet)
        printf("\n");
    fflush(stdout);
    return ok;
}
