/* Storage pool handles and the calls on pools: listing, lookups,
 * definitions, lifecycle (build, start, stop, delete, refresh), what a pool
 * is (info, XML, autostart) and the names of its volumes; the host's pool
 * sources and capabilities. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

static void *
pool_from_wire(void *conn, const void *wire)
{
    const remote_nonnull_storage_pool *w = wire;
    virStoragePoolPtr pool = g_new0(virStoragePool, 1);

    vk_client_handle_init(&pool->h, conn, w->name, w->uuid);
    return pool;
}

const VkClientWire vk_client_pool_wire = {
    (xdrproc_t) xdr_remote_nonnull_storage_pool, sizeof(remote_nonnull_storage_pool),
    pool_from_wire,
};

int
vk_client_pool_call(virStoragePoolPtr pool, const char *func, int proc,
                    xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    return vk_client_named_call(pool, VK_CLIENT_STORAGE_POOL, func, proc, args_filter, args,
                                ret_filter, ret);
}

/* Every call that answers a pool answers it alone. */
static virStoragePoolPtr
pool_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args)
{
    return vk_client_object_from_call(conn, proc, args_filter, args, &vk_client_pool_wire,
                                      conn);
}

int
virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                              unsigned int flags)
{
    remote_connect_list_all_storage_pools_args args = { .need_results = pools != NULL,
                                                        .flags = flags };
    remote_connect_list_all_storage_pools_ret ret = { 0 };

    vk_client_enter();
    if (pools)
        *pools = NULL;
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_LIST_ALL_STORAGE_POOLS,
                       (xdrproc_t) xdr_remote_connect_list_all_storage_pools_args, &args,
                       (xdrproc_t) xdr_remote_connect_list_all_storage_pools_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return vk_client_take_list(&ret, (xdrproc_t) xdr_remote_connect_list_all_storage_pools_ret,
                               &vk_client_pool_wire, conn, (void ***) pools);
}

int
virConnectNumOfStoragePools(virConnectPtr conn)
{
    return vk_client_conn_int_call(conn, __func__, REMOTE_PROC_CONNECT_NUM_OF_STORAGE_POOLS);
}

int
virConnectNumOfDefinedStoragePools(virConnectPtr conn)
{
    return vk_client_conn_int_call(conn, __func__,
                                   REMOTE_PROC_CONNECT_NUM_OF_DEFINED_STORAGE_POOLS);
}

int
virConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    return vk_client_conn_list_names(conn, __func__, REMOTE_PROC_CONNECT_LIST_STORAGE_POOLS,
                                     (xdrproc_t) xdr_remote_connect_list_storage_pools_ret,
                                     names, maxnames, "storage pools");
}

int
virConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    return vk_client_conn_list_names(
        conn, __func__, REMOTE_PROC_CONNECT_LIST_DEFINED_STORAGE_POOLS,
        (xdrproc_t) xdr_remote_connect_list_defined_storage_pools_ret, names, maxnames,
        "storage pools");
}

/* Answers that are one string (the XML of sources, of capabilities, of a
 * pool): a copy of it, the answer freed. */
static char *
take_string(char **answer, xdrproc_t answer_filter)
{
    char *s = g_strdup(*answer);

    xdr_free(answer_filter, (char *) answer);
    return s;
}

char *
virConnectFindStoragePoolSources(virConnectPtr conn, const char *type, const char *srcSpec,
                                 unsigned int flags)
{
    char *spec = (char *) srcSpec;
    remote_connect_find_storage_pool_sources_args args = {
        .type = (char *) type, .srcSpec = srcSpec ? &spec : NULL, .flags = flags };
    remote_connect_find_storage_pool_sources_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(type, "type", __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_FIND_STORAGE_POOL_SOURCES,
                       (xdrproc_t) xdr_remote_connect_find_storage_pool_sources_args, &args,
                       (xdrproc_t) xdr_remote_connect_find_storage_pool_sources_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    return take_string(&ret.xml, (xdrproc_t) xdr_remote_connect_find_storage_pool_sources_ret);
}

char *
virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    remote_connect_get_storage_pool_capabilities_args args = { .flags = flags };
    remote_connect_get_storage_pool_capabilities_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_STORAGE_POOL_CAPABILITIES,
                       (xdrproc_t) xdr_remote_connect_get_storage_pool_capabilities_args, &args,
                       (xdrproc_t) xdr_remote_connect_get_storage_pool_capabilities_ret,
                       &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    return take_string(&ret.capabilities,
                       (xdrproc_t) xdr_remote_connect_get_storage_pool_capabilities_ret);
}

/* --- lookups -------------------------------------------------------------- */

/* LOOKUP_BY_NAME and LOOKUP_BY_TARGET_PATH: one string in. */
static virStoragePoolPtr
lookup_by_string(virConnectPtr conn, const char *func, int proc, const char *what,
                 const char *value)
{
    remote_storage_pool_lookup_by_name_args args = { .name = (char *) value };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(value, what, func))
        return NULL;
    return pool_from_call(conn, proc, (xdrproc_t) xdr_remote_storage_pool_lookup_by_name_args,
                          &args);
}

virStoragePoolPtr
virStoragePoolLookupByName(virConnectPtr conn, const char *name)
{
    return lookup_by_string(conn, __func__, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_NAME, "name",
                            name);
}

virStoragePoolPtr
virStoragePoolLookupByTargetPath(virConnectPtr conn, const char *path)
{
    return lookup_by_string(conn, __func__, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_TARGET_PATH,
                            "path", path);
}

virStoragePoolPtr
virStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_storage_pool_lookup_by_uuid_args args = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(uuid, "uuid", __func__))
        return NULL;
    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return pool_from_call(conn, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_UUID,
                          (xdrproc_t) xdr_remote_storage_pool_lookup_by_uuid_args, &args);
}

virStoragePoolPtr
virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vk_client_uuid_string_args(conn, uuidstr, uuid, __func__))
        return NULL;
    return virStoragePoolLookupByUUID(conn, uuid);
}

virStoragePoolPtr
virStoragePoolLookupByVolume(virStorageVolPtr vol)
{
    remote_storage_pool_lookup_by_volume_args args = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(vol, VK_CLIENT_STORAGE_VOL, __func__))
        return NULL;
    vk_client_vol_to_wire(vol, &args.vol);
    return pool_from_call(vol->h.conn, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_VOLUME,
                          (xdrproc_t) xdr_remote_storage_pool_lookup_by_volume_args, &args);
}

/* --- definitions and lifecycle -------------------------------------------- */

/* CREATE_XML and DEFINE_XML: { xml, flags } in, the pool out. */
static virStoragePoolPtr
pool_from_xml(virConnectPtr conn, const char *func, int proc, const char *xml,
              unsigned int flags)
{
    remote_storage_pool_define_xml_args args = { .xml = (char *) xml, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(xml, "xmlDesc", func))
        return NULL;
    return pool_from_call(conn, proc, (xdrproc_t) xdr_remote_storage_pool_define_xml_args,
                          &args);
}

virStoragePoolPtr
virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return pool_from_xml(conn, __func__, REMOTE_PROC_STORAGE_POOL_CREATE_XML, xmlDesc, flags);
}

virStoragePoolPtr
virStoragePoolDefineXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return pool_from_xml(conn, __func__, REMOTE_PROC_STORAGE_POOL_DEFINE_XML, xmlDesc, flags);
}

/* UNDEFINE, DESTROY: the pool alone. */
static int
pool_void_call(virStoragePoolPtr pool, const char *func, int proc)
{
    remote_storage_pool_undefine_args args = { 0 };

    return vk_client_pool_call(pool, func, proc, (xdrproc_t) xdr_remote_storage_pool_undefine_args,
                               &args, NULL, NULL);
}

/* BUILD, CREATE, DELETE, REFRESH: the pool and flags. */
static int
pool_flags_call(virStoragePoolPtr pool, const char *func, int proc, unsigned int flags)
{
    remote_storage_pool_build_args args = { .flags = flags };

    return vk_client_pool_call(pool, func, proc, (xdrproc_t) xdr_remote_storage_pool_build_args,
                               &args, NULL, NULL);
}

int
virStoragePoolUndefine(virStoragePoolPtr pool)
{
    return pool_void_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_UNDEFINE);
}

int
virStoragePoolDestroy(virStoragePoolPtr pool)
{
    return pool_void_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_DESTROY);
}

int
virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    return pool_flags_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_BUILD, flags);
}

int
virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    return pool_flags_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_CREATE, flags);
}

int
virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    return pool_flags_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_DELETE, flags);
}

int
virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    return pool_flags_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_REFRESH, flags);
}

/* --- what a pool is ------------------------------------------------------- */

int
virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    remote_storage_pool_get_info_args args = { 0 };
    remote_storage_pool_get_info_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(pool, VK_CLIENT_STORAGE_POOL, __func__) ||
        !vk_client_check_nonnull(info, "info", __func__))
        return -1;
    memset(info, 0, sizeof(*info));
    if (vk_client_pool_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_GET_INFO,
                            (xdrproc_t) xdr_remote_storage_pool_get_info_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_get_info_ret, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    info->available = ret.available;
    return 0;
}

char *
virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    remote_storage_pool_get_xml_desc_args args = { .flags = flags };
    remote_storage_pool_get_xml_desc_ret ret = { 0 };

    if (vk_client_pool_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_GET_XML_DESC,
                            (xdrproc_t) xdr_remote_storage_pool_get_xml_desc_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_get_xml_desc_ret, &ret) < 0)
        return NULL;
    return take_string(&ret.xml, (xdrproc_t) xdr_remote_storage_pool_get_xml_desc_ret);
}

int
virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    return vk_client_named_get_autostart(pool, VK_CLIENT_STORAGE_POOL, __func__,
                                         REMOTE_PROC_STORAGE_POOL_GET_AUTOSTART, autostart);
}

int
virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    remote_storage_pool_set_autostart_args args = { .autostart = autostart };

    return vk_client_pool_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_SET_AUTOSTART,
                               (xdrproc_t) xdr_remote_storage_pool_set_autostart_args, &args,
                               NULL, NULL);
}

int
virStoragePoolIsActive(virStoragePoolPtr pool)
{
    return vk_client_named_bool_call(pool, VK_CLIENT_STORAGE_POOL, __func__,
                                     REMOTE_PROC_STORAGE_POOL_IS_ACTIVE);
}

int
virStoragePoolIsPersistent(virStoragePoolPtr pool)
{
    return vk_client_named_bool_call(pool, VK_CLIENT_STORAGE_POOL, __func__,
                                     REMOTE_PROC_STORAGE_POOL_IS_PERSISTENT);
}

int
virStoragePoolNumOfVolumes(virStoragePoolPtr pool)
{
    return vk_client_named_int_call(pool, VK_CLIENT_STORAGE_POOL, __func__,
                                    REMOTE_PROC_STORAGE_POOL_NUM_OF_VOLUMES);
}

int
virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    remote_storage_pool_list_volumes_args args = { .maxnames = maxnames };
    remote_storage_pool_list_volumes_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(pool, VK_CLIENT_STORAGE_POOL, __func__) ||
        !vk_client_check_nonnull(names, "names", __func__) ||
        !vk_client_check_maxnames(maxnames, __func__))
        return -1;
    if (vk_client_pool_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_LIST_VOLUMES,
                            (xdrproc_t) xdr_remote_storage_pool_list_volumes_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_list_volumes_ret, &ret) < 0)
        return -1;
    return vk_client_take_names(&ret, (xdrproc_t) xdr_remote_storage_pool_list_volumes_ret,
                                names, maxnames, "storage volumes");
}

int
virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                             unsigned int flags)
{
    remote_storage_pool_list_all_volumes_args args = { .need_results = vols != NULL,
                                                       .flags = flags };
    remote_storage_pool_list_all_volumes_ret ret = { 0 };

    if (vols)
        *vols = NULL;
    if (vk_client_pool_call(pool, __func__, REMOTE_PROC_STORAGE_POOL_LIST_ALL_VOLUMES,
                            (xdrproc_t) xdr_remote_storage_pool_list_all_volumes_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_list_all_volumes_ret, &ret) < 0)
        return -1;
    return vk_client_take_list(&ret, (xdrproc_t) xdr_remote_storage_pool_list_all_volumes_ret,
                               &vk_client_vol_wire, pool->h.conn, (void ***) vols);
}

const char *
virStoragePoolGetName(virStoragePoolPtr pool)
{
    return vk_client_handle_get_name(pool, VK_CLIENT_STORAGE_POOL, __func__);
}

int
virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char *uuid)
{
    return vk_client_handle_get_uuid(pool, VK_CLIENT_STORAGE_POOL, uuid, __func__);
}

int
virStoragePoolGetUUIDString(virStoragePoolPtr pool, char *buf)
{
    return vk_client_handle_get_uuid_string(pool, VK_CLIENT_STORAGE_POOL, buf, __func__);
}

virConnectPtr
virStoragePoolGetConnect(virStoragePoolPtr pool)
{
    return vk_client_handle_get_connect(pool, VK_CLIENT_STORAGE_POOL, __func__);
}

int
virStoragePoolRef(virStoragePoolPtr pool)
{
    return vk_client_handle_ref(pool, VK_CLIENT_STORAGE_POOL, __func__);
}

int
virStoragePoolFree(virStoragePoolPtr pool)
{
    return vk_client_handle_free(pool, VK_CLIENT_STORAGE_POOL, __func__, g_free);
}
