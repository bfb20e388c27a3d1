#include "common/conf/domain-os-validate.h"

#include "common/util/error.h"

#define DETAIL(...) vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_DETAIL, __VA_ARGS__)

static VkTristate
feature_state(const VkDomainOsDef *os, const char *name)
{
    for (guint i = 0; i < os->firmware_features->len; i++) {
        const VkDomainOsFwFeature *f = g_ptr_array_index(os->firmware_features, i);
        if (g_str_equal(f->name, name))
            return f->enabled ? VK_TRISTATE_ON : VK_TRISTATE_OFF;
    }
    return VK_TRISTATE_ABSENT;
}

/* With autoselection the loader and its template are the descriptor's:
 * the guest may only ask for a secure one and name its own store. */
static int
validate_autoselection(const VkDomainOsDef *os)
{
    const char *attr = NULL;

    if (feature_state(os, "enrolled-keys") == VK_TRISTATE_ON &&
        feature_state(os, "secure-boot") == VK_TRISTATE_OFF) {
        DETAIL("%s", "firmware feature 'enrolled-keys' cannot be enabled when firmware "
               "feature 'secure-boot' is disabled");
        return -1;
    }
    if (os->has_loader && os->loader_readonly != VK_TRISTATE_ABSENT)
        attr = "readonly";
    else if (os->has_loader && (os->loader_type != VK_LOADER_TYPE_ABSENT || os->loader))
        attr = "type";
    else if (os->has_loader && os->loader_secure == VK_TRISTATE_OFF)
        attr = "secure";
    if (attr) {
        DETAIL("loader attribute '%s' cannot be specified when firmware autoselection is enabled",
               attr);
        return -1;
    }
    if (os->nvram_template) {
        DETAIL("%s", "nvram attribute 'template' cannot be specified when firmware "
               "autoselection is enabled");
        return -1;
    }
    return 0;
}

int
vk_domain_os_validate(const VkDomainDef *def)
{
    const VkDomainOsDef *os = &def->os;

    if (os->firmware != VK_OS_FIRMWARE_ABSENT) {
        if (validate_autoselection(os) < 0)
            return -1;
    } else if (os->firmware_features->len) {
        DETAIL("%s", "cannot use feature-based firmware autoselection when firmware "
               "autoselection is disabled");
        return -1;
    } else if (os->has_loader && !os->loader) {
        DETAIL("%s", "no loader path specified and firmware auto selection disabled");
        return -1;
    }
    if (os->loader_secure == VK_TRISTATE_ON && !vk_domain_machine_is_q35(os->machine)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "Secure boot is supported with q35 machine types only");
        return -1;
    }
    return 0;
}
