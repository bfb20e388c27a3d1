/* Image volumes through qemu-img (volume-qemu-img.h). */
#include "drivers/storage/backends/volume-qemu-img.h"

#include <errno.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/storage/backends/command.h"
#include "drivers/storage/backends/volume-raw.h"

/* The format qemu-img is told: iso images and block devices are raw */
static const char *
img_format(const VkStorageVolDef *vol)
{
    if (vol->type == VK_STORAGE_VOL_BLOCK || !vol->target_format ||
        g_str_equal(vol->target_format, "iso"))
        return "raw";
    return vol->target_format;
}

static int
check_options(const VkStorageVolDef *vol, const char *format)
{
    bool qcow2 = g_str_equal(format, "qcow2");

    if (vol->compat && !qcow2) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "compatibility option only available with qcow2");
        return -1;
    }
    if (vol->lazy_refcounts && !qcow2) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "format features only available with qcow2");
        return -1;
    }
    if (vol->lazy_refcounts && g_strcmp0(vol->compat, "0.10") == 0) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED,
                        "lazy_refcounts not supported with compat level %s", vol->compat);
        return -1;
    }
    return 0;
}

/* libvirt's storageBackendCreateQemuImgOpts; NULL when there are none.
 * With features and no compat, libvirt's parser has already chosen 1.1. */
static char *
build_options(const VkStorageVolDef *vol, const char *format, bool with_backing)
{
    g_autoptr(GString) o = g_string_new(NULL);
    const char *compat = vol->compat;

    if (!compat && vol->lazy_refcounts)
        compat = "1.1";
    if (with_backing)
        g_string_append_printf(o, "backing_fmt=%s,",
                               vol->backing.format ? vol->backing.format : "raw");
    if (vol->nocow)
        g_string_append(o, "nocow=on,");
    if (compat)
        g_string_append_printf(o, "compat=%s,", compat);
    else if (g_str_equal(format, "qcow2"))
        g_string_append(o, "compat=0.10,");
    if (vol->lazy_refcounts)
        g_string_append(o, "lazy_refcounts,");
    if (o->len == 0)
        return NULL;
    g_string_truncate(o, o->len - 1);
    return g_string_free(g_steal_pointer(&o), FALSE);
}

static int
check_backing(const VkStoragePoolDef *pool, const VkStorageVolDef *vol, const char *format)
{
    g_autofree char *abs = NULL;
    const char *path = vol->backing.path;

    if (g_str_equal(format, "raw")) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "cannot set backing store for raw volume");
        return -1;
    }
    if (!g_path_is_absolute(path) && pool && pool->target_path)
        path = abs = g_build_filename(pool->target_path, path, NULL);
    if (access(path, R_OK) != 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "inaccessible backing store volume %s",
                              vol->backing.path);
        return -1;
    }
    return 0;
}

#define NO_QEMU_IMG_CREATE "creation of non-raw file images is not supported without qemu-img."

/* qemu-img must be installed; MISSING is libvirt's error when it is not */
static int
find_qemu_img(const char *missing)
{
    g_autofree char *bin = g_find_program_in_path("qemu-img");

    if (bin)
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "%s", missing);
    return -1;
}

/* create -f FMT [-b BACKING] [-o OPTS] PATH SIZEK, or
 * convert -f INFMT -O FMT [-o OPTS] INPUT PATH */
static GPtrArray *
build_argv(const VkStorageVolDef *vol, const VkStorageVolDef *src, const char *format,
           const char *opts, bool with_backing)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(argv, g_strdup("qemu-img"));
    if (src) {
        g_ptr_array_add(argv, g_strdup("convert"));
        g_ptr_array_add(argv, g_strdup("-f"));
        g_ptr_array_add(argv, g_strdup(img_format(src)));
        g_ptr_array_add(argv, g_strdup("-O"));
        g_ptr_array_add(argv, g_strdup(format));
    } else {
        g_ptr_array_add(argv, g_strdup("create"));
        g_ptr_array_add(argv, g_strdup("-f"));
        g_ptr_array_add(argv, g_strdup(format));
    }
    if (with_backing) {
        g_ptr_array_add(argv, g_strdup("-b"));
        g_ptr_array_add(argv, g_strdup(vol->backing.path));
    }
    if (opts) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup(opts));
    }
    if (src)
        g_ptr_array_add(argv, g_strdup(src->target_path));
    g_ptr_array_add(argv, g_strdup(vol->target_path));
    if (!src && (vol->capacity || !with_backing))
        g_ptr_array_add(argv, g_strdup_printf("%lluK", (vol->capacity + 1023) / 1024));
    g_ptr_array_add(argv, NULL);
    return argv;
}

int
vk_volume_qemu_img_create(const VkStoragePoolDef *pool, VkStorageVolDef *vol,
                          const VkStorageVolDef *src)
{
    const char *format = img_format(vol);
    bool with_backing = vol->backing.path && !src;
    g_autofree char *opts = NULL;
    g_autoptr(GPtrArray) argv = NULL;

    if (find_qemu_img(NO_QEMU_IMG_CREATE) < 0 || check_options(vol, format) < 0 ||
        (with_backing && check_backing(pool, vol, format) < 0))
        return -1;
    opts = build_options(vol, format, with_backing);
    argv = build_argv(vol, src, format, opts, with_backing);
    if (vk_storage_command_run((const char *const *) argv->pdata, NULL) < 0)
        return -1;
    if (vk_volume_apply_perms(vol->target_path, -1, &vol->target_perms) < 0) {
        unlink(vol->target_path);
        return -1;
    }
    return 0;
}

int
vk_volume_qemu_img_resize(const VkStorageVolDef *vol, unsigned long long capacity)
{
    g_autofree char *size = NULL;
    const char *argv[] = { "qemu-img", "resize", NULL, NULL, NULL, NULL };
    int i = 2;

    if (find_qemu_img("unable to find qemu-img") < 0)
        return -1;
    capacity = (capacity + 511) / 512 * 512;
    size = g_strdup_printf("%llu", capacity);
    if (capacity < vol->capacity)
        argv[i++] = "--shrink";
    argv[i++] = vol->target_path;
    argv[i] = size;
    return vk_storage_command_run(argv, NULL);
}

int
vk_volume_block_create_from(VkVolumeCreateFunc create, const VkStoragePoolDef *pool,
                            VkStorageVolDef *vol, const VkStorageVolDef *src, unsigned int flags)
{
    if (find_qemu_img("unable to find qemu-img") < 0 || create(pool, vol, flags) < 0)
        return -1;
    const char *argv[] = { "qemu-img", "convert", "-n", "-f", img_format(src), "-O", "raw",
                           src->target_path, vol->target_path, NULL };
    return vk_storage_command_run(argv, NULL);
}
