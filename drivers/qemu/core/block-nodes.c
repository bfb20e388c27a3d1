/* Block nodes of one image (block-nodes.h). */
#include "drivers/qemu/core/block-nodes.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/security/dac-domain.h"

/* IMAGE as the one-image disk the DAC code takes. */
static VkDomainDiskDef
as_disk(const VkDiskLayer *image)
{
    return (VkDomainDiskDef) { .type = image->block ? VK_DISK_TYPE_BLOCK : VK_DISK_TYPE_FILE,
                               .src_path = image->path, .has_source = true };
}

void
vk_qemu_block_image_release(VkDomainObj *obj, const VkDiskLayer *image)
{
    VkQemuRuntime *rt = obj->runtime;
    VkDomainDiskDef disk = as_disk(image);

    if (rt->dac)
        vk_qemu_dac_restore_disk(rt->dac, &disk);
}

int
vk_qemu_block_nodes_add(VkDomainObj *obj, const VkDiskLayer *image, guint backing)
{
    g_autoptr(VkJson) storage = vk_json_new_object();
    g_autoptr(VkJson) format = vk_json_new_object();
    g_autofree char *storage_name = g_strdup_printf("libvirt-%u-storage", image->index);
    g_autofree char *format_name = vk_qemu_format_node_name(image->index);
    VkQemuRuntime *rt = obj->runtime;
    VkDomainDiskDef disk = as_disk(image);

    /* QEMU may run as another user: a new image becomes its, as the
     * guest's others did at start (dac-domain.h) */
    if (rt->dac && vk_qemu_dac_label_disk(rt->dac, &disk) < 0)
        return -1;
    vk_json_object_set_string(storage, "driver", image->block ? "host_device" : "file");
    vk_json_object_set_string(storage, "filename", image->path);
    vk_json_object_set_string(storage, "node-name", storage_name);
    vk_json_object_set_bool(storage, "auto-read-only", TRUE);
    vk_json_object_set_string(storage, "discard", "unmap");
    if (vk_qemu_process_monitor_query(obj, "blockdev-add", storage, NULL) < 0)
        return -1;
    vk_json_object_set_string(format, "node-name", format_name);
    vk_json_object_set_bool(format, "read-only", FALSE);
    vk_json_object_set_string(format, "driver", image->format);
    vk_json_object_set_string(format, "file", storage_name);
    if (g_strcmp0(image->format, "qcow2") == 0) {
        if (backing) {
            g_autofree char *below = vk_qemu_format_node_name(backing);
            vk_json_object_set_string(format, "backing", below);
        } else {
            vk_json_object_set(format, "backing", vk_json_new_null());
        }
    }
    if (vk_qemu_process_monitor_query(obj, "blockdev-add", format, NULL) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_qemu_block_nodes_delete(obj, image->index);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    return 0;
}

void
vk_qemu_block_nodes_delete(VkDomainObj *obj, guint n)
{
    static const char *const kinds[] = { "format", "storage" };

    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
        g_autoptr(VkJson) args = vk_json_new_object();
        g_autofree char *node = g_strdup_printf("libvirt-%u-%s", n, kinds[i]);
        vk_json_object_set_string(args, "node-name", node);
        if (vk_qemu_process_monitor_query(obj, "blockdev-del", args, NULL) < 0) {
            g_warning("%s: %s", obj->def->name, vk_error_last_message());
            vk_error_reset();
        }
    }
}
