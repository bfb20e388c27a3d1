#include "drivers/qemu/core/taint.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/conf/enum-table.h"
#include "drivers/qemu/core/process.h"

/* libvirt's names (status XML, domain log) and messages for each flag. */
static const char *const taint_names[] = {
    "custom-argv", "custom-monitor", "high-privileges", "shell-scripts", "disk-probing",
    "external-launch", "host-cpu", "hook-script", "cdrom-passthrough", "custom-dtb",
    "custom-ga-command", "custom-hypervisor-feature", "deprecated-config", "custom-device",
    NULL
};
static const char *const taint_messages[] = {
    "custom configuration parameters specified",
    "custom monitor control commands issued",
    "running with undesirable elevated privileges",
    "network configuration using opaque shell scripts",
    "potentially unsafe disk format probing",
    "managing externally launched configuration",
    "potentially unsafe use of host CPU passthrough",
    "configuration potentially modified by hook script",
    "use of host cdrom passthrough",
    "custom device tree blob used",
    "custom guest agent control commands issued",
    "hypervisor feature autodetection override",
    "use of deprecated configuration settings",
    "custom device configuration",
};
G_STATIC_ASSERT(G_N_ELEMENTS(taint_messages) == VK_TAINT_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(taint_names) == VK_TAINT_LAST + 1);

/* "2026-12-06 08:35:17.557+0000: Domain id=37 is tainted: custom-monitor",
 * as libvirt writes it into the domain log. */
static void
log_taint(VkDomainObj *obj, VkTaint flag)
{
    g_autofree char *path = vk_qemu_process_log_path(obj->def->name);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
    g_autofree char *line = g_strdup_printf("%s.%03d+0000: Domain id=%d is tainted: %s\n",
                                            stamp, g_date_time_get_microsecond(now) / 1000,
                                            obj->def->id, taint_names[flag]);
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

    if (fd < 0)
        return;
    if (write(fd, line, strlen(line)) < 0)
        g_warning("cannot write to '%s': %s", path, g_strerror(errno));
    close(fd);
}

bool
vk_qemu_taint(VkDomainObj *obj, VkTaint flag)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!rt || (rt->taints & (1u << flag)))
        return false;
    rt->taints |= 1u << flag;
    g_warning("Domain id=%d name='%s' is tainted: %s", obj->def->id, obj->def->name,
              taint_names[flag]);
    log_taint(obj, flag);
    return true;
}

void
vk_qemu_taint_check_launch(VkDomainObj *obj, const VkDacConfig *dac)
{
    if (dac->privileged && (dac->user == 0 || dac->group == 0 || !dac->clear_caps))
        vk_qemu_taint(obj, VK_TAINT_HIGH_PRIVILEGES);
    if (obj->def->os.dtb)
        vk_qemu_taint(obj, VK_TAINT_CUSTOM_DTB);
}

char **
vk_qemu_taint_messages(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;
    GPtrArray *msgs = g_ptr_array_new();

    for (int i = 0; rt && vk_domain_obj_is_active(obj) && i < VK_TAINT_LAST; i++)
        if (rt->taints & (1u << i))
            g_ptr_array_add(msgs, g_strconcat("tainted: ", taint_messages[i], NULL));
    g_ptr_array_add(msgs, NULL);
    return (char **) g_ptr_array_free(msgs, FALSE);
}

void
vk_qemu_taint_format(guint taints, GString *xml)
{
    for (int i = 0; i < VK_TAINT_LAST; i++)
        if (taints & (1u << i))
            g_string_append_printf(xml, "  <taint flag='%s'/>\n", taint_names[i]);
}

guint
vk_qemu_taint_from_name(const char *name)
{
    int i = vk_enum_from_string(taint_names, name);

    return i < 0 ? 0 : 1u << i;
}
