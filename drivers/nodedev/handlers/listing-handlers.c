/* Listings: virNodeNumOfDevices / virNodeListDevices (by capability name)
 * and virConnectListAllNodeDevices (capability and state flags). */
#include <stdlib.h>
#include <string.h>

#include "common/driver/object-listing.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/driver.h"
#include "drivers/nodedev/handlers/handlers.h"
#include "remote-protocol.h"

/* virConnectListAllNodeDeviceFlags: a bit per capability type, then state */
#define LIST_CAPS ((1u << VK_NODEDEV_CAP_LAST) - 1)
#define LIST_INACTIVE (1u << 30)
#define LIST_ACTIVE (1u << 31)
/* the old calls name one capability; an unknown name matches nothing */
#define CAP_UNKNOWN (1u << 29)

static bool
matches_list_flags(VkObject *parent, unsigned int flags)
{
    VkNodeDevObj *obj = (VkNodeDevObj *) parent;

    if (flags & CAP_UNKNOWN)
        return false;
    if ((flags & LIST_CAPS) && !(vk_node_device_def_cap_bits(obj->def) & flags))
        return false;
    return vk_list_flags_group(flags, LIST_ACTIVE, LIST_INACTIVE, obj->active);
}

/* The flags of the capability CAP names (an unused bit when none does). */
static unsigned int
cap_flags(const char *cap)
{
    int type;

    if (!cap)
        return 0;
    type = vk_nodedev_cap_from_string(cap);
    return type < 0 ? CAP_UNKNOWN : 1u << type;
}

static int
node_num_of_devices(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_num_of_devices_args *args = argsp;
    g_autoptr(GPtrArray) listed = NULL;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeNumOfDevices") < 0)
        return -1;
    listed = vk_object_list_matching(vk_nodedev_driver()->devices, matches_list_flags,
                                     cap_flags(args->cap ? *args->cap : NULL));
    ((remote_node_num_of_devices_ret *) retp)->num = listed->len;
    return 0;
}

static int
node_list_devices(VkServerClient *client, void *argsp, void *retp)
{
    remote_node_list_devices_args *args = argsp;
    remote_node_list_devices_ret *ret = retp;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, 0, "nodeListDevices") < 0)
        return -1;
    if (args->maxnames > REMOTE_NODE_DEVICE_LIST_MAX) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "%s", "maxnames > REMOTE_NODE_DEVICE_LIST_MAX");
        return -1;
    }
    vk_object_list_names_matching(vk_nodedev_driver()->devices, matches_list_flags,
                                  cap_flags(args->cap ? *args->cap : NULL), args->maxnames,
                                  &ret->names.names_val, &ret->names.names_len);
    return 0;
}

static int
connect_list_all_node_devices(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_all_node_devices_args *args = argsp;
    remote_connect_list_all_node_devices_ret *ret = retp;
    g_autoptr(GPtrArray) listed = NULL;

    if (vk_check_flags(VIR_FROM_NODEDEV, args->flags, LIST_CAPS | LIST_ACTIVE | LIST_INACTIVE,
                       "nodeConnectListAllNodeDevices") < 0)
        return -1;
    listed = vk_object_list_matching(vk_nodedev_driver()->devices, matches_list_flags,
                                     args->flags);
    if (args->need_results) {
        ret->devices.devices_val = calloc(MAX(listed->len, 1), sizeof(remote_nonnull_node_device));
        ret->devices.devices_len = listed->len;
        for (guint i = 0; i < listed->len; i++) {
            VkNodeDevObj *obj = g_ptr_array_index(listed, i);
            ret->devices.devices_val[i].name = strdup(obj->parent.name);
        }
    }
    ret->ret = listed->len;
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NODE_NUM_OF_DEVICES, node_num_of_devices },
    { REMOTE_PROC_NODE_LIST_DEVICES, node_list_devices },
    { REMOTE_PROC_CONNECT_LIST_ALL_NODE_DEVICES, connect_list_all_node_devices },
};

void
vk_nodedev_listing_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
