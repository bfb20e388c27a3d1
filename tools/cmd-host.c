/* Host and Hypervisor commands: version, uri, hostname, nodeinfo,
 * capabilities, domcapabilities. */
#include <stdio.h>
#include <stdlib.h>

#include "tools/cmd-groups.h"
#include "tools/shell.h"

/* libvirt's version encoding, major * 1000000 + minor * 1000 + micro. */
#define VERSION_PARTS(v) (int) ((v) / 1000000), (int) ((v) / 1000 % 1000), (int) ((v) % 1000)

static bool
cmd_version(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned long lib_ver = 0, api_ver = 0, hv_ver = 0, daemon_ver = 0;
    const char *hv_type;

    if (!(hv_type = virConnectGetType(ctl->conn))) {
        vksh_error(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    printf("Compiled against library: libvirt %d.%d.%d\n", VERSION_PARTS(LIBVIR_VERSION_NUMBER));
    if (virGetVersion(&lib_ver, hv_type, &api_ver) < 0) {
        vksh_error(ctl, "%s", "failed to get the library version");
        return false;
    }
    printf("Using library: libvirt %d.%d.%d\n", VERSION_PARTS(lib_ver));
    printf("Using API: %s %d.%d.%d\n", hv_type, VERSION_PARTS(api_ver));

    if (virConnectGetVersion(ctl->conn, &hv_ver) < 0) {
        vksh_error(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hv_ver == 0)
        printf("Cannot extract running %s hypervisor version\n", hv_type);
    else
        printf("Running hypervisor: %s %d.%d.%d\n", hv_type, VERSION_PARTS(hv_ver));

    if (vksh_cmd_opt_bool(cmd, "daemon")) {
        if (virConnectGetLibVersion(ctl->conn, &daemon_ver) < 0) {
            vksh_error(ctl, "%s", "failed to get the daemon version");
            return false;
        }
        printf("Running against daemon: %d.%d.%d\n", VERSION_PARTS(daemon_ver));
    }
    return true;
}

static bool
cmd_uri(VkshControl *ctl, const VkshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        vksh_error(ctl, "%s", "failed to get URI");
        return false;
    }
    printf("%s\n", uri);
    return true;
}

static bool
cmd_hostname(VkshControl *ctl, const VkshCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(ctl->conn);

    if (!hostname) {
        vksh_error(ctl, "%s", "failed to get hostname");
        return false;
    }
    printf("%s\n", hostname);
    return true;
}

static bool
cmd_nodeinfo(VkshControl *ctl, const VkshCmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        vksh_error(ctl, "%s", "failed to get node information");
        return false;
    }
    printf("%-20s %s\n", "CPU model:", info.model);
    printf("%-20s %u\n", "CPU(s):", info.cpus);
    if (info.mhz)
        printf("%-20s %u MHz\n", "CPU frequency:", info.mhz);
    printf("%-20s %u\n", "CPU socket(s):", info.sockets);
    printf("%-20s %u\n", "Core(s) per socket:", info.cores);
    printf("%-20s %u\n", "Thread(s) per core:", info.threads);
    printf("%-20s %u\n", "NUMA cell(s):", info.nodes);
    printf("%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

static bool
cmd_capabilities(VkshControl *ctl, const VkshCmd *cmd)
{
    char *caps = virConnectGetCapabilities(ctl->conn);

    if (!caps) {
        vksh_error(ctl, "%s", "failed to get capabilities");
        return false;
    }
    printf("%s\n", caps);
    free(caps);
    return true;
}

static bool
cmd_domcapabilities(VkshControl *ctl, const VkshCmd *cmd)
{
    char *caps = virConnectGetDomainCapabilities(ctl->conn,
                                                 vksh_cmd_opt_string(cmd, "emulatorbin"),
                                                 vksh_cmd_opt_string(cmd, "arch"),
                                                 vksh_cmd_opt_string(cmd, "machine"),
                                                 vksh_cmd_opt_string(cmd, "virttype"), 0);

    if (!caps) {
        vksh_error(ctl, "%s", "failed to get emulator capabilities");
        return false;
    }
    printf("%s\n", caps);
    free(caps);
    return true;
}

static const VkshOptDef domcapabilities_opts[] = {
    { "virttype", VKSH_OT_STRING, 0, "virtualization type (/domain/@type)" },
    { "emulatorbin", VKSH_OT_STRING, 0, "path to emulator binary (/domain/devices/emulator)" },
    { "arch", VKSH_OT_STRING, 0, "domain architecture (/domain/os/type/@arch)" },
    { "machine", VKSH_OT_STRING, 0, "machine type (/domain/os/type/@machine)" },
    { NULL },
};

static const VkshOptDef version_opts[] = {
    { "daemon", VKSH_OT_BOOL, 0, "report daemon version too" },
    { NULL },
};

const VkshCmdDef vksh_host_cmds[] = {
    { "capabilities", cmd_capabilities, NULL, "capabilities",
      "Returns capabilities of hypervisor/driver.", 0 },
    { "domcapabilities", cmd_domcapabilities, domcapabilities_opts, "domain capabilities",
      "Returns capabilities of emulator with respect to host and libvirt.", 0 },
    { "hostname", cmd_hostname, NULL, "print the hypervisor hostname", NULL, 0 },
    { "nodeinfo", cmd_nodeinfo, NULL, "node information",
      "Returns basic information about the node.", 0 },
    { "uri", cmd_uri, NULL, "print the hypervisor canonical URI", NULL, 0 },
    { "version", cmd_version, version_opts, "show version",
      "Display the system version information.", 0 },
    { NULL },
};
