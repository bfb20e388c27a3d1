/* Internal snapshots: create, revert, delete (snapshot-actions.h).  What
 * clients see (states, events, errors) follows libvirt 9.0, checked
 * against Debian's libvirtd with QEMU 7.2. */
#include "drivers/qemu/core/snapshot-actions.h"

#include <string.h>

#include "common/conf/snapshot-def.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/domain-start.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/snapshot-external.h"
#include "drivers/qemu/core/snapshot-image.h"
#include "drivers/qemu/core/snapshot-store.h"

#define CREATE_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | VIR_DOMAIN_SNAPSHOT_CREATE_HALT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | \
     VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)
/* what only external snapshots are about */
#define EXTERNAL_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE)

/* A copy of DEF as a config (formatted and parsed back, as libvirt does). */
static VkDomainDef *
copy_def(const VkDomainDef *def, const char *name)
{
    g_autofree char *xml = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                                               VK_DOMAIN_FORMAT_SECURE);
    VkDomainDef *copy = xml ? vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE) : NULL;

    if (copy && name && g_strcmp0(copy->name, name) != 0) {
        g_free(copy->name);
        copy->name = g_strdup(name);
    }
    return copy;
}

static int
unsupported(const char *msg)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s", msg);
    return -1;
}

static int
config_error(const char *msg)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s", msg);
    return -1;
}

/* ---------------------------------------------------------------------
 * vCPUs around savevm
 * ------------------------------------------------------------------- */

static int
pause_vcpus(VkDomainObj *obj)
{
    if (vk_qemu_process_monitor_command(obj, "stop", NULL) < 0)
        return -1;
    vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_SNAPSHOT);
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

/* Let the vCPUs go on with REASON, telling clients EVENT_DETAIL; the
 * thread's error (of what went before) is kept. */
static int
resume_vcpus(VkDomainObj *obj, int reason, int event_detail)
{
    g_autoptr(VkError) earlier = vk_error_steal();

    if (vk_qemu_process_monitor_command(obj, "cont", NULL) < 0)
        return -1;
    vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, reason);
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, event_detail);
    if (earlier)
        vk_error_set(g_steal_pointer(&earlier));
    return vk_qemu_process_save_status(obj);
}

/* ---------------------------------------------------------------------
 * Create
 * ------------------------------------------------------------------- */

/* libvirt's snapshot states share their numbers with the domain states. */
static const char *
state_name(VkDomainState state)
{
    static const char *const names[] = { "nostate", "running", "blocked", "paused",
                                         "shutdown", "shutoff", "crashed", "pmsuspended" };

    return state < G_N_ELEMENTS(names) ? names[state] : "nostate";
}

static bool
has_memory(const VkSnapshotDef *def)
{
    return g_strcmp0(def->state, "running") == 0 || g_strcmp0(def->state, "paused") == 0;
}

/* Names become file names: libvirt refuses what would not be one. */
static int
check_name(const char *name)
{
    if (strchr(name, '/')) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_XML_DETAIL,
                        "invalid snapshot name '%s': name can't contain '/'", name);
        return -1;
    }
    if (name[0] == '.') {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_XML_DETAIL,
                        "invalid snapshot name '%s': name can't start with '.'", name);
        return -1;
    }
    return 0;
}

static bool
asks_external(const VkSnapshotDef *def, unsigned int flags)
{
    if ((flags & EXTERNAL_FLAGS) || g_strcmp0(def->memory, "external") == 0)
        return true;
    for (guint i = 0; i < def->disks->len; i++)
        if (g_strcmp0(((VkSnapshotDiskDef *) g_ptr_array_index(def->disks, i))->snapshot,
                      "external") == 0)
            return true;
    return false;
}

/* What libvirt checks of a new snapshot's XML and flags before anything. */
static int
check_request(VkDomainObj *obj, const VkSnapshotDef *def, unsigned int flags)
{
    bool active = vk_domain_obj_is_active(obj);

    if (!obj->persistent && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot halt after transient domain snapshot");
        return -1;
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) &&
        (!active || (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)) &&
        def->memory && !g_str_equal(def->memory, "no")) {
        vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, "%s",
                        "memory state cannot be saved with offline or disk-only snapshot");
        return -1;
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA) && check_name(def->name) < 0)
        return -1;
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE)
        return unsupported("live snapshot creation is supported only during full system snapshots");
    /* Virtkit does internal snapshots and external disk-only ones */
    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) && asks_external(def, flags) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY))
        return unsupported("external snapshots are not supported, only internal ones");
    return 0;
}

static bool
disk_is_empty(const VkDomainDiskDef *disk)
{
    return !disk->src_path && !disk->src_name && !disk->src_volume;
}

/* What a disk the XML does not mention gets (libvirt's AlignDisks). */
static const char *
default_location(const VkDomainDiskDef *disk)
{
    if (disk->snapshot)
        return disk->snapshot;
    return disk->readonly ? "no" : "internal";
}

/* One <disk> per disk of DOM, in its order, as libvirt aligns them: what
 * the XML says of a disk, else its default; an empty drive is never taken. */
static int
align_disks(VkSnapshotDef *def, const VkDomainDef *dom)
{
    g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < def->disks->len; i++) {
        const char *name = ((VkSnapshotDiskDef *) g_ptr_array_index(def->disks, i))->name;
        if (!vk_domain_def_disk_by_name(dom, name)) {
            vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_CONFIG_UNSUPPORTED,
                            "no disk named '%s'", name);
            return -1;
        }
    }
    for (guint i = 0; i < dom->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(dom->disks, i);
        VkSnapshotDiskDef *given = vk_snapshot_def_disk(def, disk->target_dev);
        const char *location = given && given->snapshot ? given->snapshot
                                                        : default_location(disk);
        g_ptr_array_add(locations, g_strdup(disk_is_empty(disk) ? "no" : location));
    }
    g_ptr_array_set_size(def->disks, 0);
    for (guint i = 0; i < dom->disks->len; i++)
        vk_snapshot_def_add_disk(def, ((VkDomainDiskDef *) g_ptr_array_index(dom->disks, i))->target_dev,
                                 g_ptr_array_index(locations, i));
    return 0;
}

/* An internal snapshot of DISK: qcow2 only; QEMU reaches any storage of a
 * running guest, qemu-img only local files. */
static int
check_internal_disk(const VkDomainDiskDef *disk, bool active)
{
    if (!active && disk->type != VK_DISK_TYPE_FILE && disk->type != VK_DISK_TYPE_BLOCK) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "internal inactive snapshots are not supported on '%s' disks",
                        vk_disk_type_to_string(disk->type));
        return -1;
    }
    if (disk->driver_type && !g_str_equal(disk->driver_type, "qcow2")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                        "internal snapshot for disk %s unsupported for storage type %s",
                        disk->target_dev, disk->driver_type);
        return -1;
    }
    return 0;
}

/* libvirt's qemuSnapshotPrepare for internal snapshots. */
static int
check_disks(const VkSnapshotDef *def, const VkDomainDef *dom, bool active)
{
    bool found_internal = false, forbid_internal = false;

    for (guint i = 0; i < dom->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(dom->disks, i);
        const char *location = ((VkSnapshotDiskDef *) g_ptr_array_index(def->disks, i))->snapshot;

        if (g_str_equal(location, "internal")) {
            found_internal = true;
            if (check_internal_disk(disk, active) < 0)
                return -1;
        } else if (!disk_is_empty(disk) && !disk->readonly) {
            forbid_internal = true;   /* a writable disk left out */
        }
    }
    if (!found_internal && g_str_equal(def->memory, "no"))
        return config_error("nothing selected for snapshot");
    if ((g_str_equal(def->memory, "internal") && !found_internal) ||
        (found_internal && forbid_internal))
        return config_error("internal and full system snapshots require all disks to be "
                            "selected for snapshot");
    return 0;
}

/* The domain's definitions, as a snapshot of OBJ records them. */
static int
copy_defs(VkDomainObj *obj, VkSnapshotDef *def)
{
    if (!(def->dom = copy_def(obj->def, NULL)))
        return -1;
    if (obj->new_def && !(def->inactive_dom = copy_def(obj->new_def, NULL)))
        return -1;
    return 0;
}

/* Fill in what a new snapshot of OBJ records: state, memory, disks and
 * the domain's definitions. */
static int
prepare(VkDomainObj *obj, VkSnapshotDef *def, unsigned int flags)
{
    bool active = vk_domain_obj_is_active(obj);

    if (obj->state == VK_DOMAIN_PMSUSPENDED)
        return unsupported("qemu doesn't support taking snapshots of PMSUSPENDED guests");
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) {
        if (align_disks(def, obj->def) < 0 || vk_qemu_snapshot_external_prepare(obj, def) < 0)
            return -1;
        return copy_defs(obj, def);
    }
    if (active && g_strcmp0(def->memory, "no") == 0)
        return unsupported("internal snapshot of a running VM must include the memory state");
    g_free(def->state);
    def->state = g_strdup(state_name(obj->state));
    g_free(def->memory);
    def->memory = g_strdup(active ? "internal" : "no");
    if (align_disks(def, obj->def) < 0 || check_disks(def, obj->def, active) < 0)
        return -1;
    return copy_defs(obj, def);
}

/* savevm on the running OBJ: libvirt stops the vCPUs itself around it
 * (QEMU would pause the guest without telling), and lets them go on after
 * unless HALT asks to shut the guest off. */
static int
take_active(VkDomainObj *obj, const char *name, unsigned int flags)
{
    bool resume = obj->state == VK_DOMAIN_RUNNING;
    int rc;

    if (resume && pause_vcpus(obj) < 0)
        return -1;
    rc = vk_qemu_snapshot_savevm(obj, name);
    if (rc == 0 && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        vk_qemu_process_stop(obj, VK_SHUTOFF_FROM_SNAPSHOT);
        return 0;
    }
    if (resume && resume_vcpus(obj, VK_RUNNING_UNPAUSED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED) < 0)
        return -1;
    return rc;
}

static int
take(VkDomainObj *obj, const VkSnapshotDef *def, unsigned int flags)
{
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)
        return vk_qemu_snapshot_external_take(obj, def,
                                              flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT);
    if (vk_domain_obj_is_active(obj))
        return take_active(obj, def->name, flags);
    return vk_qemu_snapshot_images(obj->def, def, VK_SNAPSHOT_IMAGE_CREATE);
}

/* Keep DEF (owned) in LIST, as the current snapshot when CURRENT. */
static int
remember(VkSnapshotList *list, VkSnapshotDef *def, bool current)
{
    g_autofree char *name = g_strdup(def->name);

    if (vk_snapshot_list_add(list, def) < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "unable to save metadata for snapshot %s", name);
        return -1;
    }
    return current ? vk_snapshot_list_set_current(list, vk_snapshot_list_find(list, name)) : 0;
}

/* REDEFINE: only metadata changes (snapshot-edit, or metadata brought
 * back), as libvirt's virDomainSnapshotRedefinePrep checks it. */
static int
redefine(VkDomainObj *obj, VkSnapshotList *list, VkSnapshotDef *def, unsigned int flags)
{
    g_autoptr(VkSnapshotDef) owned = def;
    VkSnapshotDef *old = vk_snapshot_list_find(list, def->name);
    char uuid[37];

    if (def->dom && memcmp(def->dom->uuid, obj->def->uuid, VK_UUID_LEN) != 0) {
        vk_domain_uuid_format(obj->def->uuid, uuid);
        vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG,
                        "definition for snapshot %s must use uuid %s", def->name, uuid);
        return -1;
    }
    if (def->parent && !vk_snapshot_list_find(list, def->parent)) {
        vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG,
                        "parent %s for snapshot %s not found", def->parent, def->name);
        return -1;
    }
    if (def->parent && g_str_equal(def->parent, def->name)) {
        vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG,
                        "cannot set snapshot %s as its own parent", def->name);
        return -1;
    }
    def->current = old && old->current;
    return remember(list, g_steal_pointer(&owned),
                    def->current || (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT));
}

int
vk_qemu_snapshot_create(VkDomainObj *obj, const char *xml, unsigned int flags, char **name)
{
    VkSnapshotList *list = vk_qemu_snapshots(obj);
    g_autoptr(VkSnapshotDef) def = NULL;
    VkSnapshotDef *current;

    if (vk_check_flags(VIR_FROM_QEMU, flags, CREATE_FLAGS, "virDomainSnapshotCreateXML") < 0 ||
        !(def = vk_snapshot_def_parse_string(xml, (flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
                                                      ? VK_SNAPSHOT_PARSE_REDEFINE
                                                      : 0)) ||
        check_request(obj, def, flags) < 0)
        return -1;
    *name = g_strdup(def->name);
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
        return redefine(obj, list, g_steal_pointer(&def), flags);
    if (prepare(obj, def, flags) < 0)
        return -1;
    if (vk_snapshot_list_find(list, def->name)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                        "domain moment %s already exists", def->name);
        return -1;
    }
    if ((current = vk_snapshot_list_current(list)))
        def->parent = g_strdup(current->name);
    if (take(obj, def, flags) < 0)
        return -1;
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)
        return 0;
    return remember(list, g_steal_pointer(&def), true);
}

/* ---------------------------------------------------------------------
 * Revert
 * ------------------------------------------------------------------- */

static int
check_revert(VkDomainObj *obj, const VkSnapshotDef *snap, unsigned int flags)
{
    bool run_or_pause =
        flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED);

    if ((flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) && (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))
        return vk_invalid_arg(VIR_FROM_DOMAIN,
                              "Flags 'running' and 'paused' are mutually exclusive");
    if (vk_qemu_snapshot_is_external(snap))
        return config_error("revert to external snapshot not supported yet");
    if (!obj->persistent && !has_memory(snap) && !run_or_pause) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "transient domain needs to request run or pause to revert to "
                        "inactive snapshot");
        return -1;
    }
    if (flags & VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)
        return 0;
    if (!snap->dom) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_SNAPSHOT_REVERT_RISKY,
                        "snapshot '%s' lacks domain '%s' rollback info", snap->name,
                        obj->def->name);
        return -1;
    }
    if (vk_domain_obj_is_active(obj) && !has_memory(snap) && run_or_pause) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_SNAPSHOT_REVERT_RISKY, "%s",
                        "must respawn qemu to start inactive snapshot");
        return -1;
    }
    return 0;
}

/* The shut-off OBJ gets the definition SNAP recorded (the one it ran with
 * for a snapshot with VM state, else its config). */
static int
install_def(VkDomainObj *obj, const VkSnapshotDef *snap)
{
    const VkDomainDef *from = has_memory(snap) || !snap->inactive_dom ? snap->dom
                                                                      : snap->inactive_dom;
    VkDomainDef *def;

    if (!from)
        return 0;   /* FORCE without rollback info: as it is */
    if (!(def = copy_def(from, obj->def->name)))
        return -1;
    vk_domain_def_free(obj->def);
    obj->def = def;
    return 0;
}

/* Once the guest runs from SNAP, its config for the next boot is the one
 * SNAP recorded. */
static int
install_next_config(VkDomainObj *obj, const VkSnapshotDef *snap)
{
    VkDomainDef *def;

    if (!obj->new_def || !snap->inactive_dom)
        return 0;
    if (!(def = copy_def(snap->inactive_dom, obj->def->name)))
        return -1;
    vk_domain_def_free(obj->new_def);
    obj->new_def = def;
    return 0;
}

/* After the start from a snapshot: stay paused or run, as libvirt does. */
static int
finish_start(VkDomainObj *obj, bool paused, int running_reason, int resumed_detail)
{
    if (paused) {
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        return vk_qemu_process_save_status(obj);
    }
    if (resume_vcpus(obj, running_reason, resumed_detail) < 0)
        return -1;
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    return 0;
}

/* A snapshot with VM state: libvirt 9.0 starts a new QEMU with -loadvm. */
static int
revert_with_memory(VkDomainObj *obj, const VkSnapshotDef *snap, unsigned int flags)
{
    bool paused = !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
                  (g_str_equal(snap->state, "paused") ||
                   (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));

    if (vk_qemu_domain_start_from_snapshot(obj, snap->name) < 0 ||
        install_next_config(obj, snap) < 0)
        return -1;
    if (paused)
        return finish_start(obj, true, 0, 0);
    /* libvirt emits started before resumed here, unlike a plain boot */
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    return resume_vcpus(obj, VK_RUNNING_FROM_SNAPSHOT, VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
}

/* A snapshot of a shut-off guest: qemu-img -a on its images, then a boot
 * when FLAGS ask for one. */
static int
revert_disks(VkDomainObj *obj, const VkSnapshotDef *snap, unsigned int flags)
{
    if (vk_qemu_snapshot_images(obj->def, snap, VK_SNAPSHOT_IMAGE_APPLY) < 0)
        return -1;
    if (!(flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)))
        return 0;
    if (vk_qemu_domain_start_from_snapshot(obj, NULL) < 0)
        return -1;
    return finish_start(obj, flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED, VK_RUNNING_BOOTED,
                        VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

/* The config changed: save it and tell clients, as libvirt does. */
static int
save_config(VkDomainObj *obj)
{
    if (!obj->persistent)
        return 0;
    if (vk_domain_store_save_config(vk_qemu_driver()->store, vk_domain_obj_config(obj)) < 0)
        return -1;
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT);
    return 0;
}

int
vk_qemu_snapshot_revert(VkDomainObj *obj, const char *name, unsigned int flags)
{
    VkSnapshotList *list = vk_qemu_snapshots(obj);
    VkSnapshotDef *snap;
    int rc;

    if (vk_check_flags(VIR_FROM_QEMU, flags,
                       VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                           VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
                       "virDomainRevertToSnapshot") < 0 ||
        !(snap = vk_snapshot_list_get(list, name)) || check_revert(obj, snap, flags) < 0)
        return -1;
    /* Whatever the snapshot, libvirt 9.0 takes the running QEMU down. */
    if (vk_domain_obj_is_active(obj)) {
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        vk_qemu_process_stop(obj, VK_SHUTOFF_FROM_SNAPSHOT);
    }
    if (install_def(obj, snap) < 0)
        return -1;
    rc = has_memory(snap) ? revert_with_memory(obj, snap, flags) : revert_disks(obj, snap, flags);
    if (rc < 0)
        return -1;
    if (vk_snapshot_list_set_current(list, snap) < 0)
        return -1;
    return save_config(obj);
}

/* ---------------------------------------------------------------------
 * Delete
 * ------------------------------------------------------------------- */

/* Remove SNAP's data from the images: QEMU does it for a running guest. */
static int
discard_data(VkDomainObj *obj, const VkSnapshotDef *snap)
{
    if (vk_qemu_snapshot_is_external(snap))
        return vk_qemu_snapshot_external_delete(obj, snap);
    if (vk_domain_obj_is_active(obj))
        return vk_qemu_snapshot_delvm(obj, snap->name);
    return vk_qemu_snapshot_images(obj->def, snap, VK_SNAPSHOT_IMAGE_DELETE);
}

/* What a delete of SNAP with FLAGS removes, parents before children. */
static GPtrArray *
victims(VkSnapshotList *list, VkSnapshotDef *snap, unsigned int flags)
{
    GPtrArray *out;

    if (!(flags &
          (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))) {
        out = g_ptr_array_new();
        g_ptr_array_add(out, snap);
        return out;
    }
    out = vk_snapshot_list_children(list, snap, true);
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
        g_ptr_array_insert(out, 0, snap);
    return out;
}

int
vk_qemu_snapshot_delete(VkDomainObj *obj, const char *name, unsigned int flags)
{
    VkSnapshotList *list = vk_qemu_snapshots(obj);
    g_autoptr(GPtrArray) doomed = NULL;
    g_autofree char *heir = NULL;
    VkSnapshotDef *snap;
    bool lost_current = false;

    if (vk_check_flags(VIR_FROM_QEMU, flags,
                       VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                           VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                           VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
                       "virDomainSnapshotDelete") < 0 ||
        !(snap = vk_snapshot_list_get(list, name)))
        return -1;
    doomed = victims(list, snap, flags);
    /* when the current one goes, the nearest survivor above it takes over */
    heir = g_strdup((flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) ? snap->name : snap->parent);
    for (guint i = doomed->len; i-- > 0;) {
        VkSnapshotDef *victim = g_ptr_array_index(doomed, i);

        if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) && discard_data(obj, victim) < 0)
            return -1;
        lost_current |= victim->current;
        if (vk_snapshot_list_remove(list, victim) < 0)
            return -1;
    }
    if (!lost_current)
        return 0;
    return vk_snapshot_list_set_current(list, heir ? vk_snapshot_list_find(list, heir) : NULL);
}

int
vk_qemu_snapshot_check_undefine(VkDomainObj *obj, bool discard)
{
    guint n;

    if (vk_domain_obj_is_active(obj))
        return 0;   /* it lives on as a transient domain, with its snapshots */
    n = vk_snapshot_list_count(vk_qemu_snapshots(obj));
    if (n && !discard) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "cannot delete inactive domain with %u snapshots", n);
        return -1;
    }
    /* also when there are none: the list looked at is cached, and would
     * stay behind for every domain ever undefined */
    vk_qemu_snapshots_discard(obj);
    return 0;
}
