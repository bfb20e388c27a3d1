#include "common/pci/provenance.h"

#include <string.h>

#include "common/util/error.h"

typedef struct {
    VkPciMachine machine;
    VkPciController *conts;
    size_t nconts;
    VkPciDevice *devs;
    size_t ndevs;
    bool *dev_given;    /* the device's address is the user's */
    const VkPciAddress *const *as_given;   /* NULL, or where the user put it */
    bool *kept;         /* the controller is the user's */
    bool *addr_given;   /* and so is its address */
} Explain;

static bool
is_root(VkPciModel model)
{
    return model == VK_PCI_CONTROLLER_PCI_ROOT || model == VK_PCI_CONTROLLER_PCIE_ROOT;
}

static bool
same_place(const VkPciAddress *a, const VkPciAddress *b)
{
    return vk_pci_address_equal(a, b) && a->multifunction == b->multifunction;
}

static const VkPciController *
find_index(const GArray *conts, unsigned int index)
{
    for (guint i = 0; i < conts->len; i++) {
        if (g_array_index(conts, VkPciController, i).index == index)
            return &g_array_index(conts, VkPciController, i);
    }
    return NULL;
}

/* Controllers assignment adds that the guest does not have: the guest's
 * own controllers made that unnecessary, so take them all as the user's. */
static bool
keep_all_if_more(Explain *e, const GArray *added)
{
    bool changed = false;

    for (guint i = 0; i < added->len; i++) {
        unsigned int index = g_array_index(added, VkPciController, i).index;
        bool known = false;
        for (size_t j = 0; j < e->nconts && !known; j++)
            known = e->conts[j].index == index;
        if (known)
            continue;
        for (size_t j = 0; j < e->nconts; j++) {
            changed |= !e->kept[j];
            e->kept[j] = true;
        }
    }
    return changed;
}

/* A controller of the guest that assignment did not add (or added as
 * another model): the one with the highest index, since assignment fills
 * the holes below a controller the user gave.  -1: none. */
static ssize_t
missing_controller(Explain *e, const GArray *added)
{
    ssize_t missing = -1;

    for (size_t i = 0; i < e->nconts; i++) {
        const VkPciController *got = find_index(added, e->conts[i].index);
        if (e->kept[i] || (got && got->model == e->conts[i].model))
            continue;
        if (missing < 0 || e->conts[i].index > e->conts[missing].index)
            missing = (ssize_t) i;
    }
    return missing;
}

/* A device the guest has on a bus assignment did not make: only the user
 * puts one there (assignment then adds the bus).  -1: none. */
static ssize_t
device_off_the_buses(Explain *e, const GArray *conts, const GArray *added)
{
    for (size_t i = 0; i < e->ndevs; i++) {
        unsigned int bus = e->devs[i].address->bus;
        if (!e->dev_given[i] && bus > 0 && !find_index(conts, bus) && !find_index(added, bus))
            return (ssize_t) i;
    }
    return -1;
}

/* The first thing that differs from the guest after assigning from what is
 * taken as given becomes given too (what comes after it may only have moved
 * because it did): a device on a bus that is not there, else a missing
 * controller, else a controller's address (assignment places controllers
 * before devices), else a device's, else (assignment added more) all
 * controllers.  0: the same topology; 1: more
 * is taken as given now. */
static int
compare(Explain *e, const GArray *conts, const size_t *slot, const VkPciDevice *devs,
        const GArray *added)
{
    ssize_t off = device_off_the_buses(e, conts, added);
    ssize_t missing = missing_controller(e, added);

    if (off >= 0) {
        e->dev_given[off] = true;
        return 1;
    }
    if (missing >= 0) {
        e->kept[missing] = true;
        return 1;
    }
    for (size_t i = 0; i < e->nconts; i++) {
        const VkPciController *want = &e->conts[i];
        const VkPciController *got = e->kept[i] ? &g_array_index(conts, VkPciController, slot[i])
                                                : find_index(added, want->index);
        if ((e->kept[i] && e->addr_given[i]) ||
            (got->has_address && same_place(&got->address, &want->address)))
            continue;
        /* an added one first becomes the user's, then maybe its address */
        if (e->kept[i])
            e->addr_given[i] = true;
        e->kept[i] = true;
        return 1;
    }
    for (size_t i = 0; i < e->ndevs; i++) {
        if (e->dev_given[i] ||
            (devs[i].has_address && same_place(devs[i].address, e->devs[i].address)))
            continue;
        e->dev_given[i] = true;
        return 1;
    }
    return keep_all_if_more(e, added) ? 1 : 0;
}

static int
round_once(Explain *e)
{
    g_autoptr(GArray) conts = g_array_new(FALSE, TRUE, sizeof(VkPciController));
    g_autofree size_t *slot = g_new0(size_t, e->nconts);
    g_autofree VkPciAddress *addrs = g_new0(VkPciAddress, e->ndevs);
    g_autofree VkPciDevice *devs = g_memdup2(e->devs, e->ndevs * sizeof(VkPciDevice));
    g_autoptr(GArray) added = NULL;

    for (size_t i = 0; i < e->nconts; i++) {
        VkPciController c = e->conts[i];

        if (!e->kept[i])
            continue;
        if (!e->addr_given[i]) {
            c.has_address = false;
            memset(&c.address, 0, sizeof(c.address));
        }
        slot[i] = conts->len;
        g_array_append_val(conts, c);
    }
    for (size_t i = 0; i < e->ndevs; i++) {
        if (e->dev_given[i])
            addrs[i] = e->as_given && e->as_given[i] ? *e->as_given[i] : *e->devs[i].address;
        else
            devs[i].has_address = false;
        devs[i].address = &addrs[i];
    }
    if (vk_pci_assign(e->machine, (VkPciController *) conts->data, conts->len,
                      devs, e->ndevs, &added) < 0) {
        /* a device the user put on a controller we left out, say: then
         * the controllers are all the user's */
        bool more = false;
        vk_error_reset();
        for (size_t i = 0; i < e->nconts; i++) {
            more |= !e->kept[i];
            e->kept[i] = true;
        }
        return more ? 1 : -1;
    }
    return compare(e, conts, slot, devs, added);
}

void
vk_pci_provenance(VkPciMachine machine, VkPciController *controllers, size_t ncontrollers,
                  VkPciDevice *devices, size_t ndevices, const VkPciGiven *given)
{
    g_autofree bool *dev_given = g_new0(bool, ndevices);
    g_autofree bool *kept = g_new0(bool, ncontrollers);
    g_autofree bool *addr_given = g_new0(bool, ncontrollers);
    Explain e = {
        .machine = machine, .conts = controllers, .nconts = ncontrollers,
        .devs = devices, .ndevs = ndevices,
        .dev_given = dev_given, .kept = kept, .addr_given = addr_given,
        .as_given = given ? given->device : NULL,
    };
    int rc = 1;

    /* start from what the user gave, else from a user who gave nothing
     * but the root bus */
    for (size_t i = 0; i < ncontrollers; i++) {
        kept[i] = addr_given[i] = is_root(controllers[i].model);
        kept[i] |= given && given->controller[i];
        addr_given[i] |= given && given->controller[i] && given->address[i];
    }
    for (size_t i = 0; i < ndevices; i++)
        dev_given[i] = !devices[i].has_address || !devices[i].flags || (given && given->device[i]);
    /* each round takes at least one more item as given */
    for (size_t r = 0; r <= ndevices + 2 * ncontrollers && rc == 1; r++) {
        rc = round_once(&e);
        if (given && r == 0 && rc != 0)
            g_debug("what the user gave does not give this PCI topology again: searching");
    }

    for (size_t i = 0; i < ndevices; i++)
        devices[i].auto_assigned = rc == 0 && !dev_given[i];
    for (size_t i = 0; i < ncontrollers; i++) {
        controllers[i].added = rc == 0 && !kept[i];
        controllers[i].auto_assigned = rc == 0 && !addr_given[i];
    }
}
