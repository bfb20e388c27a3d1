/* What the commands on networks and on storage pools share: naming the
 * object by UUID or name, and the commands that are alike for both kinds
 * (start / destroy / undefine and the like, autostart, name, uuid). */
#pragma once

#include "tools/shell.h"

/* A kind of named object, through the API's calls on it (the object is
 * passed as void *). */
typedef struct {
    const char *opt;       /* the option naming it: "network", "pool" */
    const char *noun;      /* in errors: "network", "pool" */
    const char *title;     /* in messages: "Network", "Pool" */
    void *(*by_uuid)(virConnectPtr conn, const char *uuidstr);
    void *(*by_name)(virConnectPtr conn, const char *name);
    const char *(*get_name)(void *obj);
    int (*get_uuid_string)(void *obj, char *buf);
    int (*set_autostart)(void *obj, int autostart);
    int (*free)(void *obj);
} VkshObjectKind;

/* An API call on a kind's handle as one of the members above. */
#define VKSH_OBJECT_CALL(fn) ((void *) (fn))

/* The object the command's KIND->opt option names: by UUID when it has a
 * UUID's length, else by name (as BY allows).  NULL after printing
 * "failed to get KIND 'X'" (virsh then also prints the daemon's error, so
 * it is kept).  NAME (may be NULL) gets the option's text, which virsh's
 * messages quote. */
void *vksh_object_lookup(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind,
                         unsigned int by, const char **name);

/* One call ACTION(obj, FLAGS) on the object the command names: "Failed to
 * FAILED KIND NAME" or "TITLE NAME DONE". */
bool vksh_object_action(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind,
                        int (*action)(void *obj, unsigned int flags), unsigned int flags,
                        const char *failed, const char *done);

/* The commands KIND-autostart (--disable), KIND-name and KIND-uuid. */
bool vksh_object_autostart(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind);
bool vksh_object_name(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind);
bool vksh_object_uuid(VkshControl *ctl, const VkshCmd *cmd, const VkshObjectKind *kind);
