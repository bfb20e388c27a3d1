/* virtstoraged: the storage daemon. */
#include "common/daemon/run.h"
#include "drivers/storage/driver.h"

static const VkDaemonSpec virtstoraged = {
    .name = "virtstoraged",
    .uri = "storage:///system",
    .start = vk_storage_driver_start,
    .stop = vk_storage_driver_stop,
};

int
main(int argc, char **argv)
{
    return vk_daemon_run(&virtstoraged, argc, argv);
}
