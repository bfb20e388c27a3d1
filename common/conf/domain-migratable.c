#include "common/conf/domain-migratable.h"

/* The only controller of TYPE in DEF is CTRL. */
static bool
only_of_type(const VkDomainDef *def, const VkDomainControllerDef *ctrl)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c != ctrl && c->type == ctrl->type)
            return false;
    }
    return true;
}

static bool
user_alias(const VkDeviceInfo *info)
{
    return info->alias && g_str_has_prefix(info->alias, "ua-");
}

bool
vk_domain_migratable_drops_controller(const VkDomainDef *def, const VkDomainControllerDef *ctrl)
{
    if (ctrl->index != 0 || user_alias(&ctrl->info) || !only_of_type(def, ctrl))
        return false;
    /* libvirt before 0.9.4 added piix3-uhci to every pc guest by itself */
    if (ctrl->type == VK_CONTROLLER_USB)
        return vk_domain_machine_is_i440fx(def->os.machine) &&
               (ctrl->model == VK_USB_MODEL_ABSENT || ctrl->model == VK_USB_MODEL_PIIX3_UHCI);
    return ctrl->type == VK_CONTROLLER_PCI && ctrl->pci_model == VK_PCI_MODEL_PCI_ROOT;
}

bool
vk_domain_migratable_drops_input(const VkDomainDef *def, const VkDomainInputDef *input)
{
    return input->type == VK_INPUT_TYPE_KEYBOARD && input->bus == VK_INPUT_BUS_PS2;
}

bool
vk_domain_migratable_drops_audio(const VkDomainDef *def, const VkDomainAudioDef *audio)
{
    return def->audios->len == 1 && audio->type == VK_AUDIO_TYPE_NONE;
}
