/* Storage Volume: vol-list, vol-create(-as), vol-create-from, vol-clone,
 * vol-delete, vol-wipe, vol-resize, vol-info, vol-dumpxml, vol-path,
 * vol-name, vol-key, vol-pool, vol-upload, vol-download.  Messages, tables
 * and the calls made follow virsh 9.0; upload and download also draw a
 * progress bar when stderr is a terminal (virsh is silent). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/cmd-groups.h"
#include "tools/cmd-storage.h"
#include "tools/file.h"
#include "tools/shell.h"
#include "tools/table.h"

/* The volume the command's VOL_OPT names: by name in the pool POOL_OPT
 * names (when given and POOL_OPT is not NULL), else by key, else by path;
 * NULL after printing virsh's error.  NAME (may be NULL) gets the text. */
static virStorageVolPtr
vol_lookup_by(VkshControl *ctl, const VkshCmd *cmd, const char *vol_opt, const char *pool_opt,
              const char **name)
{
    const char *text = vksh_cmd_opt_string(cmd, vol_opt);
    const char *pool_text = pool_opt ? vksh_cmd_opt_string(cmd, pool_opt) : NULL;
    virStoragePoolPtr pool = NULL;
    virStorageVolPtr vol = NULL;

    if (name)
        *name = text;
    if (pool_text) {
        if (!(pool = vksh_object_lookup(ctl, cmd, &(VkshObjectKind) {
                    .opt = pool_opt, .noun = "pool", .by_uuid = vksh_pool_kind.by_uuid,
                    .by_name = vksh_pool_kind.by_name }, VKSH_BY_UUID | VKSH_BY_NAME, NULL)))
            return NULL;
        if (virStoragePoolIsActive(pool) != 1) {
            vksh_error(ctl, "pool '%s' is not active", pool_text);
            virStoragePoolFree(pool);
            return NULL;
        }
        vol = virStorageVolLookupByName(pool, text);
        virStoragePoolFree(pool);
    }
    if (!vol)
        vol = virStorageVolLookupByKey(ctl->conn, text);
    if (!vol)
        vol = virStorageVolLookupByPath(ctl->conn, text);
    if (!vol && (pool_text || !pool_opt))
        vksh_error(ctl, "failed to get vol '%s'", text);
    else if (!vol)
        vksh_error(ctl, "failed to get vol '%s', specifying --%s might help", text, pool_opt);
    return vol;
}

static virStorageVolPtr
vol_lookup(VkshControl *ctl, const VkshCmd *cmd, const char **name)
{
    return vol_lookup_by(ctl, cmd, "vol", "pool", name);
}

/* virsh's words for a volume's type (virStorageVolType). */
static const char *
type_string(int type)
{
    static const char *const names[] = { "file", "block", "dir", "network", "netdir", "ploop" };

    return type >= 0 && type < (int) G_N_ELEMENTS(names) ? names[type] : "unknown";
}

/* TEXT as an unsigned number for option OPT; false after virsh's error. */
static bool
parse_ull_opt(VkshControl *ctl, const VkshCmd *cmd, const char *opt, unsigned long long *value)
{
    const char *text = vksh_cmd_opt_string(cmd, opt);
    char *end;

    *value = 0;
    if (!text)
        return true;
    errno = 0;
    *value = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end) {
        vksh_error(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                   text, opt);
        return false;
    }
    return true;
}

/* TEXT as a size; false after virsh's "Malformed size" and libvirt's
 * reason when it has one. */
static bool
parse_size(VkshControl *ctl, const char *text, unsigned long long *bytes)
{
    g_autofree char *why = NULL;

    if (vksh_parse_size(text, bytes, &why))
        return true;
    vksh_error(ctl, "Malformed size %s", text);
    if (why)
        vksh_error(ctl, "%s", why);
    return false;
}

/* --- vol-list ------------------------------------------------------------- */

static int
compare_vols(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStorageVolGetName(*(virStorageVolPtr const *) a),
                              virStorageVolGetName(*(virStorageVolPtr const *) b));
}

static void
add_list_row(VkshTable *table, virStorageVolPtr vol, bool details)
{
    char *path = virStorageVolGetPath(vol);
    g_autofree char *capacity = NULL, *allocation = NULL;
    const char *type = "unknown";
    virStorageVolInfo info;

    if (!details) {
        vksh_table_add_row(table, virStorageVolGetName(vol), path ? path : "unknown", NULL);
        free(path);
        return;
    }
    if (virStorageVolGetInfo(vol, &info) != 0) {
        capacity = g_strdup("unknown");
        allocation = g_strdup("unknown");
    } else {
        type = type_string(info.type);
        capacity = vksh_capacity_string(info.capacity);
        allocation = vksh_capacity_string(info.allocation);
    }
    vksh_table_add_row(table, virStorageVolGetName(vol), path ? path : "unknown", type,
                       capacity, allocation, NULL);
    free(path);
}

static bool
cmd_vol_list(VkshControl *ctl, const VkshCmd *cmd)
{
    bool details = vksh_cmd_opt_bool(cmd, "details");
    g_autoptr(VkshTable) table = NULL;
    g_autofree char *text = NULL;
    virStorageVolPtr *vols = NULL;
    virStoragePoolPtr pool;
    int n;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    n = virStoragePoolListAllVolumes(pool, &vols, 0);
    virStoragePoolFree(pool);
    if (n < 0) {
        vksh_error(ctl, "%s", "Failed to list volumes");
        return false;
    }
    qsort(vols, n, sizeof(*vols), compare_vols);
    table = details ? vksh_table_new("Name", "Path", "Type", "Capacity", "Allocation", NULL)
                    : vksh_table_new("Name", "Path", NULL);
    for (int i = 0; i < n; i++) {
        add_list_row(table, vols[i], details);
        virStorageVolFree(vols[i]);
    }
    free(vols);
    text = vksh_table_format(table, !ctl->quiet);
    fputs(text, stdout);
    return true;
}

/* --- creation ------------------------------------------------------------- */

static unsigned int
create_flags(const VkshCmd *cmd)
{
    unsigned int flags = 0;

    if (vksh_cmd_opt_bool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vksh_cmd_opt_bool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (vksh_cmd_opt_bool(cmd, "reflink"))
        flags |= VIR_STORAGE_VOL_CREATE_REFLINK;
    return flags;
}

static bool
cmd_vol_create(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    virStoragePoolPtr pool;
    virStorageVolPtr vol;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    if (!(xml = vksh_file_read(ctl, file))) {
        virStoragePoolFree(pool);
        return false;
    }
    vol = virStorageVolCreateXML(pool, xml, create_flags(cmd));
    virStoragePoolFree(pool);
    if (!vol) {
        vksh_error(ctl, "Failed to create vol from %s", file);
        return false;
    }
    vksh_print_extra(ctl, "Vol %s created from %s\n", virStorageVolGetName(vol), file);
    virStorageVolFree(vol);
    return true;
}

/* The <backingStore> of vol-create-as: the path of the volume --backing-vol
 * names (by name in POOL, key or path); false after printing the error. */
static bool
append_backing(VkshControl *ctl, GString *xml, virStoragePoolPtr pool, const char *backing,
               const char *format)
{
    virStorageVolPtr vol = virStorageVolLookupByName(pool, backing);
    char *path;

    if (!vol)
        vol = virStorageVolLookupByKey(ctl->conn, backing);
    if (!vol)
        vol = virStorageVolLookupByPath(ctl->conn, backing);
    if (!vol) {
        vksh_error(ctl, "failed to get vol '%s'", backing);
        return false;
    }
    path = virStorageVolGetPath(vol);
    virStorageVolFree(vol);
    if (!path)
        return false;
    g_string_append_printf(xml, "  <backingStore>\n    <path>%s</path>\n", path);
    if (format)
        g_string_append_printf(xml, "    <format type='%s'/>\n", format);
    g_string_append(xml, "  </backingStore>\n");
    free(path);
    return true;
}

/* The <volume> document of vol-create-as, as virsh writes it; NULL after
 * printing what is wrong. */
static char *
vol_xml_from_options(VkshControl *ctl, const VkshCmd *cmd, virStoragePoolPtr pool)
{
    const char *capacity_str = vksh_cmd_opt_string(cmd, "capacity");
    const char *allocation_str = vksh_cmd_opt_string(cmd, "allocation");
    const char *format = vksh_cmd_opt_string(cmd, "format");
    const char *backing = vksh_cmd_opt_string(cmd, "backing-vol");
    unsigned long long capacity, allocation = 0;
    g_autoptr(GString) xml = NULL;

    if (!parse_size(ctl, capacity_str, &capacity) ||
        (allocation_str && !parse_size(ctl, allocation_str, &allocation)))
        return NULL;
    xml = g_string_new("<volume>\n");
    g_string_append_printf(xml, "  <name>%s</name>\n  <capacity>%llu</capacity>\n",
                           vksh_cmd_opt_string(cmd, "name"), capacity);
    if (allocation_str)
        g_string_append_printf(xml, "  <allocation>%llu</allocation>\n", allocation);
    if (format)
        g_string_append_printf(xml, "  <target>\n    <format type='%s'/>\n  </target>\n",
                               format);
    if (backing && !append_backing(ctl, xml, pool, backing,
                                   vksh_cmd_opt_string(cmd, "backing-vol-format")))
        return NULL;
    g_string_append(xml, "</volume>\n");
    return g_string_free(g_steal_pointer(&xml), false);
}

static bool
cmd_vol_create_as(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *name = vksh_cmd_opt_string(cmd, "name");
    g_autofree char *xml = NULL;
    virStoragePoolPtr pool;
    virStorageVolPtr vol = NULL;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    if (!(xml = vol_xml_from_options(ctl, cmd, pool))) {
        virStoragePoolFree(pool);
        return false;
    }
    if (vksh_cmd_opt_bool(cmd, "print-xml")) {
        printf("%s", xml);
        virStoragePoolFree(pool);
        return true;
    }
    vol = virStorageVolCreateXML(pool, xml, create_flags(cmd));
    virStoragePoolFree(pool);
    if (!vol) {
        vksh_error(ctl, "Failed to create vol %s", name);
        return false;
    }
    vksh_print_extra(ctl, "Vol %s created\n", name);
    virStorageVolFree(vol);
    return true;
}

static bool
cmd_vol_create_from(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    virStorageVolPtr input = NULL, vol = NULL;
    virStoragePoolPtr pool;

    if (!(pool = vksh_pool_lookup(ctl, cmd, NULL)))
        return false;
    if ((input = vol_lookup_by(ctl, cmd, "vol", "inputpool", NULL)) &&
        (xml = vksh_file_read(ctl, file)) &&
        !(vol = virStorageVolCreateXMLFrom(pool, xml, input, create_flags(cmd))))
        vksh_error(ctl, "Failed to create vol from %s", file);
    if (vol)
        vksh_print_extra(ctl, "Vol %s created from input vol %s\n", virStorageVolGetName(vol),
                         virStorageVolGetName(input));
    virStoragePoolFree(pool);
    if (input)
        virStorageVolFree(input);
    if (!vol)
        return false;
    virStorageVolFree(vol);
    return true;
}

/* XML with the text of its first <name> element replaced by NAME, as
 * virsh's clone does. */
static char *
rename_volume_xml(const char *xml, const char *name)
{
    const char *start = strstr(xml, "<name>");
    const char *end = start ? strstr(start, "</name>") : NULL;
    g_autofree char *escaped = g_markup_escape_text(name, -1);

    if (!end)
        return g_strdup(xml);
    start += strlen("<name>");
    return g_strdup_printf("%.*s%s%s", (int) (start - xml), xml, escaped, end);
}

static bool
cmd_vol_clone(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *newname = vksh_cmd_opt_string(cmd, "newname");
    g_autofree char *newxml = NULL;
    virStorageVolPtr orig, vol = NULL;
    virStoragePoolPtr pool = NULL;
    char *xml = NULL;

    if (!(orig = vol_lookup(ctl, cmd, NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(orig)))
        vksh_error(ctl, "%s", "failed to get parent pool");
    else if ((xml = virStorageVolGetXMLDesc(orig, 0))) {
        newxml = rename_volume_xml(xml, newname);
        if (!(vol = virStorageVolCreateXMLFrom(pool, newxml, orig, create_flags(cmd))))
            vksh_error(ctl, "Failed to clone vol from %s", virStorageVolGetName(orig));
        else
            vksh_print_extra(ctl, "Vol %s cloned from %s\n", newname,
                             virStorageVolGetName(orig));
    }
    free(xml);
    if (pool)
        virStoragePoolFree(pool);
    virStorageVolFree(orig);
    if (!vol)
        return false;
    virStorageVolFree(vol);
    return true;
}

/* --- changes -------------------------------------------------------------- */

static bool
cmd_vol_delete(VkshControl *ctl, const VkshCmd *cmd)
{
    unsigned int flags = vksh_cmd_opt_bool(cmd, "delete-snapshots")
                             ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;
    const char *name;
    virStorageVolPtr vol;
    int rc;

    if (!(vol = vol_lookup(ctl, cmd, &name)))
        return false;
    rc = virStorageVolDelete(vol, flags);
    virStorageVolFree(vol);
    if (rc < 0) {
        vksh_error(ctl, "Failed to delete vol %s", name);
        return false;
    }
    vksh_print_extra(ctl, "Vol %s deleted\n", name);
    return true;
}

/* virsh's names of the wipe algorithms (virStorageVolWipeAlgorithm). */
static const char *const wipe_algorithms[] = {
    "zero", "nnsa", "dod", "bsi", "gutmann", "schneier", "pfitzner7", "pfitzner33", "random",
    "trim",
};

static bool
cmd_vol_wipe(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *algorithm = vksh_cmd_opt_string(cmd, "algorithm");
    unsigned int alg = 0;
    const char *name;
    virStorageVolPtr vol;
    int rc;

    if (!(vol = vol_lookup(ctl, cmd, &name)))
        return false;
    if (algorithm) {
        for (alg = 0; alg < G_N_ELEMENTS(wipe_algorithms); alg++) {
            if (strcmp(wipe_algorithms[alg], algorithm) == 0)
                break;
        }
        if (alg == G_N_ELEMENTS(wipe_algorithms)) {
            vksh_error(ctl, "Unsupported algorithm '%s'", algorithm);
            virStorageVolFree(vol);
            return false;
        }
    }
    /* as virsh: zero (the default) is a plain wipe */
    rc = algorithm && alg != 0 ? virStorageVolWipePattern(vol, alg, 0) : virStorageVolWipe(vol, 0);
    virStorageVolFree(vol);
    if (rc < 0) {
        vksh_error(ctl, "Failed to wipe vol %s", name);
        return false;
    }
    vksh_print_extra(ctl, "Vol %s wiped\n", name);
    return true;
}

static bool
cmd_vol_resize(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *capacity_str = vksh_cmd_opt_string(cmd, "capacity");
    bool delta = vksh_cmd_opt_bool(cmd, "delta");
    unsigned long long capacity;
    unsigned int flags = 0;
    virStorageVolPtr vol;
    bool ok = false;

    if (vksh_cmd_opt_bool(cmd, "allocate"))
        flags |= VIR_STORAGE_VOL_RESIZE_ALLOCATE;
    if (delta)
        flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
    if (vksh_cmd_opt_bool(cmd, "shrink"))
        flags |= VIR_STORAGE_VOL_RESIZE_SHRINK;
    if (!(vol = vol_lookup(ctl, cmd, NULL)))
        return false;
    while (g_ascii_isspace(*capacity_str))
        capacity_str++;
    /* a negative size is allowed with --shrink, for convenience */
    if (*capacity_str == '-' && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK))
        vksh_error(ctl, "%s", "negative size requires --shrink");
    else if (!parse_size(ctl, capacity_str + (*capacity_str == '-'), &capacity))
        ;
    else if (virStorageVolResize(vol, capacity, flags) < 0)
        vksh_error(ctl, "Failed to change size of volume '%s' %s %s", virStorageVolGetName(vol),
                   delta ? "by" : "to", capacity_str + (*capacity_str == '-'));
    else
        ok = true;
    if (ok)
        vksh_print_extra(ctl, "Size of volume '%s' successfully changed %s %s\n",
                         virStorageVolGetName(vol), delta ? "by" : "to",
                         capacity_str + (*capacity_str == '-'));
    virStorageVolFree(vol);
    return ok;
}

/* --- questions ------------------------------------------------------------ */

/* vol-info's sizes: "N bytes", or for people. */
static void
print_size(const char *label, unsigned long long bytes, bool raw)
{
    g_autofree char *text = raw ? g_strdup_printf("%llu bytes", bytes)
                                : vksh_capacity_string(bytes);

    printf("%-15s %s\n", label, text);
}

static bool
cmd_vol_info(VkshControl *ctl, const VkshCmd *cmd)
{
    bool bytes = vksh_cmd_opt_bool(cmd, "bytes");
    bool physical = vksh_cmd_opt_bool(cmd, "physical");
    virStorageVolInfo info;
    virStorageVolPtr vol;
    int rc;

    if (!(vol = vol_lookup(ctl, cmd, NULL)))
        return false;
    printf("%-15s %s\n", "Name:", virStorageVolGetName(vol));
    rc = physical ? virStorageVolGetInfoFlags(vol, &info, VIR_STORAGE_VOL_GET_PHYSICAL)
                  : virStorageVolGetInfo(vol, &info);
    if (rc == 0) {
        printf("%-15s %s\n", "Type:", type_string(info.type));
        print_size("Capacity:", info.capacity, bytes);
        print_size(physical ? "Physical:" : "Allocation:", info.allocation, bytes);
    }
    virStorageVolFree(vol);
    return rc == 0;
}

static bool
cmd_vol_dumpxml(VkshControl *ctl, const VkshCmd *cmd)
{
    virStorageVolPtr vol;
    char *xml;

    if (!(vol = vol_lookup(ctl, cmd, NULL)))
        return false;
    xml = virStorageVolGetXMLDesc(vol, 0);
    virStorageVolFree(vol);
    return vksh_print_result(xml, false);
}

static bool
cmd_vol_path(VkshControl *ctl, const VkshCmd *cmd)
{
    virStorageVolPtr vol;
    char *path;

    if (!(vol = vol_lookup(ctl, cmd, NULL)))
        return false;
    path = virStorageVolGetPath(vol);
    virStorageVolFree(vol);
    return vksh_print_result(path, true);
}

static bool
cmd_vol_name(VkshControl *ctl, const VkshCmd *cmd)
{
    virStorageVolPtr vol;

    if (!(vol = vol_lookup_by(ctl, cmd, "vol", NULL, NULL)))
        return false;
    printf("%s\n", virStorageVolGetName(vol));
    virStorageVolFree(vol);
    return true;
}

static bool
cmd_vol_key(VkshControl *ctl, const VkshCmd *cmd)
{
    virStorageVolPtr vol;

    if (!(vol = vol_lookup(ctl, cmd, NULL)))
        return false;
    printf("%s\n", virStorageVolGetKey(vol));
    virStorageVolFree(vol);
    return true;
}

static bool
cmd_vol_pool(VkshControl *ctl, const VkshCmd *cmd)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    virStoragePoolPtr pool;
    virStorageVolPtr vol;

    if (!(vol = vol_lookup_by(ctl, cmd, "vol", NULL, NULL)))
        return false;
    pool = virStoragePoolLookupByVolume(vol);
    virStorageVolFree(vol);
    if (!pool) {
        vksh_error(ctl, "%s", "failed to get parent pool");
        return false;
    }
    if (!vksh_cmd_opt_bool(cmd, "uuid"))
        printf("%s\n", virStoragePoolGetName(pool));
    else if (virStoragePoolGetUUIDString(pool, uuid) == 0)
        printf("%s\n", uuid);
    virStoragePoolFree(pool);
    return true;
}

/* --- the data ------------------------------------------------------------- */

/* One transfer between a file and a stream. */
typedef struct {
    int fd;
    unsigned long long done;    /* bytes moved, holes counted */
    unsigned long long total;   /* what is expected, 0 when unknown */
    bool progress;              /* draw the bar */
} Transfer;

/* Draw the progress bar on stderr: "[=====     ]  50 %". */
static void
show_progress(Transfer *t, bool last)
{
    int percent, width = 40, filled;

    if (!t->progress)
        return;
    percent = t->total ? (int) MIN(100, t->done * 100 / t->total) : (last ? 100 : 0);
    filled = percent * width / 100;
    fprintf(stderr, "\r[%.*s%*s] %3d %%", filled,
            "========================================", width - filled, "", percent);
    if (last)
        fputc('\n', stderr);
    fflush(stderr);
}

/* N bytes (or a hole of N) moved, when N is positive: counted and shown.
 * N passed through. */
static ssize_t
moved(Transfer *t, ssize_t n)
{
    if (n > 0) {
        t->done += n;
        show_progress(t, false);
    }
    return n;
}

static int
source(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    Transfer *t = opaque;
    ssize_t n;

    while ((n = read(t->fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return moved(t, n);
}

/* Sparse upload: where the file is, data or hole, and how far that goes
 * (SEEK_DATA / SEEK_HOLE); at the end, no data and no length. */
static int
source_in_data(virStreamPtr st, int *in_data, long long *length, void *opaque)
{
    Transfer *t = opaque;
    off_t cur = lseek(t->fd, 0, SEEK_CUR);
    off_t end = lseek(t->fd, 0, SEEK_END);
    off_t data, hole;

    if (cur < 0 || end < 0)
        return -1;
    data = lseek(t->fd, cur, SEEK_DATA);
    if (cur >= end) {
        *in_data = 0;
        *length = 0;
    } else if (data < 0 || data > cur) {
        /* in a hole up to the next data, or to the end */
        *in_data = 0;
        *length = (data < 0 ? end : data) - cur;
    } else {
        hole = lseek(t->fd, cur, SEEK_HOLE);
        *in_data = 1;
        *length = (hole < 0 ? end : hole) - cur;
    }
    return lseek(t->fd, cur, SEEK_SET) < 0 ? -1 : 0;
}

static int
source_skip(virStreamPtr st, long long length, void *opaque)
{
    Transfer *t = opaque;

    if (lseek(t->fd, length, SEEK_CUR) < 0)
        return -1;
    moved(t, length);
    return 0;
}

static int
sink(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    Transfer *t = opaque;
    ssize_t n;

    while ((n = write(t->fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return moved(t, n);
}

/* Sparse download: a hole grows the file without writing. */
static int
sink_hole(virStreamPtr st, long long length, void *opaque)
{
    Transfer *t = opaque;
    off_t pos = lseek(t->fd, length, SEEK_CUR);

    if (pos < 0 || ftruncate(t->fd, pos) < 0)
        return -1;
    moved(t, length);
    return 0;
}

/* What a transfer of the volume VOL from OFFSET for LENGTH (0: to the end)
 * is expected to move, for the progress bar. */
static unsigned long long
expected_bytes(virStorageVolPtr vol, unsigned long long offset, unsigned long long length,
               unsigned long long file_size)
{
    virStorageVolInfo info;

    if (file_size)
        return length ? MIN(length, file_size) : file_size;
    if (virStorageVolGetInfo(vol, &info) < 0) {
        vksh_reset_error();
        return length;
    }
    if (offset >= info.capacity)
        return 0;
    return length ? MIN(length, info.capacity - offset) : info.capacity - offset;
}

/* The end of a transfer: close the file (an error aborts the stream), then
 * finish the stream.  False after printing what failed. */
static bool
end_transfer(VkshControl *ctl, virStreamPtr st, Transfer *t, const char *file,
             const char *name)
{
    int rc = close(t->fd);

    t->fd = -1;
    if (rc < 0) {
        vksh_error(ctl, "cannot close file %s", file);
        virStreamAbort(st);
        return false;
    }
    if (virStreamFinish(st) < 0) {
        vksh_error(ctl, "cannot close volume %s", name);
        return false;
    }
    show_progress(t, true);
    return true;
}

/* What vol-upload and vol-download share: the volume (NAME: as given),
 * --offset, --length, and a new stream; false after printing what
 * failed. */
static bool
begin_transfer(VkshControl *ctl, const VkshCmd *cmd, virStorageVolPtr *vol, const char **name,
               unsigned long long *offset, unsigned long long *length, virStreamPtr *st)
{
    *st = NULL;
    if (!(*vol = vol_lookup(ctl, cmd, name)))
        return false;
    if (!parse_ull_opt(ctl, cmd, "offset", offset) ||
        !parse_ull_opt(ctl, cmd, "length", length))
        return false;
    if (!(*st = virStreamNew(ctl->conn, 0))) {
        vksh_error(ctl, "%s", "cannot create a new stream");
        return false;
    }
    return true;
}

/* ... and what they leave. */
static bool
done_transfer(virStorageVolPtr vol, virStreamPtr st, Transfer *t, bool ok)
{
    if (t->fd >= 0)
        close(t->fd);
    if (st)
        virStreamFree(st);
    if (vol)
        virStorageVolFree(vol);
    return ok;
}

static bool
cmd_vol_upload(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    bool sparse = vksh_cmd_opt_bool(cmd, "sparse");
    Transfer t = { .fd = -1, .progress = isatty(STDERR_FILENO) };
    unsigned long long offset, length;
    virStreamPtr st;
    virStorageVolPtr vol;
    const char *name;
    struct stat sb;
    int rc;

    if (!begin_transfer(ctl, cmd, &vol, &name, &offset, &length, &st))
        return done_transfer(vol, st, &t, false);
    if ((t.fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
        vksh_error(ctl, "cannot read %s", file);
        return done_transfer(vol, st, &t, false);
    }
    t.total = fstat(t.fd, &sb) == 0 ? expected_bytes(vol, offset, length, sb.st_size) : 0;
    if (virStorageVolUpload(vol, st, offset, length,
                            sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0) < 0) {
        vksh_error(ctl, "cannot upload to volume %s", name);
        return done_transfer(vol, st, &t, false);
    }
    rc = sparse ? virStreamSparseSendAll(st, source, source_in_data, source_skip, &t)
                : virStreamSendAll(st, source, &t);
    if (rc < 0) {
        vksh_error(ctl, "cannot send data to volume %s", name);
        return done_transfer(vol, st, &t, false);
    }
    return done_transfer(vol, st, &t, end_transfer(ctl, st, &t, file, name));
}

/* Open FILE for a download as virsh does: created, or else truncated.
 * CREATED tells which. */
static int
open_download(const char *file, bool *created)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

    *created = fd >= 0;
    if (fd < 0 && errno == EEXIST)
        fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC, 0666);
    return fd;
}

/* The data of the volume into the open file T->fd; false after printing
 * what failed. */
static bool
download(VkshControl *ctl, virStorageVolPtr vol, virStreamPtr st, Transfer *t,
         unsigned long long offset, unsigned long long length, bool sparse, const char *name)
{
    t->total = expected_bytes(vol, offset, length, 0);
    if (virStorageVolDownload(vol, st, offset, length,
                              sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0) < 0) {
        vksh_error(ctl, "cannot download from volume %s", name);
        return false;
    }
    if ((sparse ? virStreamSparseRecvAll(st, sink, sink_hole, t)
                : virStreamRecvAll(st, sink, t)) < 0) {
        vksh_error(ctl, "cannot receive data from volume %s", name);
        return false;
    }
    return true;
}

static bool
cmd_vol_download(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *file = vksh_cmd_opt_string(cmd, "file");
    Transfer t = { .fd = -1, .progress = isatty(STDERR_FILENO) };
    unsigned long long offset, length;
    virStreamPtr st;
    virStorageVolPtr vol;
    bool created = false;
    const char *name;
    bool ok;

    if (!begin_transfer(ctl, cmd, &vol, &name, &offset, &length, &st))
        return done_transfer(vol, st, &t, false);
    if ((t.fd = open_download(file, &created)) < 0) {
        vksh_error(ctl, "cannot create %s", file);
        return done_transfer(vol, st, &t, false);
    }
    ok = download(ctl, vol, st, &t, offset, length, vksh_cmd_opt_bool(cmd, "sparse"), name) &&
         end_transfer(ctl, st, &t, file, name);
    if (!ok && created)
        unlink(file);
    return done_transfer(vol, st, &t, ok);
}

/* --- the table ------------------------------------------------------------ */

#define VOL_OPTS(help) \
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, help }, \
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" }

static const VkshOptDef vol_opts[] = {
    VOL_OPTS("vol name, key or path"),
    { NULL },
};

static const VkshOptDef key_path_opts[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "volume key or path" },
    { NULL },
};

static const VkshOptDef vol_pool_opts[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "volume key or path" },
    { "uuid", VKSH_OT_BOOL, 0, "return the pool uuid rather than pool name" },
    { NULL },
};

static const VkshOptDef list_opts[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "pool name or uuid" },
    { "details", VKSH_OT_BOOL, 0, "display extended details for volumes" },
    { NULL },
};

#define PREALLOC_OPT \
    { "prealloc-metadata", VKSH_OT_BOOL, 0, \
      "preallocate metadata (for qcow2 instead of full allocation)" }

static const VkshOptDef create_opts[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "pool name" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML vol description" },
    PREALLOC_OPT,
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VkshOptDef create_as_opts[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "pool name" },
    { "name", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "name of the volume" },
    { "capacity", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VKSH_OT_STRING, 0,
      "initial allocation size, as scaled integer (default bytes)" },
    { "format", VKSH_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    { "backing-vol", VKSH_OT_STRING, 0, "the backing volume if taking a snapshot" },
    { "backing-vol-format", VKSH_OT_STRING, 0, "format of backing volume if taking a snapshot" },
    PREALLOC_OPT,
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document, but don't define/create" },
    { NULL },
};

static const VkshOptDef create_from_opts[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "pool name or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "file containing an XML vol description" },
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "input vol name or key" },
    { "inputpool", VKSH_OT_STRING, 0, "pool name or uuid of the input volume's pool" },
    PREALLOC_OPT,
    { "reflink", VKSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VkshOptDef clone_opts[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "vol name, key or path" },
    { "newname", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, "clone name" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    PREALLOC_OPT,
    { "reflink", VKSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { NULL },
};

static const VkshOptDef delete_opts[] = {
    VOL_OPTS("vol name, key or path"),
    { "delete-snapshots", VKSH_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL },
};

static const VkshOptDef wipe_opts[] = {
    VOL_OPTS("vol name, key or path"),
    { "algorithm", VKSH_OT_STRING, 0, "perform selected wiping algorithm" },
    { NULL },
};

static const VkshOptDef resize_opts[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "vol name, key or path" },
    { "capacity", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL,
      "new capacity for the vol, as scaled integer (default bytes)" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "allocate", VKSH_OT_BOOL, 0, "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VKSH_OT_BOOL, 0, "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VKSH_OT_BOOL, 0, "allow the resize to shrink the volume" },
    { NULL },
};

static const VkshOptDef info_opts[] = {
    VOL_OPTS("vol name, key or path"),
    { "bytes", VKSH_OT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    { "physical", VKSH_OT_BOOL, 0, "return the physical size of the volume in allocation field" },
    { NULL },
};

#define TRANSFER_OPTS(file_help) \
    VOL_OPTS("vol name, key or path"), \
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQUIRED | VKSH_OFLAG_POSITIONAL, file_help }, \
    { "offset", VKSH_OT_STRING, 0, "volume offset to upload to" }, \
    { "length", VKSH_OT_STRING, 0, "amount of data to upload" }, \
    { "sparse", VKSH_OT_BOOL, 0, "preserve sparseness of volume" }

static const VkshOptDef upload_opts[] = {
    TRANSFER_OPTS("file"),
    { NULL },
};

static const VkshOptDef download_opts[] = {
    TRANSFER_OPTS("file"),
    { NULL },
};

const VkshCmdDef vksh_storage_vol_cmds[] = {
    { "vol-clone", cmd_vol_clone, clone_opts, "clone a volume.",
      "Clone an existing volume within the parent pool.", 0 },
    { "vol-create-as", cmd_vol_create_as, create_as_opts, "create a volume from a set of args",
      "Create a vol.", 0 },
    { "vol-create", cmd_vol_create, create_opts, "create a vol from an XML file",
      "Create a vol.", 0 },
    { "vol-create-from", cmd_vol_create_from, create_from_opts,
      "create a vol, using another volume as input", "Create a vol from an existing volume.",
      0 },
    { "vol-delete", cmd_vol_delete, delete_opts, "delete a vol", "Delete a given vol.", 0 },
    { "vol-download", cmd_vol_download, download_opts, "download volume contents to a file",
      "Download the contents of a volume to a file.", 0 },
    { "vol-dumpxml", cmd_vol_dumpxml, vol_opts, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", cmd_vol_info, info_opts, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-key", cmd_vol_key, vol_opts, "returns the volume key for a given volume name or path",
      "", 0 },
    { "vol-list", cmd_vol_list, list_opts, "list vols", "Returns list of vols by pool.", 0 },
    { "vol-name", cmd_vol_name, key_path_opts,
      "returns the volume name for a given volume key or path", "", 0 },
    { "vol-path", cmd_vol_path, vol_opts, "returns the volume path for a given volume name or key",
      "", 0 },
    { "vol-pool", cmd_vol_pool, vol_pool_opts,
      "returns the storage pool for a given volume key or path", "", 0 },
    { "vol-resize", cmd_vol_resize, resize_opts, "resize a vol",
      "Resizes a storage volume. This is safe only for storage volumes not in use by an active "
      "guest.\nSee blockresize for live resizing.", 0 },
    { "vol-upload", cmd_vol_upload, upload_opts, "upload file contents to a volume",
      "Upload the contents of a file to a volume.", 0 },
    { "vol-wipe", cmd_vol_wipe, wipe_opts, "wipe a vol",
      "Ensure data previously on a volume is not accessible to future reads.", 0 },
    { NULL },
};
