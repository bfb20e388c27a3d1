/* libvirtkit's storage pool, volume and stream calls without a daemon: the
 * argument checks libvirt makes before anything is sent, with its errors,
 * and libvirt's values of the storage and stream constants. */
#include <glib.h>

#include "virtkit/virtkit.h"

static void
assert_error(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    g_assert_cmpstr(err->message, ==, message);
}

static void
test_invalid_pool(void)
{
    virStorageVolPtr *vols = (virStorageVolPtr *) &vols;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virStoragePoolInfo info;
    char *names[4];
    int flag;

    g_assert_null(virStoragePoolGetName(NULL));
    assert_error(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
                 "invalid storage pool pointer in virStoragePoolGetName");
    g_assert_cmpint(virStoragePoolGetUUIDString(NULL, uuidstr), ==, -1);
    g_assert_null(virStoragePoolGetConnect(NULL));
    g_assert_cmpint(virStoragePoolRef(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolFree(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolBuild(NULL, 0), ==, -1);
    g_assert_cmpint(virStoragePoolCreate(NULL, 0), ==, -1);
    g_assert_cmpint(virStoragePoolDestroy(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolDelete(NULL, 0), ==, -1);
    g_assert_cmpint(virStoragePoolUndefine(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolRefresh(NULL, 0), ==, -1);
    assert_error(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
                 "invalid storage pool pointer in virStoragePoolRefresh");
    g_assert_cmpint(virStoragePoolGetInfo(NULL, &info), ==, -1);
    g_assert_null(virStoragePoolGetXMLDesc(NULL, 0));
    g_assert_cmpint(virStoragePoolGetAutostart(NULL, &flag), ==, -1);
    g_assert_cmpint(virStoragePoolSetAutostart(NULL, 1), ==, -1);
    g_assert_cmpint(virStoragePoolIsActive(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolIsPersistent(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolNumOfVolumes(NULL), ==, -1);
    g_assert_cmpint(virStoragePoolListVolumes(NULL, names, 4), ==, -1);
    g_assert_cmpint(virStoragePoolListAllVolumes(NULL, &vols, 0), ==, -1);
    g_assert_null(vols);
    assert_error(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
                 "invalid storage pool pointer in virStoragePoolListAllVolumes");
    /* the pool is checked before the volume's name */
    g_assert_null(virStorageVolLookupByName(NULL, "v"));
    g_assert_null(virStorageVolCreateXML(NULL, "<volume/>", 0));
    assert_error(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
                 "invalid storage pool pointer in virStorageVolCreateXML");
}

static void
test_invalid_vol(void)
{
    virStorageVolInfo info;

    g_assert_null(virStorageVolGetName(NULL));
    assert_error(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
                 "invalid storage volume pointer in virStorageVolGetName");
    g_assert_null(virStorageVolGetKey(NULL));
    g_assert_null(virStorageVolGetConnect(NULL));
    g_assert_null(virStorageVolGetPath(NULL));
    g_assert_null(virStorageVolGetXMLDesc(NULL, 0));
    g_assert_cmpint(virStorageVolGetInfo(NULL, &info), ==, -1);
    g_assert_cmpint(virStorageVolGetInfoFlags(NULL, &info, VIR_STORAGE_VOL_GET_PHYSICAL), ==,
                    -1);
    assert_error(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
                 "invalid storage volume pointer in virStorageVolGetInfoFlags");
    g_assert_cmpint(virStorageVolDelete(NULL, 0), ==, -1);
    g_assert_cmpint(virStorageVolWipe(NULL, 0), ==, -1);
    g_assert_cmpint(virStorageVolWipePattern(NULL, VIR_STORAGE_VOL_WIPE_ALG_ZERO, 0), ==, -1);
    g_assert_cmpint(virStorageVolResize(NULL, 1, 0), ==, -1);
    g_assert_cmpint(virStorageVolRef(NULL), ==, -1);
    g_assert_cmpint(virStorageVolFree(NULL), ==, -1);
    g_assert_null(virStoragePoolLookupByVolume(NULL));
    g_assert_cmpint(virStorageVolUpload(NULL, NULL, 0, 0, 0), ==, -1);
    g_assert_cmpint(virStorageVolDownload(NULL, NULL, 0, 0, 0), ==, -1);
    assert_error(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
                 "invalid storage volume pointer in virStorageVolDownload");
}

static void
test_invalid_stream(void)
{
    long long length;
    char buf[8];

    g_assert_null(virStreamNew(NULL, 0));
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virStreamNew");
    g_assert_cmpint(virStreamSend(NULL, buf, sizeof(buf)), ==, -1);
    assert_error(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS,
                 "invalid stream pointer in virStreamSend");
    g_assert_cmpint(virStreamRecv(NULL, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(virStreamSendHole(NULL, 1, 0), ==, -1);
    g_assert_cmpint(virStreamRecvHole(NULL, &length, 0), ==, -1);
    g_assert_cmpint(virStreamFinish(NULL), ==, -1);
    g_assert_cmpint(virStreamAbort(NULL), ==, -1);
    g_assert_cmpint(virStreamRef(NULL), ==, -1);
    g_assert_cmpint(virStreamFree(NULL), ==, -1);
    assert_error(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS,
                 "invalid stream pointer in virStreamFree");
}

static void
test_invalid_conn(void)
{
    virStoragePoolPtr *pools = (virStoragePoolPtr *) &pools;
    char *names[4];

    g_assert_cmpint(virConnectListAllStoragePools(NULL, &pools, 0), ==, -1);
    g_assert_null(pools);
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virConnectListAllStoragePools");
    g_assert_cmpint(virConnectNumOfStoragePools(NULL), ==, -1);
    g_assert_cmpint(virConnectNumOfDefinedStoragePools(NULL), ==, -1);
    g_assert_cmpint(virConnectListStoragePools(NULL, names, 4), ==, -1);
    g_assert_cmpint(virConnectListDefinedStoragePools(NULL, names, 4), ==, -1);
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virConnectListDefinedStoragePools");
    g_assert_null(virConnectFindStoragePoolSources(NULL, "logical", NULL, 0));
    g_assert_null(virConnectGetStoragePoolCapabilities(NULL, 0));
    g_assert_null(virStoragePoolLookupByName(NULL, "default"));
    g_assert_null(virStoragePoolLookupByUUIDString(NULL, "not-a-uuid"));
    g_assert_null(virStoragePoolLookupByTargetPath(NULL, "/tmp"));
    g_assert_null(virStoragePoolDefineXML(NULL, "<pool/>", 0));
    g_assert_null(virStoragePoolCreateXML(NULL, "<pool/>", 0));
    g_assert_null(virStorageVolLookupByKey(NULL, "/tmp/x"));
    g_assert_null(virStorageVolLookupByPath(NULL, "/tmp/x"));
    assert_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
                 "invalid connection pointer in virStorageVolLookupByPath");
}

/* libvirt's values, which programs built against its header rely on. */
static void
test_constants(void)
{
    g_assert_cmpint(VIR_STORAGE_POOL_INACCESSIBLE, ==, 4);
    g_assert_cmpint(VIR_STORAGE_POOL_BUILD_OVERWRITE, ==, 8);
    g_assert_cmpint(VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE, ==, 4);
    g_assert_cmpint(VIR_STORAGE_VOL_PLOOP, ==, 5);
    g_assert_cmpint(VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS, ==, 2);
    g_assert_cmpint(VIR_STORAGE_VOL_WIPE_ALG_TRIM, ==, 9);
    g_assert_cmpint(VIR_STORAGE_VOL_GET_PHYSICAL, ==, 1);
    g_assert_cmpint(VIR_CONNECT_LIST_STORAGE_POOLS_DIR, ==, 64);
    g_assert_cmpint(VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT, ==, 1 << 19);
    g_assert_cmpint(VIR_STORAGE_VOL_CREATE_VALIDATE, ==, 4);
    g_assert_cmpint(VIR_STORAGE_VOL_RESIZE_SHRINK, ==, 4);
    g_assert_cmpint(VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM, ==, 1);
    g_assert_cmpint(VIR_STORAGE_POOL_EVENT_DELETED, ==, 5);
    g_assert_cmpint(VIR_STREAM_RECV_STOP_AT_HOLE, ==, 1);
    g_assert_cmpint(VIR_ERR_INVALID_STORAGE_POOL, ==, 46);
    g_assert_cmpint(VIR_ERR_INVALID_STREAM, ==, 73);
    g_assert_cmpint(VIR_FROM_STREAMS, ==, 38);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/client-storage/invalid-pool", test_invalid_pool);
    g_test_add_func("/client-storage/invalid-vol", test_invalid_vol);
    g_test_add_func("/client-storage/invalid-stream", test_invalid_stream);
    g_test_add_func("/client-storage/invalid-conn", test_invalid_conn);
    g_test_add_func("/client-storage/constants", test_constants);
    return g_test_run();
}
