/* update-device for interfaces (see net-update.h). */
#include "common/conf/net-update.h"

#include "common/util/error.h"

bool
vk_domain_net_link_up(const VkDomainNetDef *net)
{
    return net->link_state != VK_NET_LINK_DOWN;
}

int
vk_domain_def_find_net_change(const VkDomainDef *def, const VkDomainDeviceDef *dev)
{
    const VkDomainNetDef *newnet = dev->net;
    const VkDomainNetDef *orig;
    int pos;

    if ((pos = vk_domain_def_find_device(def, dev, true)) < 0)
        return -1;
    orig = g_ptr_array_index(def->nets, pos);
    if (newnet->type != orig->type) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "cannot change network interface type from %s to %s",
                        vk_net_type_to_string(orig->type), vk_net_type_to_string(newnet->type));
        return -1;
    }
    if (newnet->model && g_strcmp0(newnet->model, orig->model) != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "cannot modify network device model from %s to %s",
                        orig->model ? orig->model : "(default)", newnet->model);
        return -1;
    }
    /* a type network interface's bridge is the port's, not the user's */
    if (orig->type == VK_NET_TYPE_BRIDGE && g_strcmp0(newnet->src_bridge, orig->src_bridge) != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "cannot move a running guest's interface to another bridge");
        return -1;
    }
    if (g_strcmp0(newnet->src_network, orig->src_network) != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                        "cannot move a running guest's interface to another network");
        return -1;
    }
    return pos;
}

int
vk_domain_def_update_net(VkDomainDef *def, VkDomainDeviceDef *dev)
{
    VkDomainNetDef *orig;
    int pos;

    if ((pos = vk_domain_def_find_device(def, dev, false)) < 0)
        return -1;
    orig = g_ptr_array_index(def->nets, pos);
    if (dev->net->info.addr.type == VK_DEVICE_ADDRESS_NONE) {
        dev->net->info.addr = orig->info.addr;   /* a PCI address: nothing to share */
        dev->net->info.addr.usb.port = NULL;
    }
    g_ptr_array_index(def->nets, pos) = g_steal_pointer(&dev->net);
    vk_domain_net_def_free(orig);
    return 0;
}
