/* A running domain's guest agent (guest-agent.h). */
#include "drivers/qemu/core/guest-agent.h"

#include <glib/gstdio.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/security/dac-label.h"
#include "remote-protocol.h"

VkDomainChrDef *
vk_qemu_agent_channel(const VkDomainDef *def)
{
    for (guint i = 0; i < def->channels->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->channels, i);
        if (c->type == VK_CHR_TYPE_UNIX && c->target_type == VK_CHR_CHANNEL_TARGET_VIRTIO &&
            g_strcmp0(c->target_name, VK_QEMU_AGENT_CHANNEL_NAME) == 0)
            return c;
    }
    return NULL;
}

int
vk_qemu_agent_prepare(VkDomainObj *obj, const char *channel_dir)
{
    VkDomainChrDef *chr = vk_qemu_agent_channel(obj->def);
    VkQemuRuntime *rt = obj->runtime;

    if (!chr)
        return 0;
    chr->state = VK_CHR_STATE_DEFAULT;
    if (chr->src_path)
        return 0;
    g_autofree char *dir_name = vk_qemu_domain_dir_name(obj->def->id, obj->def->name);
    g_autofree char *dir = g_build_filename(channel_dir, dir_name, NULL);
    /* QEMU makes the socket there: the directory is its user's, as libvirt
     * labels its channel directory */
    if (vk_file_make_dirs(channel_dir, 0755) < 0 || vk_file_make_dirs(dir, 0750) < 0 ||
        (rt && rt->dac && vk_dac_label_path(rt->dac, dir, false) < 0))
        return -1;
    chr->src_path = g_build_filename(dir, VK_QEMU_AGENT_CHANNEL_NAME, NULL);
    if (!chr->src_mode)
        chr->src_mode = VK_CHR_SOURCE_MODE_BIND;
    return 0;
}

static void
emit_agent_lifecycle(VkDomainObj *obj, int state, int reason)
{
    remote_domain_event_callback_agent_lifecycle_msg msg = {
        .dom = { .name = obj->def->name, .id = obj->def->id },
        .state = state, .reason = reason,
    };
    VkEventMessage m = {
        VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, 0, NULL, NULL,
        REMOTE_PROC_DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE,
        (xdrproc_t) xdr_remote_domain_event_callback_agent_lifecycle_msg, &msg, &msg.callbackID,
        obj->def->uuid,
    };

    memcpy(msg.dom.uuid, obj->def->uuid, VK_UUID_LEN);
    vk_event_registry_emit(vk_qemu_driver()->events, &m);
}

/* Connect to the agent socket (OBJ locked); a failure is only logged, as
 * libvirt does: calls then say the agent is not connected. */
static void
connect_agent(VkDomainObj *obj, const VkDomainChrDef *chr)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!rt || rt->agent)
        return;
    rt->agent = vk_agent_open(chr->src_path, obj->def->name);
    if (!rt->agent) {
        g_warning("%s: cannot connect to the guest agent: %s", obj->def->name,
                  vk_error_last_message());
        vk_error_reset();
    }
}

static void
disconnect_agent(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    if (rt && rt->agent) {
        vk_agent_close(rt->agent);
        rt->agent = NULL;
    }
}

/* Whether the guest has the port with qdev id ALIAS open, from
 * query-chardev's "frontend-open" of its chardev ("char" + ALIAS). */
static bool
port_open(VkDomainObj *obj, const char *alias)
{
    g_autoptr(VkJson) list = NULL;
    g_autofree char *label = g_strdup_printf("char%s", alias);

    if (vk_qemu_process_monitor_query(obj, "query-chardev", NULL, &list) < 0) {
        vk_error_reset();
        return false;
    }
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *c = vk_json_array_get(list, i);
        if (g_strcmp0(vk_json_object_get_string(c, "label", NULL), label) == 0)
            return vk_json_object_get_bool(c, "frontend-open", FALSE);
    }
    return false;
}

void
vk_qemu_agent_attach(VkDomainObj *obj, int reason)
{
    VkDomainChrDef *chr = vk_qemu_agent_channel(obj->def);

    if (!chr || !chr->info.alias)
        return;
    bool open = port_open(obj, chr->info.alias);
    chr->state = open ? VK_CHR_STATE_CONNECTED : VK_CHR_STATE_DISCONNECTED;
    emit_agent_lifecycle(obj, open ? VK_AGENT_STATE_CONNECTED
                                   : VK_AGENT_STATE_DISCONNECTED,
                         reason);
    if (open)
        connect_agent(obj, chr);
}

void
vk_qemu_agent_port_changed(VkDomainObj *obj, const char *alias, bool open)
{
    VkDomainChrDef *chr = vk_qemu_agent_channel(obj->def);

    if (!chr || g_strcmp0(chr->info.alias, alias) != 0)
        return;
    chr->state = open ? VK_CHR_STATE_CONNECTED : VK_CHR_STATE_DISCONNECTED;
    if (open)
        connect_agent(obj, chr);
    else
        disconnect_agent(obj);
    emit_agent_lifecycle(obj, open ? VK_AGENT_STATE_CONNECTED
                                   : VK_AGENT_STATE_DISCONNECTED,
                         VK_AGENT_REASON_CHANNEL);
    if (vk_qemu_process_save_status(obj) < 0) {
        g_warning("%s: cannot save the status: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
}

void
vk_qemu_agent_notify(VkDomainObj *obj, VkAgentAwait event)
{
    g_autoptr(VkAgent) agent = NULL;

    vk_domain_obj_lock(obj);
    VkQemuRuntime *rt = obj->runtime;
    if (rt && rt->agent)
        agent = vk_agent_ref(rt->agent);
    vk_domain_obj_unlock(obj);
    if (agent)
        vk_agent_notify_event(agent, event);
}

void
vk_qemu_agent_detach(VkDomainObj *obj)
{
    VkDomainChrDef *chr = vk_qemu_agent_channel(obj->def);

    disconnect_agent(obj);
    if (!chr || !chr->src_path)
        return;
    /* the directory libvirt's path is in, when it is ours */
    g_autofree char *dir = g_path_get_dirname(chr->src_path);
    g_autofree char *dir_name = vk_qemu_domain_dir_name(obj->def->id, obj->def->name);
    g_autofree char *base = g_path_get_basename(dir);
    if (g_str_equal(base, dir_name)) {
        g_unlink(chr->src_path);
        g_rmdir(dir);
    }
}

VkAgent *
vk_qemu_agent_get(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!vk_domain_obj_is_active(obj) || obj->state != VK_DOMAIN_RUNNING) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    if (rt && rt->agent)
        return vk_agent_ref(rt->agent);
    if (vk_qemu_agent_channel(obj->def))
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                        "QEMU guest agent is not connected");
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                        "QEMU guest agent is not configured");
    return NULL;
}

int
vk_qemu_agent_command(VkDomainObj *obj, const VkJson *cmd, int seconds, VkAgentAwait await,
                      bool report_unsupported, VkJson **reply)
{
    g_autoptr(VkAgent) agent = vk_qemu_agent_get(obj);
    int rc;

    if (!agent)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_agent_command(agent, cmd, seconds, await, report_unsupported, reply);
    vk_domain_obj_lock(obj);
    return rc;
}

int
vk_qemu_agent_call(VkDomainObj *obj, const char *command, const VkJson *args, int seconds,
                   VkJson **ret)
{
    g_autoptr(VkJson) cmd = vk_json_new_object();
    g_autoptr(VkJson) reply = NULL;

    vk_json_object_set_string(cmd, "execute", command);
    if (args)
        vk_json_object_set(cmd, "arguments", vk_json_copy(args));
    if (vk_qemu_agent_command(obj, cmd, seconds, VK_AGENT_AWAIT_NONE, true, &reply) < 0)
        return -1;
    if (ret)
        *ret = vk_json_object_steal(reply, "return");
    return 0;
}

VkDomainObj *
vk_qemu_agent_begin(const remote_nonnull_domain *ref)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);

    if (obj && !vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is not running");
        vk_qemu_domain_end(obj, -1);
        return NULL;
    }
    return obj;
}

bool
vk_qemu_agent_connected(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    return vk_domain_obj_is_active(obj) && rt && rt->agent;
}

int
vk_qemu_agent_shutdown(VkDomainObj *obj, bool reboot)
{
    g_autoptr(VkJson) cmd = vk_json_new_object();
    g_autoptr(VkJson) args = vk_json_new_object();

    vk_json_object_set_string(cmd, "execute", "guest-shutdown");
    vk_json_object_set_string(args, "mode", reboot ? "reboot" : "powerdown");
    vk_json_object_set(cmd, "arguments", g_steal_pointer(&args));
    if (obj->runtime)
        ((VkQemuRuntime *) obj->runtime)->fake_reboot = false;
    return vk_qemu_agent_command(obj, cmd, VK_AGENT_SHUTDOWN_SECONDS,
                                 reboot ? VK_AGENT_AWAIT_RESET : VK_AGENT_AWAIT_SHUTDOWN, true,
                                 NULL);
}

const char *
vk_qemu_agent_disk_target(const VkDomainDef *def, const VkJson *agent_disk)
{
    VkJson *pci = vk_json_object_get_object(agent_disk, "pci-controller");

    for (guint i = 0; pci && i < def->disks->len; i++) {
        const VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        const VkDeviceAddress *a = &d->info.addr;
        if (a->type == VK_DEVICE_ADDRESS_PCI &&
            a->pci.domain == vk_json_object_get_int(pci, "domain", -1) &&
            a->pci.bus == vk_json_object_get_int(pci, "bus", -1) &&
            a->pci.slot == vk_json_object_get_int(pci, "slot", -1) &&
            a->pci.function == vk_json_object_get_int(pci, "function", -1))
            return d->target_dev;
    }
    return NULL;
}


void
vk_qemu_agent_cancel(const remote_nonnull_domain *ref)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    g_autoptr(VkAgent) agent = NULL;

    if (!obj) {
        vk_error_reset();    /* the caller's own lookup reports it */
        return;
    }
    vk_domain_obj_lock(obj);
    VkQemuRuntime *rt = obj->runtime;
    if (rt && rt->agent)
        agent = vk_agent_ref(rt->agent);
    vk_domain_obj_unlock(obj);
    if (agent)
        vk_agent_cancel(agent);
}
