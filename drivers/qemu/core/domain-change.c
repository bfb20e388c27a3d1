/* The steps every "live and/or config" change of a domain shares, and
 * libvirt's argument checks that go with them. */
#include "drivers/qemu/core/domain-change.h"

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/process.h"

int
vk_qemu_check_secure(VkServerClient *client, unsigned int flags, unsigned int secure_flag,
                     const char *api)
{
    if ((flags & secure_flag) && vk_server_client_is_readonly(client)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_DENIED, "%s with secure flag", api);
        return -1;
    }
    return 0;
}

int
vk_qemu_not_running(void)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    return -1;
}

static int
transient(void)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                    "transient domains do not have any persistent config");
    return -1;
}

/* A copy of the persistent definition, through its XML so that nothing is
 * shared with the original. */
static VkDomainDef *
config_copy(VkDomainObj *obj)
{
    g_autofree char *xml = vk_domain_def_format(vk_domain_obj_config(obj),
                                                VK_DOMAIN_FORMAT_INACTIVE |
                                                    VK_DOMAIN_FORMAT_SECURE |
                                                    VK_DOMAIN_FORMAT_PRIVATE);

    return xml ? vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE) : NULL;
}

int
vk_qemu_change_begin(VkDomainChange *ch, VkDomainObj *obj, unsigned int flags,
                     unsigned int extra_flags, const char *api)
{
    bool active = vk_domain_obj_is_active(obj);

    *ch = (VkDomainChange) { .obj = obj };
    if (vk_check_flags(VIR_FROM_QEMU, flags,
                       VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | extra_flags, api) < 0)
        return -1;
    flags &= VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
    if (flags == VIR_DOMAIN_AFFECT_CURRENT)
        flags = active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && !active)
        return vk_qemu_not_running();
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !obj->persistent)
        return transient();
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        ch->live = obj->def;
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !(ch->config = config_copy(obj)))
        return -1;
    return 0;
}

int
vk_qemu_change_commit(VkDomainChange *ch)
{
    VkDomainObj *obj = ch->obj;

    if (ch->live && vk_qemu_process_save_status(obj) < 0)
        return -1;
    if (!ch->config)
        return 0;
    if (vk_domain_store_save_config(vk_qemu_driver()->store, ch->config) < 0)
        return -1;
    if (vk_domain_obj_is_active(obj)) {
        vk_domain_def_free(obj->new_def);
        obj->new_def = ch->config;
    } else {
        ch->config->id = -1;
        vk_domain_def_free(obj->def);
        obj->def = ch->config;
    }
    ch->config = NULL;
    return 0;
}

void
vk_qemu_change_end(VkDomainChange *ch)
{
    g_clear_pointer(&ch->config, vk_domain_def_free);
}

VkDomainDef *
vk_qemu_one_def(VkDomainObj *obj, unsigned int flags, unsigned int extra_flags, const char *api)
{
    if (vk_check_flags(VIR_FROM_QEMU, flags,
                       VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | extra_flags, api) < 0)
        return NULL;
    flags &= VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
    if (flags == (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) {
        vk_invalid_arg(VIR_FROM_DOMAIN, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                       "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return NULL;
    }
    if (flags == VIR_DOMAIN_AFFECT_LIVE && !vk_domain_obj_is_active(obj)) {
        vk_qemu_not_running();
        return NULL;
    }
    if (flags == VIR_DOMAIN_AFFECT_CONFIG) {
        if (!obj->persistent) {
            transient();
            return NULL;
        }
        return vk_domain_obj_config(obj);
    }
    return obj->def;
}

