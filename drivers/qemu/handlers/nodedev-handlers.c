/* virNodeDeviceDetachFlags, virNodeDeviceReAttach and virNodeDeviceReset:
 * libvirt answers them in the hypervisor driver (the device goes to or
 * comes back from vfio-pci for guests), through common/pci's binding steps.
 * The device is named as virtnodedevd names it: pci_DDDD_BB_SS_F. */
#include <stdio.h>
#include <string.h>

#include "common/pci/host-binding.h"
#include "common/pci/host-reset.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/host-pci.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/handlers/handlers.h"
#include "remote-protocol.h"

/* "pci_0000_03_00_0" -> "0000:03:00.0"; NULL with libvirt's "no node
 * device" error for any other name. */
static char *
pci_address_of(const char *name)
{
    unsigned int domain, bus, slot, function;
    char tail;

    if (sscanf(name, "pci_%4x_%2x_%2x_%1x%c", &domain, &bus, &slot, &function, &tail) != 4) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_NO_NODE_DEVICE,
                        "no node device with matching name '%s'", name);
        return NULL;
    }
    return g_strdup_printf("%04x:%02x:%02x.%x", domain, bus, slot, function);
}

static int
detach(const char *name, const char *driver_name)
{
    g_autofree char *address = pci_address_of(name);
    g_autofree char *state_dir = NULL;
    const char *stub;
    VkPciBinder b;

    if (!address)
        return -1;
    vk_qemu_pci_binder_init(&b, &state_dir);
    if (!(stub = vk_pci_host_stub_for_driver_name(b.root, driver_name)))
        return -1;
    return vk_pci_host_detach(&b, address, stub);
}

static int
node_device_dettach(VkServerClient *client, void *argsp, void *retp)
{
    return detach(((remote_node_device_dettach_args *) argsp)->name, NULL);
}

static int
node_device_detach_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_device_detach_flags_args *args = argsp;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuNodeDeviceDetachFlags") < 0)
        return -1;
    return detach(args->name, args->driverName ? *args->driverName : NULL);
}

static int
node_device_re_attach(VkServerClient *client, void *argsp, void *retp)
{
    g_autofree char *address = pci_address_of(((remote_node_device_re_attach_args *) argsp)->name);
    g_autofree char *state_dir = NULL;
    VkPciBinder b;

    if (!address)
        return -1;
    vk_qemu_pci_binder_init(&b, &state_dir);
    return vk_pci_host_reattach(&b, address);
}

static int
node_device_reset(VkServerClient *client, void *argsp, void *retp)
{
    g_autofree char *address = pci_address_of(((remote_node_device_reset_args *) argsp)->name);
    g_autofree char *state_dir = NULL;
    VkPciBinder b;

    if (!address)
        return -1;
    vk_qemu_pci_binder_init(&b, &state_dir);
    return vk_pci_host_reset(&b, address);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_DEVICE_DETTACH, node_device_dettach },
    { REMOTE_PROC_NODE_DEVICE_DETACH_FLAGS, node_device_detach_flags },
    { REMOTE_PROC_NODE_DEVICE_RE_ATTACH, node_device_re_attach },
    { REMOTE_PROC_NODE_DEVICE_RESET, node_device_reset },
};

void
vk_qemu_nodedev_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
