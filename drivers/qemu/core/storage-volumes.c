/* Volumes of volume disks through virtstoraged (storage-volumes.h). */
#include "drivers/qemu/core/storage-volumes.h"

#include "common/conf/storage-vol-def.h"
#include "common/util/error.h"
#include "drivers/remote/daemon-link.h"
#include "remote-protocol.h"

/* What virtstoraged told of one volume. */
typedef struct {
    VkStoragePoolType pool_type;
    VkStorageVolType vol_type;
    char *path;
    char *format;      /* <target><format type=>; NULL when not asked for */
} VolumeFacts;

static void
facts_clear(VolumeFacts *f)
{
    g_free(f->path);
    g_free(f->format);
}

/* The pool NAME, which must be active (libvirt names the volume then). */
static int
pool_lookup(VkDaemonLink *link, const VkDomainDiskDef *disk, remote_nonnull_storage_pool *pool)
{
    remote_storage_pool_lookup_by_name_args args = { .name = disk->src_pool };
    remote_storage_pool_lookup_by_name_ret ret = { 0 };
    remote_storage_pool_is_active_ret active = { 0 };

    if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_NAME,
                            (xdrproc_t) xdr_remote_storage_pool_lookup_by_name_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_lookup_by_name_ret, &ret) < 0)
        return -1;
    *pool = ret.pool;
    remote_storage_pool_is_active_args is = { .pool = *pool };
    if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_POOL_IS_ACTIVE,
                            (xdrproc_t) xdr_remote_storage_pool_is_active_args, &is,
                            (xdrproc_t) xdr_remote_storage_pool_is_active_ret, &active) < 0)
        return -1;
    if (!active.active) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                        "storage pool '%s' containing volume '%s' is not active",
                        disk->src_pool, disk->src_volume);
        return -1;
    }
    return 0;
}

/* The pool's type, from its XML. */
static int
pool_type(VkDaemonLink *link, remote_nonnull_storage_pool *pool, VkStoragePoolType *type)
{
    remote_storage_pool_get_xml_desc_args args = { .pool = *pool };
    remote_storage_pool_get_xml_desc_ret ret = { 0 };
    g_autoptr(VkStoragePoolDef) def = NULL;

    if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_POOL_GET_XML_DESC,
                            (xdrproc_t) xdr_remote_storage_pool_get_xml_desc_args, &args,
                            (xdrproc_t) xdr_remote_storage_pool_get_xml_desc_ret, &ret) < 0)
        return -1;
    def = vk_storage_pool_def_parse_string(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_storage_pool_get_xml_desc_ret, (char *) &ret);
    if (!def)
        return -1;
    *type = def->type;
    return 0;
}

/* The volume's type and path, and its format when WANT_FORMAT. */
static int
volume_facts(VkDaemonLink *link, const remote_nonnull_storage_vol *vol, bool want_format,
             VolumeFacts *f)
{
    remote_storage_vol_get_info_args info_args = { .vol = *vol };
    remote_storage_vol_get_info_ret info = { 0 };
    remote_storage_vol_get_path_args path_args = { .vol = *vol };
    remote_storage_vol_get_path_ret path = { 0 };

    if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_VOL_GET_INFO,
                            (xdrproc_t) xdr_remote_storage_vol_get_info_args, &info_args,
                            (xdrproc_t) xdr_remote_storage_vol_get_info_ret, &info) < 0 ||
        vk_daemon_link_call(link, REMOTE_PROC_STORAGE_VOL_GET_PATH,
                            (xdrproc_t) xdr_remote_storage_vol_get_path_args, &path_args,
                            (xdrproc_t) xdr_remote_storage_vol_get_path_ret, &path) < 0)
        return -1;
    f->vol_type = (VkStorageVolType) info.type;
    f->path = path.name;   /* taken */
    if (!want_format)
        return 0;

    remote_storage_vol_get_xml_desc_args xml_args = { .vol = *vol };
    remote_storage_vol_get_xml_desc_ret xml = { 0 };
    if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_VOL_GET_XML_DESC,
                            (xdrproc_t) xdr_remote_storage_vol_get_xml_desc_args, &xml_args,
                            (xdrproc_t) xdr_remote_storage_vol_get_xml_desc_ret, &xml) < 0)
        return -1;
    g_autoptr(VkStorageVolDef) def =
        vk_storage_vol_def_parse_string(xml.xml, f->pool_type, VK_STORAGE_VOL_PARSE_EXISTING);
    xdr_free((xdrproc_t) xdr_remote_storage_vol_get_xml_desc_ret, (char *) &xml);
    if (!def)
        return -1;
    f->format = g_strdup(def->target_format);
    return 0;
}

/* Pool, then volume, then what it is: the calls libvirt's
 * virDomainDiskTranslateSourcePool makes. */
static int
ask(VkDaemonLink *link, const VkDomainDiskDef *disk, VolumeFacts *f)
{
    remote_nonnull_storage_pool pool = { 0 };
    remote_storage_vol_lookup_by_name_ret vol = { 0 };
    int rc = -1;

    if (pool_lookup(link, disk, &pool) == 0 && pool_type(link, &pool, &f->pool_type) == 0) {
        remote_storage_vol_lookup_by_name_args args = { .pool = pool, .name = disk->src_volume };
        if (vk_daemon_link_call(link, REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_NAME,
                                (xdrproc_t) xdr_remote_storage_vol_lookup_by_name_args, &args,
                                (xdrproc_t) xdr_remote_storage_vol_lookup_by_name_ret,
                                &vol) == 0) {
            rc = volume_facts(link, &vol.vol, !disk->driver_type, f);
            xdr_free((xdrproc_t) xdr_remote_storage_vol_lookup_by_name_ret, (char *) &vol);
        }
    }
    xdr_free((xdrproc_t) xdr_remote_nonnull_storage_pool, (char *) &pool);
    return rc;
}

static bool
pool_has_paths(VkStoragePoolType type)
{
    switch (type) {
    case VK_STORAGE_POOL_DIR: case VK_STORAGE_POOL_FS: case VK_STORAGE_POOL_NETFS:
    case VK_STORAGE_POOL_LOGICAL: case VK_STORAGE_POOL_DISK: case VK_STORAGE_POOL_SCSI:
    case VK_STORAGE_POOL_ZFS: case VK_STORAGE_POOL_VSTORAGE:
        return true;
    default:
        return false;
    }
}

/* libvirt's rules for what a volume is to QEMU: a file (also a ploop
 * image), a block device or a directory; an iSCSI pool's LUN (mode host,
 * the default) a block device.  Modes are for iSCSI pools only. */
static int
actual_type(const VkDomainDiskDef *disk, const VolumeFacts *f, VkDiskType *type)
{
    if (disk->src_mode != VK_DISK_SOURCE_MODE_ABSENT && f->pool_type != VK_STORAGE_POOL_ISCSI) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s",
                        "disk source mode is only valid when storage pool is of iscsi type");
        return -1;
    }
    if (f->pool_type == VK_STORAGE_POOL_ISCSI && disk->src_mode != VK_DISK_SOURCE_MODE_DIRECT) {
        *type = VK_DISK_TYPE_BLOCK;
    } else if (!pool_has_paths(f->pool_type)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                        "using '%s' pools for backing 'volume' disks isn't yet supported",
                        vk_storage_pool_type_to_string(f->pool_type));
        return -1;
    } else if (f->vol_type == VK_STORAGE_VOL_FILE || f->vol_type == VK_STORAGE_VOL_PLOOP) {
        *type = VK_DISK_TYPE_FILE;
    } else if (f->vol_type == VK_STORAGE_VOL_BLOCK) {
        *type = VK_DISK_TYPE_BLOCK;
    } else if (f->vol_type == VK_STORAGE_VOL_DIR) {
        *type = VK_DISK_TYPE_DIR;
    } else {
        const char *name = vk_storage_vol_type_to_string(f->vol_type);
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                        "unexpected storage volume type '%s' for storage pool type '%s'",
                        name ? name : "?", vk_storage_pool_type_to_string(f->pool_type));
        return -1;
    }
    if (disk->src_startup != VK_DISK_STARTUP_ABSENT && f->vol_type != VK_STORAGE_VOL_FILE) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s",
                        "'startupPolicy' is only valid for 'file' type volume");
        return -1;
    }
    return 0;
}

/* The QEMU format driver for a volume's format: image formats QEMU opens
 * by that name; anything else (iso, partition types, none) is raw. */
static const char *
driver_type(const char *format)
{
    static const char *const images[] = { "qcow2", "qcow", "qed", "vmdk", "vpc", "vdi",
                                          "vhdx", "bochs", "cloop", "dmg", "parallels", NULL };

    return format && g_strv_contains(images, format) ? format : "raw";
}

int
vk_qemu_volumes_resolve(VkDaemonLink *storaged, VkDomainDiskDef *disk)
{
    VolumeFacts f = { 0 };
    VkDiskType type;

    if (disk->type != VK_DISK_TYPE_VOLUME || !disk->src_pool || !disk->src_volume)
        return 0;
    if (ask(storaged, disk, &f) < 0 || actual_type(disk, &f, &type) < 0) {
        facts_clear(&f);
        return -1;
    }
    g_free(disk->src_path);
    disk->src_path = g_steal_pointer(&f.path);
    disk->src_actual_type = type;
    if (!disk->driver_type)
        disk->driver_type = g_strdup(type == VK_DISK_TYPE_FILE ? driver_type(f.format) : "raw");
    facts_clear(&f);
    return 0;
}

int
vk_qemu_volumes_resolve_all(VkDaemonLink *storaged, VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++)
        if (vk_qemu_volumes_resolve(storaged, g_ptr_array_index(def->disks, i)) < 0)
            return -1;
    return 0;
}
