#include "tools/object.h"

#include <stdio.h>
#include <string.h>

void *
vksh_object_lookup(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind,
                   unsigned int by, const char **name)
{
    const char *text = vksh_cmd_opt_string(cmd, kind->opt);
    void *obj = NULL;

    if (name)
        *name = text;
    if (!text)
        return NULL;
    if ((by & VKSH_BY_UUID) && strlen(text) == VIR_UUID_STRING_BUFLEN - 1)
        obj = kind->by_uuid(ctl->conn, text);
    if (!obj && (by & VKSH_BY_NAME))
        obj = kind->by_name(ctl->conn, text);
    if (!obj)
        vksh_error(ctl, "failed to get %s '%s'", kind->noun, text);
    return obj;
}

bool
vksh_object_action(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind,
                   int (*action)(void *obj, unsigned int flags), unsigned int flags,
                   const char *failed, const char *done)
{
    const char *name;
    void *obj;
    int rc;

    if (!(obj = vksh_object_lookup(ctl, cmd, kind, VKSH_BY_UUID | VKSH_BY_NAME, &name)))
        return false;
    rc = action(obj, flags);
    kind->free(obj);
    if (rc < 0) {
        vksh_error(ctl, "Failed to %s %s %s", failed, kind->noun, name);
        return false;
    }
    vksh_print_extra(ctl, "%s %s %s\n", kind->title, name, done);
    return true;
}

bool
vksh_object_autostart(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind)
{
    bool enable = !vksh_cmd_opt_bool(cmd, "disable");
    const char *name;
    void *obj;
    int rc;

    if (!(obj = vksh_object_lookup(ctl, cmd, kind, VKSH_BY_UUID | VKSH_BY_NAME, &name)))
        return false;
    rc = kind->set_autostart(obj, enable);
    kind->free(obj);
    if (rc < 0) {
        vksh_error(ctl, "failed to %s %s %s as autostarted", enable ? "mark" : "unmark",
                   kind->noun, name);
        return false;
    }
    vksh_print_extra(ctl, "%s %s %s as autostarted\n", kind->title, name,
                     enable ? "marked" : "unmarked");
    return true;
}

bool
vksh_object_name(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind)
{
    void *obj;

    if (!(obj = vksh_object_lookup(ctl, cmd, kind, VKSH_BY_UUID, NULL)))
        return false;
    printf("%s\n", kind->get_name(obj));
    kind->free(obj);
    return true;
}

bool
vksh_object_uuid(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    void *obj;

    if (!(obj = vksh_object_lookup(ctl, cmd, kind, VKSH_BY_NAME, NULL)))
        return false;
    if (kind->get_uuid_string(obj, uuid) == 0)
        printf("%s\n", uuid);
    else
        vksh_error(ctl, "failed to get %s UUID", kind->noun);
    kind->free(obj);
    return true;
}
