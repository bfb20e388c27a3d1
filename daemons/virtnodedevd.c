/* virtnodedevd: the node device daemon. */
#include "common/daemon/run.h"
#include "drivers/nodedev/driver.h"

static const VkDaemonSpec virtnodedevd = {
    .name = "virtnodedevd",
    .uri = "nodedev:///system",
    .start = vk_nodedev_driver_start,
    .stop = vk_nodedev_driver_stop,
};

int
main(int argc, char **argv)
{
    return vk_daemon_run(&virtnodedevd, argc, argv);
}
