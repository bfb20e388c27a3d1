#include "drivers/network/core/network-defaults.h"

#include <net/if.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/network/core/network-hostdev.h"
#include "drivers/network/core/network-obj.h"

#define MAX_BRIDGE_ID 256   /* libvirt gives up after virbr256 */

bool
vk_network_bridge_in_use(VkObjectList *networks, const char *bridge, const char *name)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(networks);
    bool used = false;

    for (guint i = 0; i < all->len && !used; i++) {
        VkNetworkObj *obj = g_ptr_array_index(all, i);

        vk_network_obj_lock(obj);
        used = g_strcmp0(obj->def->name, name) != 0 &&
               (g_strcmp0(obj->def->bridge, bridge) == 0 ||
                (obj->new_def && g_strcmp0(obj->new_def->bridge, bridge) == 0));
        vk_network_obj_unlock(obj);
    }
    return used;
}

/* TEMPL with its "%d" replaced by ID. */
static char *
fill_template(const char *templ, int id)
{
    const char *hole = strstr(templ, "%d");

    return g_strdup_printf("%.*s%d%s", (int) (hole - templ), templ, id, hole + 2);
}

/* A given name without "%d" must be free among the networks; otherwise the
 * name (a template with one '%', followed by 'd'; else "virbr%d") gets the
 * lowest free N. */
static int
assign_bridge_name(VkObjectList *networks, VkNetworkDef *def)
{
    const char *templ = "virbr%d";
    const char *p;

    if (def->bridge && !strstr(def->bridge, "%d")) {
        if (!vk_network_bridge_in_use(networks, def->bridge, def->name))
            return 0;
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "bridge name '%s' already in use.", def->bridge);
        return -1;
    }
    if (def->bridge && (p = strchr(def->bridge, '%')) == strrchr(def->bridge, '%') && p[1] == 'd')
        templ = def->bridge;
    for (int id = 0; id <= MAX_BRIDGE_ID; id++) {
        g_autofree char *name = fill_template(templ, id);

        if (!vk_network_bridge_in_use(networks, name, def->name) && if_nametoindex(name) == 0) {
            g_free(def->bridge);
            def->bridge = g_steal_pointer(&name);
            return 0;
        }
    }
    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                    "Bridge generation exceeded max id %d", MAX_BRIDGE_ID);
    return -1;
}

VkNetworkDef *
vk_network_parse_for_host(VkObjectList *networks, const char *xml)
{
    g_autoptr(VkNetworkDef) def = vk_network_def_parse_string(xml);

    if (!def)
        return NULL;
    if (vk_network_hostdev_validate(def, vk_network_pci_root()) < 0)
        return NULL;
    if (vk_network_def_has_own_bridge(def)) {
        if (assign_bridge_name(networks, def) < 0)
            return NULL;
        if (!def->mac)
            def->mac = g_strdup_printf("52:54:00:%02x:%02x:%02x", g_random_int_range(0, 256),
                                       g_random_int_range(0, 256), g_random_int_range(0, 256));
    }
    return g_steal_pointer(&def);
}

static gpointer
parse_for_host(VkObjectList *list, const char *xml)
{
    return vk_network_parse_for_host(list, xml);
}

static VkObject *
list_add(VkObjectList *list, gpointer def, bool *existed)
{
    return (VkObject *) vk_network_list_add(list, def, existed);
}

void
vk_network_placer_init(VkObjectPlacer *placer, VkNetworkDriver *driver)
{
    *placer = (VkObjectPlacer) {
        .list = driver->networks,
        .define_lock = &driver->define_lock,
        .parse = parse_for_host,
        .list_add = list_add,
        .free_def = (GDestroyNotify) vk_network_def_free,
    };
}
