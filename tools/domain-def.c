#include "tools/domain-def.h"

#include <stdlib.h>

#include "common/util/error.h"
#include "tools/domain-util.h"

VkDomainDef *
vksh_domain_def_of(VkshControl *ctl, virDomainPtr dom, unsigned int xml_flags)
{
    char *xml = virDomainGetXMLDesc(dom, xml_flags);
    VkDomainDef *def;

    if (!xml)
        return NULL;
    /* common/conf reports into this program's own error record, not
     * libvirtkit's: print it here */
    def = vk_domain_def_parse_string(xml, 0);
    free(xml);
    if (!def) {
        vksh_error(ctl, "%s", vk_error_last_message());
        vk_error_reset();
    }
    return def;
}

VkDomainDef *
vksh_domain_get_def(VkshControl *ctl, const VkshCmd *cmd, unsigned int xml_flags)
{
    virDomainPtr dom;
    VkDomainDef *def;

    if (!(dom = vksh_domain_lookup(ctl, cmd, VKSH_BY_ALL, NULL)))
        return NULL;
    def = vksh_domain_def_of(ctl, dom, xml_flags);
    virDomainFree(dom);
    return def;
}
