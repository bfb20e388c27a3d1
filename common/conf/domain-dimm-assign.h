/* Memory slots at define: with memory hotplug enabled (<maxMemory>), every
 * dimm / nvdimm memory device without an address gets the lowest free
 * <address type='dimm' slot=/>, as libvirt's QEMU driver does. */
#pragma once

#include "common/conf/domain.h"

/* -1 with libvirt's error when the slots run out. */
int vk_domain_dimm_assign(VkDomainDef *def);
