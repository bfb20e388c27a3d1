/* The domain's definition as the daemon describes it, parsed on our side
 * with common/conf (as virsh parses the XML client-side for domblklist,
 * domiflist; and for Virtkit's pci-tree). */
#pragma once

#include "common/conf/domain.h"
#include "tools/shell.h"

/* Look up the command's --domain, fetch its XML with XML_FLAGS
 * (VIR_DOMAIN_XML_*) and parse it.  NULL on failure, with the error printed
 * or left as the API's last error. */
VkDomainDef *vksh_domain_get_def(VkshControl *ctl, const VkshCmd *cmd, unsigned int xml_flags);
/* The same for DOM. */
VkDomainDef *vksh_domain_def_of(VkshControl *ctl, virDomainPtr dom, unsigned int xml_flags);
