/* The QEMU driver's answers to CPU model questions: virConnectCompareCPU,
 * virConnectBaselineCPU and their Hypervisor variants (core/cpu-model.c). */
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/driver.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/cpu-model.h"
#include "remote-protocol.h"

#define OPT(s) ((s) ? *(s) : NULL)

/* The QEMU binary a hypervisor call is about; NULL with libvirt's error. */
static const VkQemuCaps *
hypervisor_caps(const char *emulator, const char *arch, const char *virttype)
{
    if (arch && g_strcmp0(arch, "x86_64") != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "unknown architecture: %s", arch);
        return NULL;
    }
    if (virttype && g_strcmp0(virttype, "kvm") != 0 && g_strcmp0(virttype, "qemu") != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "unknown virttype: %s", virttype);
        return NULL;
    }
    return vk_qemu_driver_get_caps(vk_qemu_driver(), emulator);
}

static int
compare(const VkQemuCaps *qemu, const char *xml, unsigned int flags, const char *api)
{
    VkQemuDriver *driver = vk_qemu_driver();
    const VkHostCaps *host = vk_qemu_driver_get_host(driver);
    const VkCpuMap *map = vk_qemu_driver_get_cpu_map(driver);

    if (vk_check_flags(VIR_FROM_QEMU, flags, VK_CPU_COMPARE_FAIL_INCOMPATIBLE |
                       VK_CPU_COMPARE_VALIDATE_XML, api) < 0 || !host || !map)
        return VK_CPU_COMPARE_ERROR;
    return vk_cpu_compare(map, host, qemu, xml, flags);
}

static char *
baseline(const VkQemuCaps *qemu, char **xmls, u_int n, unsigned int flags, const char *api)
{
    const VkCpuMap *map = vk_qemu_driver_get_cpu_map(vk_qemu_driver());

    if (vk_check_flags(VIR_FROM_QEMU, flags, VK_CPU_BASELINE_EXPAND_FEATURES |
                       VK_CPU_BASELINE_MIGRATABLE, api) < 0 || !map)
        return NULL;
    return vk_cpu_baseline(map, qemu, (const char *const *) xmls, n, flags);
}

static int
connect_compare_cpu(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_compare_cpu_args *args = argsp;
    int r = compare(NULL, args->xml, args->flags, "virConnectCompareCPU");

    ((remote_connect_compare_cpu_ret *) retp)->result = r;
    return r == VK_CPU_COMPARE_ERROR ? -1 : 0;
}

static int
connect_compare_hypervisor_cpu(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_compare_hypervisor_cpu_args *args = argsp;
    const VkQemuCaps *qemu = hypervisor_caps(OPT(args->emulator), OPT(args->arch),
                                             OPT(args->virttype));
    if (!qemu)
        return -1;
    int r = compare(qemu, args->xmlCPU, args->flags, "virConnectCompareHypervisorCPU");

    ((remote_connect_compare_hypervisor_cpu_ret *) retp)->result = r;
    return r == VK_CPU_COMPARE_ERROR ? -1 : 0;
}

static int
connect_baseline_cpu(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_baseline_cpu_args *args = argsp;
    char *xml = baseline(NULL, args->xmlCPUs.xmlCPUs_val, args->xmlCPUs.xmlCPUs_len,
                         args->flags, "virConnectBaselineCPU");

    if (!xml)
        return -1;
    ((remote_connect_baseline_cpu_ret *) retp)->cpu = strdup(xml);
    g_free(xml);
    return 0;
}

static int
connect_baseline_hypervisor_cpu(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_baseline_hypervisor_cpu_args *args = argsp;
    const VkQemuCaps *qemu = hypervisor_caps(OPT(args->emulator), OPT(args->arch),
                                             OPT(args->virttype));
    if (!qemu)
        return -1;
    char *xml = baseline(qemu, args->xmlCPUs.xmlCPUs_val, args->xmlCPUs.xmlCPUs_len,
                         args->flags, "virConnectBaselineHypervisorCPU");

    if (!xml)
        return -1;
    ((remote_connect_baseline_hypervisor_cpu_ret *) retp)->cpu = strdup(xml);
    g_free(xml);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_COMPARE_CPU, connect_compare_cpu },
    { REMOTE_PROC_CONNECT_BASELINE_CPU, connect_baseline_cpu },
    { REMOTE_PROC_CONNECT_COMPARE_HYPERVISOR_CPU, connect_compare_hypervisor_cpu },
    { REMOTE_PROC_CONNECT_BASELINE_HYPERVISOR_CPU, connect_baseline_hypervisor_cpu },
};

void
vk_qemu_cpu_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
