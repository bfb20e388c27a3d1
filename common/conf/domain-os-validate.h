/* The checks libvirt makes on <os> at define: firmware autoselection
 * (<os firmware=>, <firmware><feature/>) against an explicit <loader> and
 * <nvram>, and secure boot's machine.  Called by vk_domain_def_validate(). */
#pragma once

#include "common/conf/domain.h"

int vk_domain_os_validate(const VkDomainDef *def);
