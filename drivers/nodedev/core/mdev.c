#include "drivers/nodedev/core/mdev.h"

#include <errno.h>
#include <string.h>

#include "common/util/error.h"
#include "common/util/file.h"

static gint
cmp_type(gconstpointer a, gconstpointer b)
{
    return strcmp((*(VkMdevType *const *) a)->id, (*(VkMdevType *const *) b)->id);
}

GPtrArray *
vk_mdev_read_types(const char *syspath)
{
    g_autofree char *dir = g_build_filename(syspath, "mdev_supported_types", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    GPtrArray *types;
    const char *id;

    if (!d)
        return NULL;
    types = g_ptr_array_new_with_free_func((GDestroyNotify) vk_mdev_type_free);
    while ((id = g_dir_read_name(d))) {
        g_autofree char *tdir = g_build_filename(dir, id, NULL);
        VkMdevType *t = g_new0(VkMdevType, 1);

        t->id = g_strdup(id);
        t->name = vk_file_read_attr(tdir, "name");
        t->device_api = vk_file_read_attr(tdir, "device_api");
        t->available = MAX(vk_file_read_attr_number(tdir, "available_instances", 0), 0);
        g_ptr_array_add(types, t);
    }
    if (!types->len)
        g_clear_pointer(&types, g_ptr_array_unref);
    else
        g_ptr_array_sort(types, cmp_type);
    return types;
}

static char *
link_name(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    g_autofree char *target = g_file_read_link(path, NULL);

    return target ? g_path_get_basename(target) : NULL;
}

int
vk_mdev_read_device(const char *syspath, VkNodeDevMdev *mdev)
{
    g_autofree char *group = NULL;
    g_autofree char *parent = g_path_get_dirname(syspath);

    /* the type link can lag behind the uevent: libvirt waits up to 100 ms */
    for (int i = 0; i < 10 && !(mdev->type = link_name(syspath, "mdev_type")); i++)
        g_usleep(10 * 1000);
    if (!mdev->type)
        return -1;
    mdev->uuid = g_path_get_basename(syspath);
    mdev->parent_addr = g_path_get_basename(parent);
    if ((group = link_name(syspath, "iommu_group")))
        mdev->iommu_group = g_ascii_strtoull(group, NULL, 10);
    return 0;
}

char *
vk_mdev_device_name(const char *uuid, const char *parent_addr)
{
    char *name = g_strdup_printf("mdev_%s_%s", uuid, parent_addr);

    for (char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p))
            *p = '_';
    return name;
}

static int
write_attr(const char *path, const char *value)
{
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents_full(path, value, -1, G_FILE_SET_CONTENTS_NONE, 0200, &err)) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_SYSTEM_ERROR,
                        "Unable to write to '%s': %s", path, err->message);
        return -1;
    }
    return 0;
}

int
vk_mdev_create(const char *parent_syspath, const char *type, const char *uuid)
{
    g_autofree char *path = g_build_filename(parent_syspath, "mdev_supported_types", type,
                                             "create", NULL);

    return write_attr(path, uuid);
}

int
vk_mdev_remove(const char *syspath)
{
    g_autofree char *path = g_build_filename(syspath, "remove", NULL);

    return write_attr(path, "1");
}
