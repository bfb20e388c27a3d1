/* Domain Management: define, undefine, start, create, destroy, shutdown,
 * reboot, reset, suspend, resume, autostart, domid, domname, domuuid,
 * dumpxml, attach-device, detach-device.  Messages and the calls made follow
 * virsh, so that output and errors are the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cmd-groups.h"
#include "tools/domain-util.h"
#include "tools/file.h"
#include "tools/shell.h"

static bool
cmd_define(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    unsigned int flags = vksh_cmd_opt_bool(cmd, "validate") ? VIR_DOMAIN_DEFINE_VALIDATE : 0;
    g_autofree char *xml = NULL;
    virDomainPtr dom;

    if (!(xml = vksh_file_read(ctl, file)))
        return false;
    dom = flags ? virDomainDefineXMLFlags(ctl->conn, xml, flags)
                : virDomainDefineXML(ctl->conn, xml);
    if (!dom) {
        vksh_error(ctl, "Failed to define domain from %s", file);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), file);
    virDomainFree(dom);
    return true;
}

static const struct {
    const char *opt;
    unsigned int flag;
} undefine_flags[] = {
    { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
    { "snapshots-metadata", VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA },
    { "checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
    { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
    { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
    { "tpm", VIR_DOMAIN_UNDEFINE_TPM },
    { "keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM },
};

static bool
cmd_undefine(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = 0;
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!vksh_exclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !vksh_exclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;
    for (gsize i = 0; i < G_N_ELEMENTS(undefine_flags); i++) {
        if (vksh_cmd_opt_bool(cmd, undefine_flags[i].opt))
            flags |= undefine_flags[i].flag;
    }
    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    rc = virDomainUndefineFlags(dom, flags);
    /* an older daemon knows only the call without flags */
    if (rc < 0 && flags == 0 && vksh_last_error_code() == VIR_ERR_NO_SUPPORT) {
        vksh_reset_error();
        rc = virDomainUndefine(dom);
    }
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

static bool
cmd_start(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = 0;
    virDomainPtr dom;
    bool ok = false;
    int rc;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_NAME | VKSH_BY_UUID, NULL)))
        return false;
    if (virDomainGetID(dom) != (unsigned int) -1) {
        vksh_error(ctl, "%s", "Domain is already active");
        goto out;
    }
    if (vksh_cmd_opt_bool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vksh_cmd_opt_bool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vksh_cmd_opt_bool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_START_BYPASS_CACHE;
    if (vksh_cmd_opt_bool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    if (vksh_cmd_opt_bool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;
    rc = flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to start domain '%s'", virDomainGetName(dom));
        goto out;
    }
    vksh_print_extra(ctl, "Domain '%s' started\n", virDomainGetName(dom));
    ok = true;
 out:
    virDomainFree(dom);
    return ok;
}

static bool
cmd_create(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    unsigned int flags = 0;
    g_autofree char *xml = NULL;
    virDomainPtr dom;

    if (vksh_cmd_opt_bool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vksh_cmd_opt_bool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vksh_cmd_opt_bool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (vksh_cmd_opt_bool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;
    if (!(xml = vksh_file_read(ctl, file)))
        return false;
    if (!(dom = virDomainCreateXML(ctl->conn, xml, flags))) {
        vksh_error(ctl, "Failed to create domain from %s", file);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), file);
    virDomainFree(dom);
    return true;
}

static bool
cmd_destroy(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = 0;
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    if (vksh_cmd_opt_bool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (vksh_cmd_opt_bool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

/* --mode of shutdown and reboot: a comma-separated list of methods.  The
 * shutdown and reboot flags have the same values; virsh words the error
 * of each a little differently (LAST_SEP before the last mode). */
static bool
parse_mode(VkshControl *ctl, const VkshCmd *cmd, const char *last_sep, unsigned int *flags)
{
    static const struct {
        const char *name;
        unsigned int flag;
    } modes[] = {
        { "acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", VIR_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", VIR_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    const char *mode = vksh_cmd_opt_string(cmd, "mode");
    g_auto(GStrv) parts = NULL;

    *flags = 0;
    if (!mode)
        return true;
    parts = g_strsplit(mode, ",", 0);
    for (char **p = parts; *p; p++) {
        gsize i;

        for (i = 0; i < G_N_ELEMENTS(modes); i++) {
            if (strcmp(*p, modes[i].name) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(modes)) {
            vksh_error(ctl, "Unknown mode %s value, expecting "
                       "'acpi', 'agent', 'initctl', 'signal'%s 'paravirt'", *p, last_sep);
            return false;
        }
        *flags |= modes[i].flag;
    }
    return true;
}

static bool
cmd_shutdown(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags;
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!parse_mode(ctl, cmd, ", or", &flags))
        return false;
    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool
cmd_reboot(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags;
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!parse_mode(ctl, cmd, " or", &flags))
        return false;
    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    rc = virDomainReboot(dom, flags);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

/* reset, suspend, resume: one call on the domain, two messages. */
typedef int (*DomainAction)(virDomainPtr dom);

static int
reset_action(virDomainPtr dom)
{
    return virDomainReset(dom, 0);
}

static bool
simple_action(VkshControl *ctl, const VkshCmd *cmd, DomainAction action,
              const char *failed, const char *done)
{
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    rc = action(dom);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to %s domain '%s'", failed, name);
        return false;
    }
    vksh_print_extra(ctl, "Domain '%s' %s\n", name, done);
    return true;
}

static bool
cmd_reset(VkshControl *ctl, const VkshCmd *cmd)
{
    return simple_action(ctl, cmd, reset_action, "reset", "was reset");
}

static bool
cmd_suspend(VkshControl *ctl, const VkshCmd *cmd)
{
    return simple_action(ctl, cmd, virDomainSuspend, "suspend", "suspended");
}

static bool
cmd_resume(VkshControl *ctl, const VkshCmd *cmd)
{
    return simple_action(ctl, cmd, virDomainResume, "resume", "resumed");
}

static bool
cmd_autostart(VkshControl *ctl, const VkshCmd *cmd)
{
    bool enable = !vksh_cmd_opt_bool(cmd, "disable");
    const char *name;
    virDomainPtr dom;
    int rc;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, &name)))
        return false;
    rc = virDomainSetAutostart(dom, enable);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, enable ? "Failed to mark domain '%s' as autostarted"
                               : "Failed to unmark domain '%s' as autostarted", name);
        return false;
    }
    vksh_print_extra(ctl, enable ? "Domain '%s' marked as autostarted\n"
                                 : "Domain '%s' unmarked as autostarted\n", name);
    return true;
}

static bool
cmd_domid(VkshControl *ctl, const VkshCmd *cmd)
{
    virDomainPtr dom;
    unsigned int id;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_NAME | VKSH_BY_UUID, NULL)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        printf("-\n");
    else
        printf("%d\n", (int) id);
    virDomainFree(dom);
    return true;
}

static bool
cmd_domname(VkshControl *ctl, const VkshCmd *cmd)
{
    virDomainPtr dom;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ID | VKSH_BY_UUID, NULL)))
        return false;
    printf("%s\n", virDomainGetName(dom));
    virDomainFree(dom);
    return true;
}

static bool
cmd_domuuid(VkshControl *ctl, const VkshCmd *cmd)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom;
    bool ok;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ID | VKSH_BY_NAME, NULL)))
        return false;
    if ((ok = virDomainGetUUIDString(dom, uuid) == 0))
        printf("%s\n", uuid);
    else
        vksh_error(ctl, "%s", "failed to get domain UUID");
    virDomainFree(dom);
    return ok;
}

static bool
cmd_dumpxml(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = 0;
    virDomainPtr dom;
    char *xml;

    if (vksh_cmd_opt_bool(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (vksh_cmd_opt_bool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vksh_cmd_opt_bool(cmd, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (vksh_cmd_opt_bool(cmd, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;
    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return false;
    xml = virDomainGetXMLDesc(dom, flags);
    virDomainFree(dom);
    if (!xml)
        return false;
    printf("%s", xml);
    free(xml);
    return true;
}

/* attach-device and detach-device: the same options, as virsh: --config
 * and --persistent change the config, --live the running guest, and
 * --persistent also the running guest when there is one. */
typedef int (*DeviceCall)(virDomainPtr dom, const char *xml);
typedef int (*DeviceCallFlags)(virDomainPtr dom, const char *xml, unsigned int flags);

static bool
device_change(VkshControl *ctl, const VkshCmd *cmd, DeviceCall call, DeviceCallFlags call_flags,
              const char *failed, const char *done)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    bool current = vksh_cmd_opt_bool(cmd, "current");
    bool persistent = vksh_cmd_opt_bool(cmd, "persistent");
    unsigned int flags = 0;
    g_autofree char *xml = NULL;
    virDomainPtr dom;
    int rc;

    if (!vksh_exclusive(ctl, cmd, "persistent", "current") ||
        !vksh_exclusive(ctl, cmd, "current", "live") ||
        !vksh_exclusive(ctl, cmd, "current", "config"))
        return false;
    if (vksh_cmd_opt_bool(cmd, "config") || persistent)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vksh_cmd_opt_bool(cmd, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return false;
    if (persistent && virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(xml = vksh_file_read(ctl, file))) {
        virDomainFree(dom);
        return false;
    }
    rc = (flags || current) ? call_flags(dom, xml, flags) : call(dom, xml);
    virDomainFree(dom);
    if (rc < 0) {
        vksh_error(ctl, "Failed to %s device from %s", failed, file);
        return false;
    }
    vksh_print_extra(ctl, "Device %s successfully\n", done);
    return true;
}

static bool
cmd_attach_device(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_change(ctl, cmd, virDomainAttachDevice, virDomainAttachDeviceFlags,
                         "attach", "attached");
}

static bool
cmd_detach_device(VkshControl *ctl, const VkshCmd *cmd)
{
    return device_change(ctl, cmd, virDomainDetachDevice, virDomainDetachDeviceFlags,
                         "detach", "detached");
}

#define DOMAIN_OPT \
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, \
      "domain name, id or uuid" }

static const VkshOptDef domain_opts[] = {
    DOMAIN_OPT,
    { NULL },
};

static const VkshOptDef define_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML domain description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VkshOptDef undefine_opts[] = {
    DOMAIN_OPT,
    { "managed-save", VKSH_OT_BOOL, 0, "remove domain managed state file" },
    { "snapshots-metadata", VKSH_OT_BOOL, 0,
      "remove all domain snapshot metadata, if inactive" },
    { "checkpoints-metadata", VKSH_OT_BOOL, 0, "remove all domain checkpoint metadata" },
    { "nvram", VKSH_OT_BOOL, 0, "remove nvram file" },
    { "keep-nvram", VKSH_OT_BOOL, 0, "keep nvram file" },
    { "tpm", VKSH_OT_BOOL, 0, "remove TPM state" },
    { "keep-tpm", VKSH_OT_BOOL, 0, "keep TPM state" },
    { NULL },
};

static const VkshOptDef start_opts[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "name of the inactive domain" },
    { "paused", VKSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VKSH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "bypass-cache", VKSH_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", VKSH_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL },
};

static const VkshOptDef create_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML domain description" },
    { "paused", VKSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VKSH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL },
};

static const VkshOptDef destroy_opts[] = {
    DOMAIN_OPT,
    { "graceful", VKSH_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", VKSH_OT_BOOL, 0, "remove domain logs" },
    { NULL },
};

static const VkshOptDef mode_opts[] = {
    DOMAIN_OPT,
    { "mode", VKSH_OT_STRING, 0,
      "shutdown mode: acpi|agent|initctl|signal|paravirt" },
    { NULL },
};

static const VkshOptDef autostart_opts[] = {
    DOMAIN_OPT,
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static const VkshOptDef dumpxml_opts[] = {
    DOMAIN_OPT,
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VKSH_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", VKSH_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VKSH_OT_BOOL, 0, "provide XML suitable for migrations" },
    { NULL },
};

static const VkshOptDef device_opts[] = {
    DOMAIN_OPT,
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "XML file" },
    { "persistent", VKSH_OT_BOOL, 0, "make live change persistent" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL },
};

const VkshCmdDef vksh_domain_cmds[] = {
    { "attach-device", cmd_attach_device, device_opts, "attach device from an XML file",
      "Attach device from an XML <file>.", 0 },
    { "autostart", cmd_autostart, autostart_opts, "autostart a domain",
      "Configure a domain to be automatically started at boot.", 0 },
    { "create", cmd_create, create_opts, "create a domain from an XML file",
      "Create a domain.", 0 },
    { "define", cmd_define, define_opts, "define (but don't start) a domain from an XML file",
      "Define a domain.", 0 },
    { "destroy", cmd_destroy, destroy_opts, "destroy (stop) a domain",
      "Forcefully stop a given domain, but leave its resources intact.", 0 },
    { "detach-device", cmd_detach_device, device_opts, "detach device from an XML file",
      "Detach device from an XML <file>", 0 },
    { "domid", cmd_domid, domain_opts, "convert a domain name or UUID to domain id", "", 0 },
    { "domname", cmd_domname, domain_opts, "convert a domain id or UUID to domain name", "", 0 },
    { "domuuid", cmd_domuuid, domain_opts, "convert a domain name or id to domain UUID", "", 0 },
    { "dumpxml", cmd_dumpxml, dumpxml_opts, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", 0 },
    { "reboot", cmd_reboot, mode_opts, "reboot a domain", "Run a reboot command in the target domain.", 0 },
    { "reset", cmd_reset, domain_opts, "reset a domain",
      "Reset the target domain as if by power button", 0 },
    { "resume", cmd_resume, domain_opts, "resume a domain",
      "Resume a previously suspended domain.", 0 },
    { "shutdown", cmd_shutdown, mode_opts, "gracefully shutdown a domain",
      "Run shutdown in the target domain.", 0 },
    { "start", cmd_start, start_opts, "start a (previously defined) inactive domain",
      "Start a domain, either from the last managedsave\n"
      "    state, or via a fresh boot if no managedsave state\n"
      "    is present.", 0 },
    { "suspend", cmd_suspend, domain_opts, "suspend a domain",
      "Suspend a running domain.", 0 },
    { "undefine", cmd_undefine, undefine_opts, "undefine a domain",
      "Undefine an inactive domain, or convert persistent to transient.", 0 },
    { NULL },
};
