#include "drivers/network/core/network-store.h"

#include <glib/gstdio.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "common/util/uuid.h"

VkStore *
vk_network_store_new(const VkPaths *paths)
{
    g_autofree char *config_dir = g_build_filename(paths->config_dir, "qemu", "networks", NULL);
    g_autofree char *status_dir = g_build_filename(paths->run_dir, "network", NULL);

    return vk_store_new(config_dir, status_dir, VIR_FROM_NETWORK);
}

int
vk_network_store_save_config(VkStore *store, const VkNetworkDef *def)
{
    g_autofree char *xml = vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);

    return xml ? vk_store_save_config(store, def->name, xml) : -1;
}

static gpointer
parse_config(const char *path)
{
    return vk_network_def_parse_file(path);
}

GPtrArray *
vk_network_store_load_configs(VkStore *store)
{
    return vk_store_load_configs(store, parse_config, (GDestroyNotify) vk_network_def_free);
}

int
vk_network_store_save_status(VkStore *store, VkNetworkObj *obj)
{
    g_autofree char *xml = vk_network_def_format(obj->def, 0);
    g_autoptr(GString) doc = g_string_new("<networkstatus>\n");

    if (!xml)
        return -1;
    vk_xml_append_indented(doc, xml, 2);
    g_string_append(doc, "</networkstatus>\n");
    return vk_store_save_status(store, obj->def->name, doc->str);
}

VkNetworkDef *
vk_network_store_read_status(const char *path)
{
    xmlDocPtr doc = vk_xml_parse_file_named(path, "(network_status)", false);
    xmlNodePtr network;
    g_autofree char *xml = NULL;

    if (!doc)
        return NULL;
    network = vk_xml_child(xmlDocGetRootElement(doc), "network");
    if (!network) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "no network in the status file '%s'", path);
        xmlFreeDoc(doc);
        return NULL;
    }
    xml = vk_domain_xml_serialize(network);
    xmlFreeDoc(doc);
    return vk_network_def_parse_string(xml);
}

static char *
port_dir(VkStore *store, const char *network)
{
    return g_build_filename(store->status_dir, network, NULL);
}

static char *
port_path(VkStore *store, const char *network, const unsigned char *uuid)
{
    char uuidstr[VK_UUID_STRING_BUFLEN];
    g_autofree char *dir = port_dir(store, network);
    g_autofree char *file = g_strconcat(vk_uuid_format(uuid, uuidstr), ".xml", NULL);

    return g_build_filename(dir, file, NULL);
}

void
vk_network_store_delete_status(VkStore *store, const char *name)
{
    g_autoptr(GPtrArray) ports = vk_network_store_load_ports(store, name);
    g_autofree char *dir = port_dir(store, name);

    for (guint i = 0; i < ports->len; i++)
        vk_network_store_delete_port(store, name,
                                     ((VkNetworkPortDef *) g_ptr_array_index(ports, i))->uuid);
    g_rmdir(dir);
    vk_store_delete_status(store, name);
}

int
vk_network_store_save_port(VkStore *store, const char *network, const VkNetworkPortDef *port)
{
    g_autofree char *dir = port_dir(store, network);
    g_autofree char *path = port_path(store, network, port->uuid);
    g_autofree char *xml = vk_network_port_def_format(port);

    if (!xml || vk_file_make_dirs(dir, 0700) < 0)
        return -1;
    return vk_file_write_atomic(path, xml, strlen(xml), 0600);
}

void
vk_network_store_delete_port(VkStore *store, const char *network, const unsigned char *uuid)
{
    g_autofree char *path = port_path(store, network, uuid);

    g_unlink(path);
}

GPtrArray *
vk_network_store_load_ports(VkStore *store, const char *network)
{
    GPtrArray *ports = g_ptr_array_new_with_free_func((GDestroyNotify) vk_network_port_def_free);
    g_autofree char *dir_path = port_dir(store, network);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        VkNetworkPortDef *port;

        if (!g_str_has_suffix(name, ".xml"))
            continue;
        path = g_build_filename(dir_path, name, NULL);
        if ((port = vk_network_port_def_parse_file(path)))
            g_ptr_array_add(ports, port);
        else
            g_warning("skipping the unreadable port '%s': %s", path, vk_error_last_message());
    }
    return ports;
}
