/* virtnetworkd: the virtual network daemon. */
#include "common/daemon/run.h"
#include "drivers/network/driver.h"

static const VkDaemonSpec virtnetworkd = {
    .name = "virtnetworkd",
    .uri = "network:///system",
    .start = vk_network_driver_start,
    .stop = vk_network_driver_stop,
};

int
main(int argc, char **argv)
{
    return vk_daemon_run(&virtnetworkd, argc, argv);
}
