#include "drivers/network/dnsmasq/leases.h"

#include <string.h>
#include <time.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/network/dnsmasq/dnsmasq-conf.h"

/* libvirt's VIR_NETWORK_DHCP_LEASE_FILE_SIZE_MAX */
#define STATUS_FILE_MAX (32 * 1024 * 1024)

/* The file's text; "" when it does not exist. */
static char *
status_text(const char *path)
{
    char *text = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return g_strdup("");
    if (vk_file_read_all(path, STATUS_FILE_MAX, &text, NULL) < 0)
        return NULL;
    return text;
}

/* "expiry-time" of LEASE; 0 when absent: libvirt's helper leaves the member
 * out for an infinite lease (DNSMASQ_LEASE_EXPIRES=0). */
static gint64
lease_expiry(const VkJson *lease)
{
    return vk_json_object_get_int(lease, "expiry-time", 0);
}

static bool
lease_expired(const VkJson *lease, gint64 now)
{
    gint64 expiry = lease_expiry(lease);

    return expiry != 0 && expiry < now;
}

VkJson *
vk_dnsmasq_status_read(const char *path, const char *ip_to_delete, gint64 now,
                       char **server_duid)
{
    g_autofree char *text = status_text(path);
    g_autoptr(VkJson) old = NULL;
    VkJson *leases = vk_json_new_array();

    if (!text || !*text || !(old = vk_json_parse(text, -1)) || !vk_json_is_array(old)) {
        vk_error_reset();
        return leases;
    }
    for (guint i = 0; i < vk_json_array_length(old); i++) {
        VkJson *lease = vk_json_array_get(old, i);
        const char *ip = vk_json_object_get_string(lease, "ip-address", NULL);
        const char *duid = vk_json_object_get_string(lease, "server-duid", NULL);

        if (!ip || lease_expired(lease, now) || g_strcmp0(ip, ip_to_delete) == 0)
            continue;
        if (server_duid && strchr(ip, ':')) {
            if (duid && !*server_duid)
                *server_duid = g_strdup(duid);
            else if (!duid && *server_duid)
                vk_json_object_set_string(lease, "server-duid", *server_duid);
        }
        vk_json_array_append(leases, vk_json_copy(lease));
    }
    return leases;
}

char *
vk_dnsmasq_status_format(const VkJson *leases)
{
    GString *out = g_string_new("[");

    for (guint i = 0; i < vk_json_array_length(leases); i++) {
        const VkJson *lease = vk_json_array_get(leases, i);

        g_string_append(out, i ? ",\n  {" : "\n  {");
        for (guint m = 0; m < vk_json_object_size(lease); m++) {
            const char *name;
            VkJson *value = vk_json_object_nth(lease, m, &name);
            g_autoptr(VkJson) key = vk_json_new_string(name);

            g_string_append(out, m ? ",\n    " : "\n    ");
            vk_json_append(out, key);
            g_string_append(out, ": ");
            vk_json_append(out, value);
        }
        g_string_append(out, "\n  }");
    }
    g_string_append(out, vk_json_array_length(leases) ? "\n]\n" : "]\n");
    return g_string_free(out, FALSE);
}

void
vk_dnsmasq_lease_free(VkDnsmasqLease *lease)
{
    if (!lease)
        return;
    g_free(lease->mac);
    g_free(lease->iaid);
    g_free(lease->ip);
    g_free(lease->hostname);
    g_free(lease->client_id);
    g_free(lease);
}

/* networkGetDHCPLeases: a lease's prefix is that of the network's first
 * address of its family. */
static int
family_prefix(const VkNetworkDef *def, bool ipv6)
{
    for (guint i = 0; def->ips && i < def->ips->len; i++) {
        const VkNetworkIpDef *ip = g_ptr_array_index(def->ips, i);
        if (ip->is_ipv6 == ipv6)
            return MAX(vk_dnsmasq_ip_prefix(ip), 0);
    }
    return 0;
}

static VkDnsmasqLease *
lease_from_json(const VkJson *json, const VkNetworkDef *def)
{
    VkDnsmasqLease *lease = g_new0(VkDnsmasqLease, 1);

    lease->expiry_time = lease_expiry(json);
    lease->mac = g_strdup(vk_json_object_get_string(json, "mac-address", NULL));
    lease->ip = g_strdup(vk_json_object_get_string(json, "ip-address", NULL));
    lease->hostname = g_strdup(vk_json_object_get_string(json, "hostname", NULL));
    lease->client_id = g_strdup(vk_json_object_get_string(json, "client-id", NULL));
    lease->ipv6 = strchr(lease->ip, ':') != NULL;
    if (lease->ipv6)
        lease->iaid = g_strdup(vk_json_object_get_string(json, "iaid", NULL));
    lease->prefix = family_prefix(def, lease->ipv6);
    return lease;
}

GPtrArray *
vk_dnsmasq_leases_get(const char *status_path, const VkNetworkDef *def,
                      const char *mac, gint64 now)
{
    g_autofree char *text = status_text(status_path);
    g_autoptr(VkJson) json = NULL;
    g_autoptr(GPtrArray) leases =
        g_ptr_array_new_with_free_func((GDestroyNotify) vk_dnsmasq_lease_free);

    if (!text)
        return NULL;
    if (!*text)
        return g_steal_pointer(&leases);
    if (!(json = vk_json_parse(text, -1)) || !vk_json_is_array(json)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "invalid json in file: %s", status_path);
        return NULL;
    }
    if (now == 0)
        now = time(NULL);
    for (guint i = 0; i < vk_json_array_length(json); i++) {
        const VkJson *lease = vk_json_array_get(json, i);
        const char *lease_mac = vk_json_object_get_string(lease, "mac-address", NULL);

        if (!vk_json_object_get_string(lease, "ip-address", NULL) || lease_expired(lease, now))
            continue;
        if (mac && (!lease_mac || g_ascii_strcasecmp(mac, lease_mac) != 0))
            continue;
        g_ptr_array_add(leases, lease_from_json(lease, def));
    }
    return g_steal_pointer(&leases);
}
