/* The QEMU driver's answers to host-level procedures. */
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/driver.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/host/node-info.h"
#include "common/util/error.h"
#include "remote-protocol.h"

/* libvirt's answer for the "qemu" type and for no type at all. */
#define QEMU_MAX_VCPUS 16

static int
connect_get_type(VkServerClient *client, void *args, void *retp)
{
    remote_connect_get_type_ret *ret = retp;

    ret->type = strdup("QEMU");
    return 0;
}

static int
connect_get_version(VkServerClient *client, void *args, void *retp)
{
    remote_connect_get_version_ret *ret = retp;
    const VkQemuCaps *caps = vk_qemu_driver_get_caps(vk_qemu_driver(), NULL);

    if (!caps)
        return -1;
    ret->hv_ver = caps->version;
    return 0;
}

static int
connect_get_capabilities(VkServerClient *client, void *args, void *retp)
{
    VkQemuDriver *driver = vk_qemu_driver();
    const VkQemuCaps *caps = vk_qemu_driver_get_caps(driver, NULL);
    const VkHostCaps *host = vk_qemu_driver_get_host(driver);
    g_autofree char *xml = NULL;

    if (!caps || !host ||
        !(xml = vk_qemu_caps_format_capabilities(host, (VkQemuCaps *const *) &caps, 1)))
        return -1;
    ((remote_connect_get_capabilities_ret *) retp)->capabilities = strdup(xml);
    return 0;
}

static int
connect_get_domain_capabilities(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_get_domain_capabilities_args *args = argsp;
    VkQemuDriver *driver = vk_qemu_driver();
    const char *arch = args->arch ? *args->arch : NULL;
    const VkQemuCaps *caps;
    const VkHostCaps *host;
    g_autofree char *xml = NULL;

    if (arch && g_strcmp0(arch, "x86_64") != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "unknown architecture: %s", arch);
        return -1;
    }
    caps = vk_qemu_driver_get_caps(driver, args->emulatorbin ? *args->emulatorbin : NULL);
    host = vk_qemu_driver_get_host(driver);
    if (!caps || !host ||
        !(xml = vk_qemu_caps_format_domain_caps(host, caps,
                                                args->machine ? *args->machine : NULL,
                                                args->virttype ? *args->virttype : NULL, NULL)))
        return -1;
    ((remote_connect_get_domain_capabilities_ret *) retp)->capabilities = strdup(xml);
    return 0;
}

/* The most vCPUs KVM takes, as libvirt asks the kernel. */
static int
kvm_max_vcpus(void)
{
    int fd = open("/dev/kvm", O_RDONLY | O_CLOEXEC);
    int n;

    if (fd < 0)
        return -1;
    n = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
    if (n <= 0)
        n = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
    close(fd);
    return n > 0 ? n : 4;   /* the kernel's documented minimum */
}

static int
connect_get_max_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_get_max_vcpus_args *args = argsp;
    remote_connect_get_max_vcpus_ret *ret = retp;
    const char *type = args->type ? *args->type : NULL;

    if (!type || g_ascii_strcasecmp(type, "qemu") == 0) {
        ret->max_vcpus = QEMU_MAX_VCPUS;
        return 0;
    }
    if (g_ascii_strcasecmp(type, "kvm") == 0 && (ret->max_vcpus = kvm_max_vcpus()) > 0)
        return 0;
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "unknown type '%s'", type);
    return -1;
}

static int
node_get_info(VkServerClient *client, void *args, void *retp)
{
    remote_node_get_info_ret *ret = retp;
    VkNodeInfo info;

    if (vk_node_info_read("/", &info) < 0)
        return -1;
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->memory = info.memory_kib;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return 0;
}

/* Char arrays on the wire carry the terminating NUL, as libvirt sends them. */
static void
set_char_array(char **val, u_int *len, const char *text)
{
    *len = strlen(text) + 1;
    *val = strdup(text);
}

static int
node_get_security_model(VkServerClient *client, void *args, void *retp)
{
    remote_node_get_security_model_ret *ret = retp;

    /* No security driver (SELinux/AppArmor) confines guests yet. */
    set_char_array(&ret->model.model_val, &ret->model.model_len, "none");
    set_char_array(&ret->doi.doi_val, &ret->doi.doi_len, "0");
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_GET_SECURITY_MODEL, node_get_security_model },
    { REMOTE_PROC_CONNECT_GET_TYPE, connect_get_type },
    { REMOTE_PROC_CONNECT_GET_VERSION, connect_get_version },
    { REMOTE_PROC_CONNECT_GET_CAPABILITIES, connect_get_capabilities },
    { REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES, connect_get_domain_capabilities },
    { REMOTE_PROC_CONNECT_GET_MAX_VCPUS, connect_get_max_vcpus },
    { REMOTE_PROC_NODE_GET_INFO, node_get_info },
};

void
vk_qemu_connect_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
