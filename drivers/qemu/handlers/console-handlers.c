/* virsh console (DOMAIN_OPEN_CONSOLE): a stream on the guest's pty, one
 * session per device at a time (console.h keeps them). */
#include "drivers/qemu/handlers/handlers.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/console.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* The pty's slave side, raw: bytes pass as they are, as for libvirt. */
static int
open_pty(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct termios tio;

    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_STREAMS, errno, "Unable to open %s", path);
        return -1;
    }
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(fd, TCSANOW, &tio);
    }
    return fd;
}

/* ---------------------------------------------------------------------
 * DOMAIN_OPEN_CONSOLE
 * ------------------------------------------------------------------- */

static VkDomainChrDef *
find_by_alias(GPtrArray *chrs, const char *alias)
{
    for (guint i = 0; i < chrs->len; i++) {
        VkDomainChrDef *chr = g_ptr_array_index(chrs, i);
        if (g_strcmp0(chr->info.alias, alias) == 0)
            return chr;
    }
    return NULL;
}

/* As libvirt: by alias among consoles, serial and parallel ports; without
 * a name the first console, else the first serial port. */
static VkDomainChrDef *
find_console(VkDomainDef *def, const char *dev_name)
{
    VkDomainChrDef *chr = NULL;

    if (dev_name) {
        if (!(chr = find_by_alias(def->consoles, dev_name)) &&
            !(chr = find_by_alias(def->serials, dev_name)))
            chr = find_by_alias(def->parallels, dev_name);
    } else if (def->consoles->len > 0) {
        chr = g_ptr_array_index(def->consoles, 0);
    } else if (def->serials->len > 0) {
        chr = g_ptr_array_index(def->serials, 0);
    }
    if (!chr)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot find character device %s",
                        dev_name ? dev_name : "<null>");
    else if (!vk_qemu_console_is_pty(chr) || !chr->src_path) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "character device %s is not using a PTY",
                        dev_name ? dev_name : chr->info.alias ? chr->info.alias : "<null>");
        chr = NULL;
    }
    return chr;
}

static int
domain_open_console(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_open_console_args *args = argsp;
    const char *dev_name = args->dev_name ? *args->dev_name : NULL;
    VkDomainObj *obj;
    VkDomainChrDef *chr;
    g_autofree char *path = NULL;
    int fd;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags,
                       VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE,
                       "qemuDomainOpenConsole") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_domain_end(obj, vk_qemu_not_running());
    if (!(chr = find_console(obj->def, dev_name)))
        return vk_qemu_domain_end(obj, -1);
    path = g_strdup(chr->src_path);
    vk_qemu_domain_end(obj, 0);

    if ((fd = open_pty(path)) < 0)
        return -1;
    return vk_qemu_console_start_session(client, path, fd, args->flags & VIR_DOMAIN_CONSOLE_FORCE);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_OPEN_CONSOLE, domain_open_console },
};

void
vk_qemu_console_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
