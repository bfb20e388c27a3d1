/* Procedures on network definitions: define, undefine, lookups, listing,
 * XML, bridge name, autostart and state. */
#include <stdlib.h>
#include <string.h>

#include "common/driver/object-listing.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-events.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/core/network-store.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

/* virNetworkDefineFlags / virNetworkXMLFlags / virConnectListAllNetworksFlags */
#define DEFINE_VALIDATE (1 << 0)
#define XML_INACTIVE (1 << 0)
enum {
    LIST_INACTIVE = 1 << 0, LIST_ACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2, LIST_TRANSIENT = 1 << 3,
    LIST_AUTOSTART = 1 << 4, LIST_NO_AUTOSTART = 1 << 5,
};

static int
define_xml(const char *xml, unsigned int flags, remote_nonnull_network *result)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkObjectPlacing p;
    VkNetworkObj *obj;
    VkEventSubject subject;
    VkNetworkDef **slot = NULL;

    if (vk_check_flags(VIR_FROM_NETWORK, flags, DEFINE_VALIDATE, "networkDefineXMLFlags") < 0 ||
        vk_object_place_begin(&driver->placer, xml, &p) < 0)
        return -1;
    obj = (VkNetworkObj *) p.obj;
    if (p.existed) {
        /* An active network keeps its live definition until restarted:
         * the new one swaps places with the old, which goes with P. */
        slot = obj->active ? &obj->new_def : &obj->def;
        VkNetworkDef *old = *slot;
        *slot = p.def;
        p.def = old;
    }
    if (vk_network_store_save_config(driver->store, vk_network_obj_config(obj)) < 0) {
        if (p.existed) {   /* put the old one back */
            VkNetworkDef *new = *slot;
            *slot = p.def;
            p.def = new;
        }
        return vk_object_place_end(&driver->placer, &p, -1);
    }
    obj->persistent = true;
    vk_network_make_ref(result, obj->def);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_place_end(&driver->placer, &p, 0);
    vk_network_event_emit(driver->events, &subject, VK_NETWORK_EVENT_DEFINED);
    return 0;
}

static int
network_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    return define_xml(((remote_network_define_xml_args *) argsp)->xml, 0,
                      &((remote_network_define_xml_ret *) retp)->net);
}

static int
network_define_xml_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_define_xml_flags_args *args = argsp;

    return define_xml(args->xml, args->flags, &((remote_network_define_xml_flags_ret *) retp)->net);
}

static int
network_undefine(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkNetworkObj *obj = vk_network_begin(&((remote_network_undefine_args *) argsp)->net);
    VkEventSubject subject;

    if (!obj)
        return -1;
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "can't undefine transient network");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_store_delete_config(driver->store, obj->def->name) < 0)
        return vk_object_release(&obj->parent, -1);
    /* An active network goes on running, as a transient one. */
    obj->persistent = false;
    obj->autostart = false;
    g_clear_pointer(&obj->new_def, vk_network_def_free);
    vk_event_subject_of(&subject, &obj->parent);
    if (!obj->active)
        vk_object_list_remove(driver->networks, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_network_event_emit(driver->events, &subject, VK_NETWORK_EVENT_UNDEFINED);
    return 0;
}

static int
reply_ref(VkNetworkObj *obj, remote_nonnull_network *ref)
{
    if (!obj)
        return -1;
    vk_network_obj_lock(obj);
    vk_network_make_ref(ref, obj->def);
    vk_network_obj_unlock(obj);
    vk_network_obj_unref(obj);
    return 0;
}

static int
network_lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    const char *name = ((remote_network_lookup_by_name_args *) argsp)->name;
    VkNetworkObj *obj = vk_network_list_find_by_name(vk_network_driver()->networks, name);

    if (!obj)
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK,
                        "no network with matching name '%s'", name);
    return reply_ref(obj, &((remote_network_lookup_by_name_ret *) retp)->net);
}

static int
network_lookup_by_uuid(VkServerClient *client, void *argsp, void *retp)
{
    const unsigned char *uuid =
        (const unsigned char *) ((remote_network_lookup_by_uuid_args *) argsp)->uuid;
    VkNetworkObj *obj = vk_network_list_find_by_uuid(vk_network_driver()->networks, uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!obj)
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK,
                        "no network with matching uuid '%s'", vk_uuid_format(uuid, uuidstr));
    return reply_ref(obj, &((remote_network_lookup_by_uuid_ret *) retp)->net);
}

static bool
matches_list_flags(VkObject *parent, unsigned int flags)
{
    VkNetworkObj *obj = (VkNetworkObj *) parent;

    return vk_list_flags_group(flags, LIST_ACTIVE, LIST_INACTIVE, obj->active) &&
           vk_list_flags_group(flags, LIST_PERSISTENT, LIST_TRANSIENT, obj->persistent) &&
           vk_list_flags_group(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART, obj->autostart);
}

/* The networks passing FLAGS (LIST_*), as references for XDR (NULL when
 * only counting); the count is returned. */
static guint
collect(unsigned int flags, remote_nonnull_network **refs)
{
    g_autoptr(GPtrArray) listed = vk_object_list_matching(vk_network_driver()->networks,
                                                          matches_list_flags, flags);

    if (refs) {
        *refs = calloc(MAX(listed->len, 1), sizeof(remote_nonnull_network));
        for (guint i = 0; i < listed->len; i++) {
            VkNetworkObj *obj = g_ptr_array_index(listed, i);
            vk_network_obj_lock(obj);
            vk_network_make_ref(&(*refs)[i], obj->def);
            vk_network_obj_unlock(obj);
        }
    }
    return listed->len;
}

static int
connect_list_all_networks(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_all_networks_args *args = argsp;
    remote_connect_list_all_networks_ret *ret = retp;
    unsigned int all_flags = LIST_INACTIVE | LIST_ACTIVE | LIST_PERSISTENT | LIST_TRANSIENT |
                             LIST_AUTOSTART | LIST_NO_AUTOSTART;
    guint n;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, all_flags, "networkConnectListAllNetworks") < 0)
        return -1;
    n = collect(args->flags, args->need_results ? &ret->nets.nets_val : NULL);
    ret->nets.nets_len = args->need_results ? n : 0;
    ret->ret = n;
    return 0;
}

static int
connect_num_of_networks(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_networks_ret *) retp)->num = collect(LIST_ACTIVE, NULL);
    return 0;
}

static int
connect_num_of_defined_networks(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_defined_networks_ret *) retp)->num = collect(LIST_INACTIVE, NULL);
    return 0;
}

static int
connect_list_networks(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_networks_ret *ret = retp;

    vk_object_list_names_matching(vk_network_driver()->networks, matches_list_flags, LIST_ACTIVE,
                                  ((remote_connect_list_networks_args *) argsp)->maxnames,
                                  &ret->names.names_val, &ret->names.names_len);
    return 0;
}

static int
connect_list_defined_networks(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_defined_networks_ret *ret = retp;

    vk_object_list_names_matching(vk_network_driver()->networks, matches_list_flags,
                                  LIST_INACTIVE,
                                  ((remote_connect_list_defined_networks_args *) argsp)->maxnames,
                                  &ret->names.names_val, &ret->names.names_len);
    return 0;
}

/* Look the network up for a read: locked, no job (reads do not queue). */
static VkNetworkObj *
read_begin(const remote_nonnull_network *ref)
{
    VkNetworkObj *obj = vk_network_from_ref(ref);

    if (obj)
        vk_network_obj_lock(obj);
    return obj;
}

static int
read_end(VkNetworkObj *obj, int rc)
{
    vk_network_obj_unlock(obj);
    vk_network_obj_unref(obj);
    return rc;
}

static int
network_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_get_xml_desc_args *args = argsp;
    VkNetworkObj *obj;
    const VkNetworkDef *def;
    g_autofree char *xml = NULL;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, XML_INACTIVE, "networkGetXMLDesc") < 0 ||
        !(obj = read_begin(&args->net)))
        return -1;
    def = (args->flags & XML_INACTIVE) && obj->new_def ? obj->new_def : obj->def;
    xml = vk_network_def_format(def, (args->flags & XML_INACTIVE) || !obj->active
                                         ? VK_NETWORK_FORMAT_INACTIVE : 0);
    if (!xml)
        return read_end(obj, -1);
    ((remote_network_get_xml_desc_ret *) retp)->xml = strdup(xml);
    return read_end(obj, 0);
}

static int
network_get_bridge_name(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkObj *obj = read_begin(&((remote_network_get_bridge_name_args *) argsp)->net);

    if (!obj)
        return -1;
    if (!obj->def->bridge) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "network '%s' does not have a bridge name.", obj->def->name);
        return read_end(obj, -1);
    }
    ((remote_network_get_bridge_name_ret *) retp)->name = strdup(obj->def->bridge);
    return read_end(obj, 0);
}

static int
network_get_autostart(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkObj *obj = read_begin(&((remote_network_get_autostart_args *) argsp)->net);

    if (!obj)
        return -1;
    ((remote_network_get_autostart_ret *) retp)->autostart = obj->autostart;
    return read_end(obj, 0);
}

static int
network_set_autostart(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_set_autostart_args *args = argsp;
    VkNetworkObj *obj = vk_network_begin(&args->net);

    if (!obj)
        return -1;
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot set autostart for transient network");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_store_set_autostart(vk_network_driver()->store, obj->def->name, args->autostart) < 0)
        return vk_object_release(&obj->parent, -1);
    obj->autostart = args->autostart != 0;
    return vk_object_release(&obj->parent, 0);
}

static int
network_is_active(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkObj *obj = read_begin(&((remote_network_is_active_args *) argsp)->net);

    if (!obj)
        return -1;
    ((remote_network_is_active_ret *) retp)->active = obj->active;
    return read_end(obj, 0);
}

static int
network_is_persistent(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkObj *obj = read_begin(&((remote_network_is_persistent_args *) argsp)->net);

    if (!obj)
        return -1;
    ((remote_network_is_persistent_ret *) retp)->persistent = obj->persistent;
    return read_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NETWORK_DEFINE_XML, network_define_xml },
    { REMOTE_PROC_NETWORK_DEFINE_XML_FLAGS, network_define_xml_flags },
    { REMOTE_PROC_NETWORK_UNDEFINE, network_undefine },
    { REMOTE_PROC_NETWORK_LOOKUP_BY_NAME, network_lookup_by_name },
    { REMOTE_PROC_NETWORK_LOOKUP_BY_UUID, network_lookup_by_uuid },
    { REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS, connect_list_all_networks },
    { REMOTE_PROC_CONNECT_NUM_OF_NETWORKS, connect_num_of_networks },
    { REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS, connect_num_of_defined_networks },
    { REMOTE_PROC_CONNECT_LIST_NETWORKS, connect_list_networks },
    { REMOTE_PROC_CONNECT_LIST_DEFINED_NETWORKS, connect_list_defined_networks },
    { REMOTE_PROC_NETWORK_GET_XML_DESC, network_get_xml_desc },
    { REMOTE_PROC_NETWORK_GET_BRIDGE_NAME, network_get_bridge_name },
    { REMOTE_PROC_NETWORK_GET_AUTOSTART, network_get_autostart },
    { REMOTE_PROC_NETWORK_SET_AUTOSTART, network_set_autostart },
    { REMOTE_PROC_NETWORK_IS_ACTIVE, network_is_active },
    { REMOTE_PROC_NETWORK_IS_PERSISTENT, network_is_persistent },
};

void
vk_network_definition_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
