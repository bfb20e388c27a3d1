#include "drivers/qemu/core/iothread-hotplug.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/process.h"
#include "virtkit/virtkit.h"

static bool
qemu_lists(VkDomainObj *obj, unsigned int id)
{
    g_autoptr(VkJson) list = NULL;

    if (vk_qemu_process_monitor_query(obj, "query-iothreads", NULL, &list) < 0)
        return false;
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        if (vk_qemu_iothread_number(vk_json_array_get(list, i)) == (int) id)
            return true;
    }
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                    "cannot find new IOThread '%u' in QEMU monitor.", id);
    return false;
}

int
vk_qemu_iothread_hotplug_add(VkDomainObj *obj, unsigned int id)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *name = g_strdup_printf("iothread%u", id);

    vk_json_object_set_string(args, "qom-type", "iothread");
    vk_json_object_set_string(args, "id", name);
    if (vk_qemu_process_monitor_query(obj, "object-add", args, NULL) < 0)
        return -1;
    return qemu_lists(obj, id) ? 0 : -1;
}

int
vk_qemu_iothread_hotplug_del(VkDomainObj *obj, unsigned int id)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *name = g_strdup_printf("iothread%u", id);

    vk_json_object_set_string(args, "id", name);
    return vk_qemu_process_monitor_query(obj, "object-del", args, NULL);
}

int
vk_qemu_iothread_set_property(VkDomainObj *obj, unsigned int id, const char *property,
                              gint64 value)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *path = g_strdup_printf("/objects/iothread%u", id);

    vk_json_object_set_string(args, "path", path);
    vk_json_object_set_string(args, "property", property);
    vk_json_object_set_int(args, "value", value);
    return vk_qemu_process_monitor_query(obj, "qom-set", args, NULL);
}
