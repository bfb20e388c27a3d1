/* Procedures: save, restore, managedsave, managedsave-remove,
 * managedsave-dumpxml/-define, save-image-dumpxml/-define.  What clients
 * see (events, states, errors) follows libvirt 9.0. */
#include "drivers/qemu/save-handlers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/conf/domain-xml.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/domain-change.h"
#include "drivers/qemu/domain-lifecycle.h"
#include "drivers/qemu/domain-lookup.h"
#include "drivers/qemu/domain-prepare.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/events.h"
#include "drivers/qemu/process.h"
#include "drivers/qemu/save-image.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* QEMU's name for the image's fd (getfd), used in the "fd:" URIs. */
#define MIGRATION_FD_NAME "migrate"
#define MIGRATION_POLL_US (20 * 1000)
/* libvirt lifts the bandwidth limit for a save: as fast as the disk goes */
#define MIGRATION_MAX_BANDWIDTH ((G_MAXINT64 / (1024 * 1024)) * 1024 * 1024)

static void
emit(VkDomainObj *obj, int event, int detail)
{
    vk_qemu_event_lifecycle(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                            obj->def->id, event, detail);
}

/* ---------------------------------------------------------------------
 * QEMU's side: the migration stream to and from the image's fd
 * ------------------------------------------------------------------- */

/* Give QEMU its own copy of FD under MIGRATION_FD_NAME. */
static int
pass_fd(VkDomainObj *obj, int fd)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    g_autoptr(VkJson) args = vk_json_new_object();
    int rc;

    if (!mon)
        return -1;
    vk_json_object_set_string(args, "fdname", MIGRATION_FD_NAME);
    /* the job keeps the monitor alive while the lock is dropped */
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute_with_fd(mon, "getfd", args, fd, NULL, NULL);
    vk_domain_obj_lock(obj);
    return rc;
}

/* Run COMMAND with {"uri": "fd:migrate"}. */
static int
migrate_command(VkDomainObj *obj, const char *command)
{
    g_autoptr(VkJson) args = vk_json_new_object();

    vk_json_object_set_string(args, "uri", "fd:" MIGRATION_FD_NAME);
    return vk_qemu_process_monitor_query(obj, command, args, NULL);
}

/* Wait until the migration (out to the image or in from it) has ended. */
static int
wait_migration(VkDomainObj *obj, const char *job)
{
    for (;;) {
        g_autoptr(VkJson) reply = NULL;
        const char *status;

        if (vk_qemu_process_monitor_query(obj, "query-migrate", NULL, &reply) < 0)
            return -1;
        status = vk_json_object_get_string(reply, "status", "");
        if (g_str_equal(status, "completed"))
            return 0;
        if (g_str_equal(status, "failed") || g_str_equal(status, "cancelled")) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "job '%s' failed: %s", job,
                            vk_json_object_get_string(reply, "error-desc", status));
            return -1;
        }
        vk_domain_obj_unlock(obj);
        g_usleep(MIGRATION_POLL_US);
        vk_domain_obj_lock(obj);
    }
}

/* QEMU writes the guest's state to FD (positioned after the header). */
static int
migrate_to_fd(VkDomainObj *obj, int fd)
{
    g_autoptr(VkJson) params = vk_json_new_object();

    vk_json_object_set_int(params, "max-bandwidth", MIGRATION_MAX_BANDWIDTH);
    if (pass_fd(obj, fd) < 0 ||
        vk_qemu_process_monitor_query(obj, "migrate-set-parameters", params, NULL) < 0 ||
        migrate_command(obj, "migrate") < 0)
        return -1;
    return wait_migration(obj, "save");
}

/* ---------------------------------------------------------------------
 * Definitions in images
 * ------------------------------------------------------------------- */

/* DXML may replace the image's definition IMAGE_DEF only for the same
 * guest: same UUID and name (libvirt checks the whole ABI; we check who). */
static VkDomainDef *
replacement_def(const VkDomainDef *image_def, const char *dxml)
{
    g_autoptr(VkDomainDef) def = vk_qemu_domain_prepare(dxml);
    char src[37], dst[37];

    if (!def)
        return NULL;
    if (memcmp(def->uuid, image_def->uuid, VK_UUID_LEN) != 0) {
        vk_domain_uuid_format(def->uuid, dst);
        vk_domain_uuid_format(image_def->uuid, src);
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                        "Target domain uuid %s does not match source %s", dst, src);
        return NULL;
    }
    if (g_strcmp0(def->name, image_def->name) != 0) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                        "Target domain name '%s' does not match source '%s'", def->name,
                        image_def->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* The definition to run from IMG: its own, or DXML (may be NULL) instead. */
static VkDomainDef *
image_def(const VkSaveImage *img, const char *dxml)
{
    g_autoptr(VkDomainDef) def = vk_qemu_domain_prepare(img->xml);

    if (!def || !dxml)
        return g_steal_pointer(&def);
    return replacement_def(def, dxml);
}

/* The XML a save image of the running OBJ holds: its live definition as
 * a config (no ids, no aliases), or DXML (may be NULL) for the same guest. */
static char *
saved_xml(VkDomainObj *obj, const char *dxml)
{
    g_autoptr(VkDomainDef) def = NULL;

    if (!dxml)
        return vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE);
    if (!(def = replacement_def(obj->def, dxml)))
        return NULL;
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE);
}

/* ---------------------------------------------------------------------
 * Save
 * ------------------------------------------------------------------- */

/* Whether the guest runs after a restore: as saved unless FLAGS say. */
static bool
run_after(bool was_running, unsigned int flags)
{
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        return true;
    if (flags & VIR_DOMAIN_SAVE_PAUSED)
        return false;
    return was_running;
}

/* The save went wrong after the vCPUs stopped: let the guest go on. */
static void
cancel_save(VkDomainObj *obj)
{
    g_autoptr(VkError) err = vk_error_steal();

    if (vk_qemu_process_monitor_command(obj, "cont", NULL) == 0) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_SAVE_CANCELED);
        emit(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    vk_error_set(g_steal_pointer(&err));
}

/* Write the image: header and XML, then QEMU's stream, then the magic
 * that says it is complete.  A failed attempt leaves no file. */
static int
write_image(VkDomainObj *obj, const char *path, const char *xml, bool was_running)
{
    int fd = vk_save_image_create(path, xml, was_running);
    int rc;

    if (fd < 0)
        return -1;
    rc = migrate_to_fd(obj, fd);
    close(fd);
    if (rc == 0)
        rc = vk_save_image_finish(path);
    if (rc < 0)
        g_unlink(path);
    return rc;
}

/* Save the running OBJ (locked, with the job) to PATH and stop it, as
 * libvirt does: pause, stream, then the guest is shut off (saved). */
static int
save_domain(VkDomainObj *obj, const char *path, const char *dxml, unsigned int flags)
{
    g_autofree char *xml = NULL;
    bool running;

    if (!vk_qemu_process_monitor(obj) || !(xml = saved_xml(obj, dxml)))
        return -1;
    running = obj->state == VK_DOMAIN_RUNNING;
    if (running) {
        if (vk_qemu_process_monitor_command(obj, "stop", NULL) < 0)
            return -1;
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_SAVE);
        emit(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    if (write_image(obj, path, xml, run_after(running, flags)) < 0) {
        if (running)
            cancel_save(obj);
        return -1;
    }
    emit(obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    vk_qemu_process_stop(obj, VK_SHUTOFF_SAVED);
    if (!obj->persistent)
        vk_domain_list_remove(vk_qemu_driver()->domains, obj);
    return 0;
}

static int
save(const remote_nonnull_domain *ref, const char *path, const char *dxml, unsigned int flags)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, save_domain(obj, path, dxml, flags));
}

static int
domain_save(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_args *args = argsp;

    return save(&args->dom, args->to, NULL, 0);
}

static int
domain_save_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_flags_args *args = argsp;

    return save(&args->dom, args->to, args->dxml ? *args->dxml : NULL, args->flags);
}

/* ---------------------------------------------------------------------
 * Restore
 * ------------------------------------------------------------------- */

typedef struct {
    int fd;              /* the image, at its migration stream */
    bool run;            /* resume once loaded */
    bool paused_flag;    /* the client asked for a paused guest */
} VkRestore;

/* The guest is loaded: run it or say why it is paused. */
static int
finish_restore(VkDomainObj *obj, const VkRestore *r)
{
    emit(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    if (r->run) {
        if (vk_qemu_process_monitor_command(obj, "cont", NULL) < 0)
            return -1;
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_RESTORED);
        /* libvirt 9.0 reports a restored guest's resume as "from snapshot" */
        emit(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    } else {
        emit(obj, VIR_DOMAIN_EVENT_SUSPENDED,
             r->paused_flag ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED : VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
    }
    return vk_qemu_process_save_status(obj);
}

/* A VkQemuStartFunc: QEMU comes up waiting for its state, which it reads
 * from the image. */
static int
restore_start(VkDomainObj *obj, gpointer data)
{
    const VkRestore *r = data;

    if (vk_qemu_process_start_incoming(obj) < 0)
        return -1;
    if (pass_fd(obj, r->fd) < 0 || migrate_command(obj, "migrate-incoming") < 0 ||
        wait_migration(obj, "restore") < 0 || finish_restore(obj, r) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_qemu_process_stop(obj, VK_SHUTOFF_FAILED);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    return 0;
}

static void
restore_init(VkRestore *r, int fd, const VkSaveImage *img, unsigned int flags)
{
    r->fd = fd;
    r->run = run_after(img->was_running, flags);
    r->paused_flag = flags & VIR_DOMAIN_SAVE_PAUSED;
}

static int
restore(const char *path, const char *dxml, unsigned int flags)
{
    g_autoptr(VkSaveImage) img = NULL;
    VkDomainDef *def;
    VkRestore r;
    int fd = -1;
    int rc;

    if (!(img = vk_save_image_read(path, &fd)))
        return -1;
    if (!(def = image_def(img, dxml))) {
        close(fd);
        return -1;
    }
    restore_init(&r, fd, img, flags);
    rc = vk_qemu_domain_run_def(def, restore_start, &r, NULL);
    close(fd);
    return rc;
}

static int
domain_restore(VkServerClient *client, void *argsp, void *retp)
{
    return restore(((remote_domain_restore_args *) argsp)->from, NULL, 0);
}

static int
domain_restore_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_restore_flags_args *args = argsp;

    return restore(args->from, args->dxml ? *args->dxml : NULL, args->flags);
}

/* ---------------------------------------------------------------------
 * Managed save: libvirt's image per persistent guest, used by the next
 * start
 * ------------------------------------------------------------------- */

char *
vk_qemu_managed_save_path(const char *name)
{
    g_autofree char *dir = vk_paths_prefix(vk_qemu_driver()->paths, "/var/lib/libvirt/qemu/save");
    g_autofree char *file = g_strconcat(name, ".save", NULL);

    return g_build_filename(dir, file, NULL);
}

bool
vk_qemu_has_managed_save(VkDomainObj *obj)
{
    g_autofree char *path = vk_qemu_managed_save_path(obj->def->name);

    return obj->persistent && g_file_test(path, G_FILE_TEST_EXISTS);
}

int
vk_qemu_managed_save_start(VkDomainObj *obj, bool paused)
{
    g_autofree char *path = vk_qemu_managed_save_path(obj->def->name);
    g_autoptr(VkSaveImage) img = NULL;
    VkDomainDef *def;
    VkRestore r;
    int fd = -1;
    int rc;

    if (vk_domain_obj_is_active(obj) || !vk_qemu_has_managed_save(obj))
        return 1;
    if (!(img = vk_save_image_read(path, &fd)))
        return -1;
    if (!(def = image_def(img, NULL))) {
        close(fd);
        return -1;
    }
    restore_init(&r, fd, img, paused ? VIR_DOMAIN_SAVE_PAUSED : 0);
    rc = vk_qemu_domain_start_with_def(obj, def, restore_start, &r);
    close(fd);
    /* the image has served: libvirt removes it once the guest is back */
    if (rc == 0 && g_unlink(path) < 0)
        g_warning("cannot remove the managed save image '%s': %s", path, g_strerror(errno));
    return rc;
}

static int
domain_managed_save(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->dom);
    g_autofree char *path = NULL;
    g_autofree char *dir = NULL;

    if (!obj)
        return -1;
    if (!vk_qemu_process_monitor(obj))
        return vk_qemu_domain_end(obj, -1);
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot do managed save for transient domain");
        return vk_qemu_domain_end(obj, -1);
    }
    path = vk_qemu_managed_save_path(obj->def->name);
    dir = g_path_get_dirname(path);
    if (vk_file_make_dirs(dir, 0755) < 0)
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, save_domain(obj, path, NULL, args->flags));
}

/* Remove OBJ's (locked) managed save image; none is fine. */
static int
remove_managed_save(VkDomainObj *obj)
{
    g_autofree char *path = vk_qemu_managed_save_path(obj->def->name);

    if (g_unlink(path) < 0 && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_QEMU, errno,
                              "Failed to remove managed save file '%s'", path);
        return -1;
    }
    return 0;
}

int
vk_qemu_managed_save_check_undefine(VkDomainObj *obj, bool remove)
{
    if (!vk_qemu_has_managed_save(obj))
        return 0;
    if (!remove) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "Refusing to undefine while domain managed save image exists");
        return -1;
    }
    return remove_managed_save(obj);
}

static int
domain_managed_save_remove(VkServerClient *client, void *argsp, void *retp)
{
    VkDomainObj *obj =
        vk_qemu_domain_begin(&((remote_domain_managed_save_remove_args *) argsp)->dom);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, remove_managed_save(obj));
}

/* ---------------------------------------------------------------------
 * The XML inside images
 * ------------------------------------------------------------------- */

/* The definition in the image at PATH, formatted as a config; its
 * passwords only when FLAGS have VIR_DOMAIN_SAVE_IMAGE_XML_SECURE. */
static char *
image_xml(const char *path, unsigned int flags)
{
    g_autoptr(VkSaveImage) img = vk_save_image_read(path, NULL);
    g_autoptr(VkDomainDef) def = NULL;

    if (!img || !(def = vk_domain_def_parse_string(img->xml, VK_DOMAIN_PARSE_INACTIVE)))
        return NULL;
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                         ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)
                                              ? VK_DOMAIN_FORMAT_SECURE : 0));
}

/* Replace the definition in the image at PATH with DXML (same guest). */
static int
define_image_xml(const char *path, const char *dxml)
{
    g_autoptr(VkSaveImage) img = vk_save_image_read(path, NULL);
    g_autoptr(VkDomainDef) old_def = NULL;
    g_autoptr(VkDomainDef) new_def = NULL;
    g_autofree char *xml = NULL;

    if (!img || !(old_def = vk_domain_def_parse_string(img->xml, VK_DOMAIN_PARSE_INACTIVE)) ||
        !(new_def = replacement_def(old_def, dxml)) ||
        !(xml = vk_domain_def_format(new_def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE)))
        return -1;
    return vk_save_image_update_xml(path, xml);
}

static int
reply_xml(char *xml, char **out)
{
    if (!xml)
        return -1;
    *out = strdup(xml);
    g_free(xml);
    return 0;
}

static int
domain_save_image_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_image_get_xml_desc_args *args = argsp;

    return reply_xml(image_xml(args->file, args->flags),
                     &((remote_domain_save_image_get_xml_desc_ret *) retp)->xml);
}

static int
domain_save_image_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_image_define_xml_args *args = argsp;

    return define_image_xml(args->file, args->dxml);
}

/* The path of the managed save image of the domain REF names, or NULL
 * with libvirt's error when it has none. */
static char *
managed_image_path(const remote_nonnull_domain *ref)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    char *path = NULL;

    if (!obj)
        return NULL;
    vk_domain_obj_lock(obj);
    if (vk_qemu_has_managed_save(obj))
        path = vk_qemu_managed_save_path(obj->def->name);
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "domain does not have managed save image");
    vk_domain_obj_unlock(obj);
    return path;
}

static int
domain_managed_save_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_get_xml_desc_args *args = argsp;
    g_autofree char *path = NULL;

    if (vk_qemu_check_secure(client, args->flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE,
                             "virDomainManagedSaveGetXMLDesc") < 0)
        return -1;
    path = managed_image_path(&args->dom);
    return path ? reply_xml(image_xml(path, args->flags),
                            &((remote_domain_managed_save_get_xml_desc_ret *) retp)->xml)
                : -1;
}

static int
domain_managed_save_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_define_xml_args *args = argsp;
    g_autofree char *path = managed_image_path(&args->dom);

    return path ? define_image_xml(path, args->dxml ? *args->dxml : "") : -1;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SAVE, domain_save },
    { REMOTE_PROC_DOMAIN_SAVE_FLAGS, domain_save_flags },
    { REMOTE_PROC_DOMAIN_RESTORE, domain_restore },
    { REMOTE_PROC_DOMAIN_RESTORE_FLAGS, domain_restore_flags },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE, domain_managed_save },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_REMOVE, domain_managed_save_remove },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_GET_XML_DESC, domain_managed_save_get_xml_desc },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_DEFINE_XML, domain_managed_save_define_xml },
    { REMOTE_PROC_DOMAIN_SAVE_IMAGE_GET_XML_DESC, domain_save_image_get_xml_desc },
    { REMOTE_PROC_DOMAIN_SAVE_IMAGE_DEFINE_XML, domain_save_image_define_xml },
};

void
vk_qemu_save_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
