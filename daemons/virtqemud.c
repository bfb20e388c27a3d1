/* virtqemud: the QEMU/KVM daemon. */
#include "common/daemon/run.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/handlers/qemu-program.h"

static const VkDaemonSpec virtqemud = {
    .name = "virtqemud",
    .uri = "qemu:///system",
    .routes = VK_PROC_OWNER_BIT(VK_PROC_OWNER_NETWORK) | VK_PROC_OWNER_BIT(VK_PROC_OWNER_STORAGE) |
              VK_PROC_OWNER_BIT(VK_PROC_OWNER_NODEDEV),
    .start = vk_qemu_driver_start,
    .private_program = vk_qemu_program_new,
    .stop = vk_qemu_driver_stop,
    .busy = vk_qemu_driver_busy,
};

int
main(int argc, char **argv)
{
    return vk_daemon_run(&virtqemud, argc, argv);
}
