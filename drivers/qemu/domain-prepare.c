#include "drivers/qemu/domain-prepare.h"

#include <errno.h>

#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"

VkDomainDef *
vk_qemu_domain_prepare(const char *xml)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);

    if (!def || vk_domain_def_apply_defaults(def, NULL) < 0)
        return NULL;
    if (!g_file_test(def->emulator, G_FILE_TEST_IS_EXECUTABLE)) {
        vk_error_report_errno(VIR_FROM_QEMU, errno ? errno : ENOENT,
                              "Cannot check QEMU binary %s", def->emulator);
        return NULL;
    }
    if (vk_domain_pci_assign(def, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}
