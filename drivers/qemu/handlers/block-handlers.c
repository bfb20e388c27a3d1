/* Block device changes of a running guest: virsh blockresize. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/process.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static int
domain_block_resize(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_block_resize_args *args = argsp;
    guint64 size = args->size;
    g_autoptr(VkJson) qmp_args = vk_json_new_object();
    g_autofree char *node = NULL;
    const VkDomainDiskDef *disk;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, VIR_DOMAIN_BLOCK_RESIZE_BYTES,
                       "qemuDomainBlockResize") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_domain_end(obj, vk_qemu_not_running());
    if (!(disk = vk_domain_def_disk_by_name(obj->def, args->disk))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "disk '%s' was not found in the domain config", args->disk);
        return vk_qemu_domain_end(obj, -1);
    }
    if (!disk->src_index) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "disk '%s' does not have an active block backend", args->disk);
        return vk_qemu_domain_end(obj, -1);
    }
    if (!(args->flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > G_MAXUINT64 / 1024) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OVERFLOW,
                            "size must be less than %" G_GUINT64_FORMAT, G_MAXUINT64 / 1024);
            return vk_qemu_domain_end(obj, -1);
        }
        size *= 1024;
    }
    /* qcow2 images grow in whole sectors, as libvirt rounds them */
    if (g_strcmp0(disk->driver_type, "qcow2") == 0)
        size = (size + 511) / 512 * 512;
    node = vk_qemu_format_node_name(disk->src_index);
    vk_json_object_set_string(qmp_args, "node-name", node);
    vk_json_object_set_int(qmp_args, "size", (gint64) size);
    return vk_qemu_domain_end(obj, vk_qemu_process_monitor_query(obj, "block_resize", qmp_args,
                                                                 NULL));
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_BLOCK_RESIZE, domain_block_resize },
};

void
vk_qemu_block_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
