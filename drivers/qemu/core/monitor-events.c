/* What QEMU tells us about a guest (monitor-events.h). */
#include "drivers/qemu/core/monitor-events.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/block-job.h"
#include "drivers/qemu/core/domain-start.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/guest-agent.h"
#include "drivers/qemu/core/pm-events.h"
#include "drivers/qemu/core/hotplug.h"
#include "drivers/qemu/core/process.h"

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
    MONITOR_EVENT_JOB_STATUS,
    MONITOR_EVENT_SERIAL_CHANGE,
    MONITOR_EVENT_SUSPEND,
    MONITOR_EVENT_WAKEUP,
} VkMonitorEventKind;

typedef struct {
    VkDomainObj *obj;
    VkQmp *monitor;      /* only compared: the event belongs to this run */
    VkMonitorEventKind kind;
    bool guest;          /* SHUTDOWN, RESET: the guest asked; TRAY_MOVED: it opened;
                          * SERIAL_CHANGE: the guest opened the port */
    char *device;        /* TRAY_MOVED: the drive's qdev id; JOB_STATUS: the job's id;
                          * SERIAL_CHANGE: the port's */
    char *status;        /* JOB_STATUS: its new status */
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

/* An event about the device (qdev id) DEVICE, with FLAG (the struct's guest). */
static void
queue_device_event(VkDomainObj *obj, VkQmp *mon, VkMonitorEventKind kind, bool flag,
                   const char *device)
{
    VkMonitorEvent *ev = monitor_event_new(obj, mon, kind, flag);

    ev->device = g_strdup(device ? device : "");
    g_thread_pool_push(vk_qemu_driver()->monitor_events, ev, NULL);
}

static void
on_monitor_event(VkQmp *mon, const char *name, const VkJson *data, gboolean guest,
                 gint64 timestamp_us, gpointer opaque)
{
    /* a guest agent command may wait for these: it is done (guest-agent.h) */
    if (g_str_equal(name, "SHUTDOWN"))
        vk_qemu_agent_notify(opaque, VK_AGENT_AWAIT_SHUTDOWN);
    else if (g_str_equal(name, "RESET"))
        vk_qemu_agent_notify(opaque, VK_AGENT_AWAIT_RESET);
    else if (g_str_equal(name, "SUSPEND"))
        vk_qemu_agent_notify(opaque, VK_AGENT_AWAIT_SUSPEND);

    if (g_str_equal(name, "SHUTDOWN"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_SHUTDOWN, guest);
    else if (g_str_equal(name, "RESET"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_RESET, guest);
    else if (g_str_equal(name, "SUSPEND"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_SUSPEND, guest);
    else if (g_str_equal(name, "WAKEUP"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_WAKEUP, guest);
    else if (g_str_equal(name, "VSERPORT_CHANGE"))
        queue_device_event(opaque, mon, MONITOR_EVENT_SERIAL_CHANGE,
                           vk_json_object_get_bool(data, "open", FALSE),
                           vk_json_object_get_string(data, "id", NULL));
    /* only a guest with a <panic> device and a driver for it reports this */
    else if (g_str_equal(name, "GUEST_PANICKED"))
        queue_monitor_event(opaque, mon, MONITOR_EVENT_GUEST_PANICKED, guest);
    else if (g_str_equal(name, "DEVICE_TRAY_MOVED"))
        queue_device_event(opaque, mon, MONITOR_EVENT_TRAY_MOVED,
                           vk_json_object_get_bool(data, "tray-open", FALSE),
                           vk_json_object_get_string(data, "id", NULL)); else if (g_str_equal(name, "BALLOON_CHANGE")) {
        VkMonitorEvent *ev = monitor_event_new(opaque, mon, MONITOR_EVENT_BALLOON_CHANGE, false);
        ev->bytes = (guint64) vk_json_object_get_int(data, "actual", 0);
        g_thread_pool_push(vk_qemu_driver()->monitor_events, ev, NULL);
    }
    else if (g_str_equal(name, "JOB_STATUS_CHANGE")) {
        VkMonitorEvent *ev = monitor_event_new(opaque, mon, MONITOR_EVENT_JOB_STATUS, false);
        ev->device = g_strdup(vk_json_object_get_string(data, "id", ""));
        ev->status = g_strdup(vk_json_object_get_string(data, "status", ""));
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

/* Stop OBJ after QEMU went away or the guest powered off, and drop a
 * transient domain from the list. */
static void
finish_stopped(VkDomainObj *obj, int reason, int event_detail)
{
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STOPPED, event_detail);
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
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SHUTDOWN, guest ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    /* QEMU runs with -no-shutdown: it waits for us to act on on_poweroff. */
    bool restart = obj->def->on_poweroff == VK_LIFECYCLE_RESTART;
    finish_stopped(obj, VK_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    if (restart && obj->persistent && vk_qemu_domain_start(obj, false) < 0)
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
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
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
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
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

    if (!(rt = vk_qemu_process_report_begin(obj, ev->monitor)))
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
    case MONITOR_EVENT_JOB_STATUS:
        if (ev->status)
            vk_qemu_block_job_status_changed(obj, ev->device, ev->status);
        else
            vk_qemu_block_jobs_check(obj);
        break;
    case MONITOR_EVENT_SUSPEND:
        vk_qemu_pm_suspended(obj);
        break;
    case MONITOR_EVENT_WAKEUP:
        vk_qemu_pm_woken(obj);
        break;
    case MONITOR_EVENT_SERIAL_CHANGE:
        vk_qemu_agent_port_changed(obj, ev->device, ev->guest);
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
    vk_qemu_process_report_end(obj);
    vk_domain_obj_unref(obj);
    g_free(ev->device);
    g_free(ev->status);
    g_free(ev);
}

void
vk_qemu_monitor_events_check_block_jobs(void *obj, void *mon)
{
    /* a job status event without a status: ask QEMU */
    queue_monitor_event(obj, mon, MONITOR_EVENT_JOB_STATUS, false);
}

void
vk_qemu_monitor_events_init(VkQemuDriver *driver)
{
    /* One thread: events of a domain are handled in the order QEMU sent them. */
    driver->monitor_events = g_thread_pool_new(handle_monitor_event, NULL, 1, FALSE, NULL);
    driver->monitor_callbacks = &monitor_callbacks;
}
