#include "drivers/qemu/core/hotplug.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/conf/disk-shareable.h"
#include "common/conf/disk-update.h"
#include "common/conf/domain-pci-assign.h"
#include "common/conf/net-update.h"
#include "common/host/netlink-link.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/iotune.h"
#include "drivers/qemu/security/dac-access.h"
#include "drivers/qemu/security/dac-domain.h"
#include "drivers/qemu/core/network-ports.h"
#include "drivers/qemu/core/storage-volumes.h"
#include "drivers/qemu/core/process.h"

/* ---------------------------------------------------------------------
 * Unplug requests and QEMU's answers
 *
 * device_del only asks the guest; QEMU says DEVICE_DELETED once the guest
 * let the device go, maybe never (no OS, no hotplug driver).  A detach
 * waits a while for it; what comes later is handled on a thread of ours,
 * since the monitor's reader thread must not wait for a domain lock (a
 * worker holding it may be waiting for a reply that thread reads).
 * ------------------------------------------------------------------- */

typedef struct {
    VkDomainObj *obj;      /* only compared */
    char *alias;
    char *format_node;     /* a disk's format node (gone from query-block once
                            * the device is), NULL for an interface */
    bool waiting;          /* a detach call waits for it */
    bool deleted;          /* QEMU reported DEVICE_DELETED */
} VkUnplug;

typedef struct {
    VkDomainObj *obj;      /* a reference */
    VkQmp *monitor;        /* only compared: the run it belongs to */
    char *alias;
    char *format_node;
} VkLateRemoval;

struct _VkQemuUnplugs {
    GMutex lock;
    GCond deleted;               /* a waited-for device went */
    GPtrArray *pending;          /* VkUnplug* */
    GThreadPool *late_removals;  /* devices that went after their detach call gave up */
};

static void late_removal_run(gpointer data, gpointer user_data);

static void
unplug_free(VkUnplug *u)
{
    g_free(u->alias);
    g_free(u->format_node);
    g_free(u);
}

VkQemuUnplugs *
vk_qemu_unplugs_new(void)
{
    VkQemuUnplugs *up = g_new0(VkQemuUnplugs, 1);

    g_mutex_init(&up->lock);
    g_cond_init(&up->deleted);
    up->pending = g_ptr_array_new_with_free_func((GDestroyNotify) unplug_free);
    up->late_removals = g_thread_pool_new(late_removal_run, NULL, 1, FALSE, NULL);
    return up;
}

void
vk_qemu_unplugs_free(VkQemuUnplugs *up)
{
    if (!up)
        return;
    g_thread_pool_free(up->late_removals, FALSE, TRUE);   /* those queued run first */
    g_ptr_array_free(up->pending, TRUE);
    g_cond_clear(&up->deleted);
    g_mutex_clear(&up->lock);
    g_free(up);
}

static VkQemuUnplugs *
driver_unplugs(void)
{
    return vk_qemu_driver()->unplugs;
}

/* The request for ALIAS of OBJ; under UP's lock. */
static VkUnplug *
unplug_find(VkQemuUnplugs *up, VkDomainObj *obj, const char *alias, guint *index)
{
    for (guint i = 0; i < up->pending->len; i++) {
        VkUnplug *u = g_ptr_array_index(up->pending, i);
        if (u->obj == obj && g_str_equal(u->alias, alias)) {
            if (index)
                *index = i;
            return u;
        }
    }
    return NULL;
}

static VkUnplug *
unplug_begin(VkDomainObj *obj, const char *alias, const char *format_node, bool waiting)
{
    VkQemuUnplugs *up = driver_unplugs();
    VkUnplug *u;

    g_mutex_lock(&up->lock);
    if (!(u = unplug_find(up, obj, alias, NULL))) {
        u = g_new0(VkUnplug, 1);
        u->obj = obj;
        u->alias = g_strdup(alias);
        g_ptr_array_add(up->pending, u);
    }
    if (format_node) {
        g_free(u->format_node);
        u->format_node = g_strdup(format_node);
    }
    u->waiting = waiting;
    u->deleted = false;
    g_mutex_unlock(&up->lock);
    return u;
}

/* Forget the request U (device_del failed, or the device is gone). */
static void
unplug_drop(VkUnplug *u)
{
    VkQemuUnplugs *up = driver_unplugs();

    g_mutex_lock(&up->lock);
    g_ptr_array_remove_fast(up->pending, u);
    g_mutex_unlock(&up->lock);
}

/* Wait for U with OBJ unlocked (the caller keeps the job, so nothing else
 * changes the domain meanwhile).  True when the device is gone; otherwise
 * the request stays, for a DEVICE_DELETED that comes later. */
static bool
unplug_wait(VkDomainObj *obj, VkUnplug *u)
{
    gint64 deadline = g_get_monotonic_time() + VK_QEMU_UNPLUG_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
    VkQemuUnplugs *up = driver_unplugs();
    bool deleted;

    vk_domain_obj_unlock(obj);
    g_mutex_lock(&up->lock);
    while (!u->deleted && g_cond_wait_until(&up->deleted, &up->lock, deadline))
        ;
    deleted = u->deleted;
    u->waiting = false;
    if (deleted)
        g_ptr_array_remove_fast(up->pending, u);
    g_mutex_unlock(&up->lock);
    vk_domain_obj_lock(obj);
    return deleted;
}

void
vk_qemu_hotplug_device_deleted(VkDomainObj *obj, VkQmp *mon, const char *alias)
{
    VkQemuUnplugs *up = driver_unplugs();
    VkLateRemoval *late;
    VkUnplug *u;
    guint index;

    if (!alias)
        return;   /* a part of a device (its virtio backend): no id */
    g_mutex_lock(&up->lock);
    u = unplug_find(up, obj, alias, &index);
    if (u && u->waiting) {
        u->deleted = true;
        g_cond_broadcast(&up->deleted);
        g_mutex_unlock(&up->lock);
        return;
    }
    late = g_new0(VkLateRemoval, 1);
    late->obj = vk_domain_obj_ref(obj);
    late->monitor = mon;
    late->alias = g_strdup(alias);
    if (u) {
        late->format_node = g_steal_pointer(&u->format_node);
        g_ptr_array_remove_index_fast(up->pending, index);
    }
    g_thread_pool_push(up->late_removals, late, NULL);
    g_mutex_unlock(&up->lock);
}

/* ---------------------------------------------------------------------
 * QMP helpers
 * ------------------------------------------------------------------- */

/* A QMP command on OBJ's monitor, with FD attached when >= 0.  OBJ is
 * locked and its job held: the lock is dropped while QEMU answers, so
 * lookups never wait for QEMU. */
static int
monitor_node_with_fd(VkDomainObj *obj, const char *command, const VkJson *args, int fd,
                     VkJson **reply, char **error_class)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    int rc;

    if (!mon)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute_with_fd(mon, command, args, fd, reply, error_class);
    vk_domain_obj_lock(obj);
    return rc;
}

static int
monitor_node(VkDomainObj *obj, const char *command, const VkJson *args, VkJson **reply,
             char **error_class)
{
    return monitor_node_with_fd(obj, command, args, -1, reply, error_class);
}

/* COMMAND with one string argument KEY=VALUE. */
static int
qmp_one_arg(VkDomainObj *obj, const char *command, const char *key, const char *value)
{
    g_autoptr(VkJson) args = vk_json_new_object();

    vk_json_object_set_string(args, key, value);
    return monitor_node(obj, command, args, NULL, NULL);
}

/* The same, where a failure only gets logged: cleaning up after a device
 * that is gone goes on whatever QEMU says. */
static void
qmp_cleanup(VkDomainObj *obj, const char *command, const char *key, const char *value)
{
    if (qmp_one_arg(obj, command, key, value) < 0) {
        g_warning("%s %s: %s", command, value, vk_error_last_message());
        vk_error_reset();
    }
}

/* The next free N of libvirt-N-storage / libvirt-N-format: one above the
 * largest QEMU has; -1 with an error when QEMU does not answer. */
static int
next_node_index(VkDomainObj *obj)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autoptr(VkJson) reply = NULL;
    guint max = 0;

    vk_json_object_set_bool(args, "flat", TRUE);
    if (monitor_node(obj, "query-named-block-nodes", args, &reply, NULL) < 0)
        return -1;
    /* numbers stay taken while the definition shows them (an empty drive's
     * too), as libvirt's counter never goes back */
    for (guint i = 0; i < obj->def->disks->len; i++)
        max = MAX(max, ((VkDomainDiskDef *) g_ptr_array_index(obj->def->disks, i))->src_index);
    for (guint i = 0; i < vk_json_array_length(reply); i++) {
        const char *name = vk_json_object_get_string(vk_json_array_get(reply, i), "node-name", "");
        guint n;
        if (sscanf(name, "libvirt-%u-", &n) == 1 && n > max)
            max = n;
    }
    return (int) max + 1;
}

/* The format node the disk device ALIAS reads from, or NULL. */
static char *
disk_format_node(VkDomainObj *obj, const char *alias)
{
    g_autoptr(VkJson) reply = NULL;
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", alias);
    g_autofree char *below = g_strdup_printf("/machine/peripheral/%s/", alias);

    if (monitor_node(obj, "query-block", NULL, &reply, NULL) < 0 || !vk_json_is_array(reply)) {
        vk_error_reset();
        return NULL;
    }
    for (guint i = 0; i < vk_json_array_length(reply); i++) {
        VkJson *b = vk_json_array_get(reply, i);
        const char *qdev = vk_json_object_get_string(b, "qdev", "");
        if (!g_str_equal(qdev, alias) && !g_str_equal(qdev, path) && !g_str_has_prefix(qdev, below))
            continue;
        VkJson *inserted = vk_json_object_get_object(b, "inserted");
        if (inserted)
            return g_strdup(vk_json_object_get_string(inserted, "node-name", NULL));
    }
    return NULL;
}

/* The storage node below a format node, as the command line names them. */
static char *
storage_node_of(const char *format_node)
{
    if (!format_node || !g_str_has_suffix(format_node, "-format"))
        return NULL;
    return g_strdup_printf("%.*s-storage", (int) (strlen(format_node) - strlen("-format")),
                           format_node);
}

/* ---------------------------------------------------------------------
 * The live definition
 * ------------------------------------------------------------------- */

/* libvirt names a new interface one above the highest netN in use. */
static guint
next_net_index(const VkDomainDef *def)
{
    guint next = 0;

    for (guint i = 0; i < def->nets->len; i++) {
        const VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        guint idx;
        char tail;
        if (n->info.alias && sscanf(n->info.alias, "net%u%c", &idx, &tail) == 1 && idx >= next)
            next = idx + 1;
    }
    return next;
}

static void
device_added(VkDomainObj *obj, const char *alias)
{
    vk_qemu_event_device_added(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                               obj->def->id, alias);
}

static void
save_status(VkDomainObj *obj)
{
    /* QEMU has changed already: a status file we cannot write is logged, as
     * libvirt does, rather than undoing what the guest sees */
    if (vk_qemu_process_save_status(obj) < 0) {
        g_warning("%s: cannot save the status after a hotplug: %s", obj->def->name,
                  vk_error_last_message());
        vk_error_reset();
    }
}

/* Take the device ALIAS out of the running OBJ (locked, with the job) once
 * QEMU has deleted it: its backend, its place in the definition; then tell
 * the clients. */
static void
remove_live_device(VkDomainObj *obj, const char *alias, const char *format_node)
{
    VkDomainDef *def = obj->def;
    bool found = false;

    for (guint i = 0; i < def->disks->len && !found; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->info.alias, alias) != 0)
            continue;
        found = true;
        if (format_node) {
            g_autofree char *storage = storage_node_of(format_node);
            qmp_cleanup(obj, "blockdev-del", "node-name", format_node);
            if (storage)
                qmp_cleanup(obj, "blockdev-del", "node-name", storage);
        }
        vk_qemu_dac_restore_disk(vk_qemu_process_dac(obj), d);
        g_ptr_array_remove_index(def->disks, i);
    }
    for (guint i = 0; i < def->nets->len && !found; i++) {
        VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        if (g_strcmp0(n->info.alias, alias) != 0)
            continue;
        found = true;
        g_autofree char *netdev = g_strdup_printf("host%s", alias);
        qmp_cleanup(obj, "netdev_del", "id", netdev);
        vk_qemu_networks_release(vk_qemu_driver()->networkd, n);
        g_ptr_array_remove_index(def->nets, i);
    }
    if (!found)
        return;   /* not one of ours */
    g_info("%s: device %s removed", def->name, alias);
    save_status(obj);
    vk_qemu_event_device_removed(vk_qemu_driver()->events, def->name, def->uuid, def->id, alias);
}

static void
late_removal_run(gpointer data, gpointer user_data)
{
    VkLateRemoval *late = data;
    VkDomainObj *obj = late->obj;

    if (vk_qemu_process_report_begin(obj, late->monitor))
        remove_live_device(obj, late->alias, late->format_node);
    vk_qemu_process_report_end(obj);
    vk_domain_obj_unref(obj);
    g_free(late->alias);
    g_free(late->format_node);
    g_free(late);
}

/* Take DEVICE (just added, not plugged) back out of DEF and free it. */
static void
drop_from_def(VkDomainDef *def, gpointer device)
{
    if (!g_ptr_array_remove(def->disks, device))
        g_ptr_array_remove(def->nets, device);
}

/* ---------------------------------------------------------------------
 * Attach
 * ------------------------------------------------------------------- */

/* Run the options of one device (vk_qemu_command_*_objects) through QMP,
 * undoing the backends already added when one fails. */
static int
plug_objects(VkDomainObj *obj, GPtrArray *objects)
{
    g_autoptr(GPtrArray) undo = g_ptr_array_new_with_free_func(g_free);   /* "cmd\tid" */
    int rc = 0;

    for (guint i = 0; i + 1 < objects->len && rc == 0; i += 2) {
        const char *opt = g_ptr_array_index(objects, i);
        const char *json = g_ptr_array_index(objects, i + 1);
        g_autoptr(VkJson) args = vk_json_parse(json, -1);

        if (!vk_json_is_object(args)) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "bad JSON for %s: %s", opt, json);
            rc = -1;
            break;
        }
        if (g_str_equal(opt, "-blockdev")) {
            rc = monitor_node(obj, "blockdev-add", args, NULL, NULL);
            if (rc == 0)
                g_ptr_array_add(undo, g_strdup_printf("blockdev-del\tnode-name\t%s",
                    vk_json_object_get_string(args, "node-name", "")));
        } else if (g_str_equal(opt, "-netdev")) {
            rc = monitor_node(obj, "netdev_add", args, NULL, NULL);
            if (rc == 0)
                g_ptr_array_add(undo, g_strdup_printf("netdev_del\tid\t%s",
                    vk_json_object_get_string(args, "id", "")));
        } else if (g_str_equal(opt, "-device")) {
            rc = monitor_node(obj, "device_add", args, NULL, NULL);
        } else {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                            "cannot hotplug a device that needs %s", opt);
            rc = -1;
        }
    }
    if (rc < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        for (guint i = undo->len; i > 0; i--) {
            g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(undo, i - 1), "\t", 3);
            qmp_cleanup(obj, parts[0], parts[1], parts[2]);
        }
        vk_error_set(g_steal_pointer(&err));
    }
    return rc;
}

/* libvirt looks at a local image before QEMU does, to say what is wrong. */
static int
check_source_exists(const VkDomainDiskDef *disk)
{
    VkDiskType type = vk_domain_disk_actual_type(disk);

    if (disk->src_path && (type == VK_DISK_TYPE_FILE || type == VK_DISK_TYPE_BLOCK) &&
        access(disk->src_path, F_OK) < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "Cannot access storage file '%s'",
                              disk->src_path);
        return -1;
    }
    return 0;
}

static int
attach_disk(VkDomainObj *obj, VkDomainDeviceDef *dev)
{
    VkDomainDef *def = obj->def;
    VkDomainDiskDef *disk = dev->disk;
    const VkDacConfig *dac = vk_qemu_process_dac(obj);
    g_autoptr(GPtrArray) objects = NULL;
    g_autofree char *alias = NULL;
    VkDeviceInfo *info;
    int node;

    if (vk_disk_shareable_validate(disk) < 0)
        return -1;
    vk_disk_shareable_set_disk_cache(disk);
    if (disk->device == VK_DISK_DEVICE_CDROM || disk->device == VK_DISK_DEVICE_FLOPPY) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "cdrom/floppy device hotplug isn't supported");
        return -1;
    }
    if (disk->bus != VK_DISK_BUS_VIRTIO) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "disk bus '%s' cannot be hotplugged.", vk_disk_bus_to_string(disk->bus));
        return -1;
    }
    if (vk_domain_def_check_new_device(def, dev, true) < 0)
        return -1;
    if (vk_qemu_volumes_resolve(vk_qemu_driver()->storaged, disk) < 0 ||
        vk_qemu_dac_check_disk(dac, disk) < 0)
        return -1;
    vk_qemu_name_devices(def);
    if ((node = next_node_index(obj)) < 0 || vk_qemu_dac_label_disk(dac, disk) < 0)
        return -1;

    info = vk_domain_def_add_device(def, dev);   /* DEV gives it up */
    if (vk_domain_pci_assign_device(def, info, true) < 0 ||
        !(objects = vk_qemu_command_disk_objects(def, disk, (guint) node)) ||
        plug_objects(obj, objects) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_qemu_dac_restore_disk(dac, disk);
        vk_error_set(g_steal_pointer(&err));
        drop_from_def(def, disk);
        return -1;
    }
    alias = vk_qemu_disk_alias(def, disk);
    g_free(disk->info.alias);
    disk->info.alias = g_steal_pointer(&alias);
    if (disk->src_path)
        vk_qemu_process_note_medium(disk, (guint) node);
    /* As libvirt: the disk is in, so a throttle QEMU refuses only warns */
    if (vk_disk_iotune_has_any(&disk->iotune) &&
        vk_qemu_iotune_set(obj, disk, &disk->iotune) < 0) {
        g_warning("%s: failed to set blkdeviotune for '%s': %s", def->name, disk->target_dev,
                  vk_error_last_message());
        vk_error_reset();
    }
    g_info("%s: disk %s plugged in as %s", def->name, disk->target_dev, disk->info.alias);
    device_added(obj, disk->info.alias);
    save_status(obj);
    return 0;
}

/* ---------------------------------------------------------------------
 * Taps for interfaces on a host bridge
 *
 * As at start, the daemon makes the tap (vnetN, on the bridge, up) and QEMU
 * gets its fd, here over the monitor: getfd files it under a name that
 * netdev_add then takes it by.  Our own copy stays open until the attach
 * is over: while we hold it, the tap's name is surely ours to delete if the
 * attach fails (names are reused as soon as a tap is gone).
 * ------------------------------------------------------------------- */

/* Delete NET's tap, whose fd FD we still hold, then close FD.  Keeps the
 * error that made us give up. */
static void
discard_tap(VkDomainNetDef *net, int fd)
{
    g_autoptr(VkError) err = vk_error_steal();

    if (vk_link_delete(net->target_dev) < 0) {
        g_warning("%s", vk_error_last_message());
        vk_error_reset();
    }
    close(fd);
    vk_error_set(g_steal_pointer(&err));
}

/* A tap on NET's bridge, QEMU holding a copy of its fd as *FDNAME: our
 * copy, or -1 with an error and no tap left. */
static int
open_tap_for_qemu(VkDomainObj *obj, VkDomainNetDef *net, const char *alias, char **fdname)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    /* libvirt's name: the alias, then the queue (one here) */
    g_autofree char *name = g_strdup_printf("tapfd-%s0", alias);
    int fd = vk_qemu_process_open_bridge_tap(net);

    if (fd < 0)
        return -1;
    /* QEMU gets it over the monitor: no other child may inherit it and
     * keep the tap alive after a detach */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    vk_json_object_set_string(args, "fdname", name);
    if (monitor_node_with_fd(obj, "getfd", args, fd, NULL, NULL) < 0) {
        discard_tap(net, fd);
        return -1;
    }
    *fdname = g_steal_pointer(&name);
    return fd;
}

/* After the attach: on success QEMU's copy is the tap's only one; on
 * failure QEMU drops the copy it holds as FDNAME and the tap goes. */
static void
close_tap(VkDomainObj *obj, VkDomainNetDef *net, int fd, const char *fdname, bool failed)
{
    if (!failed) {
        close(fd);
        return;
    }
    /* a netdev_add that got as far as the fd took it off QEMU's list
     * (and netdev_del closed it): "not found" is then the answer */
    g_autoptr(VkError) err = vk_error_steal();
    if (qmp_one_arg(obj, "closefd", "fdname", fdname) < 0) {
        g_debug("closefd %s: %s", fdname, vk_error_last_message());
        vk_error_reset();
    }
    vk_error_set(g_steal_pointer(&err));
    discard_tap(net, fd);
}

/* Backend and frontend of NET (in the live definition, with its address),
 * the INDEX-th interface; for a bridge or a network port, first its tap. */
static int
plug_net(VkDomainObj *obj, VkDomainNetDef *net, guint index)
{
    g_autofree char *alias = vk_qemu_net_alias(net, index);
    g_autofree char *fdname = NULL;
    g_autoptr(GPtrArray) objects = NULL;
    VkQemuNetFds fds = { .tap_fd = -1, .vhost_fd = -1 };
    int rc;

    if ((net->type == VK_NET_TYPE_BRIDGE || net->type == VK_NET_TYPE_NETWORK) &&
        (fds.tap_fd = open_tap_for_qemu(obj, net, alias, &fdname)) < 0)
        return -1;
    fds.tap_fd_name = fdname;
    objects = vk_qemu_command_net_objects(obj->def, net, index, &fds);
    rc = objects ? plug_objects(obj, objects) : -1;
    if (fds.tap_fd >= 0)
        close_tap(obj, net, fds.tap_fd, fdname, rc < 0);
    return rc;
}

/* NET on a virtual network gets its port (and bridge) first. */
static int
acquire_port(const VkDomainDef *def, VkDomainNetDef *net)
{
    if (net->type != VK_NET_TYPE_NETWORK)
        return 0;
    return vk_qemu_networks_acquire(vk_qemu_driver()->networkd, def, net);
}

static int
attach_net(VkDomainObj *obj, VkDomainDeviceDef *dev)
{
    VkDomainDef *def = obj->def;
    VkDomainNetDef *net = dev->net;
    VkDeviceInfo *info;
    guint index;

    /* the host side of the others (a macvtap, a host device) needs more
     * than a tap on a bridge */
    if (net->type != VK_NET_TYPE_USER && net->type != VK_NET_TYPE_BRIDGE &&
        net->type != VK_NET_TYPE_NETWORK) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "live attach of interface type '%s' is not supported",
                        vk_net_type_to_string(net->type));
        return -1;
    }
    vk_qemu_name_devices(def);
    index = next_net_index(def);
    info = vk_domain_def_add_device(def, dev);   /* DEV gives it up */
    if (vk_domain_pci_assign_device(def, info, true) < 0 || acquire_port(def, net) < 0) {
        drop_from_def(def, net);
        return -1;
    }
    if (net->actual_hostdev) {
        /* a hostdev network's VF needs the host device steps first */
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "live attach of interface type '%s' is not supported",
                        vk_net_type_to_string(VK_NET_TYPE_HOSTDEV));
        vk_qemu_networks_release(vk_qemu_driver()->networkd, net);
        drop_from_def(def, net);
        return -1;
    }
    if (plug_net(obj, net, index) < 0) {
        vk_qemu_networks_release(vk_qemu_driver()->networkd, net);
        drop_from_def(def, net);
        return -1;
    }
    g_free(net->info.alias);
    net->info.alias = vk_qemu_net_alias(net, index);
    g_info("%s: interface %s plugged in as %s", def->name, net->mac, net->info.alias);
    device_added(obj, net->info.alias);
    save_status(obj);
    return 0;
}

int
vk_qemu_hotplug_attach(VkDomainObj *obj, VkDomainDeviceDef *dev)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);

    if (!mon)
        return -1;
    if (dev->disk)
        return attach_disk(obj, dev);
    if (dev->net)
        return attach_net(obj, dev);
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                    "live attach of device '%s' is not supported", dev->element);
    return -1;
}

/* ---------------------------------------------------------------------
 * Detach
 * ------------------------------------------------------------------- */

int
vk_qemu_hotplug_detach(VkDomainObj *obj, const VkDomainDeviceDef *dev)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    g_autofree char *alias = NULL;
    g_autofree char *format_node = NULL;
    VkUnplug *u;
    int idx;

    if (!mon)
        return -1;
    if (!dev->disk && !dev->net) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "live detach of device '%s' is not supported", dev->element);
        return -1;
    }
    if ((idx = vk_domain_def_find_device(obj->def, dev, true)) < 0)
        return -1;
    vk_qemu_name_devices(obj->def);
    if (dev->disk) {
        VkDomainDiskDef *disk = g_ptr_array_index(obj->def->disks, idx);
        if (disk->device != VK_DISK_DEVICE_DISK && disk->device != VK_DISK_DEVICE_LUN) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                            "disk device type '%s' cannot be detached",
                            vk_disk_device_to_string(disk->device));
            return -1;
        }
        if (disk->bus != VK_DISK_BUS_VIRTIO) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                            "This type of disk cannot be hot unplugged");
            return -1;
        }
        alias = g_strdup(disk->info.alias);
        /* read now: once the device is gone, so is its entry in query-block */
        format_node = disk_format_node(obj, alias);
    } else {
        VkDomainNetDef *net = g_ptr_array_index(obj->def->nets, idx);
        if (net->type == VK_NET_TYPE_HOSTDEV) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                            "live detach of a hostdev interface is not supported");
            return -1;
        }
        alias = g_strdup(net->info.alias);
    }

    u = unplug_begin(obj, alias, format_node, true);
    if (qmp_one_arg(obj, "device_del", "id", alias) < 0) {
        unplug_drop(u);
        return -1;
    }
    if (!unplug_wait(obj, u)) {
        /* libvirt's answer too: asked, not done; it goes when the guest
         * lets it go */
        g_info("%s: %s is still there after %d ms; it goes when the guest lets it go",
               obj->def->name, alias, VK_QEMU_UNPLUG_TIMEOUT_MS);
        return 0;
    }
    remove_live_device(obj, alias, format_node);
    return 0;
}

int
vk_qemu_hotplug_detach_alias(VkDomainObj *obj, const char *alias)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    g_autofree char *format_node = NULL;
    VkUnplug *u;
    bool found = false;

    if (!mon)
        return -1;
    vk_qemu_name_devices(obj->def);
    for (guint i = 0; i < obj->def->disks->len && !found; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(obj->def->disks, i);
        if (g_strcmp0(disk->info.alias, alias) != 0)
            continue;
        if (disk->bus != VK_DISK_BUS_VIRTIO || disk->device != VK_DISK_DEVICE_DISK) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                            "This type of disk cannot be hot unplugged");
            return -1;
        }
        format_node = disk_format_node(obj, alias);
        found = true;
    }
    for (guint i = 0; i < obj->def->nets->len && !found; i++) {
        VkDomainNetDef *net = g_ptr_array_index(obj->def->nets, i);
        found = net->type != VK_NET_TYPE_HOSTDEV && g_strcmp0(net->info.alias, alias) == 0;
    }
    if (!found) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                        "no device found with alias %s", alias);
        return -1;
    }
    /* asked, not waited for: the device goes when QEMU says it went */
    u = unplug_begin(obj, alias, format_node, false);
    if (qmp_one_arg(obj, "device_del", "id", alias) < 0) {
        unplug_drop(u);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Media of removable drives (update-device, virsh change-media)
 *
 * As libvirt does with -blockdev: open the tray (forced), take the medium
 * out, then the new one's nodes go in (if any) and the tray closes.
 * ------------------------------------------------------------------- */

static int
open_tray(VkDomainObj *obj, const char *alias)
{
    g_autoptr(VkJson) args = vk_json_new_object();

    vk_json_object_set_string(args, "id", alias);
    vk_json_object_set_bool(args, "force", TRUE);
    return monitor_node(obj, "blockdev-open-tray", args, NULL, NULL);
}

/* The old medium's nodes, once QEMU let go of them. */
static void
delete_medium_nodes(VkDomainObj *obj, const char *format_node)
{
    g_autofree char *storage = storage_node_of(format_node);

    if (!format_node)
        return;
    qmp_cleanup(obj, "blockdev-del", "node-name", format_node);
    if (storage)
        qmp_cleanup(obj, "blockdev-del", "node-name", storage);
}

/* DISK's medium (in the definition already) into its open drive. */
static int
insert_medium(VkDomainObj *obj, VkDomainDiskDef *disk)
{
    g_autoptr(GPtrArray) objects = NULL;
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *format_node = NULL;
    int node;

    if ((node = next_node_index(obj)) < 0 ||
        !(objects = vk_qemu_command_disk_objects(obj->def, disk, (guint) node)))
        return -1;
    for (guint i = 0; i + 1 < objects->len; i += 2) {
        if (g_str_equal(g_ptr_array_index(objects, i), "-blockdev")) {
            g_ptr_array_add(nodes, g_ptr_array_index(objects, i));
            g_ptr_array_add(nodes, g_ptr_array_index(objects, i + 1));
        }
    }
    if (plug_objects(obj, nodes) < 0)
        return -1;
    vk_qemu_process_note_medium(disk, (guint) node);
    format_node = vk_qemu_format_node_name((guint) node);
    vk_json_object_set_string(args, "id", disk->info.alias);
    vk_json_object_set_string(args, "node-name", format_node);
    if (monitor_node(obj, "blockdev-insert-medium", args, NULL, NULL) < 0) {
        delete_medium_nodes(obj, format_node);
        return -1;
    }
    return 0;
}

int
vk_qemu_hotplug_change_media(VkDomainObj *obj, VkDomainDiskDef *newdisk)
{
    VkDomainDiskDef *disk;
    g_autofree char *old_node = NULL;
    int pos;

    if (!vk_qemu_process_monitor(obj) ||
        (pos = vk_domain_def_find_media_change(obj->def, newdisk)) < 0 ||
        vk_qemu_volumes_resolve(vk_qemu_driver()->storaged, newdisk) < 0 ||
        check_source_exists(newdisk) < 0)
        return -1;
    vk_qemu_name_devices(obj->def);
    disk = g_ptr_array_index(obj->def->disks, pos);
    old_node = disk_format_node(obj, disk->info.alias);
    if (open_tray(obj, disk->info.alias) < 0 ||
        qmp_one_arg(obj, "blockdev-remove-medium", "id", disk->info.alias) < 0)
        return -1;
    delete_medium_nodes(obj, old_node);
    vk_qemu_dac_restore_disk(vk_qemu_process_dac(obj), disk);
    vk_domain_disk_take_media(disk, newdisk);
    if (!disk->src_path) {
        /* libvirt numbers the empty medium too */
        int node = next_node_index(obj);
        vk_qemu_process_note_medium(disk, node > 0 ? (guint) node : 0);
    } else if (vk_qemu_dac_label_disk(vk_qemu_process_dac(obj), disk) < 0 ||
               insert_medium(obj, disk) < 0) {
        /* what the guest has now: an empty drive */
        g_autoptr(VkError) err = vk_error_steal();
        g_clear_pointer(&disk->src_path, g_free);
        save_status(obj);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    /* closed again, empty or not, as libvirt leaves it */
    if (qmp_one_arg(obj, "blockdev-close-tray", "id", disk->info.alias) < 0) {
        save_status(obj);
        return -1;
    }
    g_info("%s: %s now has %s", obj->def->name, disk->target_dev,
           disk->src_path ? disk->src_path : "no medium");
    save_status(obj);
    return 0;
}

/* ---------------------------------------------------------------------
 * Interfaces (update-device, virsh domif-setlink): the link goes up or
 * down, as QEMU's set_link makes the guest see it
 * ------------------------------------------------------------------- */

int
vk_qemu_hotplug_change_net(VkDomainObj *obj, const VkDomainDeviceDef *dev)
{
    VkDomainNetDef *net;
    bool up = vk_domain_net_link_up(dev->net);
    int pos;

    if (!vk_qemu_process_monitor(obj) || (pos = vk_domain_def_find_net_change(obj->def, dev)) < 0)
        return -1;
    vk_qemu_name_devices(obj->def);
    net = g_ptr_array_index(obj->def->nets, pos);
    if (vk_domain_net_link_up(net) != up) {
        g_autoptr(VkJson) args = vk_json_new_object();
        vk_json_object_set_string(args, "name", net->info.alias);
        vk_json_object_set_bool(args, "up", up);
        if (monitor_node(obj, "set_link", args, NULL, NULL) < 0)
            return -1;
    }
    net->link_state = dev->net->link_state;
    save_status(obj);
    return 0;
}
