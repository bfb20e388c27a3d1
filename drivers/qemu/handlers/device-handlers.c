/* Procedures that change a guest's devices: attach-device, detach-device,
 * detach-device-alias and update-device, live (hotplug, see hotplug.h) and
 * in the persistent definition. */
#include <string.h>

#include "common/conf/disk-update.h"
#include "common/conf/domain-device.h"
#include "common/conf/net-update.h"
#include "common/util/error.h"
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/hotplug.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static VkDomainDefaultsOptions *
defaults_options(VkDomainDefaultsOptions *opts, char **nvram_dir)
{
    *nvram_dir = vk_paths_prefix(vk_qemu_driver()->paths, "/var/lib/libvirt/qemu/nvram");
    opts->aliases = NULL;
    opts->nvram_dir = *nvram_dir;
    return opts;
}

typedef enum { DEVICE_ATTACH, DEVICE_DETACH, DEVICE_UPDATE } VkDeviceChangeKind;

/* What KIND does to the persistent definition CONFIG. */
static int
change_config(VkDomainDef *config, VkDomainDeviceDef *dev, VkDeviceChangeKind kind)
{
    g_autofree char *nvram_dir = NULL;
    VkDomainDefaultsOptions opts;

    switch (kind) {
    case DEVICE_ATTACH:
        return vk_domain_def_attach_device(config, dev, defaults_options(&opts, &nvram_dir));
    case DEVICE_DETACH:
        return vk_domain_def_detach_device(config, dev);
    case DEVICE_UPDATE:
        if (dev->disk)
            return vk_domain_def_update_disk(config, dev, defaults_options(&opts, &nvram_dir));
        if (dev->net)
            return vk_domain_def_update_net(config, dev);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                        "persistent update of device '%s' is not supported", dev->element);
        return -1;
    }
    return -1;
}

/* What KIND does to the running guest of OBJ. */
static int
change_live(VkDomainObj *obj, VkDomainDeviceDef *dev, VkDeviceChangeKind kind)
{
    switch (kind) {
    case DEVICE_ATTACH:
        return vk_qemu_hotplug_attach(obj, dev);
    case DEVICE_DETACH:
        return vk_qemu_hotplug_detach(obj, dev);
    case DEVICE_UPDATE:
        if (dev->disk)
            return vk_qemu_hotplug_change_media(obj, dev->disk);
        if (dev->net)
            return vk_qemu_hotplug_change_net(obj, dev);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                        "live update of device '%s' is not supported", dev->element);
        return -1;
    }
    return -1;
}

static int
change_device(const remote_nonnull_domain *ref, const char *xml, unsigned int flags,
              VkDeviceChangeKind kind, const char *api)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);
    g_autoptr(VkDomainDeviceDef) config_dev = NULL;
    g_autoptr(VkDomainDeviceDef) live_dev = NULL;
    VkDomainChange ch;
    int rc = -1;

    if (!obj)
        return -1;
    if (vk_qemu_change_begin(&ch, obj, flags, 0, api) < 0)
        goto out;
    /* The device is parsed once for each definition it goes to; both
     * copies get the same MAC.  The config is changed on a copy first, so
     * that it is checked before the guest sees anything. */
    if (ch.config && !(config_dev = vk_domain_device_def_parse(xml, ch.config,
                                                               VK_DOMAIN_PARSE_INACTIVE)))
        goto out;
    if (ch.live) {
        if (!(live_dev = vk_domain_device_def_parse(xml, ch.live, VK_DOMAIN_PARSE_INACTIVE)))
            goto out;
        if (config_dev)
            vk_domain_device_def_copy_generated(live_dev, config_dev);
    }
    if ((ch.config && change_config(ch.config, config_dev, kind) < 0) ||
        (ch.live && change_live(obj, live_dev, kind) < 0))
        goto out;
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_attach_device(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_attach_device_args *args = argsp;

    return change_device(&args->dom, args->xml, VIR_DOMAIN_AFFECT_LIVE, DEVICE_ATTACH,
                         "qemuDomainAttachDeviceFlags");
}

static int
domain_attach_device_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_attach_device_flags_args *args = argsp;

    return change_device(&args->dom, args->xml, args->flags, DEVICE_ATTACH,
                         "qemuDomainAttachDeviceFlags");
}

static int
domain_detach_device(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_args *args = argsp;

    return change_device(&args->dom, args->xml, VIR_DOMAIN_AFFECT_LIVE, DEVICE_DETACH,
                         "qemuDomainDetachDeviceFlags");
}

static int
domain_detach_device_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_flags_args *args = argsp;

    return change_device(&args->dom, args->xml, args->flags, DEVICE_DETACH,
                         "qemuDomainDetachDeviceFlags");
}

static int
domain_update_device_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_update_device_flags_args *args = argsp;

    return change_device(&args->dom, args->xml, args->flags, DEVICE_UPDATE,
                         "qemuDomainUpdateDeviceFlags");
}

/* detach-device-alias: asynchronous, as libvirt's: the live device is
 * asked to go and the call returns. */
static int
domain_detach_device_alias(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_detach_device_alias_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->dom);
    VkDomainChange ch;
    int rc = -1;

    if (!obj)
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainDetachDeviceAlias") < 0 ||
        (ch.config && vk_domain_def_detach_device_alias(ch.config, args->alias) < 0) ||
        (ch.live && vk_qemu_hotplug_detach_alias(obj, args->alias) < 0))
        goto out;
    rc = vk_qemu_change_commit(&ch);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE_ALIAS, domain_detach_device_alias },
    { REMOTE_PROC_DOMAIN_ATTACH_DEVICE, domain_attach_device },
    { REMOTE_PROC_DOMAIN_ATTACH_DEVICE_FLAGS, domain_attach_device_flags },
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE, domain_detach_device },
    { REMOTE_PROC_DOMAIN_DETACH_DEVICE_FLAGS, domain_detach_device_flags },
    { REMOTE_PROC_DOMAIN_UPDATE_DEVICE_FLAGS, domain_update_device_flags },
};

void
vk_qemu_device_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
