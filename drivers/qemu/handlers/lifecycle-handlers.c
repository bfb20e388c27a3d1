/* Procedures that start and stop guests: create (start), create-xml
 * (transient), destroy, shutdown, reboot, reset, suspend, resume. */
#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/core/firmware-select.h"
#include "drivers/qemu/core/guest-agent.h"
#include "drivers/qemu/core/domain-start.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-prepare.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/save-restore.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static int
require_active(VkDomainObj *obj, int error_domain)
{
    if (!vk_domain_obj_is_active(obj)) {
        vk_error_report(error_domain, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    return 0;
}


static int
start(const remote_nonnull_domain *ref, unsigned int flags, remote_nonnull_domain *result)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);
    int rc;

    if (!obj)
        return -1;
    if ((flags & VIR_DOMAIN_START_RESET_NVRAM) && !vk_domain_obj_is_active(obj) &&
        vk_qemu_firmware_reset_nvram(obj->def) < 0)
        return vk_qemu_domain_end(obj, -1);
    rc = vk_qemu_domain_boot(obj, flags & VIR_DOMAIN_START_PAUSED);
    if (rc == 0 && result)
        vk_qemu_domain_make_ref(result, obj->def);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_create(VkServerClient *client, void *argsp, void *retp)
{
    return start(&((remote_domain_create_args *) argsp)->dom, 0, NULL);
}

static int
domain_create_with_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_create_with_flags_args *args = argsp;

    return start(&args->dom, args->flags, &((remote_domain_create_with_flags_ret *) retp)->dom);
}

static int
boot(VkDomainObj *obj, gpointer paused)
{
    return vk_qemu_domain_start(obj, GPOINTER_TO_INT(paused));
}

/* A transient guest: defined and started in one go, gone when it stops.
 * When a shut-off persistent domain of that name and UUID exists, it runs
 * with this definition and keeps its own for later. */
static int
domain_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_create_xml_args *args = argsp;
    VkDomainDef *def = vk_qemu_domain_prepare(args->xml_desc);

    if (!def)
        return -1;
    return vk_qemu_domain_run_def(def, boot,
                                  GINT_TO_POINTER(!!(args->flags & VIR_DOMAIN_START_PAUSED)),
                                  &((remote_domain_create_xml_ret *) retp)->dom);
}

static int
destroy(const remote_nonnull_domain *ref)
{
    VkDomainObj *obj;
    bool transient;

    vk_qemu_agent_cancel(ref);
    if (!(obj = vk_qemu_domain_begin(ref)))
        return -1;
    if (require_active(obj, VIR_FROM_DOMAIN) < 0)
        return vk_qemu_domain_end(obj, -1);
    /* What libvirt's clients see: the host asked QEMU to quit, then it stopped. */
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    vk_qemu_process_stop(obj, VK_SHUTOFF_DESTROYED);
    transient = !obj->persistent;
    if (transient)
        vk_domain_list_remove(vk_qemu_driver()->domains, obj);
    return vk_qemu_domain_end(obj, 0);
}

static int
domain_destroy(VkServerClient *client, void *argsp, void *retp)
{
    return destroy(&((remote_domain_destroy_args *) argsp)->dom);
}

static int
domain_destroy_flags(VkServerClient *client, void *argsp, void *retp)
{
    return destroy(&((remote_domain_destroy_flags_args *) argsp)->dom);
}

/* Ask the guest to power off (ACPI power button); with REBOOT, to come back
 * up once it has (libvirt's default reboot for QEMU).  FLAGS (the shutdown
 * and reboot flags share their bits): libvirt asks the guest agent when
 * told to, or when no mode is given and the agent is connected, and falls
 * back on the button unless only the agent was asked for. */
static int
powerdown(const remote_nonnull_domain *ref, unsigned int flags, bool reboot, int error_domain)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);
    bool acpi_asked = flags & VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;

    if (!obj)
        return -1;
    if ((flags & VIR_DOMAIN_SHUTDOWN_GUEST_AGENT) || (!flags && vk_qemu_agent_connected(obj))) {
        int rc = vk_qemu_agent_shutdown(obj, reboot);
        if (rc == 0 || !(acpi_asked || !flags))
            return vk_qemu_domain_end(obj, rc);
        vk_error_reset();
    }
    if (require_active(obj, error_domain) < 0 || !vk_qemu_process_monitor(obj))
        return vk_qemu_domain_end(obj, -1);
    ((VkQemuRuntime *) obj->runtime)->fake_reboot = reboot;
    return vk_qemu_domain_end(obj, vk_qemu_process_monitor_command(obj, "system_powerdown", NULL));
}

static int
domain_shutdown(VkServerClient *client, void *argsp, void *retp)
{
    return powerdown(&((remote_domain_shutdown_args *) argsp)->dom, 0, false, VIR_FROM_QEMU);
}

static int
domain_shutdown_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_shutdown_flags_args *args = argsp;

    return powerdown(&args->dom, args->flags, false, VIR_FROM_QEMU);
}

static int
domain_reboot(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_reboot_args *args = argsp;

    return powerdown(&args->dom, args->flags, true, VIR_FROM_DOMAIN);
}

static int
domain_reset(VkServerClient *client, void *argsp, void *retp)
{
    VkDomainObj *obj = vk_qemu_domain_begin(&((remote_domain_reset_args *) argsp)->dom);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_process_monitor_command(obj, "system_reset", NULL));
}

/* Pause or continue the vCPUs. */
static int
set_paused(const remote_nonnull_domain *ref, bool pause)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);

    if (!obj)
        return -1;
    if (!vk_qemu_process_monitor(obj))
        return vk_qemu_domain_end(obj, -1);
    if (!pause && obj->state == VK_DOMAIN_RUNNING) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is already running");
        return vk_qemu_domain_end(obj, -1);
    }
    if ((obj->state == VK_DOMAIN_PAUSED) == pause)
        return vk_qemu_domain_end(obj, 0);   /* suspend when paused: libvirt does not complain */
    if (vk_qemu_process_monitor_command(obj, pause ? "stop" : "cont", NULL) < 0)
        return vk_qemu_domain_end(obj, -1);
    if (pause) {
        vk_domain_obj_set_state(obj, VK_DOMAIN_PAUSED, VK_PAUSED_USER);
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    } else {
        vk_domain_obj_set_state(obj, VK_DOMAIN_RUNNING, VK_RUNNING_UNPAUSED);
        vk_qemu_emit_lifecycle(obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    return vk_qemu_domain_end(obj, vk_qemu_process_save_status(obj));
}

static int
domain_suspend(VkServerClient *client, void *argsp, void *retp)
{
    return set_paused(&((remote_domain_suspend_args *) argsp)->dom, true);
}

static int
domain_resume(VkServerClient *client, void *argsp, void *retp)
{
    return set_paused(&((remote_domain_resume_args *) argsp)->dom, false);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_CREATE, domain_create },
    { REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, domain_create_with_flags },
    { REMOTE_PROC_DOMAIN_CREATE_XML, domain_create_xml },
    { REMOTE_PROC_DOMAIN_DESTROY, domain_destroy },
    { REMOTE_PROC_DOMAIN_DESTROY_FLAGS, domain_destroy_flags },
    { REMOTE_PROC_DOMAIN_SHUTDOWN, domain_shutdown },
    { REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS, domain_shutdown_flags },
    { REMOTE_PROC_DOMAIN_REBOOT, domain_reboot },
    { REMOTE_PROC_DOMAIN_RESET, domain_reset },
    { REMOTE_PROC_DOMAIN_SUSPEND, domain_suspend },
    { REMOTE_PROC_DOMAIN_RESUME, domain_resume },
};

void
vk_qemu_lifecycle_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
