/* libvirt's CPU comparison and baseline (virConnectCompareCPU, ...BaselineCPU
 * and their Hypervisor variants) over <cpu> definitions: features are
 * libvirt's names from its installed CPU map (monitor/cpu-map.h); what the
 * hypervisor can give comes from QEMU's own data (the host CPU model's
 * expansion, each model's unavailable features).  Called by the handlers. */
#pragma once

#include <glib.h>

#include "drivers/qemu/monitor/capabilities-xml.h"
#include "drivers/qemu/monitor/capabilities.h"
#include "drivers/qemu/monitor/cpu-map.h"

/* virCPUCompareResult */
enum { VK_CPU_COMPARE_ERROR = -1, VK_CPU_COMPARE_INCOMPATIBLE = 0,
       VK_CPU_COMPARE_IDENTICAL = 1, VK_CPU_COMPARE_SUPERSET = 2 };
/* virConnectCompareCPUFlags, virConnectBaselineCPUFlags */
#define VK_CPU_COMPARE_FAIL_INCOMPATIBLE (1 << 0)
#define VK_CPU_COMPARE_VALIDATE_XML      (1 << 1)
#define VK_CPU_BASELINE_EXPAND_FEATURES  (1 << 0)
#define VK_CPU_BASELINE_MIGRATABLE       (1 << 1)

/* Compare the CPU in XML with the host's CPU (QEMU NULL) or with the one
 * QEMU/KVM can give a guest (QEMU's host CPU model).  A VK_CPU_COMPARE_*
 * value; with VK_CPU_COMPARE_FAIL_INCOMPATIBLE an incompatible CPU is -1
 * with VIR_ERR_CPU_INCOMPATIBLE and the reason. */
int vk_cpu_compare(const VkCpuMap *map, const VkHostCaps *host, const VkQemuCaps *qemu,
                   const char *xml, unsigned int flags);

/* The CPU every one of XMLS (N of them) can run: the model that lists the
 * fewest features, with its vendor and features, as libvirt formats it.
 * With QEMU only its models count, its known features, and each model's
 * unavailable features are disabled.  NULL with libvirt's error. */
char *vk_cpu_baseline(const VkCpuMap *map, const VkQemuCaps *qemu,
                      const char *const *xmls, guint n, unsigned int flags);
