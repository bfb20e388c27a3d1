#include "drivers/qemu/process.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "common/conf/domain-xml.h"
#include "drivers/qemu/command-line.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/events.h"
#include "drivers/qemu/hotplug.h"
#include "drivers/qemu/iotune.h"
#include "common/conf/net-update.h"
#include "drivers/qemu/console.h"
#include "drivers/qemu/cpu-affinity.h"
#include "drivers/qemu/domain-stats.h"
#include "common/host/tap.h"

#define MONITOR_TIMEOUT_MS 30000
#define RECONNECT_TIMEOUT_MS 3000

/* ---------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------- */

/* A process exists and is not a zombie.  QEMU is not our child (it is
 * spawned through an intermediate process), so /proc is the way to ask. */
static bool
pid_alive(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int) pid);
    g_autofree char *stat = NULL;
    const char *end;

    if (pid <= 0 || !g_file_get_contents(path, &stat, NULL, NULL))
        return false;
    end = strrchr(stat, ')');
    return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/* Whether PID runs a QEMU binary (so a recycled pid is not taken for it). */
static bool
pid_is_qemu(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int) pid);
    g_autofree char *cmdline = NULL;

    return pid_alive(pid) && g_file_get_contents(path, &cmdline, NULL, NULL) &&
           strstr(cmdline, "qemu") != NULL;
}

static void
wait_gone(pid_t pid, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms && pid_alive(pid); waited += 10)
        g_usleep(10 * 1000);
}

/* SIGTERM, then SIGKILL when QEMU does not go within a few seconds. */
static void
kill_qemu(pid_t pid)
{
    if (!pid_alive(pid))
        return;
    kill(pid, SIGTERM);
    wait_gone(pid, 5000);
    if (pid_alive(pid)) {
        g_warning("QEMU pid %d ignored SIGTERM: killing it", (int) pid);
        kill(pid, SIGKILL);
        wait_gone(pid, 5000);
    }
}

static void
remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, entry, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            remove_tree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}

static char *
log_path(VkQemuDriver *driver, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".log", NULL);
    return g_build_filename(driver->paths->log_dir, "qemu", file, NULL);
}

/* What QEMU wrote to its log since OFFSET, for an error message. */
static char *
log_since(const char *path, goffset offset)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &text, &len, NULL) || (gsize) offset >= len)
        return g_strdup("");
    return g_strstrip(g_strdup(text + offset));
}

static void
runtime_free(VkQemuRuntime *rt)
{
    if (!rt)
        return;
    if (rt->monitor)
        vk_qmp_close(rt->monitor);
    g_free(rt->monitor_path);
    g_free(rt->priv_dir);
    g_free(rt);
}

/* Disks whose file must exist before QEMU starts: libvirt checks them
 * first, so a typo is reported as such rather than as a QEMU failure. */
static int
check_storage(const VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        const char *path = disk->src_path;

        if (!path || (disk->type != VK_DISK_TYPE_FILE && disk->type != VK_DISK_TYPE_BLOCK))
            continue;
        if (access(path, F_OK) < 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno, "Cannot access storage file '%s'",
                                  path);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Graphics ports: autoport picks the first free port from 5900, as
 * libvirt does, and remembers it until the guest stops so that two guests
 * starting at once do not get the same one.
 * ------------------------------------------------------------------- */

#define GRAPHICS_PORT_MIN 5900
#define GRAPHICS_PORT_MAX 65535

static GMutex ports_lock;
static GHashTable *ports_used;

static bool
port_bindable(int port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port),
                                .sin_addr.s_addr = htonl(INADDR_ANY) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok;

    if (fd < 0)
        return false;
    ok = bind(fd, (struct sockaddr *) &addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

static bool
graphics_wants_port(const VkDomainGraphicsDef *g)
{
    bool tcp = !g->listen_socket && g->listen_type != VK_GRAPHICS_LISTEN_SOCKET &&
               g->listen_type != VK_GRAPHICS_LISTEN_NONE;
    return tcp && (g->type == VK_GRAPHICS_VNC || g->type == VK_GRAPHICS_SPICE) &&
           (g->autoport == VK_TRISTATE_ON || g->port <= 0);
}

static int
allocate_graphics_ports(VkDomainDef *def)
{
    g_mutex_lock(&ports_lock);
    if (!ports_used)
        ports_used = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < def->graphics->len; i++) {
        VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        int port;

        if (!graphics_wants_port(g))
            continue;
        for (port = GRAPHICS_PORT_MIN; port <= GRAPHICS_PORT_MAX; port++)
            if (!g_hash_table_contains(ports_used, GINT_TO_POINTER(port)) && port_bindable(port))
                break;
        if (port > GRAPHICS_PORT_MAX) {
            g_mutex_unlock(&ports_lock);
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "Unable to find an unused port for graphics");
            return -1;
        }
        g_hash_table_add(ports_used, GINT_TO_POINTER(port));
        g->port = port;
        g->autoport = VK_TRISTATE_ON;
    }
    g_mutex_unlock(&ports_lock);
    return 0;
}

/* A reconnected guest keeps the ports it has. */
static void
reserve_graphics_ports(const VkDomainDef *def)
{
    g_mutex_lock(&ports_lock);
    if (!ports_used)
        ports_used = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < def->graphics->len; i++) {
        const VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->autoport == VK_TRISTATE_ON && g->port > 0)
            g_hash_table_add(ports_used, GINT_TO_POINTER(g->port));
    }
    g_mutex_unlock(&ports_lock);
}

static void
release_graphics_ports(const VkDomainDef *def)
{
    g_mutex_lock(&ports_lock);
    for (guint i = 0; ports_used && i < def->graphics->len; i++) {
        const VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->autoport == VK_TRISTATE_ON && g->port > 0)
            g_hash_table_remove(ports_used, GINT_TO_POINTER(g->port));
    }
    g_mutex_unlock(&ports_lock);
}

/* ---------------------------------------------------------------------
 * What QEMU tells us: events and EOF arrive on the monitor's reader
 * thread and are handled, in order, on the driver's event thread, where
 * taking the domain's lock and job is allowed.
 * ------------------------------------------------------------------- */

typedef enum {
    MONITOR_EVENT_SHUTDOWN,
    MONITOR_EVENT_RESET,
    MONITOR_EVENT_GUEST_PANICKED,
    MONITOR_EVENT_TRAY_MOVED,
    MONITOR_EVENT_BALLOON_CHANGE,
    MONITOR_EVENT_EOF,
} VkMonitorEventKind;

typedef struct {
    VkDomainObj *obj;
    VkQmp *monitor;      /* only compared: the event belongs to this run */
    VkMonitorEventKind kind;
    bool guest;          /* SHUTDOWN, RESET: the guest asked; TRAY_MOVED: it opened */
    char *device;        /* TRAY_MOVED: the drive's qdev id */
    guint64 bytes;       /* BALLOON_CHANGE: what the guest has now */
} VkMonitorEvent;

static VkMonitorEvent *
monitor_event_new(VkDomainObj *obj, VkQmp *mon, VkMonitorEventKind kind, bool guest)
{
    VkMonitorEvent *ev = g_new0(VkMonitorEvent, 1);

    ev->obj = vk_domain_obj_ref(obj);
    ev->monitor = mon;
    ev->kind = kind;
    ev->guest = guest;
    return ev;
}

static void
queue_monitor_event(VkDomainObj *obj, VkQmp *mon, VkMonitorEventKind kind, bool guest)
{
    g_thread_pool_push(vk_qemu_driver()->monitor_events,
                       monitor_event_new(obj, mon, kind, guest), NULL);
}

static void
on_monitor_event(VkQmp *mon, const char *name, const VkJson *data, gboolean guest,
                 gint64 timestamp_us, gpointer opaque)
{
    if (g_str_equal(name, "SHUTDOWN"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_SHUTDOWN, guest);
    else if (g_str_equal(name, "RESET"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_RESET, guest);
    /* only a guest with a <panic> device and a driver for it reports this */
    else if (g_str_equal(name, "GUEST_PANICKED"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_GUEST_PANICKED, guest);
    else if (g_str_equal(name, "DEVICE_TRAY_MOVED")) {
        VkMonitorEvent *ev = monitor_event_new(opaque, mon, MONITOR_EVENT_TRAY_MOVED,
                                               vk_json_object_get_bool(data, "tray-open", FALSE));
        ev->device = g_strdup(vk_json_object_get_string(data, "id", ""));
        g_thread_pool_push(vk_qemu_driver()->monitor_events, ev, NULL);
    } else if (g_str_equal(name, "BALLOON_CHANGE")) {
        VkMonitorEvent *ev = monitor_event_new(opaque, mon, MONITOR_EVENT_BALLOON_CHANGE, false);
        ev->bytes = (guint64) vk_json_object_get_int(data, "actual", 0);
        g_thread_pool_push(vk_qemu_driver()->monitor_events, ev, NULL);
    }
    /* hotplug: a detach waits for this one; handled there, not queued here */
    else if (g_str_equal(name, "DEVICE_DELETED"))
        vk_qemu_hotplug_device_deleted(opaque, mon,
                                       vk_json_object_get_string(data, "device", NULL));
}

static void
on_monitor_eof(VkQmp *mon, gpointer opaque)
{
    queue_monitor_event(opaque, mon, MONITOR_EVENT_EOF, false);
}

static const VkQmpCallbacks monitor_callbacks = {
    .event = on_monitor_event,
    .eof = on_monitor_eof,
    .dispose = (void (*)(gpointer)) vk_domain_obj_unref,
};

static void
emit(VkDomainObj *obj, int event, int detail)
{
    vk_qemu_event_lifecycle(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                            obj->def->id, event, detail);
}

/* Stop OBJ after QEMU went away or the guest powered off, and drop a
 * transient domain from the list. */
static void
finish_stopped(VkDomainObj *obj, int reason, int event_detail)
{
    emit(obj, VIR_DOMAIN_EVENT_STOPPED, event_detail);
    vk_qemu_process_stop(obj, reason);
    if (!obj->persistent)
        vk_domain_list_remove(vk_qemu_driver()->domains, obj);
}

/* Start the guest over in the same QEMU: reset the machine, run the vCPUs. */
static int
reset_and_continue(VkDomainObj *obj)
{
    if (vk_qemu_process_monitor_command(obj, "system_reset", NULL) < 0 ||
        vk_qemu_process_monitor_command(obj, "cont", NULL) < 0)
        return -1;
    return 0;
}

static void
handle_shutdown(VkDomainObj *obj, VkQemuRuntime *rt, bool guest)
{
    rt->got_shutdown = true;
    if (rt->fake_reboot) {
        /* virsh reboot: the guest shut down for us; start it over. */
        rt->fake_reboot = false;
        rt->got_shutdown = false;
        if (reset_and_continue(obj) == 0) {
            vk_qemu_event_reboot(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                                 obj->def->id);
            return;
        }
        g_warning("%s: reboot failed: %s", obj->def->name, vk_error_last_message());
    }
    emit(obj, VIR_DOMAIN_EVENT_SHUTDOWN, guest ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    /* QEMU runs with -no-shutdown: it waits for us to act on on_poweroff. */
    bool restart = obj->def->on_poweroff == VK_LIFECYCLE_RESTART;
    finish_stopped(obj, VK_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    if (restart && obj->persistent && vk_qemu_process_start(obj, false) < 0)
        g_warning("%s: restart after power off failed: %s", obj->def->name,
                  vk_error_last_message());
}

/* on_crash restart: libvirt starts a panicked guest over in the same QEMU
 * (a reset), and says so in the running reason. */
static void
restart_after_panic(VkDomainObj *obj)
{
    if (reset_and_continue(obj) < 0) {
        g_warning("%s: restart after a panic failed: %s", obj->def->name,
                  vk_error_last_message());
        finish_stopped(obj, VK_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        return;
    }
    vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_CRASHED);
    emit(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    if (vk_qemu_process_save_status(obj) < 0)
        g_warning("%s: cannot save the running state: %s", obj->def->name,
                  vk_error_last_message());
}

/* The guest panicked.  QEMU runs with -no-shutdown, so it has stopped the
 * vCPUs (panic action "pause") and waits for us to act on <on_crash>, as
 * libvirt does: the domain is crashed (panicked) first, whatever comes next. */
static void
handle_guest_panic(VkDomainObj *obj)
{
    VkLifecycleAction action = obj->def->on_crash;

    g_info("%s: the guest panicked; on_crash %s", obj->def->name,
           vk_lifecycle_action_to_string(action));
    vk_domain_obj_set_state(obj, VK_DOMAIN_CRASHED, VK_CRASHED_PANICKED);
    emit(obj, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    if (vk_qemu_process_save_status(obj) < 0)
        g_warning("%s: cannot save the crashed state: %s", obj->def->name,
                  vk_error_last_message());

    /* No memory dumps here: the coredump-* actions act as their plain forms. */
    if (action == VK_LIFECYCLE_DESTROY || action == VK_LIFECYCLE_COREDUMP_DESTROY) {
        finish_stopped(obj, VK_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    } else if (action == VK_LIFECYCLE_RESTART || action == VK_LIFECYCLE_COREDUMP_RESTART) {
        restart_after_panic(obj);
    }
    /* preserve: it stays crashed, with its QEMU, until destroyed */
}

/* The guest gave memory back or took it: the live definition's current
 * memory follows (dominfo's "Used memory"), as libvirt's does. */
static void
handle_balloon_change(VkDomainObj *obj, guint64 bytes)
{
    obj->def->current_memory_kib = bytes / 1024;
    vk_qemu_event_balloon_change(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                                 obj->def->id, bytes / 1024);
    if (vk_qemu_process_save_status(obj) < 0)
        g_warning("%s: cannot save the status: %s", obj->def->name, vk_error_last_message());
}

static void
handle_monitor_event(gpointer data, gpointer user_data)
{
    VkMonitorEvent *ev = data;
    VkDomainObj *obj = ev->obj;
    VkQemuRuntime *rt;

    vk_domain_obj_lock(obj);
    vk_domain_obj_begin_internal_job(obj);
    rt = obj->runtime;
    if (!rt || rt->monitor != ev->monitor || rt->stopping || !vk_domain_obj_is_active(obj))
        goto out;   /* an event of a run that has ended, or that we are ending */

    switch (ev->kind) {
    case MONITOR_EVENT_SHUTDOWN:
        handle_shutdown(obj, rt, ev->guest);
        break;
    case MONITOR_EVENT_RESET:
        vk_qemu_event_reboot(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                             obj->def->id);
        break;
    case MONITOR_EVENT_GUEST_PANICKED:
        handle_guest_panic(obj);
        break;
    case MONITOR_EVENT_TRAY_MOVED:
        vk_qemu_event_tray_change(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                                  obj->def->id, ev->device, ev->guest);
        break;
    case MONITOR_EVENT_BALLOON_CHANGE:
        handle_balloon_change(obj, ev->bytes);
        break;
    case MONITOR_EVENT_EOF:
        g_info("%s: QEMU went away (%s)", obj->def->name,
               rt->got_shutdown ? "after a shutdown" : "crashed");
        if (rt->got_shutdown)
            finish_stopped(obj, VK_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
        else
            finish_stopped(obj, VK_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_FAILED);
        break;
    }
out:
    vk_error_reset();
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    vk_domain_obj_unref(obj);
    g_free(ev->device);
    g_free(ev);
}

void
vk_qemu_process_init_events(VkQemuDriver *driver)
{
    /* One thread: events of a domain are handled in the order QEMU sent them. */
    driver->monitor_events = g_thread_pool_new(handle_monitor_event, NULL, 1, FALSE, NULL);
}

/* ---------------------------------------------------------------------
 * Status files
 * ------------------------------------------------------------------- */

int
vk_qemu_process_save_status(VkDomainObj *obj)
{
    VkQemuDriver *driver = vk_qemu_driver();
    VkQemuRuntime *rt = obj->runtime;
    g_autofree char *domain_xml = vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_SECURE);
    g_autoptr(GString) xml = g_string_new(NULL);

    if (!domain_xml)
        return -1;
    g_string_append_printf(xml, "<domstatus state='%d' reason='%d' pid='%d' persistent='%s'>\n",
                           obj->state, obj->reason, (int) obj->pid,
                           obj->persistent ? "yes" : "no");
    g_string_append(xml, "  <monitor path='");
    vk_xml_escape_append(xml, rt->monitor_path);
    g_string_append(xml, "'/>\n  <privdir path='");
    vk_xml_escape_append(xml, rt->priv_dir);
    g_string_append(xml, "'/>\n");
    vk_xml_append_indented(xml, domain_xml, 2);
    g_string_append(xml, "</domstatus>\n");
    return vk_store_save_status(driver->store, obj->def->name, xml->str);
}

typedef struct {
    int state, reason;
    pid_t pid;
    bool persistent;
    char *monitor_path;
    char *priv_dir;
    VkDomainDef *def;
} VkStatus;

static void
status_clear(VkStatus *st)
{
    g_free(st->monitor_path);
    g_free(st->priv_dir);
    vk_domain_def_free(st->def);
}

static char *
attr(xmlNodePtr node, const char *name)
{
    xmlChar *value = xmlGetProp(node, (const xmlChar *) name);
    char *copy = value ? g_strdup((const char *) value) : NULL;

    xmlFree(value);
    return copy;
}

static int
read_status(const char *path, VkStatus *st)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    g_autofree char *state = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *pid = NULL;
    g_autofree char *persistent = NULL;
    int rc = -1;

    memset(st, 0, sizeof(*st));
    if (!root || !xmlStrEqual(root->name, (const xmlChar *) "domstatus"))
        goto out;
    state = attr(root, "state");
    reason = attr(root, "reason");
    pid = attr(root, "pid");
    persistent = attr(root, "persistent");
    st->state = state ? atoi(state) : VK_DOMAIN_RUNNING;
    st->reason = reason ? atoi(reason) : 0;
    st->pid = pid ? atoi(pid) : 0;
    st->persistent = g_strcmp0(persistent, "yes") == 0;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, (const xmlChar *) "monitor")) {
            st->monitor_path = attr(n, "path");
        } else if (xmlStrEqual(n->name, (const xmlChar *) "privdir")) {
            st->priv_dir = attr(n, "path");
        } else if (xmlStrEqual(n->name, (const xmlChar *) "domain")) {
            xmlBufferPtr buf = xmlBufferCreate();
            xmlNodeDump(buf, doc, n, 0, 0);
            st->def = vk_domain_def_parse_string((const char *) xmlBufferContent(buf), 0);
            xmlBufferFree(buf);
        }
    }
    rc = st->def && st->monitor_path && st->pid > 0 ? 0 : -1;
out:
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

/* ---------------------------------------------------------------------
 * Start and stop
 * ------------------------------------------------------------------- */

static void
child_setup(gpointer data)
{
    /* Its own session: signals meant for the daemon never reach QEMU. */
    setsid();
}

static int
spawn_qemu(VkQemuCommand *cmd, int log_fd, GPid *pid)
{
    g_autoptr(GError) gerr = NULL;
    guint n_fds = cmd->pass_fds->len;

    if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *) cmd->argv->pdata,
                                          (const char *const *) cmd->env->pdata,
                                          G_SPAWN_DEFAULT, child_setup, NULL,
                                          -1, log_fd, log_fd,
                                          (const int *) cmd->pass_fds->data,
                                          (const int *) cmd->pass_fds->data, n_fds,
                                          pid, NULL, NULL, NULL, &gerr)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot start QEMU: %s",
                        gerr->message);
        return -1;
    }
    return 0;
}

/* Undo a start that did not get through. */
static void
abort_start(VkDomainObj *obj)
{
    g_autoptr(VkError) err = vk_error_steal();

    vk_qemu_process_stop(obj, VK_SHUTOFF_FAILED);
    vk_error_set(g_steal_pointer(&err));
}

static void close_taps(GArray *fds);

int
vk_qemu_process_open_bridge_tap(VkDomainNetDef *net)
{
    char *ifname = NULL;
    int fd = vk_tap_create_on_bridge(net->src_bridge, net->mac,
                                     g_strcmp0(net->model, "virtio") == 0, &ifname);

    if (fd < 0)
        return -1;
    g_free(net->target_dev);
    net->target_dev = ifname;
    return fd;
}

/* Taps for the interfaces on host bridges; QEMU gets their fds. */
static GArray *
open_taps(VkDomainDef *def)
{
    GArray *fds = g_array_new(FALSE, TRUE, sizeof(VkQemuNetFds));

    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        VkQemuNetFds f = { .tap_fd = -1, .vhost_fd = -1 };

        if (net->type == VK_NET_TYPE_BRIDGE &&
            (f.tap_fd = vk_qemu_process_open_bridge_tap(net)) < 0) {
            close_taps(fds);
            return NULL;
        }
        g_array_append_val(fds, f);
    }
    return fds;
}

static void
close_taps(GArray *fds)
{
    for (guint i = 0; fds && i < fds->len; i++) {
        VkQemuNetFds *f = &g_array_index(fds, VkQemuNetFds, i);
        if (f->tap_fd >= 0)
            close(f->tap_fd);
    }
    if (fds)
        g_array_free(fds, TRUE);
}

static bool
kvm_usable(const VkDomainDef *def)
{
    return def->virt_type == VK_VIRT_KVM && access("/dev/kvm", R_OK | W_OK) == 0;
}

/* Interfaces whose <link state='down'/>: QEMU's command line cannot say
 * so, so their links go down before the guest runs, as libvirt does it. */
static int
set_links_down(VkDomainObj *obj)
{
    for (guint i = 0; i < obj->def->nets->len; i++) {
        const VkDomainNetDef *net = g_ptr_array_index(obj->def->nets, i);
        g_autoptr(VkJson) args = NULL;

        if (vk_domain_net_link_up(net))
            continue;
        args = vk_json_new_object();
        vk_json_object_set_string(args, "name", net->info.alias);
        vk_json_object_set_bool(args, "up", FALSE);
        if (vk_qemu_process_monitor_query(obj, "set_link", args, NULL) < 0)
            return -1;
    }
    return 0;
}

/* VNC and SPICE passwords: the command line only says there is one (so no
 * other local user can read it from /proc), QMP sets it before the guest
 * runs and lets it never expire, as libvirt does. */
static int
set_graphics_passwords(VkDomainObj *obj)
{
    for (guint i = 0; i < obj->def->graphics->len; i++) {
        const VkDomainGraphicsDef *g = g_ptr_array_index(obj->def->graphics, i);
        g_autoptr(VkJson) set = NULL;
        g_autoptr(VkJson) expire = NULL;

        if (!g->passwd || (g->type != VK_GRAPHICS_VNC && g->type != VK_GRAPHICS_SPICE))
            continue;
        set = vk_json_new_object();
        vk_json_object_set_string(set, "protocol", vk_graphics_type_to_string(g->type));
        vk_json_object_set_string(set, "password", g->passwd);
        vk_json_object_set_string(set, "connected", "keep");
        expire = vk_json_new_object();
        vk_json_object_set_string(expire, "protocol", vk_graphics_type_to_string(g->type));
        vk_json_object_set_string(expire, "time", "never");
        if (vk_qemu_process_monitor_query(obj, "set_password", set, NULL) < 0 ||
            vk_qemu_process_monitor_query(obj, "expire_password", expire, NULL) < 0)
            return -1;
    }
    return 0;
}

void
vk_qemu_process_note_medium(VkDomainDiskDef *disk, guint node)
{
    disk->src_index = node;
    disk->src_no_backing = disk->src_path &&
                           vk_stats_image_has_backing(disk->src_path, disk->driver_type) == 0;
}

/* What the live XML says of each disk's medium in QEMU (see command-line.c
 * for the node numbers). */
static void
note_media(VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (disk->src_path)
            vk_qemu_process_note_medium(disk, vk_qemu_disk_node_index(def, i));
    }
}

/* INCOMING: -incoming defer, see vk_qemu_process_start_incoming();
 * FROM_SNAPSHOT (with -loadvm LOADVM when not NULL): see
 * vk_qemu_process_start_from_snapshot(). */
static int
process_start(VkDomainObj *obj, bool paused, bool incoming, bool from_snapshot,
              const char *loadvm)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(VkQemuCommand) cmd = NULL;
    g_autofree char *log = NULL;
    g_autofree char *dir_name = NULL;
    g_autofree char *line = NULL;
    VkQemuRuntime *rt;
    VkQemuCommandOptions opts = { 0 };
    GArray *taps;
    goffset log_offset;
    GPid pid;
    int log_fd;

    if (vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is already running");
        return -1;
    }
    if (check_storage(obj->def) < 0) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_SHUTOFF, VK_SHUTOFF_FAILED);
        return -1;
    }

    /* The live definition is a copy: changes to the config while the guest
     * runs must not reach it, and the other way round. */
    if (obj->persistent) {
        g_autofree char *xml = vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_INACTIVE |
                                                                      VK_DOMAIN_FORMAT_SECURE);
        VkDomainDef *live = xml ? vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE) : NULL;
        if (!live)
            return -1;
        obj->new_def = obj->def;
        obj->def = live;
    }
    vk_domain_list_set_id(driver->domains, obj, vk_object_list_next_id(driver->domains));
    /* The live XML names the devices as QEMU knows them. */
    vk_qemu_name_devices(obj->def);
    note_media(obj->def);

    rt = obj->runtime = g_new0(VkQemuRuntime, 1);
    dir_name = vk_qemu_domain_dir_name(obj->def->id, obj->def->name);
    rt->priv_dir = g_build_filename(driver->paths->state_dir, "qemu", dir_name, NULL);
    rt->monitor_path = g_build_filename(rt->priv_dir, "monitor.sock", NULL);
    log = log_path(driver, obj->def->name);
    if (vk_file_make_dirs(rt->priv_dir, 0750) < 0) {
        abort_start(obj);
        return -1;
    }
    g_autofree char *log_dir = g_path_get_dirname(log);
    if (vk_file_make_dirs(log_dir, 0755) < 0) {
        abort_start(obj);
        return -1;
    }

    if (allocate_graphics_ports(obj->def) < 0) {
        abort_start(obj);
        return -1;
    }
    if (!(taps = open_taps(obj->def))) {
        abort_start(obj);
        return -1;
    }
    opts.net_fds = (const VkQemuNetFds *) taps->data;
    opts.n_net_fds = taps->len;
    opts.emulator = obj->def->emulator;
    opts.monitor_path = rt->monitor_path;
    opts.kvm = kvm_usable(obj->def);
    opts.id = obj->def->id;
    opts.priv_dir = rt->priv_dir;
    opts.log_path = log;
    opts.incoming = incoming ? "defer" : NULL;
    opts.loadvm = loadvm;
    cmd = vk_qemu_command_build(obj->def, &opts);
    if (!cmd) {
        close_taps(taps);
        abort_start(obj);
        return -1;
    }

    log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot open log file '%s'", log);
        close_taps(taps);
        abort_start(obj);
        return -1;
    }
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f%z");
    g_autofree char *cmdline = vk_qemu_command_to_string(cmd);
    line = g_strdup_printf("%s: starting up (Virtkit)%s\n%s\n", stamp,
                           opts.kvm ? "" : ", no KVM: TCG", cmdline);
    if (write(log_fd, line, strlen(line)) < 0)
        g_warning("cannot write to '%s': %s", log, g_strerror(errno));
    log_offset = lseek(log_fd, 0, SEEK_END);

    int spawned = spawn_qemu(cmd, log_fd, &pid);
    close(log_fd);
    close_taps(taps);   /* QEMU has its own copies now */
    if (spawned < 0) {
        abort_start(obj);
        return -1;
    }
    obj->pid = pid;

    /* QEMU may take a while to come up: others may look at the domain
     * meanwhile (the job keeps changes out). */
    g_autofree char *name = g_strdup(obj->def->name);
    vk_domain_obj_unlock(obj);
    VkQmp *mon = vk_qmp_open(rt->monitor_path, pid, name, MONITOR_TIMEOUT_MS,
                             &monitor_callbacks, vk_domain_obj_ref(obj));
    vk_domain_obj_lock(obj);
    rt->monitor = mon;
    if (!rt->monitor) {
        g_autofree char *output = log_since(log, log_offset);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "process exited while connecting to monitor: %s",
                        *output ? output : vk_error_last_message());
        abort_start(obj);
        return -1;
    }
    /* on_reboot destroy: a guest reboot ends the guest (QEMU reports it as
     * a shutdown), as libvirt sets it up. */
    if (obj->def->on_reboot == VK_LIFECYCLE_DESTROY &&
        vk_qemu_process_monitor_command(obj, "set-action", "{\"reboot\":\"shutdown\"}") < 0) {
        abort_start(obj);
        return -1;
    }
    if (vk_qemu_console_read_ptys(obj) < 0 || set_links_down(obj) < 0 ||
        set_graphics_passwords(obj) < 0 ||
        vk_qemu_apply_cpu_affinity(obj) < 0 || vk_qemu_iotune_apply_all(obj) < 0) {
        abort_start(obj);
        return -1;
    }
    if (incoming) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_MIGRATION);
        return 0;   /* the caller loads the state and goes on */
    }
    if (from_snapshot) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_FROM_SNAPSHOT);
        return 0;   /* the caller resumes it (or not) and tells the clients */
    }
    if (!paused && vk_qemu_process_monitor_command(obj, "cont", NULL) < 0) {
        abort_start(obj);
        return -1;
    }
    if (paused)
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_USER);
    else
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_BOOTED);
    if (vk_qemu_process_save_status(obj) < 0) {
        abort_start(obj);
        return -1;
    }
    if (!paused)
        emit(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    emit(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        emit(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

int
vk_qemu_process_start(VkDomainObj *obj, bool paused)
{
    return process_start(obj, paused, false, false, NULL);
}

int
vk_qemu_process_start_incoming(VkDomainObj *obj)
{
    return process_start(obj, true, true, false, NULL);
}

int
vk_qemu_process_start_from_snapshot(VkDomainObj *obj, const char *snapshot)
{
    return process_start(obj, true, false, true, snapshot);
}

void
vk_qemu_process_stop(VkDomainObj *obj, int reason)
{
    VkQemuDriver *driver = vk_qemu_driver();
    VkQemuRuntime *rt = obj->runtime;
    g_autofree char *status = vk_store_status_path(driver->store, obj->def->name);

    if (rt)
        rt->stopping = true;
    if (obj->pid > 0) {
        /* Waiting for QEMU to exit takes up to seconds: not under the lock. */
        vk_domain_obj_unlock(obj);
        kill_qemu(obj->pid);
        vk_domain_obj_lock(obj);
    }
    if (rt && rt->priv_dir)
        remove_tree(rt->priv_dir);
    runtime_free(rt);
    obj->runtime = NULL;
    obj->pid = 0;
    g_unlink(status);
    if (vk_domain_obj_is_active(obj))
        release_graphics_ports(obj->def);
    vk_domain_list_set_id(driver->domains, obj, -1);
    if (obj->new_def) {
        vk_domain_def_free(obj->def);
        obj->def = g_steal_pointer(&obj->new_def);
        obj->def->id = -1;
    }
    vk_domain_obj_set_state(obj, VK_DOMAIN_SHUTOFF, reason);
}

int
vk_qemu_process_monitor_command(VkDomainObj *obj, const char *command, const char *args)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    int rc;

    if (!mon)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute(mon, command, args, NULL);
    vk_domain_obj_lock(obj);
    return rc;
}

int
vk_qemu_process_monitor_query(VkDomainObj *obj, const char *command, const VkJson *args,
                              VkJson **reply)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    int rc;

    if (!mon)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute_node(mon, command, args, reply, NULL);
    vk_domain_obj_lock(obj);
    return rc;
}

VkQmp *
vk_qemu_process_monitor(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!vk_domain_obj_is_active(obj) || !rt || !rt->monitor) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is not running");
        return NULL;
    }
    return rt->monitor;
}

/* ---------------------------------------------------------------------
 * Daemon restart
 * ------------------------------------------------------------------- */

/* Bring one guest back from its status file; false when its QEMU is gone. */
static bool
reconnect(VkQemuDriver *driver, VkStatus *st)
{
    g_autoptr(VkDomainObj) obj = NULL;
    VkQemuRuntime *rt;
    bool existed = false;
    int id = st->def->id;

    if (!pid_is_qemu(st->pid))
        return false;
    obj = vk_domain_list_find_by_name(driver->domains, st->def->name);
    if (obj) {
        vk_domain_obj_lock(obj);
        obj->new_def = obj->def;
        obj->def = g_steal_pointer(&st->def);
        existed = true;
    } else {
        vk_error_reset();
        if (!(obj = vk_domain_list_add(driver->domains, st->def, &existed)))
            return false;
        st->def = NULL;
        vk_domain_obj_lock(obj);
    }
    obj->persistent = existed && st->persistent;
    obj->pid = st->pid;
    rt = obj->runtime = g_new0(VkQemuRuntime, 1);
    rt->monitor_path = g_strdup(st->monitor_path);
    rt->priv_dir = g_strdup(st->priv_dir);
    vk_domain_list_set_id(driver->domains, obj, id);
    vk_domain_obj_set_state(obj, st->state, st->reason);
    reserve_graphics_ports(obj->def);
    rt->monitor = vk_qmp_open(rt->monitor_path, st->pid, obj->def->name, RECONNECT_TIMEOUT_MS,
                              &monitor_callbacks, vk_domain_obj_ref(obj));
    if (!rt->monitor) {
        g_warning("%s: cannot reconnect to QEMU pid %d: %s", obj->def->name, (int) st->pid,
                  vk_error_last_message());
        rt->stopping = true;
        vk_qemu_process_stop(obj, VK_SHUTOFF_CRASHED);
        bool transient = !obj->persistent;
        vk_domain_obj_unlock(obj);
        if (transient)
            vk_domain_list_remove(driver->domains, obj);
        return true;
    }
    g_info("%s: reconnected to QEMU pid %d", obj->def->name, (int) st->pid);
    vk_domain_obj_unlock(obj);
    return true;
}

void
vk_qemu_process_reconnect_all(void)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(GPtrArray) paths = vk_store_status_files(driver->store);

    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        VkStatus st;

        if (read_status(path, &st) < 0) {
            g_warning("ignoring the unreadable status file '%s'", path);
            g_unlink(path);
            status_clear(&st);
            continue;
        }
        if (!reconnect(driver, &st)) {
            /* QEMU died while we were away: a persistent guest is shown shut
             * off (crashed); a transient one is gone. */
            g_autoptr(VkDomainObj) obj = NULL;
            g_info("%s: QEMU pid %d is gone", st.def ? st.def->name : path, (int) st.pid);
            if (st.def && (obj = vk_domain_list_find_by_name(driver->domains, st.def->name))) {
                vk_domain_obj_lock(obj);
                vk_domain_obj_set_state(obj, VK_DOMAIN_SHUTOFF, VK_SHUTOFF_CRASHED);
                vk_domain_obj_unlock(obj);
            }
            vk_error_reset();
            if (st.priv_dir)
                remove_tree(st.priv_dir);
            g_unlink(path);
        }
        status_clear(&st);
    }
}

void
vk_qemu_process_detach_all(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        VkQemuRuntime *rt;

        vk_domain_obj_lock(obj);
        rt = obj->runtime;
        if (rt && rt->monitor)
            g_clear_pointer(&rt->monitor, vk_qmp_close);
        vk_domain_obj_unlock(obj);
    }
}

void
vk_qemu_process_forget_all(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);

        vk_domain_obj_lock(obj);
        g_clear_pointer(&obj->runtime, runtime_free);
        vk_domain_obj_unlock(obj);
    }
}

bool
vk_qemu_process_any_running(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);
    bool running = false;

    for (guint i = 0; i < all->len && !running; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        running = vk_domain_obj_is_active(obj);
        vk_domain_obj_unlock(obj);
    }
    return running;
}
