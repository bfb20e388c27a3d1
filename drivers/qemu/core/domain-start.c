/* Starting a guest (domain-start.h): QEMU launched by process.h, then the
 * steps QMP takes before the vCPUs run, then running or paused. */
#include "drivers/qemu/core/domain-start.h"

#include "common/util/error.h"
#include "common/conf/net-update.h"
#include "common/util/json.h"
#include "drivers/qemu/core/console.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/iotune.h"
#include "drivers/qemu/core/process.h"

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

/* What the command line cannot say, set while the vCPUs are still stopped. */
static int
setup_guest(VkDomainObj *obj)
{
    if (vk_qemu_console_read_ptys(obj) < 0 || set_links_down(obj) < 0 ||
        set_graphics_passwords(obj) < 0 || vk_qemu_apply_cpu_affinity(obj) < 0 ||
        vk_qemu_cgroup_setup(obj) < 0 ||
        vk_qemu_iotune_apply_all(obj) < 0)
        return -1;
    return 0;
}

/* INCOMING: -incoming defer, see vk_qemu_domain_start_incoming();
 * FROM_SNAPSHOT (with -loadvm LOADVM when not NULL): see
 * vk_qemu_domain_start_from_snapshot(). */
static int
start(VkDomainObj *obj, bool paused, bool incoming, bool from_snapshot, const char *loadvm)
{
    if (vk_qemu_process_launch(obj, incoming, loadvm) < 0)
        return -1;
    if (setup_guest(obj) < 0) {
        vk_qemu_process_abort_launch(obj);
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
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    if (paused)
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_USER);
    else
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_BOOTED);
    if (vk_qemu_process_save_status(obj) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    if (!paused)
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}


int
vk_qemu_domain_start(VkDomainObj *obj, bool paused)
{
    return start(obj, paused, false, false, NULL);
}

int
vk_qemu_domain_start_incoming(VkDomainObj *obj)
{
    return start(obj, true, true, false, NULL);
}

int
vk_qemu_domain_start_from_snapshot(VkDomainObj *obj, const char *snapshot)
{
    return start(obj, true, false, true, snapshot);
}

int
vk_qemu_domain_start_with_def(VkDomainObj *obj, VkDomainDef *def, VkQemuStartFunc start_fn,
                              gpointer data)
{
    bool persistent = obj->persistent;
    int rc;

    obj->new_def = obj->def;
    obj->def = def;
    obj->persistent = false;   /* the start must not copy over the config */
    rc = start_fn(obj, data);
    obj->persistent = persistent;
    if (rc < 0 && !vk_domain_obj_is_active(obj) && obj->new_def) {
        vk_domain_def_free(obj->def);
        obj->def = g_steal_pointer(&obj->new_def);
    }
    return rc;
}

int
vk_qemu_domain_run_def(VkDomainDef *def, VkQemuStartFunc start_fn, gpointer data,
                       remote_nonnull_domain *result)
{
    VkQemuDriver *driver = vk_qemu_driver();
    VkDomainObj *obj;
    bool existed;
    int rc;

    if (!(obj = vk_domain_list_add(driver->domains, def, &existed))) {
        vk_domain_def_free(def);
        return -1;
    }
    vk_domain_obj_lock(obj);
    if (vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        if (existed)
            vk_domain_def_free(def);
        else   /* listed a moment ago for this start, which is not going to happen */
            vk_domain_list_remove(driver->domains, obj);
        vk_domain_obj_unref(obj);
        return -1;
    }
    if (!existed) {
        rc = start_fn(obj, data);   /* the object owns DEF */
    } else if (vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                        "domain '%s' is already active", obj->def->name);
        vk_domain_def_free(def);
        return vk_qemu_domain_end(obj, -1);
    } else {
        rc = vk_qemu_domain_start_with_def(obj, def, start_fn, data);
    }
    if (rc == 0 && result)
        vk_qemu_domain_make_ref(result, obj->def);
    bool drop = rc < 0 && !obj->persistent;
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    if (drop)
        vk_domain_list_remove(driver->domains, obj);
    vk_domain_obj_unref(obj);
    return rc;
}
