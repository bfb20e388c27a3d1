#include "common/pci/address.h"

#include <errno.h>
#include <stdlib.h>

#include "common/util/error.h"

char *
vk_pci_address_format(const VkPciAddress *addr)
{
    return g_strdup_printf("%04x:%02x:%02x.%x", addr->domain, addr->bus,
                           addr->slot, addr->function);
}

/* One hex field of at most MAXLEN digits ending at one of STOP (or at the end
 * when STOP is ""). */
static bool
parse_field(const char **pos, unsigned int maxlen, char stop, unsigned int *out)
{
    const char *p = *pos;
    unsigned int value = 0;
    unsigned int n = 0;

    while (g_ascii_isxdigit(*p)) {
        if (++n > maxlen)
            return false;
        value = value * 16 + g_ascii_xdigit_value(*p);
        p++;
    }
    if (n == 0 || *p != stop)
        return false;
    *out = value;
    *pos = stop ? p + 1 : p;
    return true;
}

int
vk_pci_address_parse(const char *str, VkPciAddress *addr)
{
    VkPciAddress tmp = { 0 };
    const char *p = str;
    int colons = 0;

    if (!str) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "missing PCI address");
        return -1;
    }
    for (const char *c = str; *c; c++)
        colons += *c == ':';

    if ((colons == 2 && !parse_field(&p, 4, ':', &tmp.domain)) ||
        colons < 1 || colons > 2 ||
        !parse_field(&p, 2, ':', &tmp.bus) ||
        !parse_field(&p, 2, '.', &tmp.slot) ||
        !parse_field(&p, 1, '\0', &tmp.function) ||
        tmp.slot > VK_PCI_MAX_SLOT || tmp.function > VK_PCI_MAX_FUNCTION) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "cannot parse PCI address '%s'", str);
        return -1;
    }
    *addr = tmp;
    return 0;
}

int
vk_pci_address_check(const VkPciAddress *addr)
{
    if (addr->bus > VK_PCI_MAX_BUS) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                        "Invalid PCI address bus='0x%x', must be <= 0xFF", addr->bus);
        return -1;
    }
    if (addr->slot > VK_PCI_MAX_SLOT) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                        "Invalid PCI address slot='0x%x', must be <= 0x1F", addr->slot);
        return -1;
    }
    if (addr->function > VK_PCI_MAX_FUNCTION) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                        "Invalid PCI address function=0x%x, must be <= 7", addr->function);
        return -1;
    }
    return 0;
}

bool
vk_pci_address_is_empty(const VkPciAddress *addr)
{
    return addr->domain == 0 && addr->bus == 0 && addr->slot == 0;
}

int
vk_pci_address_compare(const VkPciAddress *a, const VkPciAddress *b)
{
    if (a->domain != b->domain)
        return a->domain < b->domain ? -1 : 1;
    if (a->bus != b->bus)
        return a->bus < b->bus ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->function != b->function)
        return a->function < b->function ? -1 : 1;
    return 0;
}

bool
vk_pci_address_equal(const VkPciAddress *a, const VkPciAddress *b)
{
    return vk_pci_address_compare(a, b) == 0;
}
