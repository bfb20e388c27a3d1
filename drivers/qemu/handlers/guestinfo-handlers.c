/* virsh guestinfo (virDomainGetGuestInfo): what the guest agent says about
 * users, the OS, the time zone, the host name, filesystems, disks and
 * interfaces, as libvirt's typed parameters ("os.kernel-release", "fs.0.name",
 * ...).  With no type asked for, a command the agent lacks (or has disabled,
 * e.g. while filesystems are frozen) is skipped; asked for, it is an error. */
#include "drivers/qemu/handlers/handlers.h"

#include "common/rpc/typed-params.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/guest-agent.h"
#include "remote-protocol.h"

/* virDomainGuestInfoTypes */
enum { INFO_USERS = 1 << 0, INFO_OS = 1 << 1, INFO_TIMEZONE = 1 << 2, INFO_HOSTNAME = 1 << 3,
       INFO_FILESYSTEM = 1 << 4, INFO_DISKS = 1 << 5, INFO_INTERFACES = 1 << 6,
       INFO_ALL = (1 << 7) - 1 };

typedef struct {
    VkDomainObj *obj;
    VkTypedParams *params;
    bool report_unsupported;
} InfoCtx;

/* The "return" of COMMAND: 1, 0 when skipped (unsupported, not asked
 * for), -1 with the error. */
static int
query(InfoCtx *c, const char *command, VkJson **ret)
{
    g_autoptr(VkJson) cmd = vk_json_new_object();
    g_autoptr(VkJson) reply = NULL;

    vk_json_object_set_string(cmd, "execute", command);
    int rc = vk_qemu_agent_command(c->obj, cmd, VK_AGENT_TIMEOUT_BLOCK, VK_AGENT_AWAIT_NONE,
                                   c->report_unsupported, &reply);
    if (rc == -2)
        return 0;
    if (rc < 0)
        return -1;
    *ret = vk_json_object_steal(reply, "return");
    return 1;
}

static void
add_string_member(InfoCtx *c, const VkJson *o, const char *member, const char *name)
{
    const char *v = vk_json_object_get_string(o, member, NULL);

    if (v)
        vk_typed_params_add_string(c->params, v, "%s", name);
}

static int
add_users(InfoCtx *c)
{
    g_autoptr(VkJson) users = NULL;
    int rc = query(c, "guest-get-users", &users);

    if (rc <= 0)
        return rc;
    guint n = vk_json_array_length(users);
    vk_typed_params_add_uint(c->params, n, "user.count");
    for (guint i = 0; i < n; i++) {
        VkJson *u = vk_json_array_get(users, i);
        g_autofree char *name = g_strdup_printf("user.%u.name", i);
        g_autofree char *domain = g_strdup_printf("user.%u.domain", i);
        add_string_member(c, u, "user", name);
        add_string_member(c, u, "domain", domain);
        vk_typed_params_add_ullong(c->params,
                                   (unsigned long long) (vk_json_object_get_double(u, "login-time", 0) * 1000),
                                   "user.%u.login-time", i);
    }
    return 1;
}

static int
add_os(InfoCtx *c)
{
    static const char *const members[] = { "id", "name", "pretty-name", "version", "version-id",
                                            "machine", "variant", "variant-id", "kernel-release",
                                            "kernel-version" };
    g_autoptr(VkJson) os = NULL;
    int rc = query(c, "guest-get-osinfo", &os);

    for (guint i = 0; rc > 0 && i < G_N_ELEMENTS(members); i++) {
        g_autofree char *name = g_strdup_printf("os.%s", members[i]);
        add_string_member(c, os, members[i], name);
    }
    return rc;
}

static int
add_timezone(InfoCtx *c)
{
    g_autoptr(VkJson) tz = NULL;
    int rc = query(c, "guest-get-timezone", &tz);

    if (rc <= 0)
        return rc;
    add_string_member(c, tz, "zone", "timezone.name");
    vk_typed_params_add_int(c->params, (int) vk_json_object_get_int(tz, "offset", 0),
                            "timezone.offset");
    return 1;
}

static int
add_hostname(InfoCtx *c)
{
    g_autoptr(VkJson) host = NULL;
    int rc = query(c, "guest-get-host-name", &host);

    if (rc > 0)
        add_string_member(c, host, "host-name", "hostname");
    return rc;
}

static void
add_fs_disks(InfoCtx *c, const VkJson *disks, guint fs)
{
    guint n = vk_json_array_length(disks);

    vk_typed_params_add_uint(c->params, n, "fs.%u.disk.count", fs);
    for (guint i = 0; i < n; i++) {
        VkJson *d = vk_json_array_get(disks, i);
        const char *alias = vk_qemu_agent_disk_target(c->obj->def, d);
        g_autofree char *serial = g_strdup_printf("fs.%u.disk.%u.serial", fs, i);
        g_autofree char *device = g_strdup_printf("fs.%u.disk.%u.device", fs, i);
        if (alias)
            vk_typed_params_add_string(c->params, alias, "fs.%u.disk.%u.alias", fs, i);
        add_string_member(c, d, "serial", serial);
        add_string_member(c, d, "dev", device);
    }
}

static int
add_filesystems(InfoCtx *c)
{
    g_autoptr(VkJson) list = NULL;
    int rc = query(c, "guest-get-fsinfo", &list);

    if (rc <= 0)
        return rc;
    guint n = vk_json_array_length(list);
    vk_typed_params_add_uint(c->params, n, "fs.count");
    for (guint i = 0; i < n; i++) {
        /* the agent lists the last mounted first: libvirt turns it round */
        VkJson *fs = vk_json_array_get(list, n - 1 - i);
        const char *keys[][2] = { { "name", "name" }, { "mountpoint", "mountpoint" },
                                  { "type", "fstype" } };
        for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
            g_autofree char *name = g_strdup_printf("fs.%u.%s", i, keys[k][1]);
            add_string_member(c, fs, keys[k][0], name);
        }
        if (vk_json_object_has(fs, "total-bytes"))
            vk_typed_params_add_ullong(c->params, vk_json_get_uint64(vk_json_object_get(fs, "total-bytes"), 0),
                                       "fs.%u.total-bytes", i);
        if (vk_json_object_has(fs, "used-bytes"))
            vk_typed_params_add_ullong(c->params, vk_json_get_uint64(vk_json_object_get(fs, "used-bytes"), 0),
                                       "fs.%u.used-bytes", i);
        add_fs_disks(c, vk_json_object_get_array(fs, "disk"), i);
    }
    return 1;
}

static void
add_disk(InfoCtx *c, const VkJson *d, guint i)
{
    VkJson *deps = vk_json_object_get_array(d, "dependencies");
    VkJson *addr = vk_json_object_get_object(d, "address");
    g_autofree char *name = g_strdup_printf("disk.%u.name", i);
    g_autofree char *serial = g_strdup_printf("disk.%u.serial", i);
    g_autofree char *guest_alias = g_strdup_printf("disk.%u.guest_alias", i);

    add_string_member(c, d, "name", name);
    vk_typed_params_add_bool(c->params, vk_json_object_get_bool(d, "partition", FALSE),
                             "disk.%u.partition", i);
    if (vk_json_array_length(deps) > 0) {
        vk_typed_params_add_uint(c->params, vk_json_array_length(deps),
                                 "disk.%u.dependency.count", i);
        for (guint k = 0; k < vk_json_array_length(deps); k++)
            vk_typed_params_add_string(c->params, vk_json_get_string(vk_json_array_get(deps, k)) ?: "",
                                       "disk.%u.dependency.%u.name", i, k);
    }
    if (addr) {
        const char *alias = vk_qemu_agent_disk_target(c->obj->def, addr);
        add_string_member(c, addr, "serial", serial);
        if (alias)
            vk_typed_params_add_string(c->params, alias, "disk.%u.alias", i);
    }
    add_string_member(c, d, "alias", guest_alias);
}

static int
add_disks(InfoCtx *c)
{
    g_autoptr(VkJson) list = NULL;
    int rc = query(c, "guest-get-disks", &list);

    if (rc <= 0)
        return rc;
    vk_typed_params_add_uint(c->params, vk_json_array_length(list), "disk.count");
    for (guint i = 0; i < vk_json_array_length(list); i++)
        add_disk(c, vk_json_array_get(list, i), i);
    return 1;
}

static void
add_interface(InfoCtx *c, const VkJson *iface, guint i)
{
    VkJson *addrs = vk_json_object_get_array(iface, "ip-addresses");
    g_autofree char *name = g_strdup_printf("if.%u.name", i);
    g_autofree char *hwaddr = g_strdup_printf("if.%u.hwaddr", i);

    add_string_member(c, iface, "name", name);
    add_string_member(c, iface, "hardware-address", hwaddr);
    vk_typed_params_add_uint(c->params, vk_json_array_length(addrs), "if.%u.addr.count", i);
    for (guint k = 0; k < vk_json_array_length(addrs); k++) {
        VkJson *a = vk_json_array_get(addrs, k);
        g_autofree char *type = g_strdup_printf("if.%u.addr.%u.type", i, k);
        g_autofree char *ip = g_strdup_printf("if.%u.addr.%u.addr", i, k);
        add_string_member(c, a, "ip-address-type", type);
        add_string_member(c, a, "ip-address", ip);
        vk_typed_params_add_uint(c->params, (unsigned int) vk_json_object_get_int(a, "prefix", 0),
                                 "if.%u.addr.%u.prefix", i, k);
    }
}

static int
add_interfaces(InfoCtx *c)
{
    g_autoptr(VkJson) list = NULL;
    int rc = query(c, "guest-network-get-interfaces", &list);

    if (rc <= 0)
        return rc;
    vk_typed_params_add_uint(c->params, vk_json_array_length(list), "if.count");
    for (guint i = 0; i < vk_json_array_length(list); i++)
        add_interface(c, vk_json_array_get(list, i), i);
    return 1;
}

static int
domain_get_guest_info(VkServerClient *client, void *argsp, void *retp)
{
    static const struct { unsigned int type; int (*add)(InfoCtx *c); } parts[] = {
        { INFO_USERS, add_users }, { INFO_OS, add_os }, { INFO_TIMEZONE, add_timezone },
        { INFO_HOSTNAME, add_hostname }, { INFO_FILESYSTEM, add_filesystems },
        { INFO_DISKS, add_disks }, { INFO_INTERFACES, add_interfaces },
    };
    remote_domain_get_guest_info_args *args = argsp;
    remote_domain_get_guest_info_ret *ret = retp;
    g_autoptr(VkTypedParams) params = vk_typed_params_new();
    InfoCtx c = { .params = params, .report_unsupported = args->types != 0 };

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainGetGuestInfo") < 0)
        return -1;
    if (args->types & ~INFO_ALL)
        return vk_invalid_arg(VIR_FROM_QEMU, "unsupported guest info types 0x%x",
                              args->types & ~INFO_ALL);
    if (!(c.obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    g_autoptr(VkAgent) agent = vk_qemu_agent_get(c.obj);
    if (!agent)
        return vk_qemu_domain_end(c.obj, -1);
    unsigned int types = args->types ? args->types : INFO_ALL;
    for (guint i = 0; i < G_N_ELEMENTS(parts); i++)
        if ((types & parts[i].type) && parts[i].add(&c) < 0)
            return vk_qemu_domain_end(c.obj, -1);
    vk_typed_params_steal(params, &ret->params.params_val, &ret->params.params_len);
    return vk_qemu_domain_end(c.obj, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_GUEST_INFO, domain_get_guest_info },
};

void
vk_qemu_guestinfo_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
