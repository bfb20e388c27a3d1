/* Storage volume handles and the calls on volumes: lookups, creation
 * (from XML, as a copy of another), deletion, wiping, resizing, and what a
 * volume is (info, XML, path); the data moves by virStorageVolUpload and
 * virStorageVolDownload over a stream (stream.c). */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

static void *
vol_from_wire(void *conn, const void *wire)
{
    const remote_nonnull_storage_vol *w = wire;
    static const unsigned char no_uuid[VIR_UUID_BUFLEN];
    virStorageVolPtr vol = g_new0(virStorageVol, 1);

    vk_client_handle_init(&vol->h, conn, w->name, no_uuid);
    vol->pool = g_strdup(w->pool);
    vol->key = g_strdup(w->key);
    return vol;
}

const VkClientWire vk_client_vol_wire = {
    (xdrproc_t) xdr_remote_nonnull_storage_vol, sizeof(remote_nonnull_storage_vol),
    vol_from_wire,
};

void
vk_client_vol_to_wire(virStorageVolPtr vol, remote_nonnull_storage_vol *out)
{
    out->pool = vol->pool;
    out->name = vol->h.name;
    out->key = vol->key;
}

/* Call PROC for VOL as public call FUNC; ARGS begins with the volume. */
static int
vol_call(virStorageVolPtr vol, const char *func, int proc, xdrproc_t args_filter, void *args,
         xdrproc_t ret_filter, void *ret)
{
    vk_client_enter();
    if (!vk_client_check_object(vol, VK_CLIENT_STORAGE_VOL, func))
        return -1;
    vk_client_vol_to_wire(vol, args);
    if (vk_client_call(vol->h.conn, proc, args_filter, args, ret_filter, ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

static virStorageVolPtr
vol_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args)
{
    return vk_client_object_from_call(conn, proc, args_filter, args, &vk_client_vol_wire, conn);
}

/* --- lookups -------------------------------------------------------------- */

virStorageVolPtr
virStorageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    remote_storage_vol_lookup_by_name_args args = { .name = (char *) name };

    vk_client_enter();
    if (!vk_client_check_object(pool, VK_CLIENT_STORAGE_POOL, __func__) ||
        !vk_client_check_nonnull(name, "name", __func__))
        return NULL;
    vk_client_named_to_wire(&pool->h, &args.pool);
    return vol_from_call(pool->h.conn, REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_NAME,
                         (xdrproc_t) xdr_remote_storage_vol_lookup_by_name_args, &args);
}

/* LOOKUP_BY_KEY and LOOKUP_BY_PATH: one string in. */
static virStorageVolPtr
lookup_by_string(virConnectPtr conn, const char *func, int proc, const char *what,
                 const char *value)
{
    remote_storage_vol_lookup_by_key_args args = { .key = (char *) value };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(value, what, func))
        return NULL;
    return vol_from_call(conn, proc, (xdrproc_t) xdr_remote_storage_vol_lookup_by_key_args,
                         &args);
}

virStorageVolPtr
virStorageVolLookupByKey(virConnectPtr conn, const char *key)
{
    return lookup_by_string(conn, __func__, REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_KEY, "key", key);
}

virStorageVolPtr
virStorageVolLookupByPath(virConnectPtr conn, const char *path)
{
    return lookup_by_string(conn, __func__, REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_PATH, "path",
                            path);
}

/* --- creation and removal ------------------------------------------------- */

virStorageVolPtr
virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmldesc, unsigned int flags)
{
    remote_storage_vol_create_xml_args args = { .xml = (char *) xmldesc, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_object(pool, VK_CLIENT_STORAGE_POOL, __func__) ||
        !vk_client_check_nonnull(xmldesc, "xmldesc", __func__))
        return NULL;
    vk_client_named_to_wire(&pool->h, &args.pool);
    return vol_from_call(pool->h.conn, REMOTE_PROC_STORAGE_VOL_CREATE_XML,
                         (xdrproc_t) xdr_remote_storage_vol_create_xml_args, &args);
}

virStorageVolPtr
virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmldesc,
                           virStorageVolPtr clonevol, unsigned int flags)
{
    remote_storage_vol_create_xml_from_args args = { .xml = (char *) xmldesc, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_object(pool, VK_CLIENT_STORAGE_POOL, __func__) ||
        !vk_client_check_object(clonevol, VK_CLIENT_STORAGE_VOL, __func__) ||
        !vk_client_check_nonnull(xmldesc, "xmldesc", __func__))
        return NULL;
    vk_client_named_to_wire(&pool->h, &args.pool);
    vk_client_vol_to_wire(clonevol, &args.clonevol);
    return vol_from_call(pool->h.conn, REMOTE_PROC_STORAGE_VOL_CREATE_XML_FROM,
                         (xdrproc_t) xdr_remote_storage_vol_create_xml_from_args, &args);
}

/* DELETE and WIPE: the volume and flags. */
static int
vol_flags_call(virStorageVolPtr vol, const char *func, int proc, unsigned int flags)
{
    remote_storage_vol_delete_args args = { .flags = flags };

    return vol_call(vol, func, proc, (xdrproc_t) xdr_remote_storage_vol_delete_args, &args,
                    NULL, NULL);
}

int
virStorageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    return vol_flags_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_DELETE, flags);
}

int
virStorageVolWipe(virStorageVolPtr vol, unsigned int flags)
{
    return vol_flags_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_WIPE, flags);
}

int
virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    remote_storage_vol_wipe_pattern_args args = { .algorithm = algorithm, .flags = flags };

    return vol_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_WIPE_PATTERN,
                    (xdrproc_t) xdr_remote_storage_vol_wipe_pattern_args, &args, NULL, NULL);
}

int
virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    remote_storage_vol_resize_args args = { .capacity = capacity, .flags = flags };

    return vol_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_RESIZE,
                    (xdrproc_t) xdr_remote_storage_vol_resize_args, &args, NULL, NULL);
}

/* --- what a volume is ----------------------------------------------------- */

/* GET_INFO and GET_INFO_FLAGS (the answers alike; flags sent with the
 * second only). */
static int
vol_info_call(virStorageVolPtr vol, const char *func, int proc, virStorageVolInfoPtr info,
              unsigned int flags)
{
    remote_storage_vol_get_info_flags_args args = { .flags = flags };
    remote_storage_vol_get_info_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_object(vol, VK_CLIENT_STORAGE_VOL, func) ||
        !vk_client_check_nonnull(info, "info", func))
        return -1;
    memset(info, 0, sizeof(*info));
    if (vol_call(vol, func, proc,
                 proc == REMOTE_PROC_STORAGE_VOL_GET_INFO
                     ? (xdrproc_t) xdr_remote_storage_vol_get_info_args
                     : (xdrproc_t) xdr_remote_storage_vol_get_info_flags_args,
                 &args, (xdrproc_t) xdr_remote_storage_vol_get_info_ret, &ret) < 0)
        return -1;
    info->type = ret.type;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    return 0;
}

int
virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    return vol_info_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_GET_INFO, info, 0);
}

int
virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info, unsigned int flags)
{
    return vol_info_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_GET_INFO_FLAGS, info, flags);
}

/* GET_XML_DESC and GET_PATH answer one string. */
static char *
vol_string_call(virStorageVolPtr vol, const char *func, int proc, unsigned int flags)
{
    remote_storage_vol_get_xml_desc_args args = { .flags = flags };
    remote_storage_vol_get_xml_desc_ret ret = { 0 };
    bool path = proc == REMOTE_PROC_STORAGE_VOL_GET_PATH;
    char *s;

    if (vol_call(vol, func, proc,
                 path ? (xdrproc_t) xdr_remote_storage_vol_get_path_args
                      : (xdrproc_t) xdr_remote_storage_vol_get_xml_desc_args,
                 &args, (xdrproc_t) xdr_remote_storage_vol_get_xml_desc_ret, &ret) < 0)
        return NULL;
    s = g_strdup(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_storage_vol_get_xml_desc_ret, (char *) &ret);
    return s;
}

char *
virStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    return vol_string_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_GET_XML_DESC, flags);
}

char *
virStorageVolGetPath(virStorageVolPtr vol)
{
    return vol_string_call(vol, __func__, REMOTE_PROC_STORAGE_VOL_GET_PATH, 0);
}

/* --- the data ------------------------------------------------------------- */

int
virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                    unsigned long long length, unsigned int flags)
{
    remote_storage_vol_upload_args args = { .offset = offset, .length = length,
                                            .flags = flags };

    return vk_client_stream_call(stream, vol, __func__, REMOTE_PROC_STORAGE_VOL_UPLOAD,
                                 (xdrproc_t) xdr_remote_storage_vol_upload_args, &args,
                                 flags & VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM);
}

int
virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                      unsigned long long length, unsigned int flags)
{
    remote_storage_vol_download_args args = { .offset = offset, .length = length,
                                              .flags = flags };

    return vk_client_stream_call(stream, vol, __func__, REMOTE_PROC_STORAGE_VOL_DOWNLOAD,
                                 (xdrproc_t) xdr_remote_storage_vol_download_args, &args,
                                 flags & VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM);
}

/* --- the handle ----------------------------------------------------------- */

const char *
virStorageVolGetName(virStorageVolPtr vol)
{
    return vk_client_handle_get_name(vol, VK_CLIENT_STORAGE_VOL, __func__);
}

const char *
virStorageVolGetKey(virStorageVolPtr vol)
{
    vk_client_enter();
    if (!vk_client_check_object(vol, VK_CLIENT_STORAGE_VOL, __func__))
        return NULL;
    return vol->key;
}

virConnectPtr
virStorageVolGetConnect(virStorageVolPtr vol)
{
    return vk_client_handle_get_connect(vol, VK_CLIENT_STORAGE_VOL, __func__);
}

int
virStorageVolRef(virStorageVolPtr vol)
{
    return vk_client_handle_ref(vol, VK_CLIENT_STORAGE_VOL, __func__);
}

static void
vol_free_rest(void *obj)
{
    virStorageVolPtr vol = obj;

    g_free(vol->pool);
    g_free(vol->key);
    g_free(vol);
}

int
virStorageVolFree(virStorageVolPtr vol)
{
    return vk_client_handle_free(vol, VK_CLIENT_STORAGE_VOL, __func__, vol_free_rest);
}
