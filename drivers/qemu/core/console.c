/* Consoles: the ptys QEMU opens for <serial type='pty'> and friends, their
 * paths in the live definition, and the sessions of virsh console on them
 * (console.h). */
#include "drivers/qemu/core/console.h"

#include <string.h>
#include <unistd.h>

#include "common/rpc/server-stream.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/process.h"

bool
vk_qemu_console_is_pty(const VkDomainChrDef *chr)
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

        if (!vk_qemu_console_is_pty(chr) || vk_domain_chr_is_serial_console(chr) || !chr->info.alias)
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
        if (vk_domain_chr_is_serial_console(con) && vk_qemu_console_is_pty(con) && serial->src_path) {
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

int
vk_qemu_console_start_session(VkServerClient *client, const char *path, int fd, bool force)
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
