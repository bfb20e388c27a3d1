/* virStorageVolUpload and virStorageVolDownload: the volume's file or
 * device carried over a stream of the call (common/rpc's file streams).
 * The volume is held while the transfer runs (no delete, wipe or resize),
 * let go before the client hears the end, and its sizes are read again
 * when an upload ends, whether it finished or was cut short: libvirt keeps
 * what arrived, and so do we. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/rpc/server-file-stream.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/storage/backends/backend.h"
#include "drivers/storage/core/pool-lookup.h"
#include "drivers/storage/driver.h"
#include "drivers/storage/handlers/handlers.h"
#include "remote-protocol.h"

#define SPARSE_STREAM (1 << 0)   /* VIR_STORAGE_VOL_{UP,DOWN}LOAD_SPARSE_STREAM */

typedef struct {
    VkStoragePoolObj *pool;   /* a reference */
    char *volume;
    bool upload;
} Transfer;

static void
transfer_free(Transfer *t)
{
    vk_storage_pool_obj_unref(t->pool);
    g_free(t->volume);
    g_free(t);
}

/* Off the main loop (a pool may be locked for long by a volume's creation):
 * an uploaded volume's sizes are read again. */
static gpointer
refresh_thread(gpointer data)
{
    Transfer *t = data;
    VkStoragePoolObj *obj = t->pool;
    VkStorageVolDef *vol;
    const VkStorageBackend *backend;

    vk_storage_pool_obj_lock(obj);
    vol = vk_storage_pool_obj_find_volume(obj, t->volume);
    backend = vk_storage_backend_for(obj->def->type);
    if (vol && backend && backend->vol_refresh(obj->def, vol) < 0)
        g_warning("volume '%s': its sizes were not read again: %s", t->volume,
                  vk_error_last_message());
    vk_error_reset();
    vk_storage_pool_obj_unlock(obj);
    transfer_free(t);
    return NULL;
}

/* In the main loop, before the client hears the transfer is over: the
 * volume is let go at once, so the client's next call finds it free. */
static void
transfer_finished(bool ok, gpointer data)
{
    Transfer *t = data;

    vk_storage_pool_obj_release_volume(t->pool, t->volume);
    if (t->upload)
        g_thread_unref(g_thread_new("vol-refresh", refresh_thread, t));
    else
        transfer_free(t);
}

/* Open the volume REF for a transfer in DIR and start the stream. */
static int
open_transfer(VkServerClient *client, const remote_nonnull_storage_vol *ref,
              VkStreamDirection dir, guint64 offset, guint64 length, bool sparse)
{
    VkStorageVolDef *vol;
    VkStoragePoolObj *obj = vk_storage_vol_begin(ref, &vol);
    g_autoptr(VkServerStream) stream = NULL;
    Transfer *t;
    int fd;

    if (!obj)
        return -1;
    if (dir == VK_STREAM_UPLOAD && vk_storage_vol_check_idle(obj, vol) < 0)
        return vk_object_release(&obj->parent, -1);
    if ((fd = open(vol->target_path, (dir == VK_STREAM_UPLOAD ? O_WRONLY : O_RDONLY) | O_CLOEXEC)) < 0) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_SYSTEM_ERROR, "Unable to open '%s': %s",
                        vol->target_path, g_strerror(errno));
        return vk_object_release(&obj->parent, -1);
    }
    if (!(stream = vk_server_stream_open_file(client, fd, dir, offset, length, sparse)))
        return vk_object_release(&obj->parent, -1);
    t = g_new0(Transfer, 1);
    t->pool = vk_object_ref(&obj->parent);
    t->volume = g_strdup(vol->name);
    t->upload = dir == VK_STREAM_UPLOAD;
    vk_storage_pool_obj_hold_volume(obj, vol->name);
    vk_server_stream_on_finish(stream, transfer_finished, t);
    return vk_object_release(&obj->parent, 0);
}

static int
vol_upload(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_upload_args *args = argsp;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, SPARSE_STREAM, "storageVolUpload") < 0)
        return -1;
    return open_transfer(client, &args->vol, VK_STREAM_UPLOAD, args->offset, args->length,
                         args->flags & SPARSE_STREAM);
}

static int
vol_download(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_vol_download_args *args = argsp;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, SPARSE_STREAM, "storageVolDownload") < 0)
        return -1;
    return open_transfer(client, &args->vol, VK_STREAM_DOWNLOAD, args->offset, args->length,
                         args->flags & SPARSE_STREAM);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_STORAGE_VOL_UPLOAD, vol_upload },
    { REMOTE_PROC_STORAGE_VOL_DOWNLOAD, vol_download },
};

void
vk_storage_stream_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
