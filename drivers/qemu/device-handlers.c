/* Procedures that change a guest's devices: attach-device, detach-device
 * and detach-device-alias, live (hotplug, see hotplug.h) and in the
 * persistent definition. */
#include <string.h>

#include "common/conf/domain-device.h"
#include "common/util/error.h"
#include "drivers/qemu/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/hotplug.h"
#include "remote-protocol.h"

/* virDomainModificationImpact */
enum {
    AFFECT_CURRENT = 0,
    AFFECT_LIVE = 1 << 0,
    AFFECT_CONFIG = 1 << 1,
};

/* What FLAGS ask of OBJ (locked): CURRENT is the live guest when it runs,
 * else its config.  -1 with libvirt's error for what cannot be. */
static int
resolve_impact(VkDomainObj *obj, unsigned int flags, const char *api, bool *live, bool *config)
{
    if (flags & ~(unsigned int) (AFFECT_LIVE | AFFECT_CONFIG)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                        "unsupported flags (0x%x) in function %s",
                        flags & ~(unsigned int) (AFFECT_LIVE | AFFECT_CONFIG), api);
        return -1;
    }
    if (flags == AFFECT_CURRENT)
        flags = vk_domain_obj_is_active(obj) ? AFFECT_LIVE : AFFECT_CONFIG;
    *live = flags & AFFECT_LIVE;
    *config = flags & AFFECT_CONFIG;
    if (*live && !vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (*config && !obj->persistent) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                        "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}

/* A copy of OBJ's persistent definition to change: committed only when
 * everything worked, so that a failure changes nothing. */
static VkDomainDef *
config_copy(VkDomainObj *obj)
{
    g_autofree char *xml = vk_domain_def_format(vk_domain_obj_config(obj),
                                                VK_DOMAIN_FORMAT_INACTIVE);

    return xml ? vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE) : NULL;
}

/* Save NEW_CONFIG and make it OBJ's persistent definition. */
static int
commit_config(VkDomainObj *obj, VkDomainDef **new_config)
{
    VkDomainDef *def = *new_config;

    if (vk_domain_store_save_config(vk_qemu_driver()->store, def) < 0)
        return -1;
    *new_config = NULL;
    if (vk_domain_obj_is_active(obj)) {
        vk_domain_def_free(obj->new_def);
        obj->new_def = def;
    } else {
        def->id = -1;
        vk_domain_def_free(obj->def);
        obj->def = def;
    }
    return 0;
}

static VkDomainDefaultsOptions *
defaults_options(VkDomainDefaultsOptions *opts, char **nvram_dir)
{
    *nvram_dir = vk_paths_prefix(vk_qemu_driver()->paths, "/var/lib/libvirt/qemu/nvram");
    opts->aliases = NULL;
    opts->nvram_dir = *nvram_dir;
    return opts;
}

static int
change_device(const remote_nonnull_domain *ref, const char *xml, unsigned int flags,
              bool attach, const char *api)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    g_autoptr(VkDomainDef) new_config = NULL;
    g_autoptr(VkDomainDeviceDef) config_dev = NULL;
    g_autoptr(VkDomainDeviceDef) live_dev = NULL;
    g_autofree char *nvram_dir = NULL;
    VkDomainDefaultsOptions opts;
    bool live, config;
    int rc = -1;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    vk_domain_obj_begin_job(obj);
    if (resolve_impact(obj, flags, api, &live, &config) < 0)
        goto out;

    /* The device is parsed once for each definition it goes to; both
     * copies get the same MAC.  The config is changed on a copy first, so
     * that it is checked before the guest sees anything. */
    if (config && (!(new_config = config_copy(obj)) ||
                   !(config_dev = vk_domain_device_def_parse(xml, new_config,
                                                             VK_DOMAIN_PARSE_INACTIVE))))
        goto out;
    if (live) {
        if (!(live_dev = vk_domain_device_def_parse(xml, obj->def, VK_DOMAIN_PARSE_INACTIVE)))
            goto out;
        if (config_dev)
            vk_domain_device_def_copy_generated(live_dev, config_dev);
    }
    if (config && (attach ? vk_domain_def_attach_device(new_config, config_dev,
                                                        defaults_options(&opts, &nvram_dir)) < 0
                          : vk_domain_def_detach_device(new_config, config_dev) < 0))
        goto out;
    if (live && (attach ? vk_qemu_hotplug_attach(obj, live_dev) < 0
                        : vk_qemu_hotplug_detach(obj, live_dev) < 0))
        goto out;
    if (config && commit_config(obj, &new_config) < 0)
        goto out;
    rc = 0;
out:
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    return rc;
}

static int
domain_attach_device(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_attach_device_args *args = argsp;

    return change_device(&args->dom, args->xml, AFFECT_LIVE, true, "qemuDomainAttachDeviceFlags");
}

static int
domain_attach_device_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_attach_device_flags_args *args = argsp;

    return change_device(&args->dom, args->xml, args->flags, true, "qemuDomainAttachDeviceFlags");
}

static int
domain_detach_device(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_args *args = argsp;

    return change_device(&args->dom, args->xml, AFFECT_LIVE, false, "qemuDomainDetachDeviceFlags");
}

static int
domain_detach_device_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_flags_args *args = argsp;

    return change_device(&args->dom, args->xml, args->flags, false, "qemuDomainDetachDeviceFlags");
}

/* detach-device-alias: asynchronous, as libvirt's: the live device is
 * asked to go and the call returns. */
static int
domain_detach_device_alias(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_alias_args *args = argsp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&args->dom);
    g_autoptr(VkDomainDef) new_config = NULL;
    bool live, config;
    int rc = -1;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    vk_domain_obj_begin_job(obj);
    if (resolve_impact(obj, args->flags, "qemuDomainDetachDeviceAlias", &live, &config) < 0)
        goto out;
    if (config && (!(new_config = config_copy(obj)) ||
                   vk_domain_def_detach_device_alias(new_config, args->alias) < 0))
        goto out;
    if (live && vk_qemu_hotplug_detach_alias(obj, args->alias) < 0)
        goto out;
    if (config && commit_config(obj, &new_config) < 0)
        goto out;
    rc = 0;
out:
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    return rc;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE_ALIAS, domain_detach_device_alias },
    { REMOTE_PROC_DOMAIN_ATTACH_DEVICE, domain_attach_device },
    { REMOTE_PROC_DOMAIN_ATTACH_DEVICE_FLAGS, domain_attach_device_flags },
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE, domain_detach_device },
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE_FLAGS, domain_detach_device_flags },
};

void
vk_qemu_device_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
