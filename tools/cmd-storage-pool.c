/* Storage Pool: pool-list, pool-define(-as), pool-create(-as), pool-build,
 * pool-start, pool-destroy, pool-delete, pool-undefine, pool-refresh,
 * pool-info, pool-dumpxml, pool-autostart, pool-name, pool-uuid,
 * pool-capabilities, find-storage-pool-sources(-as).  Messages, tables and
 * the calls made follow virsh 9.0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cmd-groups.h"
#include "tools/cmd-storage.h"
#include "tools/file.h"
#include "tools/object.h"
#include "tools/shell.h"
#include "tools/table.h"

static int
pool_destroy(void *pool, unsigned int flags)
{
    return virStoragePoolDestroy(pool);
}

static int
pool_undefine(void *pool, unsigned int flags)
{
    return virStoragePoolUndefine(pool);
}

const VkshObjectKind vksh_pool_kind = {
    .opt = "pool",
    .noun = "pool",
    .title = "Pool",
    .by_uuid = VKSH_OBJECT_CALL(virStoragePoolLookupByUUIDString),
    .by_name = VKSH_OBJECT_CALL(virStoragePoolLookupByName),
    .get_name = VKSH_OBJECT_CALL(virStoragePoolGetName),
    .get_uuid_string = VKSH_OBJECT_CALL(virStoragePoolGetUUIDString),
    .set_autostart = VKSH_OBJECT_CALL(virStoragePoolSetAutostart),
    .free = VKSH_OBJECT_CALL(virStoragePoolFree),
};

virStoragePoolPtr
vksh_pool_lookup(VkshControl *ctl, const VkshCmd *cmd, const char **name)
{
    return vksh_object_lookup(ctl, cmd, &vksh_pool_kind, VKSH_BY_UUID | VKSH_BY_NAME, name);
}

/* virsh's words for a pool's state (virStoragePoolState). */
static const char *
state_string(int state)
{
    static const char *const names[] = { "inactive", "building", "running", "degraded",
                                         "inaccessible" };

    return state >= 0 && state < (int) G_N_ELEMENTS(names) ? names[state] : "unknown";
}

char *
vksh_capacity_string(unsigned long long bytes)
{
    const char *unit;
    double value = vksh_pretty_capacity(bytes, &unit);

    return g_strdup_printf("%.2lf %s", value, unit);
}

/* --- pool-list ------------------------------------------------------------ */

/* The pool types virsh knows, in the order of their list flags
 * (VIR_CONNECT_LIST_STORAGE_POOLS_DIR onwards). */
static const char *const pool_types[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi", "mpath", "rbd", "sheepdog",
    "gluster", "zfs", "vstorage", "iscsi-direct",
};

/* The list flags for --type's comma-separated TYPES; false after printing
 * the one virsh does not know. */
static bool
type_flags(VkshControl *ctl, const char *types, unsigned int *flags)
{
    g_auto(GStrv) list = g_strsplit(types, ",", -1);

    for (char **t = list; *t; t++) {
        gsize i;

        if (!**t)
            continue;
        for (i = 0; i < G_N_ELEMENTS(pool_types) && strcmp(pool_types[i], *t) != 0; i++)
            ;
        if (i == G_N_ELEMENTS(pool_types)) {
            vksh_error(ctl, "Invalid pool type '%s'", *t);
            return false;
        }
        *flags |= VIR_CONNECT_LIST_STORAGE_POOLS_DIR << i;
    }
    return true;
}

static const struct {
    const char *opt;
    unsigned int flag;
} list_filters[] = {
    { "autostart", VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART },
    { "persistent", VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT },
};

/* What pool-list's options ask for; false after printing what is wrong. */
static bool
list_flags(VkshControl *ctl, const VkshCmd *cmd, unsigned int *flags)
{
    const char *types = vksh_cmd_opt_string(cmd, "type");

    if (!vksh_exclusive(ctl, cmd, "all", "inactive") ||
        !vksh_exclusive(ctl, cmd, "details", "uuid") ||
        !vksh_exclusive(ctl, cmd, "details", "name"))
        return false;
    *flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
    if (vksh_cmd_opt_bool(cmd, "inactive"))
        *flags = VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    if (vksh_cmd_opt_bool(cmd, "all"))
        *flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
    for (gsize i = 0; i < G_N_ELEMENTS(list_filters); i++) {
        if (vksh_cmd_opt_bool(cmd, list_filters[i].opt))
            *flags |= list_filters[i].flag;
    }
    return !types || type_flags(ctl, types, flags);
}

static int
compare_pools(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStoragePoolGetName(*(virStoragePoolPtr const *) a),
                              virStoragePoolGetName(*(virStoragePoolPtr const *) b));
}

/* POOL's row of the table: virsh's words, its "unknown"s when the info
 * cannot be had; the sizes with --details only. */
static void
add_list_row(VkshControl *ctl, VkshTable *table, virStoragePoolPtr pool, bool details)
{
    const char *name = virStoragePoolGetName(pool);
    g_autofree char *capacity = NULL, *allocation = NULL, *available = NULL;
    const char *autostart_str, *state, *persistent_str = NULL;
    virStoragePoolInfo info;
    int autostart = 0;

    if (virStoragePoolGetAutostart(pool, &autostart) < 0)
        autostart_str = "no autostart";
    else
        autostart_str = autostart ? "yes" : "no";
    if (details) {
        int persistent = virStoragePoolIsPersistent(pool);

        persistent_str = persistent < 0 ? "unknown" : persistent ? "yes" : "no";
    }
    if (virStoragePoolGetInfo(pool, &info) != 0) {
        vksh_error(ctl, "%s", "Could not retrieve pool information");
        state = "unknown";
        capacity = g_strdup("unknown");
        allocation = g_strdup("unknown");
        available = g_strdup("unknown");
    } else if (!details) {
        state = virStoragePoolIsActive(pool) ? "active" : "inactive";
    } else {
        state = state_string(info.state);
        if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
            capacity = vksh_capacity_string(info.capacity);
            allocation = vksh_capacity_string(info.allocation);
            available = vksh_capacity_string(info.available);
        } else {
            capacity = g_strdup("-");
            allocation = g_strdup("-");
            available = g_strdup("-");
        }
    }
    if (details)
        vksh_table_add_row(table, name, state, autostart_str, persistent_str, capacity,
                           allocation, available, NULL);
    else
        vksh_table_add_row(table, name, state, autostart_str, NULL);
}

/* pool-list --uuid and/or --name: one line each, padded as virsh pads. */
static void
print_ids(virStoragePoolPtr pool, bool with_uuid, bool with_name)
{
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (with_uuid && virStoragePoolGetUUIDString(pool, uuid) == 0)
        printf("%-36s%c", uuid, with_name ? ' ' : '\n');
    if (with_name)
        printf("%-20s\n", virStoragePoolGetName(pool));
}

static bool
cmd_pool_list(VkshControl *ctl, const VkshCmd *cmd)
{
    bool details = vksh_cmd_opt_bool(cmd, "details");
    bool with_uuid = vksh_cmd_opt_bool(cmd, "uuid");
    bool with_name = vksh_cmd_opt_bool(cmd, "name");
    g_autoptr(VkshTable) table = NULL;
    virStoragePoolPtr *pools = NULL;
    unsigned int flags;
    int n;

    if (!list_flags(ctl, cmd, &flags))
        return false;
    if ((n = virConnectListAllStoragePools(ctl->conn, &pools, flags)) < 0) {
        vksh_error(ctl, "%s", "Failed to list pools");
        return false;
    }
    qsort(pools, n, sizeof(*pools), compare_pools);
    if (details)
        table = vksh_table_new("Name", "State", "Autostart", "Persistent", "Capacity",
                               "Allocation", "Available", NULL);
    else if (!with_uuid && !with_name)
        table = vksh_table_new("Name", "State", "Autostart", NULL);
    for (int i = 0; i < n; i++) {
        if (table)
            add_list_row(ctl, table, pools[i], details);
        else
            print_ids(pools[i], with_uuid, with_name);
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    if (table) {
        g_autofree char *text = vksh_table_format(table, !ctl->quiet);
        fputs(text, stdout);
    }
    return true;
}

/* --- definitions ---------------------------------------------------------- */

typedef virStoragePoolPtr (*FromXml)(virConnectPtr conn, const char *xml, unsigned int flags);

/* pool-define and pool-create: the XML of the file. */
static bool
pool_from_file(VkshControl *ctl, const VkshCmd *cmd, FromXml call, unsigned int flags,
               const char *verb, const char *done)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    virStoragePoolPtr pool;

    if (!(xml = vksh_file_read(ctl, file)))
        return false;
    if (!(pool = call(ctl->conn, xml, flags))) {
        vksh_error(ctl, "Failed to %s pool from %s", verb, file);
        return false;
    }
    vksh_print_extra(ctl, "Pool %s %s from %s\n", virStoragePoolGetName(pool), done, file);
    virStoragePoolFree(pool);
    return true;
}

static bool
cmd_pool_define(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "validate") ? VIR_STORAGE_POOL_DEFINE_VALIDATE
                                                            : 0;

    return pool_from_file(ctl, cmd, virStoragePoolDefineXML, flags, "define", "defined");
}

/* --build, --overwrite and --no-overwrite of pool-start and pool-create:
 * the create flags; false after printing what is wrong. */
static bool
create_flags(VkshControl *ctl, const VkshCmd *cmd, unsigned int *flags)
{
    if (!vksh_exclusive(ctl, cmd, "overwrite", "no-overwrite"))
        return false;
    *flags = 0;
    if (vksh_cmd_opt_bool(cmd, "build"))
        *flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
    if (vksh_cmd_opt_bool(cmd, "overwrite"))
        *flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
    if (vksh_cmd_opt_bool(cmd, "no-overwrite"))
        *flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    return true;
}

static bool
cmd_pool_create(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags;

    return create_flags(ctl, cmd, &flags) &&
           pool_from_file(ctl, cmd, virStoragePoolCreateXML, flags, "create", "created");
}

/* The <pool> document of pool-define-as and pool-create-as, as virsh
 * writes it. */
static char *
pool_xml_from_options(const VkshCmd *cmd)
{
    static const struct {
        const char *opt;
        const char *before, *after;   /* the value's element around it */
    } source[] = {
        { "source-host", "<host name='", "'/>" },
        { "source-path", "<dir path='", "'/>" },
        { "source-dev", "<device path='", "'/>" },
        { "source-format", "<format type='", "'/>" },
        { "source-name", "<name>", "</name>" },
    };
    const char *target = vksh_cmd_opt_string(cmd, "target");
    GString *xml = g_string_new(NULL);
    bool any = false;

    g_string_append_printf(xml, "<pool type='%s'>\n  <name>%s</name>\n",
                           vksh_cmd_opt_string(cmd, "type"), vksh_cmd_opt_string(cmd, "name"));
    for (gsize i = 0; i < G_N_ELEMENTS(source); i++) {
        const char *value = vksh_cmd_opt_string(cmd, source[i].opt);

        if (!value)
            continue;
        if (!any)
            g_string_append(xml, "  <source>\n");
        any = true;
        g_string_append_printf(xml, "    %s%s%s\n", source[i].before, value, source[i].after);
    }
    if (any)
        g_string_append(xml, "  </source>\n");
    if (target)
        g_string_append_printf(xml, "  <target>\n    <path>%s</path>\n  </target>\n", target);
    g_string_append(xml, "</pool>\n");
    return g_string_free(xml, false);
}

/* pool-define-as and pool-create-as: the XML printed (--print-xml) or
 * handed to CALL. */
static bool
pool_from_options(VkshControl *ctl, const VkshCmd *cmd, FromXml call, unsigned int flags,
                  const char *verb, const char *done)
{
    const char *name = vksh_cmd_opt_string(cmd, "name");
    g_autofree char *xml = pool_xml_from_options(cmd);
    virStoragePoolPtr pool;

    if (vksh_cmd_opt_bool(cmd, "print-xml")) {
        printf("%s", xml);
        return true;
    }
    if (!(pool = call(ctl->conn, xml, flags))) {
        vksh_error(ctl, "Failed to %s pool %s", verb, name);
        return false;
    }
    vksh_print_extra(ctl, "Pool %s %s\n", name, done);
    virStoragePoolFree(pool);
    return true;
}

static bool
cmd_pool_define_as(VkshControl *ctl, const VkshCmd *cmd)
{
    return pool_from_options(ctl, cmd, virStoragePoolDefineXML, 0, "define", "defined");
}

static bool
cmd_pool_create_as(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags;

    return create_flags(ctl, cmd, &flags) &&
           pool_from_options(ctl, cmd, virStoragePoolCreateXML, flags, "create", "created");
}

/* --- lifecycle ------------------------------------------------------------ */

static bool
cmd_pool_build(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = 0;

    /* both: the daemon says they are exclusive */
    if (vksh_cmd_opt_bool(cmd, "no-overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    if (vksh_cmd_opt_bool(cmd, "overwrite"))
        flags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    return vksh_object_action(ctl, cmd, &vksh_pool_kind,
                              VKSH_OBJECT_CALL(virStoragePoolBuild), flags, "build", "built");
}

static bool
cmd_pool_start(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags;

    return create_flags(ctl, cmd, &flags) &&
           vksh_object_action(ctl, cmd, &vksh_pool_kind,
                              VKSH_OBJECT_CALL(virStoragePoolCreate), flags, "start",
                              "started");
}

static bool
cmd_pool_destroy(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &vksh_pool_kind, pool_destroy, 0, "destroy",
                              "destroyed");
}

static bool
cmd_pool_delete(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &vksh_pool_kind,
                              VKSH_OBJECT_CALL(virStoragePoolDelete), 0, "delete", "deleted");
}

static bool
cmd_pool_undefine(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &vksh_pool_kind, pool_undefine, 0, "undefine",
                              "has been undefined");
}

static bool
cmd_pool_refresh(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_action(ctl, cmd, &vksh_pool_kind,
                              VKSH_OBJECT_CALL(virStoragePoolRefresh), 0, "refresh",
                              "refreshed");
}

static bool
cmd_pool_autostart(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_autostart(ctl, cmd, &vksh_pool_kind);
}

/* --- questions ------------------------------------------------------------ */

/* pool-info's sizes: bytes, or for people. */
static void
print_size(const char *label, unsigned long long bytes, bool raw)
{
    g_autofree char *text = raw ? g_strdup_printf("%llu", bytes) : vksh_capacity_string(bytes);

    printf("%-15s %s\n", label, text);
}

static bool
cmd_pool_info(VkshControl *ctl, const VkshCmd *cmd)
{
    bool bytes = vksh_cmd_opt_bool(cmd, "bytes");
    char uuid[VIR_UUID_STRING_BUFLEN];
    virStoragePoolInfo info;
    virStoragePoolPtr pool;
    int persistent, autostart;
    bool ok = false;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    printf("%-15s %s\n", "Name:", virStoragePoolGetName(pool));
    if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if (virStoragePoolGetInfo(pool, &info) == 0) {
        printf("%-15s %s\n", "State:", state_string(info.state));
        persistent = virStoragePoolIsPersistent(pool);
        printf("%-15s %s\n", "Persistent:",
               persistent < 0 ? "unknown" : persistent ? "yes" : "no");
        if (virStoragePoolGetAutostart(pool, &autostart) < 0)
            printf("%-15s %s\n", "Autostart:", "no autostart");
        else
            printf("%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
        if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
            print_size("Capacity:", info.capacity, bytes);
            print_size("Allocation:", info.allocation, bytes);
            print_size("Available:", info.available, bytes);
        }
        ok = true;
    }
    virStoragePoolFree(pool);
    return ok;
}

static bool
cmd_pool_dumpxml(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "inactive") ? VIR_STORAGE_XML_INACTIVE : 0;
    virStoragePoolPtr pool;
    char *xml;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    xml = virStoragePoolGetXMLDesc(pool, flags);
    virStoragePoolFree(pool);
    return vksh_print_result(xml, false);
}

static bool
cmd_pool_name(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_name(ctl, cmd, &vksh_pool_kind);
}

static bool
cmd_pool_uuid(VkshControl *ctl, const VkshCmd *cmd)
{
    return vksh_object_uuid(ctl, cmd, &vksh_pool_kind);
}

static bool
cmd_pool_capabilities(VkshControl *ctl, const VkshCmd *cmd)
{
    char *caps = virConnectGetStoragePoolCapabilities(ctl->conn, 0);

    if (!caps) {
        vksh_error(ctl, "%s", "failed to get storage pool capabilities");
        return false;
    }
    printf("%s\n", caps);
    free(caps);
    return true;
}

/* find-storage-pool-sources(-as): the sources of TYPE that SPEC (may be
 * NULL) narrows to. */
static bool
find_sources(VkshControl *ctl, const char *type, const char *spec)
{
    char *sources = virConnectFindStoragePoolSources(ctl->conn, type, spec, 0);

    if (!sources) {
        vksh_error(ctl, "%s", "Failed to find any pool sources");
        return false;
    }
    printf("%s", sources);
    free(sources);
    return true;
}

static bool
cmd_find_sources(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "srcSpec");
    g_autofree char *spec = NULL;

    if (file && !(spec = vksh_file_read(ctl, file)))
        return false;
    return find_sources(ctl, vksh_cmd_opt_string(cmd, "type"), spec);
}

static bool
cmd_find_sources_as(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *host = vksh_cmd_opt_string(cmd, "host");
    const char *port = vksh_cmd_opt_string(cmd, "port");
    const char *initiator = vksh_cmd_opt_string(cmd, "initiator");
    g_autoptr(GString) spec = NULL;

    if (host) {
        spec = g_string_new("<source>\n");
        g_string_append_printf(spec, "  <host name='%s'", host);
        if (port)
            g_string_append_printf(spec, " port='%s'", port);
        g_string_append(spec, "/>\n");
        if (initiator)
            g_string_append_printf(spec, "  <initiator>\n    <iqn name='%s'/>\n  </initiator>\n",
                                   initiator);
        g_string_append(spec, "</source>\n");
    }
    return find_sources(ctl, vksh_cmd_opt_string(cmd, "type"), spec ? spec->str : NULL);
}

/* --- the table ------------------------------------------------------------ */

#define POOL_OPT(help) \
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, help }

static const VkshOptDef pool_opts[] = {
    POOL_OPT("pool name or uuid"),
    { NULL },
};

static const VkshOptDef file_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML pool description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

#define CREATE_OPTS \
    { "build", VKSH_OT_BOOL, 0, "build the pool as normal" }, \
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" }, \
    { "no-overwrite", VKSH_OT_BOOL, 0, "do not overwrite any existing data" }

static const VkshOptDef create_opts[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML pool description" },
    CREATE_OPTS,
    { NULL },
};

static const VkshOptDef start_opts[] = {
    POOL_OPT("name or uuid of the inactive pool"),
    CREATE_OPTS,
    { NULL },
};

#define AS_OPTS \
    { "name", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "name of the pool" }, \
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "type of the pool" }, \
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document, but don't define/create" }, \
    { "source-host", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, \
      "source-host for underlying storage" }, \
    { "source-path", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, \
      "source path for underlying storage" }, \
    { "source-dev", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, \
      "source device for underlying storage" }, \
    { "source-name", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, \
      "source name for underlying storage" }, \
    { "target", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, "target for underlying storage" }, \
    { "source-format", VKSH_OT_STRING, 0, "format for underlying storage" }

static const VkshOptDef define_as_opts[] = {
    AS_OPTS,
    { NULL },
};

static const VkshOptDef create_as_opts[] = {
    AS_OPTS,
    CREATE_OPTS,
    { NULL },
};

static const VkshOptDef build_opts[] = {
    POOL_OPT("pool name or uuid"),
    { "no-overwrite", VKSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VKSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static const VkshOptDef list_opts[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive pools" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active pools" },
    { "transient", VKSH_OT_BOOL, 0, "list transient pools" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent pools" },
    { "autostart", VKSH_OT_BOOL, 0, "list pools with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list pools with autostart disabled" },
    { "type", VKSH_OT_STRING, 0, "only list pool of specified type(s) (if supported)" },
    { "details", VKSH_OT_BOOL, 0, "display extended details for pools" },
    { "uuid", VKSH_OT_BOOL, 0, "list UUID of active pools only" },
    { "name", VKSH_OT_BOOL, 0, "list name of active pools only" },
    { NULL },
};

static const VkshOptDef info_opts[] = {
    POOL_OPT("pool name or uuid"),
    { "bytes", VKSH_OT_BOOL, 0, "Reture pool info in bytes" },
    { NULL },
};

static const VkshOptDef dumpxml_opts[] = {
    POOL_OPT("pool name or uuid"),
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { NULL },
};

static const VkshOptDef autostart_opts[] = {
    POOL_OPT("pool name or uuid"),
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static const VkshOptDef find_opts[] = {
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "type of storage pool sources to discover" },
    { "srcSpec", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL,
      "optional file of source xml to query for pools" },
    { NULL },
};

static const VkshOptDef find_as_opts[] = {
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "type of storage pool sources to find" },
    { "host", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, "optional host to query" },
    { "port", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, "optional port to query" },
    { "initiator", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL,
      "optional initiator IQN to use for query" },
    { NULL },
};

const VkshCmdDef vksh_storage_pool_cmds[] = {
    { "find-storage-pool-sources-as", cmd_find_sources_as, find_as_opts,
      "find potential storage pool sources", "Returns XML <sources> document.", 0 },
    { "find-storage-pool-sources", cmd_find_sources, find_opts,
      "discover potential storage pool sources", "Returns XML <sources> document.", 0 },
    { "pool-autostart", cmd_pool_autostart, autostart_opts, "autostart a pool",
      "Configure a pool to be automatically started at boot.", 0 },
    { "pool-build", cmd_pool_build, build_opts, "build a pool", "Build a given pool.", 0 },
    { "pool-capabilities", cmd_pool_capabilities, NULL, "storage pool capabilities",
      "Returns capabilities of storage pool support.", 0 },
    { "pool-create-as", cmd_pool_create_as, create_as_opts, "create a pool from a set of args",
      "Create a pool.", 0 },
    { "pool-create", cmd_pool_create, create_opts, "create a pool from an XML file",
      "Create a pool.", 0 },
    { "pool-define-as", cmd_pool_define_as, define_as_opts, "define a pool from a set of args",
      "Define a pool.", 0 },
    { "pool-define", cmd_pool_define, file_opts,
      "define an inactive persistent storage pool or modify an existing persistent one from "
      "an XML file", "Define or modify a persistent storage pool.", 0 },
    { "pool-delete", cmd_pool_delete, pool_opts, "delete a pool", "Delete a given pool.", 0 },
    { "pool-destroy", cmd_pool_destroy, pool_opts, "destroy (stop) a pool",
      "Forcefully stop a given pool. Raw data in the pool is untouched", 0 },
    { "pool-dumpxml", cmd_pool_dumpxml, dumpxml_opts, "pool information in XML",
      "Output the pool information as an XML dump to stdout.", 0 },
    { "pool-info", cmd_pool_info, info_opts, "storage pool information",
      "Returns basic information about the storage pool.", 0 },
    { "pool-list", cmd_pool_list, list_opts, "list pools", "Returns list of pools.", 0 },
    { "pool-name", cmd_pool_name, pool_opts, "convert a pool UUID to pool name", "", 0 },
    { "pool-refresh", cmd_pool_refresh, pool_opts, "refresh a pool", "Refresh a given pool.", 0 },
    { "pool-start", cmd_pool_start, start_opts, "start a (previously defined) inactive pool",
      "Start a pool.", 0 },
    { "pool-undefine", cmd_pool_undefine, pool_opts, "undefine an inactive pool",
      "Undefine the configuration for an inactive pool.", 0 },
    { "pool-uuid", cmd_pool_uuid, pool_opts, "convert a pool name to pool UUID", "", 0 },
    { NULL },
};
