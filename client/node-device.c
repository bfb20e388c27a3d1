/* Node device handles and the calls on host devices: listing, lookups
 * (by name, a SCSI host by its WWN pair), what a device is (XML, parent,
 * capabilities), handing a PCI device to guests and back (detach,
 * reattach, reset), and the devices made on the host (mdevs): create,
 * define, start, destroy, undefine, autostart. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

static void *
device_from_wire(void *conn, const void *wire)
{
    const remote_nonnull_node_device *w = wire;
    static const unsigned char no_uuid[VIR_UUID_BUFLEN];
    virNodeDevicePtr dev = g_new0(virNodeDevice, 1);

    vk_client_handle_init(&dev->h, conn, w->name, no_uuid);
    return dev;
}

static const VkClientWire device_wire = {
    (xdrproc_t) xdr_remote_nonnull_node_device, sizeof(remote_nonnull_node_device),
    device_from_wire,
};

/* Call PROC for DEV as public call FUNC (see vk_client_named_call). */
static int
device_call(virNodeDevicePtr dev, const char *func, int proc, xdrproc_t args_filter,
            void *args, xdrproc_t ret_filter, void *ret)
{
    return vk_client_named_call(dev, VK_CLIENT_NODE_DEVICE, func, proc, args_filter, args,
                                ret_filter, ret);
}

/* Every call that answers a device answers it alone. */
static virNodeDevicePtr
device_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args)
{
    return vk_client_object_from_call(conn, proc, args_filter, args, &device_wire, conn);
}

/* --- listing -------------------------------------------------------------- */

int
virNodeNumOfDevices(virConnectPtr conn, const char *cap, unsigned int flags)
{
    char *cap_str = (char *) cap;
    remote_node_num_of_devices_args args = { .cap = cap ? &cap_str : NULL, .flags = flags };
    remote_node_num_of_devices_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_NODE_NUM_OF_DEVICES,
                       (xdrproc_t) xdr_remote_node_num_of_devices_args, &args,
                       (xdrproc_t) xdr_remote_node_num_of_devices_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return ret.num;
}

int
virNodeListDevices(virConnectPtr conn, const char *cap, char **const names, int maxnames,
                   unsigned int flags)
{
    char *cap_str = (char *) cap;
    remote_node_list_devices_args args = { .cap = cap ? &cap_str : NULL, .maxnames = maxnames,
                                           .flags = flags };
    remote_node_list_devices_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(names, "names", __func__) ||
        !vk_client_check_maxnames(maxnames, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_NODE_LIST_DEVICES,
                       (xdrproc_t) xdr_remote_node_list_devices_args, &args,
                       (xdrproc_t) xdr_remote_node_list_devices_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return vk_client_take_names(&ret, (xdrproc_t) xdr_remote_node_list_devices_ret, names,
                                maxnames, "node devices");
}

int
virConnectListAllNodeDevices(virConnectPtr conn, virNodeDevicePtr **devices,
                             unsigned int flags)
{
    remote_connect_list_all_node_devices_args args = { .need_results = devices != NULL,
                                                       .flags = flags };
    remote_connect_list_all_node_devices_ret ret = { 0 };

    vk_client_enter();
    if (devices)
        *devices = NULL;
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_LIST_ALL_NODE_DEVICES,
                       (xdrproc_t) xdr_remote_connect_list_all_node_devices_args, &args,
                       (xdrproc_t) xdr_remote_connect_list_all_node_devices_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return vk_client_take_list(&ret, (xdrproc_t) xdr_remote_connect_list_all_node_devices_ret,
                               &device_wire, conn, (void ***) devices);
}

/* --- lookups -------------------------------------------------------------- */

virNodeDevicePtr
virNodeDeviceLookupByName(virConnectPtr conn, const char *name)
{
    remote_node_device_lookup_by_name_args args = { .name = (char *) name };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(name, "name", __func__))
        return NULL;
    return device_from_call(conn, REMOTE_PROC_NODE_DEVICE_LOOKUP_BY_NAME,
                            (xdrproc_t) xdr_remote_node_device_lookup_by_name_args, &args);
}

virNodeDevicePtr
virNodeDeviceLookupSCSIHostByWWN(virConnectPtr conn, const char *wwnn, const char *wwpn,
                                 unsigned int flags)
{
    remote_node_device_lookup_scsi_host_by_wwn_args args = {
        .wwnn = (char *) wwnn, .wwpn = (char *) wwpn, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(wwnn, "wwnn", __func__) ||
        !vk_client_check_nonnull(wwpn, "wwpn", __func__))
        return NULL;
    return device_from_call(conn, REMOTE_PROC_NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN,
                            (xdrproc_t) xdr_remote_node_device_lookup_scsi_host_by_wwn_args,
                            &args);
}

/* --- what a device is ----------------------------------------------------- */

const char *
virNodeDeviceGetName(virNodeDevicePtr dev)
{
    return vk_client_handle_get_name(dev, VK_CLIENT_NODE_DEVICE, __func__);
}

/* Asked until there is one: the root has none, and that is no error. */
const char *
virNodeDeviceGetParent(virNodeDevicePtr dev)
{
    remote_node_device_get_parent_args args = { 0 };
    remote_node_device_get_parent_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(dev, VK_CLIENT_NODE_DEVICE, __func__))
        return NULL;
    if (dev->parent)
        return dev->parent;
    if (device_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_GET_PARENT,
                    (xdrproc_t) xdr_remote_node_device_get_parent_args, &args,
                    (xdrproc_t) xdr_remote_node_device_get_parent_ret, &ret) < 0)
        return NULL;
    if (ret.parentName)
        dev->parent = g_strdup(*ret.parentName);
    xdr_free((xdrproc_t) xdr_remote_node_device_get_parent_ret, (char *) &ret);
    return dev->parent;
}

char *
virNodeDeviceGetXMLDesc(virNodeDevicePtr dev, unsigned int flags)
{
    remote_node_device_get_xml_desc_args args = { .flags = flags };
    remote_node_device_get_xml_desc_ret ret = { 0 };
    char *xml;

    if (device_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_GET_XML_DESC,
                    (xdrproc_t) xdr_remote_node_device_get_xml_desc_args, &args,
                    (xdrproc_t) xdr_remote_node_device_get_xml_desc_ret, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_node_device_get_xml_desc_ret, (char *) &ret);
    return xml;
}

int
virNodeDeviceNumOfCaps(virNodeDevicePtr dev)
{
    return vk_client_named_int_call(dev, VK_CLIENT_NODE_DEVICE, __func__,
                                    REMOTE_PROC_NODE_DEVICE_NUM_OF_CAPS);
}

int
virNodeDeviceListCaps(virNodeDevicePtr dev, char **const names, int maxnames)
{
    remote_node_device_list_caps_args args = { .maxnames = maxnames };
    remote_node_device_list_caps_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(dev, VK_CLIENT_NODE_DEVICE, __func__) ||
        !vk_client_check_nonnull(names, "names", __func__) ||
        !vk_client_check_maxnames(maxnames, __func__))
        return -1;
    if (device_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_LIST_CAPS,
                    (xdrproc_t) xdr_remote_node_device_list_caps_args, &args,
                    (xdrproc_t) xdr_remote_node_device_list_caps_ret, &ret) < 0)
        return -1;
    return vk_client_take_names(&ret, (xdrproc_t) xdr_remote_node_device_list_caps_ret, names,
                                maxnames, "capabilities");
}

int
virNodeDeviceGetAutostart(virNodeDevicePtr dev, int *autostart)
{
    return vk_client_named_get_autostart(dev, VK_CLIENT_NODE_DEVICE, __func__,
                                         REMOTE_PROC_NODE_DEVICE_GET_AUTOSTART, autostart);
}

int
virNodeDeviceIsActive(virNodeDevicePtr dev)
{
    return vk_client_named_bool_call(dev, VK_CLIENT_NODE_DEVICE, __func__,
                                     REMOTE_PROC_NODE_DEVICE_IS_ACTIVE);
}

int
virNodeDeviceIsPersistent(virNodeDevicePtr dev)
{
    return vk_client_named_bool_call(dev, VK_CLIENT_NODE_DEVICE, __func__,
                                     REMOTE_PROC_NODE_DEVICE_IS_PERSISTENT);
}

/* --- handing a device to guests ------------------------------------------- */

/* DETTACH, RE_ATTACH, RESET, DESTROY: the device alone, no answer. */
static int
device_void_call(virNodeDevicePtr dev, const char *func, int proc)
{
    remote_node_device_dettach_args args = { 0 };

    return device_call(dev, func, proc, (xdrproc_t) xdr_remote_node_device_dettach_args, &args,
                       NULL, NULL);
}

int
virNodeDeviceDettach(virNodeDevicePtr dev)
{
    return device_void_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_DETTACH);
}

int
virNodeDeviceDetachFlags(virNodeDevicePtr dev, const char *driverName, unsigned int flags)
{
    char *driver = (char *) driverName;
    remote_node_device_detach_flags_args args = { .driverName = driverName ? &driver : NULL,
                                                  .flags = flags };

    return device_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_DETACH_FLAGS,
                       (xdrproc_t) xdr_remote_node_device_detach_flags_args, &args, NULL, NULL);
}

int
virNodeDeviceReAttach(virNodeDevicePtr dev)
{
    return device_void_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_RE_ATTACH);
}

int
virNodeDeviceReset(virNodeDevicePtr dev)
{
    return device_void_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_RESET);
}

/* --- devices made on the host --------------------------------------------- */

/* CREATE_XML and DEFINE_XML: { xml, flags } in, the device out. */
static virNodeDevicePtr
device_from_xml(virConnectPtr conn, const char *func, int proc, const char *xml,
                unsigned int flags)
{
    remote_node_device_create_xml_args args = { .xml_desc = (char *) xml, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(xml, "xmlDesc", func))
        return NULL;
    return device_from_call(conn, proc, (xdrproc_t) xdr_remote_node_device_create_xml_args,
                            &args);
}

virNodeDevicePtr
virNodeDeviceCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return device_from_xml(conn, __func__, REMOTE_PROC_NODE_DEVICE_CREATE_XML, xmlDesc, flags);
}

virNodeDevicePtr
virNodeDeviceDefineXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return device_from_xml(conn, __func__, REMOTE_PROC_NODE_DEVICE_DEFINE_XML, xmlDesc, flags);
}

int
virNodeDeviceDestroy(virNodeDevicePtr dev)
{
    return device_void_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_DESTROY);
}

/* UNDEFINE, CREATE: the device and flags. */
static int
device_flags_call(virNodeDevicePtr dev, const char *func, int proc, unsigned int flags)
{
    remote_node_device_create_args args = { .flags = flags };

    return device_call(dev, func, proc, (xdrproc_t) xdr_remote_node_device_create_args, &args,
                       NULL, NULL);
}

int
virNodeDeviceUndefine(virNodeDevicePtr dev, unsigned int flags)
{
    return device_flags_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_UNDEFINE, flags);
}

int
virNodeDeviceCreate(virNodeDevicePtr dev, unsigned int flags)
{
    return device_flags_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_CREATE, flags);
}

int
virNodeDeviceSetAutostart(virNodeDevicePtr dev, int autostart)
{
    remote_node_device_set_autostart_args args = { .autostart = autostart };

    return device_call(dev, __func__, REMOTE_PROC_NODE_DEVICE_SET_AUTOSTART,
                       (xdrproc_t) xdr_remote_node_device_set_autostart_args, &args, NULL, NULL);
}

/* --- references ----------------------------------------------------------- */

int
virNodeDeviceRef(virNodeDevicePtr dev)
{
    return vk_client_handle_ref(dev, VK_CLIENT_NODE_DEVICE, __func__);
}

static void
device_free_rest(void *obj)
{
    virNodeDevicePtr dev = obj;

    g_free(dev->parent);
    g_free(dev);
}

int
virNodeDeviceFree(virNodeDevicePtr dev)
{
    return vk_client_handle_free(dev, VK_CLIENT_NODE_DEVICE, __func__, device_free_rest);
}
