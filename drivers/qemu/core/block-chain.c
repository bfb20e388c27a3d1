/* A disk's backing chain (block-chain.h). */
#include "drivers/qemu/core/block-chain.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/core/qemu-img.h"
#include "drivers/qemu/monitor/command-line.h"
#include "virtkit/virtkit.h"

/* The chain from qemu-img's JSON: an array whose first entry is the top
 * image itself. */
static int
chain_from_json(VkDomainDiskDef *disk, const char *json)
{
    g_autoptr(VkJson) images = vk_json_parse(json, -1);

    if (!images || !vk_json_is_array(images)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot read the backing chain of '%s'", disk->src_path);
        return -1;
    }
    for (guint i = 1; i < vk_json_array_length(images); i++) {
        const VkJson *img = vk_json_array_get(images, i);
        VkDiskLayer *layer = g_new0(VkDiskLayer, 1);
        layer->path = g_strdup(vk_json_object_get_string(img, "filename", ""));
        layer->format = g_strdup(vk_json_object_get_string(img, "format", "raw"));
        layer->block = g_str_has_prefix(layer->path, "/dev/");
        g_ptr_array_add(disk->backing, layer);
    }
    return 0;
}

int
vk_qemu_block_chain_probe(VkDomainDiskDef *disk)
{
    g_autofree char *json = NULL;
    const char *args[] = { "info", "-U", "--backing-chain", "--output=json", "-f",
                           disk->driver_type ? disk->driver_type : "raw", disk->src_path, NULL };

    /* what the config says of the chain gives way to what the images say */
    if (disk->backing)
        g_ptr_array_set_size(disk->backing, 0);
    else
        disk->backing = vk_disk_chain_new();
    disk->src_no_backing = false;
    disk->backing_detected = true;
    if (!disk->src_path || vk_domain_disk_actual_type(disk) == VK_DISK_TYPE_NETWORK)
        return 0;
    switch (vk_stats_image_has_backing(disk->src_path, disk->driver_type)) {
    case 1:
        if (vk_qemu_img(args, &json) < 0 || chain_from_json(disk, json) < 0)
            return -1;
        break;
    case 0:
        break;
    default:
        return 0;   /* not an image we can read: QEMU opens what it finds */
    }
    disk->src_no_backing = true;
    return 0;
}

guint
vk_qemu_block_chain_length(const VkDomainDiskDef *disk)
{
    return disk->backing ? disk->backing->len : 0;
}

void
vk_qemu_block_chain_number(VkDomainDef *def)
{
    guint next = def->disks->len + 1;

    for (guint d = def->disks->len; d-- > 0;) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, d);
        for (guint i = 0; i < vk_qemu_block_chain_length(disk); i++)
            ((VkDiskLayer *) g_ptr_array_index(disk->backing, i))->index = next++;
    }
}

int
vk_qemu_block_chain_find(const VkDomainDiskDef *disk, const char *path)
{
    if (g_strcmp0(disk->src_path, path) == 0)
        return 0;
    for (guint i = 0; i < vk_qemu_block_chain_length(disk); i++)
        if (g_strcmp0(((VkDiskLayer *) g_ptr_array_index(disk->backing, i))->path, path) == 0)
            return (int) i + 1;
    return -1;
}
