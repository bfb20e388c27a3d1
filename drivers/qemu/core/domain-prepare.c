#include "drivers/qemu/core/domain-prepare.h"

#include "common/conf/domain-pci-given.h"
#include "common/util/error.h"
#include "drivers/qemu/driver.h"

/* The machine aliases the binary reports (q35 -> pc-q35-7.2, ...). */
static GArray *
machine_aliases(const VkQemuCaps *caps)
{
    GArray *aliases = g_array_new(TRUE, TRUE, sizeof(VkMachineAlias));

    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = g_ptr_array_index(caps->machines, i);
        if (m->alias) {
            VkMachineAlias alias = { m->alias, m->name };
            g_array_append_val(aliases, alias);
        }
    }
    return aliases;
}

VkDomainDef *
vk_qemu_domain_prepare(const char *xml)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(GArray) aliases = NULL;
    VkQemuDriver *driver = vk_qemu_driver();
    g_autofree char *nvram_dir = vk_paths_prefix(driver->paths, "/var/lib/libvirt/qemu/nvram");
    VkDomainDefaultsOptions opts = { .nvram_dir = nvram_dir };
    const VkQemuCaps *caps;

    if (!def)
        return NULL;
    if (!(caps = vk_qemu_driver_get_caps(driver, def->emulator)))
        return NULL;
    aliases = machine_aliases(caps);
    opts.aliases = (const VkMachineAlias *) aliases->data;
    /* assigned with a record of what the user gave, for the PCI tree */
    if (vk_domain_def_apply_defaults_opts(def, &opts) < 0 || vk_domain_pci_given_assign(def, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}
