/* What the domain commands share: finding the domain a command names, and
 * virsh's words for domain states and their reasons. */
#pragma once

#include "tools/shell.h"

/* The domain named by the command's --domain option: by id when it is a
 * number, by UUID when it has a UUID's length, else by name (as BY allows).
 * NULL after printing "failed to get domain 'X'".  NAME (may be NULL) gets
 * the option's text, which virsh's messages quote. */
virDomainPtr vksh_domain_lookup(VkshControl *ctl, const VkshCmd *cmd, unsigned int by,
                                const char **name);

/* "running", "shut off"... */
const char *vksh_domain_state_to_string(int state);
/* "booted", "destroyed"... ("unknown" for what virsh does not know) */
const char *vksh_domain_reason_to_string(int state, int reason);

/* The domain's state (virDomainState), REASON (may be NULL) set; -1 with
 * the API error left for the caller. */
int vksh_domain_state(virDomainPtr dom, int *reason);
