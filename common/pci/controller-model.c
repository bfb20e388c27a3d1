#include "common/pci/controller-model.h"

#include "common/pci/address.h"

#define T(x) VK_PCI_CONNECT_TYPE_##x
#define AUTO VK_PCI_CONNECT_AUTOASSIGN

static const VkPciModelInfo no_model = { VK_PCI_CONTROLLER_NONE, "default", NULL, 0, false, 0, 0, 0 };

static const VkPciModelInfo models[VK_PCI_CONTROLLER_LAST] = {
    [VK_PCI_CONTROLLER_PCI_ROOT] = {
        VK_PCI_CONTROLLER_PCI_ROOT, "pci-root", NULL,
        AUTO | T(PCI_DEVICE) | T(PCI_BRIDGE) | T(PCI_EXPANDER_BUS), true,
        1, VK_PCI_MAX_SLOT, 0 },
    /* endpoints only land here when the user says so (no AUTO) */
    [VK_PCI_CONTROLLER_PCIE_ROOT] = {
        VK_PCI_CONTROLLER_PCIE_ROOT, "pcie-root", NULL,
        T(PCIE_DEVICE) | T(PCIE_ROOT_PORT) | T(DMI_TO_PCI_BRIDGE) | T(PCIE_EXPANDER_BUS), false,
        1, VK_PCI_MAX_SLOT, 0 },
    [VK_PCI_CONTROLLER_PCI_BRIDGE] = {
        VK_PCI_CONTROLLER_PCI_BRIDGE, "pci-bridge", "pci-bridge",
        AUTO | T(PCI_DEVICE) | T(PCI_BRIDGE), true,
        1, VK_PCI_MAX_SLOT, T(PCI_BRIDGE) },
    [VK_PCI_CONTROLLER_DMI_TO_PCI_BRIDGE] = {
        VK_PCI_CONTROLLER_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge", "i82801b11-bridge",
        T(PCI_DEVICE) | T(PCI_BRIDGE), false,
        0, VK_PCI_MAX_SLOT, T(DMI_TO_PCI_BRIDGE) },
    /* one slot; its functions may be shared by other root ports */
    [VK_PCI_CONTROLLER_PCIE_ROOT_PORT] = {
        VK_PCI_CONTROLLER_PCIE_ROOT_PORT, "pcie-root-port", "pcie-root-port",
        AUTO | T(PCIE_DEVICE) | T(PCIE_SWITCH_UPSTREAM_PORT) | T(PCIE_TO_PCI_BRIDGE), true,
        0, 0, T(PCIE_ROOT_PORT) | VK_PCI_CONNECT_AGGREGATE_SLOT },
    [VK_PCI_CONTROLLER_PCIE_SWITCH_UPSTREAM_PORT] = {
        VK_PCI_CONTROLLER_PCIE_SWITCH_UPSTREAM_PORT, "pcie-switch-upstream-port", "x3130-upstream",
        T(PCIE_SWITCH_DOWNSTREAM_PORT), false,
        0, VK_PCI_MAX_SLOT, T(PCIE_SWITCH_UPSTREAM_PORT) },
    [VK_PCI_CONTROLLER_PCIE_SWITCH_DOWNSTREAM_PORT] = {
        VK_PCI_CONTROLLER_PCIE_SWITCH_DOWNSTREAM_PORT, "pcie-switch-downstream-port", "xio3130-downstream",
        AUTO | T(PCIE_DEVICE) | T(PCIE_SWITCH_UPSTREAM_PORT) | T(PCIE_TO_PCI_BRIDGE), true,
        0, 0, T(PCIE_SWITCH_DOWNSTREAM_PORT) },
    [VK_PCI_CONTROLLER_PCI_EXPANDER_BUS] = {
        VK_PCI_CONTROLLER_PCI_EXPANDER_BUS, "pci-expander-bus", "pxb",
        AUTO | T(PCI_DEVICE) | T(PCI_BRIDGE), true,
        0, VK_PCI_MAX_SLOT, T(PCI_EXPANDER_BUS) },
    [VK_PCI_CONTROLLER_PCIE_EXPANDER_BUS] = {
        VK_PCI_CONTROLLER_PCIE_EXPANDER_BUS, "pcie-expander-bus", "pxb-pcie",
        T(PCIE_ROOT_PORT) | T(DMI_TO_PCI_BRIDGE), false,
        0, VK_PCI_MAX_SLOT, T(PCIE_EXPANDER_BUS) },
    /* slot 0 is taken by the bridge's SHPC */
    [VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE] = {
        VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge", "pcie-pci-bridge",
        AUTO | T(PCI_DEVICE) | T(PCI_BRIDGE), true,
        1, VK_PCI_MAX_SLOT, T(PCIE_TO_PCI_BRIDGE) },
};

const VkPciModelInfo *
vk_pci_model_info(VkPciModel model)
{
    if ((int) model < 0 || model >= VK_PCI_CONTROLLER_LAST)
        return &no_model;
    return &models[model];
}

const char *
vk_pci_model_to_string(VkPciModel model)
{
    return vk_pci_model_info(model)->name;
}

VkPciModel
vk_pci_model_from_string(const char *name)
{
    for (int i = 0; name && i < VK_PCI_CONTROLLER_LAST; i++) {
        if (g_str_equal(models[i].name, name))
            return i;
    }
    return VK_PCI_CONTROLLER_NONE;
}

unsigned int
vk_pci_model_bus_flags(VkPciModel model, bool hotplug)
{
    const VkPciModelInfo *info = vk_pci_model_info(model);

    return info->bus_flags | (info->hotplug && hotplug ? VK_PCI_CONNECT_HOTPLUGGABLE : 0);
}

VkPciModel
vk_pci_model_for_device(unsigned int flags)
{
    if (flags & T(PCI_DEVICE))
        return VK_PCI_CONTROLLER_PCI_BRIDGE;
    if (flags & (T(PCIE_DEVICE) | T(PCIE_SWITCH_UPSTREAM_PORT)))
        return VK_PCI_CONTROLLER_PCIE_ROOT_PORT;
    return VK_PCI_CONTROLLER_NONE;
}

/* Most specific first, as libvirt picks the word for its message. */
static const struct {
    unsigned int flag;
    const char *text;
} connect_words[] = {
    { T(PCI_DEVICE), "standard PCI device" },
    { T(PCIE_DEVICE), "PCI Express device" },
    { T(PCIE_ROOT_PORT), "pcie-root-port" },
    { T(PCIE_SWITCH_UPSTREAM_PORT), "pcie-switch-upstream-port" },
    { T(PCIE_SWITCH_DOWNSTREAM_PORT), "pcie-switch-downstream-port" },
    { T(DMI_TO_PCI_BRIDGE), "dmi-to-pci-bridge" },
    { T(PCIE_TO_PCI_BRIDGE), "pcie-to-pci-bridge" },
    { T(PCI_EXPANDER_BUS), "pci-expander-bus" },
    { T(PCIE_EXPANDER_BUS), "pcie-expander-bus" },
    { T(PCI_BRIDGE), "pci-bridge" },
};

const char *
vk_pci_connect_describe(unsigned int flags)
{
    for (gsize i = 0; i < G_N_ELEMENTS(connect_words); i++) {
        if (flags & connect_words[i].flag)
            return connect_words[i].text;
    }
    return NULL;
}
