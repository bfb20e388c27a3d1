/* What the QEMU guest agent tells about the guest: virsh domfsinfo,
 * guestvcpus, guestinfo, domhostname and domifaddr --source agent, in
 * libvirt's shapes (core/guest-agent.h talks to the agent). */
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/guest-agent.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

#define AGENT_TIMEOUT VK_AGENT_TIMEOUT_BLOCK
#define GUEST_VCPU_MAX_ID 4096   /* libvirt's QEMU_GUEST_VCPU_MAX_ID */
/* virDomainGetHostnameFlags */
#define HOSTNAME_LEASE (1 << 0)
#define HOSTNAME_AGENT (1 << 1)

/* virDomainGuestInfoTypes */
enum { INFO_USERS = 1 << 0, INFO_OS = 1 << 1, INFO_TIMEZONE = 1 << 2, INFO_HOSTNAME = 1 << 3,
       INFO_FILESYSTEM = 1 << 4, INFO_DISKS = 1 << 5, INFO_INTERFACES = 1 << 6 };

static char *
json_strdup(const VkJson *o, const char *name)
{
    return strdup(vk_json_object_get_string(o, name, ""));
}

/* One filesystem the agent reported, as remote_domain_fsinfo. */
static void
fill_fsinfo(const VkDomainDef *def, const VkJson *fs, remote_domain_fsinfo *out)
{
    VkJson *disks = vk_json_object_get_array(fs, "disk");
    guint n = vk_json_array_length(disks);

    out->mountpoint = json_strdup(fs, "mountpoint");
    out->name = json_strdup(fs, "name");
    out->fstype = json_strdup(fs, "type");
    out->dev_aliases.dev_aliases_val = calloc(MAX(n, 1), sizeof(char *));
    for (guint i = 0; i < n; i++) {
        const char *alias = vk_qemu_agent_disk_target(def, vk_json_array_get(disks, i));
        if (alias)
            out->dev_aliases.dev_aliases_val[out->dev_aliases.dev_aliases_len++] = strdup(alias);
    }
}

static int
domain_get_fsinfo(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_fsinfo_args *args = argsp;
    remote_domain_get_fsinfo_ret *ret = retp;
    g_autoptr(VkJson) list = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetFSInfo") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-fsinfo", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    guint n = MIN(vk_json_array_length(list), REMOTE_DOMAIN_FSINFO_MAX);
    ret->info.info_val = calloc(MAX(n, 1), sizeof(remote_domain_fsinfo));
    /* the agent lists the last mounted first: libvirt turns it round */
    for (guint i = 0; i < n; i++)
        fill_fsinfo(obj->def, vk_json_array_get(list, n - 1 - i), &ret->info.info_val[i]);
    ret->info.info_len = n;
    ret->ret = n;
    return vk_qemu_domain_end(obj, 0);
}

/* BITS[0..GUEST_VCPU_MAX_ID) as libvirt's bitmap text ("0-1,3"). */
static char *
format_bitmap(const bool *bits)
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < GUEST_VCPU_MAX_ID; i++) {
        if (!bits[i])
            continue;
        int j = i;
        while (j + 1 < GUEST_VCPU_MAX_ID && bits[j + 1])
            j++;
        g_string_append_printf(s, s->len ? ",%d" : "%d", i);
        if (j > i)
            g_string_append_printf(s, "-%d", j);
        i = j;
    }
    return g_string_free(s, FALSE);
}

static int
domain_get_guest_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_guest_vcpus_args *args = argsp;
    remote_domain_get_guest_vcpus_ret *ret = retp;
    g_autoptr(VkJson) list = NULL;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    g_autofree bool *bits = g_new0(bool, 3 * GUEST_VCPU_MAX_ID);
    bool *all = bits, *online = bits + GUEST_VCPU_MAX_ID, *offlinable = online + GUEST_VCPU_MAX_ID;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetGuestVcpus") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-vcpus", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *cpu = vk_json_array_get(list, i);
        gint64 id = vk_json_object_get_int(cpu, "logical-id", -1);
        if (id < 0 || id >= GUEST_VCPU_MAX_ID) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                            "vCPU index '%" G_GINT64_FORMAT "' exceeds the maximum of '%d'",
                            id, GUEST_VCPU_MAX_ID - 1);
            return vk_qemu_domain_end(obj, -1);
        }
        all[id] = true;
        online[id] = vk_json_object_get_bool(cpu, "online", FALSE);
        offlinable[id] = vk_json_object_get_bool(cpu, "can-offline", FALSE);
    }
    const char *names[] = { "vcpus", "online", "offlinable" };
    for (int k = 0; k < 3; k++) {
        g_autofree char *text = format_bitmap(bits + k * GUEST_VCPU_MAX_ID);
        vk_typed_params_add_string(params, text, "%s", names[k]);
    }
    vk_typed_params_steal(params, &ret->params.params_val, &ret->params.params_len);
    return vk_qemu_domain_end(obj, 0);
}

/* "0-2,^1" into BITS, as libvirt's virBitmapParse reads it. */
static int
parse_cpulist(const char *text, bool *bits)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);

    for (guint i = 0; parts[i]; i++) {
        const char *p = g_strstrip(parts[i]);
        bool neg = *p == '^';
        char *end;
        long a = strtol(p + neg, &end, 10), b = a;
        if (end == p + neg)
            return -1;
        if (*end == '-' && !neg)
            b = strtol(end + 1, &end, 10);
        if (*end || a < 0 || b < a || b >= GUEST_VCPU_MAX_ID)
            return -1;
        for (long c = a; c <= b; c++)
            bits[c] = !neg;
    }
    return 0;
}

/* The agent's vCPU list changed as STATE asks for the vCPUs in WANT;
 * NULL with libvirt's error when one is missing or cannot go offline. */
static VkJson *
vcpu_changes(const VkJson *list, const bool *want, bool state)
{
    g_autoptr(VkJson) changes = vk_json_new_array();
    g_autofree bool *seen = g_new0(bool, GUEST_VCPU_MAX_ID);

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *cpu = vk_json_array_get(list, i);
        gint64 id = vk_json_object_get_int(cpu, "logical-id", -1);
        if (id < 0 || id >= GUEST_VCPU_MAX_ID || !want[id])
            continue;
        seen[id] = true;
        if (!state && !vk_json_object_get_bool(cpu, "can-offline", FALSE)) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                            "vCPU '%" G_GINT64_FORMAT "' is not offlinable", id);
            return NULL;
        }
        VkJson *c = vk_json_new_object();
        vk_json_object_set_int(c, "logical-id", id);
        vk_json_object_set_bool(c, "online", state);
        vk_json_array_append(changes, c);
    }
    bool missing = false;
    for (int id = 0; id < GUEST_VCPU_MAX_ID; id++) {
        seen[id] = want[id] && !seen[id];
        missing |= seen[id];
    }
    if (missing) {
        g_autofree char *ids = format_bitmap(seen);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "guest is missing vCPUs '%s'", ids);
        return NULL;
    }
    return g_steal_pointer(&changes);
}

static int
domain_set_guest_vcpus(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_guest_vcpus_args *args = argsp;
    g_autofree bool *want = g_new0(bool, GUEST_VCPU_MAX_ID);
    g_autoptr(VkJson) list = NULL;
    g_autoptr(VkJson) set = vk_json_new_object();
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainSetGuestVcpus") < 0)
        return -1;
    if (parse_cpulist(args->cpumap, want) < 0)
        return vk_invalid_arg(VIR_FROM_QEMU, "Failed to parse bitmap '%s'", args->cpumap);
    if (!(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-vcpus", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    VkJson *changes = vcpu_changes(list, want, args->state != 0);
    if (!changes)
        return vk_qemu_domain_end(obj, -1);
    vk_json_object_set(set, "vcpus", changes);
    return vk_qemu_domain_end(obj, vk_qemu_agent_call(obj, "guest-set-vcpus", set,
                                                      AGENT_TIMEOUT, NULL));
}

int
vk_qemu_agent_vcpu_count(const remote_nonnull_domain *ref, bool maximum, int *num)
{
    g_autoptr(VkJson) list = NULL;
    VkDomainObj *obj = vk_qemu_agent_begin(ref);

    if (!obj)
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-vcpus", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    *num = 0;
    for (guint i = 0; i < vk_json_array_length(list); i++)
        if (maximum || vk_json_object_get_bool(vk_json_array_get(list, i), "online", FALSE))
            (*num)++;
    return vk_qemu_domain_end(obj, 0);
}

/* The changes that leave N of the agent's vCPUs in LIST online, as
 * libvirt's qemuAgentUpdateCPUInfo picks them: the first offlinable ones
 * go, the first offline ones come.  NULL with libvirt's error. */
static VkJson *
vcpu_count_changes(const VkJson *list, unsigned int n)
{
    g_autoptr(VkJson) changes = vk_json_new_array();
    guint total = vk_json_array_length(list), online = 0, offlinable = 0;

    for (guint i = 0; i < total; i++) {
        VkJson *cpu = vk_json_array_get(list, i);
        bool on = vk_json_object_get_bool(cpu, "online", FALSE);
        bool can_off = vk_json_object_get_bool(cpu, "can-offline", FALSE);
        if (!on && !can_off) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "Invalid data provided by guest agent");
            return NULL;
        }
        online += on;
        offlinable += on && can_off;
    }
    if (n > total) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                        "guest agent reports less cpu than requested");
        return NULL;
    }
    if (n < online - offlinable) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s", "Cannot offline enough CPUs");
        return NULL;
    }
    for (guint i = 0; i < total && n != online; i++) {
        VkJson *cpu = vk_json_array_get(list, i);
        bool on = vk_json_object_get_bool(cpu, "online", FALSE);
        bool unplug = n < online && on && vk_json_object_get_bool(cpu, "can-offline", FALSE);
        if (!unplug && (n < online || on))
            continue;
        VkJson *c = vk_json_new_object();
        vk_json_object_set_int(c, "logical-id", vk_json_object_get_int(cpu, "logical-id", -1));
        vk_json_object_set_bool(c, "online", !unplug);
        vk_json_array_append(changes, c);
        online += unplug ? -1 : 1;
    }
    return g_steal_pointer(&changes);
}

int
vk_qemu_agent_set_vcpu_count(const remote_nonnull_domain *ref, unsigned int n)
{
    g_autoptr(VkJson) list = NULL;
    g_autoptr(VkJson) set = vk_json_new_object();
    VkDomainObj *obj = vk_qemu_agent_begin(ref);
    unsigned int enabled;

    if (!obj)
        return -1;
    enabled = vk_domain_def_current_vcpus(obj->def);
    if (n > enabled) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "requested vcpu count is greater "
                        "than the count of enabled vcpus in the domain: %u > %u", n, enabled);
        return vk_qemu_domain_end(obj, -1);
    }
    if (vk_qemu_agent_call(obj, "guest-get-vcpus", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    VkJson *changes = vcpu_count_changes(list, n);
    if (!changes)
        return vk_qemu_domain_end(obj, -1);
    if (!vk_json_array_length(changes)) {
        vk_json_free(changes);
        return vk_qemu_domain_end(obj, 0);
    }
    vk_json_object_set(set, "vcpus", changes);
    return vk_qemu_domain_end(obj, vk_qemu_agent_call(obj, "guest-set-vcpus", set,
                                                      AGENT_TIMEOUT, NULL));
}

static int
domain_get_hostname(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_hostname_args *args = argsp;
    remote_domain_get_hostname_ret *ret = retp;
    g_autoptr(VkJson) info = NULL;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, HOSTNAME_AGENT,
                       "qemuDomainGetHostname") < 0 ||
        !(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-get-host-name", NULL, AGENT_TIMEOUT, &info) < 0)
        return vk_qemu_domain_end(obj, -1);
    const char *name = vk_json_object_get_string(info, "host-name", NULL);
    if (!name) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                        "'host-name' missing in guest-get-host-name reply");
        return vk_qemu_domain_end(obj, -1);
    }
    ret->hostname = strdup(name);
    return vk_qemu_domain_end(obj, 0);
}

/* One address the agent reported, as remote_domain_ip_addr. */
static void
fill_ip(const VkJson *a, remote_domain_ip_addr *out)
{
    const char *type = vk_json_object_get_string(a, "ip-address-type", "");

    out->type = g_str_equal(type, "ipv6") ? VIR_IP_ADDR_TYPE_IPV6 : VIR_IP_ADDR_TYPE_IPV4;
    out->addr = json_strdup(a, "ip-address");
    out->prefix = (unsigned int) vk_json_object_get_int(a, "prefix", 0);
}

int
vk_qemu_agent_interface_addresses(const remote_domain_interface_addresses_args *args,
                                  remote_domain_interface_addresses_ret *ret)
{
    g_autoptr(VkJson) list = NULL;
    VkDomainObj *obj;

    if (!(obj = vk_qemu_agent_begin(&args->dom)))
        return -1;
    if (vk_qemu_agent_call(obj, "guest-network-get-interfaces", NULL, AGENT_TIMEOUT, &list) < 0)
        return vk_qemu_domain_end(obj, -1);
    guint n = vk_json_array_length(list);
    ret->ifaces.ifaces_val = calloc(MAX(n, 1), sizeof(remote_domain_interface));
    for (guint i = 0; i < n; i++) {
        VkJson *iface = vk_json_array_get(list, i);
        remote_domain_interface *out = &ret->ifaces.ifaces_val[ret->ifaces.ifaces_len++];
        VkJson *addrs = vk_json_object_get_array(iface, "ip-addresses");
        out->name = json_strdup(iface, "name");
        if (vk_json_object_get_string(iface, "hardware-address", NULL)) {
            out->hwaddr = malloc(sizeof(char *));
            *out->hwaddr = json_strdup(iface, "hardware-address");
        }
        out->addrs.addrs_val = calloc(MAX(vk_json_array_length(addrs), 1),
                                      sizeof(remote_domain_ip_addr));
        for (guint k = 0; k < vk_json_array_length(addrs); k++)
            fill_ip(vk_json_array_get(addrs, k), &out->addrs.addrs_val[out->addrs.addrs_len++]);
    }
    return vk_qemu_domain_end(obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_FSINFO, domain_get_fsinfo },
    { REMOTE_PROC_DOMAIN_GET_GUEST_VCPUS, domain_get_guest_vcpus },
    { REMOTE_PROC_DOMAIN_SET_GUEST_VCPUS, domain_set_guest_vcpus },
    { REMOTE_PROC_DOMAIN_GET_HOSTNAME, domain_get_hostname },
};

void
vk_qemu_guest_info_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
