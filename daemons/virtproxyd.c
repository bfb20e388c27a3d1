/* virtproxyd: libvirt's legacy sockets (libvirt-sock, libvirt-sock-ro,
 * libvirt-admin-sock) with no driver of its own: every call goes to the
 * daemon that owns it (common/driver/router.h), the QEMU program's to
 * virtqemud; the connection-level calls are answered here. */
#include "common/daemon/run.h"
#include "qemu-procs.h"
#include "qemu-protocol.h"

/* libvirt-qemu's calls, with no handler here: all routed. */
static VkRpcProgram *
qemu_program(void)
{
    return vk_rpc_program_new(QEMU_PROGRAM, QEMU_PROTOCOL_VERSION, vk_qemu_proc_lookup);
}

static const VkDaemonSpec virtproxyd = {
    .name = "virtproxyd",
    .socket_name = "libvirt",
    .uri = "qemu:///system",
    .routes = VK_PROC_OWNER_BIT(VK_PROC_OWNER_HYPERVISOR) |
              VK_PROC_OWNER_BIT(VK_PROC_OWNER_NETWORK) | VK_PROC_OWNER_BIT(VK_PROC_OWNER_STORAGE) |
              VK_PROC_OWNER_BIT(VK_PROC_OWNER_NODEDEV),
    .private_program = qemu_program,
};

int
main(int argc, char **argv)
{
    return vk_daemon_run(&virtproxyd, argc, argv);
}
