/* Saving a guest to a libvirt save image and bringing it back
 * (save-restore.h): QEMU migrates to and from a file descriptor. */
#include "drivers/qemu/core/save-restore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/conf/domain-xml.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/core/domain-prepare.h"
#include "drivers/qemu/core/domain-start.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/save-image.h"
#include "virtkit/virtkit.h"

/* QEMU's name for the image's fd (getfd), used in the "fd:" URIs. */
#define MIGRATION_FD_NAME "migrate"
#define MIGRATION_POLL_US (20 * 1000)
/* libvirt lifts the bandwidth limit for a save: as fast as the disk goes */
#define MIGRATION_MAX_BANDWIDTH ((G_MAXINT64 / (1024 * 1024)) * 1024 * 1024)

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
VkDomainDef *
vk_qemu_save_replacement_def(const VkDomainDef *image_def, const char *dxml)
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
    return vk_qemu_save_replacement_def(def, dxml);
}

/* The XML a save image of the running OBJ holds: its live definition as
 * a config (no ids, no aliases, the CPU as started), or DXML (may be NULL)
 * for the same guest. */
static char *
saved_xml(VkDomainObj *obj, const char *dxml)
{
    g_autoptr(VkDomainDef) def = NULL;

    if (!dxml)
        return vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE |
                                                  VK_DOMAIN_FORMAT_CPU_AS_STARTED);
    if (!(def = vk_qemu_save_replacement_def(obj->def, dxml)))
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
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
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
int
vk_qemu_save_domain(VkDomainObj *obj, const char *path, const char *dxml, unsigned int flags)
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
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    if (write_image(obj, path, xml, run_after(running, flags)) < 0) {
        if (running)
            cancel_save(obj);
        return -1;
    }
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    vk_qemu_process_stop(obj, VK_SHUTOFF_SAVED);
    if (!obj->persistent)
        vk_domain_list_remove(vk_qemu_driver()->domains, obj);
    return 0;
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
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    if (r->run) {
        if (vk_qemu_process_monitor_command(obj, "cont", NULL) < 0)
            return -1;
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_RESTORED);
        /* libvirt 9.0 reports a restored guest's resume as "from snapshot" */
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    } else {
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED,
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

    if (vk_qemu_domain_start_incoming(obj) < 0)
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

int
vk_qemu_restore_image(const char *path, const char *dxml, unsigned int flags)
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

int
vk_qemu_managed_save_remove(VkDomainObj *obj)
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
    return vk_qemu_managed_save_remove(obj);
}

int
vk_qemu_domain_boot(VkDomainObj *obj, bool paused)
{
    /* A guest saved with managedsave comes back from its image. */
    int rc = vk_qemu_managed_save_start(obj, paused);

    return rc > 0 ? vk_qemu_domain_start(obj, paused) : rc;
}
