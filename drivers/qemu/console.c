/* Consoles: the ptys QEMU opens for <serial type='pty'> and friends, their
 * paths in the live definition, and virsh console (DOMAIN_OPEN_CONSOLE),
 * a stream on the pty with one session per device at a time. */
#include "drivers/qemu/console.h"

#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/rpc/server-stream.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/domain-change.h"
#include "drivers/qemu/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/process.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static bool
is_pty(const VkDomainChrDef *chr)
{
    return chr->type == VK_CHR_TYPE_PTY;
}

/* ---------------------------------------------------------------------
 * Pty paths
 * ------------------------------------------------------------------- */

/* "/dev/pts/N" for chardev "char" + ALIAS in QUERY (query-chardev's
 * answer), or NULL. */
static const char *
pty_of(VkJson *query, const char *alias)
{
    g_autofree char *label = g_strdup_printf("char%s", alias);

    for (gsize i = 0; i < vk_json_array_length(query); i++) {
        VkJson *dev = vk_json_array_get(query, i);
        const char *file = vk_json_object_get_string(dev, "filename", "");
        if (g_strcmp0(vk_json_object_get_string(dev, "label", NULL), label) == 0 &&
            g_str_has_prefix(file, "pty:"))
            return file + strlen("pty:");
    }
    return NULL;
}

static void
fill_paths(GPtrArray *chrs, VkJson *query)
{
    for (guint i = 0; i < chrs->len; i++) {
        VkDomainChrDef *chr = g_ptr_array_index(chrs, i);
        const char *path;

        if (!is_pty(chr) || vk_domain_chr_is_serial_console(chr) || !chr->info.alias)
            continue;
        if ((path = pty_of(query, chr->info.alias))) {
            g_free(chr->src_path);
            chr->src_path = g_strdup(path);
        }
    }
}

int
vk_qemu_console_read_ptys(VkDomainObj *obj)
{
    VkDomainDef *def = obj->def;
    g_autoptr(VkJson) query = NULL;
    GPtrArray *lists[] = { def->serials, def->parallels, def->channels, def->consoles };

    if (vk_qemu_process_monitor_query(obj, "query-chardev", NULL, &query) < 0)
        return -1;
    for (gsize i = 0; i < G_N_ELEMENTS(lists); i++)
        fill_paths(lists[i], query);
    /* the serial console shows its serial port's pty */
    for (guint i = 0; i < def->consoles->len && def->serials->len > 0; i++) {
        VkDomainChrDef *con = g_ptr_array_index(def->consoles, i);
        const VkDomainChrDef *serial = g_ptr_array_index(def->serials, 0);
        if (vk_domain_chr_is_serial_console(con) && is_pty(con) && serial->src_path) {
            g_free(con->src_path);
            con->src_path = g_strdup(serial->src_path);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Sessions: one stream per pty
 * ------------------------------------------------------------------- */

struct _VkQemuConsoles {
    GMutex lock;
    GHashTable *by_path;   /* pty path -> VkServerStream* (a reference) */
};

VkQemuConsoles *
vk_qemu_consoles_new(void)
{
    VkQemuConsoles *consoles = g_new0(VkQemuConsoles, 1);

    g_mutex_init(&consoles->lock);
    consoles->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) vk_server_stream_unref);
    return consoles;
}

void
vk_qemu_consoles_free(VkQemuConsoles *consoles)
{
    if (!consoles)
        return;
    g_hash_table_destroy(consoles->by_path);
    g_mutex_clear(&consoles->lock);
    g_free(consoles);
}

typedef struct {
    VkQemuConsoles *consoles;
    char *path;
    VkServerStream *stream;   /* only compared */
} VkConsoleRelease;

static void
session_released(gpointer data)
{
    VkConsoleRelease *r = data;

    g_mutex_lock(&r->consoles->lock);
    if (g_hash_table_lookup(r->consoles->by_path, r->path) == r->stream)
        g_hash_table_remove(r->consoles->by_path, r->path);
    g_mutex_unlock(&r->consoles->lock);
    g_free(r->path);
    g_free(r);
}

/* A session on PATH for CLIENT through FD (taken), ending the one there
 * with FORCE; -1 with libvirt's error when one is there without FORCE. */
static int
start_session(VkServerClient *client, const char *path, int fd, bool force)
{
    VkQemuConsoles *consoles = vk_qemu_driver()->consoles;
    g_autoptr(VkServerStream) old = NULL;
    VkConsoleRelease *r;
    VkServerStream *stream;

    g_mutex_lock(&consoles->lock);
    if (g_hash_table_contains(consoles->by_path, path) && !force) {
        g_mutex_unlock(&consoles->lock);
        close(fd);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s",
                        "Active console session exists for this domain");
        return -1;
    }
    g_hash_table_steal_extended(consoles->by_path, path, NULL, (gpointer *) &old);
    stream = vk_server_stream_open(client, fd);
    r = g_new0(VkConsoleRelease, 1);
    r->consoles = consoles;
    r->path = g_strdup(path);
    r->stream = stream;
    vk_server_stream_on_release(stream, session_released, r);
    g_hash_table_insert(consoles->by_path, g_strdup(path), stream);   /* takes the reference */
    g_mutex_unlock(&consoles->lock);
    if (old)
        vk_server_stream_abort(old);
    return 0;
}

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
    else if (!is_pty(chr) || !chr->src_path) {
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
    return start_session(client, path, fd, args->flags & VIR_DOMAIN_CONSOLE_FORCE);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_OPEN_CONSOLE, domain_open_console },
};

void
vk_qemu_console_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
