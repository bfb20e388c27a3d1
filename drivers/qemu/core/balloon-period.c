#include "drivers/qemu/core/balloon-period.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/process.h"

int
vk_qemu_balloon_set_period(VkDomainObj *obj, int seconds)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s",
                                            obj->def->memballoon->info.alias);

    vk_json_object_set_string(args, "path", path);
    vk_json_object_set_string(args, "property", "guest-stats-polling-interval");
    vk_json_object_set_int(args, "value", seconds);
    return vk_qemu_process_monitor_query(obj, "qom-set", args, NULL);
}

void
vk_qemu_balloon_apply_period(VkDomainObj *obj)
{
    const VkDomainDef *def = obj->def;

    if (!vk_domain_def_has_balloon(def) || !def->memballoon->stats_period ||
        !def->memballoon->info.alias)
        return;
    if (vk_qemu_balloon_set_period(obj, (int) def->memballoon->stats_period) < 0) {
        g_warning("%s: balloon statistics period not set: %s", def->name,
                  vk_error_last_message());
        vk_error_reset();
    }
}
