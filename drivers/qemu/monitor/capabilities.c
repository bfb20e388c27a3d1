/* Probe a QEMU binary over QMP and cache the answer as JSON. */
#include "drivers/qemu/monitor/capabilities.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "common/util/json.h"
#include "drivers/qemu/monitor/qmp.h"

/* Generous: a cold start of QEMU on a loaded 2-core machine. */
#define PROBE_TIMEOUT_MS 30000
#define CACHE_MAX_BYTES (16 * 1024 * 1024)

static gint probe_count;

static void
machine_free(gpointer p)
{
    VkQemuMachine *m = p;
    g_free(m->name);
    g_free(m->alias);
    g_free(m->default_cpu_type);
    g_free(m);
}

static void
cpu_model_free(gpointer p)
{
    VkQemuCpuModel *c = p;
    g_free(c->name);
    g_free(c->type_name);
    g_free(c->alias_of);
    g_strfreev(c->blockers);
    g_free(c);
}

static VkQemuCaps *
caps_new(const char *binary)
{
    VkQemuCaps *caps = g_new0(VkQemuCaps, 1);
    caps->binary = g_strdup(binary);
    caps->machines = g_ptr_array_new_with_free_func(machine_free);
    caps->cpu_models = g_ptr_array_new_with_free_func(cpu_model_free);
    caps->devices = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->host_cpu_features = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->host_cpu_migratable = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->cpu_feature_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return caps;
}

void
vk_qemu_caps_free(VkQemuCaps *caps)
{
    if (!caps)
        return;
    g_free(caps->binary);
    g_free(caps->package);
    g_free(caps->arch);
    g_ptr_array_unref(caps->machines);
    g_ptr_array_unref(caps->cpu_models);
    g_hash_table_unref(caps->devices);
    g_hash_table_unref(caps->host_cpu_features);
    g_hash_table_unref(caps->host_cpu_migratable);
    g_hash_table_unref(caps->cpu_feature_names);
    g_free(caps);
}

guint
vk_qemu_caps_probe_count(void)
{
    return g_atomic_int_get(&probe_count);
}

/* ---- reading QMP answers and cache entries (same member names) ---- */

static const char *
obj_str(const VkJson *o, const char *name)
{
    return vk_json_object_get_string(o, name, NULL);
}

static gint64
obj_int(const VkJson *o, const char *name, gint64 def)
{
    return vk_json_object_get_int(o, name, def);
}

static gboolean
obj_bool(const VkJson *o, const char *name)
{
    return vk_json_object_get_bool(o, name, FALSE);
}

/* query-machines entries; the cache stores them with the same names. */
static void
caps_add_machines(VkQemuCaps *caps, const VkJson *arr)
{
    for (guint i = 0; i < vk_json_array_length(arr); i++) {
        VkJson *o = vk_json_array_get(arr, i);
        if (!obj_str(o, "name"))
            continue;
        VkQemuMachine *m = g_new0(VkQemuMachine, 1);
        m->name = g_strdup(obj_str(o, "name"));
        m->alias = g_strdup(obj_str(o, "alias"));
        m->is_default = obj_bool(o, "is-default");
        m->max_cpus = obj_int(o, "cpu-max", 1);
        m->deprecated = obj_bool(o, "deprecated");
        m->hotplug_cpus = obj_bool(o, "hotpluggable-cpus");
        m->default_cpu_type = g_strdup(obj_str(o, "default-cpu-type"));
        g_ptr_array_add(caps->machines, m);
    }
}

static GStrv
string_array(const VkJson *arr)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    for (guint i = 0; i < vk_json_array_length(arr); i++) {
        const char *name = vk_json_get_string(vk_json_array_get(arr, i));
        if (name)
            g_strv_builder_add(b, name);
    }
    return g_strv_builder_end(b);
}

/* query-cpu-definitions entries: usable when nothing is unavailable.  The
 * cache stores "usable" directly, and the same "unavailable-features". */
static void
caps_add_cpus(VkQemuCaps *caps, const VkJson *arr)
{
    for (guint i = 0; i < vk_json_array_length(arr); i++) {
        VkJson *o = vk_json_array_get(arr, i);
        if (!obj_str(o, "name"))
            continue;
        VkQemuCpuModel *c = g_new0(VkQemuCpuModel, 1);
        c->name = g_strdup(obj_str(o, "name"));
        c->type_name = g_strdup(obj_str(o, "typename"));
        c->alias_of = g_strdup(obj_str(o, "alias-of"));
        c->deprecated = obj_bool(o, "deprecated");
        VkJson *unavail = vk_json_object_get_array(o, "unavailable-features");
        c->blockers = string_array(unavail);
        if (vk_json_object_has(o, "usable"))
            c->usable = obj_bool(o, "usable");
        else
            c->usable = unavail && vk_json_array_length(unavail) == 0;
        g_ptr_array_add(caps->cpu_models, c);
    }
}

static void
add_names(GHashTable *set, const VkJson *arr)
{
    for (guint i = 0; i < vk_json_array_length(arr); i++) {
        const char *name = vk_json_get_string(vk_json_array_get(arr, i));
        if (name)
            g_hash_table_add(set, g_strdup(name));
    }
}

static void
caps_add_devices(VkQemuCaps *caps, const VkJson *arr)
{
    for (guint i = 0; i < vk_json_array_length(arr); i++) {
        VkJson *n = vk_json_array_get(arr, i);
        const char *name = vk_json_is_object(n) ? obj_str(n, "name") : vk_json_get_string(n);
        if (name)
            g_hash_table_add(caps->devices, g_strdup(name));
    }
}

static void
caps_set_version(VkQemuCaps *caps, const VkJson *ver)
{
    VkJson *q = vk_json_object_get_object(ver, "qemu");
    if (q)
        caps->version = obj_int(q, "major", 0) * 1000000 + obj_int(q, "minor", 0) * 1000 +
                        obj_int(q, "micro", 0);
    g_free(caps->package);
    caps->package = g_strdup(obj_str(ver, "package"));
}

/* ---- probing ---- */

static VkJson *
probe_query(VkQmp *mon, const char *command, const VkJson *args, const char *binary)
{
    VkJson *reply = NULL;
    if (vk_qmp_execute_node(mon, command, args, &reply, NULL) < 0) {
        g_autofree char *detail = g_strdup(vk_error_last_message());
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Failed to probe QEMU binary %s: %s", binary, detail);
        return NULL;
    }
    return reply;
}

/* Expand QEMU's "host" CPU model (MIGRATABLE or not): the features it gets
 * go to ENABLED, every feature named to ALL (may be NULL).  Properties that
 * are no features (family, model-id, min-level) are numbers or strings. */
static void
probe_host_cpu(VkQmp *mon, gboolean migratable, GHashTable *enabled, GHashTable *all)
{
    g_autoptr(VkJson) eargs = vk_json_new_object();
    g_autoptr(VkJson) exp = NULL;
    VkJson *model = vk_json_new_object();
    VkJson *want = vk_json_new_object();

    vk_json_object_set_string(model, "name", "host");
    vk_json_object_set_bool(want, "migratable", migratable);
    vk_json_object_set(model, "props", want);
    vk_json_object_set_string(eargs, "type", "full");
    vk_json_object_set(eargs, "model", model);
    if (vk_qmp_execute_node(mon, "query-cpu-model-expansion", eargs, &exp, NULL) < 0)
        return;
    VkJson *props = vk_json_object_get_object(vk_json_object_get_object(exp, "model"), "props");
    for (guint i = 0; i < vk_json_object_size(props); i++) {
        const char *name;
        VkJson *v = vk_json_object_nth(props, i, &name);
        if (vk_json_get_bool(v, FALSE))
            g_hash_table_add(enabled, g_strdup(name));
        if (all && (vk_json_get_bool(v, FALSE) || !vk_json_get_bool(v, TRUE)))
            g_hash_table_add(all, g_strdup(name));
    }
}

static int
probe_ask(VkQmp *mon, VkQemuCaps *caps)
{
    g_autoptr(VkJson) ver = probe_query(mon, "query-version", NULL, caps->binary);
    if (!ver)
        return -1;
    caps_set_version(caps, vk_json_is_object(ver) ? ver : NULL);

    g_autoptr(VkJson) target = probe_query(mon, "query-target", NULL, caps->binary);
    if (!target)
        return -1;
    caps->arch = g_strdup(obj_str(target, "arch"));

    g_autoptr(VkJson) kvm = probe_query(mon, "query-kvm", NULL, caps->binary);
    if (!kvm)
        return -1;
    caps->kvm_present = obj_bool(kvm, "present");
    caps->kvm_enabled = obj_bool(kvm, "enabled");

    g_autoptr(VkJson) machines = probe_query(mon, "query-machines", NULL, caps->binary);
    if (!machines)
        return -1;
    caps_add_machines(caps, machines);

    /* Not every target has CPU models to list; that is no failure. */
    g_autoptr(VkJson) cpus = NULL;
    if (vk_qmp_execute_node(mon, "query-cpu-definitions", NULL, &cpus, NULL) == 0)
        caps_add_cpus(caps, cpus);
    vk_error_reset();

    /* What the "host" CPU model gets under KVM: libvirt's host-model;
     * non-migratable features (invtsc) belong to it too. */
    if (caps->kvm_enabled) {
        probe_host_cpu(mon, FALSE, caps->host_cpu_features, caps->cpu_feature_names);
        probe_host_cpu(mon, TRUE, caps->host_cpu_migratable, NULL);
        vk_error_reset();
    }

    g_autoptr(VkJson) args = vk_json_new_object();
    vk_json_object_set_string(args, "implements", "device");
    vk_json_object_set_bool(args, "abstract", FALSE);
    g_autoptr(VkJson) types = probe_query(mon, "qom-list-types", args, caps->binary);
    if (!types)
        return -1;
    caps_add_devices(caps, types);

    if (!caps->arch || caps->machines->len == 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Failed to probe QEMU binary %s: no architecture or machine types",
                        caps->binary);
        return -1;
    }
    return 0;
}

/* Reap PID, killing it if it has not gone within WAIT_MS. */
static void
probe_reap(GPid pid, int wait_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)wait_ms * 1000;
    for (;;) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        if (g_get_monotonic_time() >= deadline)
            break;
        g_usleep(5 * 1000);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* QEMU's own complaint, for the error message. */
static char *
probe_log_tail(const char *log_path)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(log_path, &text, NULL, NULL))
        return g_strdup("");
    g_strstrip(text);
    gsize len = strlen(text);
    return g_strdup(len > 400 ? text + len - 400 : text);
}

static gboolean
host_kvm_usable(void)
{
    return access("/dev/kvm", R_OK | W_OK) == 0;
}

static int
check_binary(const char *binary, struct stat *sb)
{
    if (stat(binary, sb) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "Cannot check QEMU binary %s", binary);
        return -1;
    }
    if (!S_ISREG(sb->st_mode) || access(binary, X_OK) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, S_ISREG(sb->st_mode) ? errno : EACCES,
                              "QEMU binary %s is not executable", binary);
        return -1;
    }
    return 0;
}

/* One probe; *TIMED_OUT when QEMU came up but did not answer in time. */
static VkQemuCaps *
probe_once(const char *binary, bool *timed_out)
{
    struct stat sb;
    g_autoptr(GError) gerr = NULL;

    if (check_binary(binary, &sb) < 0)
        return NULL;

    g_autofree char *dir = g_dir_make_tmp("virtkit-qemu-probe-XXXXXX", &gerr);
    if (!dir) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot create a directory to probe %s: %s", binary, gerr->message);
        return NULL;
    }
    g_autofree char *sock = g_build_filename(dir, "qmp.monitor", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "qmp.pid", NULL);
    g_autofree char *log = g_build_filename(dir, "qmp.log", NULL);
    g_autofree char *qmparg = g_strdup_printf("unix:%s,server=on,wait=off", sock);
    const char *argv[] = {
        binary, "-S", "-no-user-config", "-nodefaults", "-nographic",
        "-machine", "none,accel=kvm:tcg", "-qmp", qmparg, "-pidfile", pidfile, NULL,
    };

    VkQemuCaps *caps = NULL;
    GPid pid = 0;
    int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    gboolean spawned = logfd >= 0 && nullfd >= 0 &&
        g_spawn_async_with_fds(dir, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                               NULL, NULL, &pid, nullfd, nullfd, logfd, &gerr);
    if (logfd >= 0)
        close(logfd);
    if (nullfd >= 0)
        close(nullfd);
    if (!spawned) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Failed to probe QEMU binary %s: %s", binary,
                        gerr ? gerr->message : g_strerror(errno));
        goto out;
    }
    g_atomic_int_inc(&probe_count);

    VkQmp *mon = vk_qmp_open(sock, pid, NULL, PROBE_TIMEOUT_MS, NULL, NULL);
    if (!mon) {
        g_autofree char *detail = g_strdup(vk_error_last_message());
        *timed_out = vk_error_last_code() == VIR_ERR_OPERATION_TIMEOUT;
        probe_reap(pid, 0);
        pid = 0;
        g_autofree char *tail = probe_log_tail(log);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Failed to probe QEMU binary %s: %s%s%s", binary, detail,
                        *tail ? ": " : "", tail);
        goto out;
    }
    vk_qmp_set_timeout(mon, PROBE_TIMEOUT_MS);
    caps = caps_new(binary);
    caps->binary_mtime = sb.st_mtime;
    caps->binary_size = sb.st_size;
    caps->kvm_device_ok = host_kvm_usable();
    if (probe_ask(mon, caps) < 0)
        g_clear_pointer(&caps, vk_qemu_caps_free);
    /* quit is answered before QEMU exits; its EOF right after is expected. */
    VkError *err = caps ? NULL : vk_error_steal();
    vk_qmp_execute(mon, "quit", NULL, NULL);
    vk_qmp_close(mon);
    probe_reap(pid, 3000);
    pid = 0;
    if (err)
        vk_error_set(err);
    else
        vk_error_reset();

 out:
    if (pid > 0)
        probe_reap(pid, 0);
    g_unlink(sock);
    g_unlink(pidfile);
    g_unlink(log);
    g_rmdir(dir);
    return caps;
}

VkQemuCaps *
vk_qemu_caps_probe(const char *binary)
{
    bool timed_out = false;
    VkQemuCaps *caps = probe_once(binary, &timed_out);

    /* A QEMU that greets but stays silent for the whole timeout was seen
     * (rarely) on a busy host while other KVM guests went down: it is
     * stuck before its main loop, and a new one gets through. */
    if (!caps && timed_out) {
        g_warning("QEMU did not answer its probe in time (%s): trying once more",
                  vk_error_last_message());
        caps = probe_once(binary, &timed_out);
    }
    return caps;
}

/* ---- cache ---- */

char *
vk_qemu_caps_cache_path(const char *cache_dir, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *name = g_strconcat(sum, ".json", NULL);
    return g_build_filename(cache_dir, name, NULL);
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A JSON array of the strings in SET, sorted so that the same caps give the
 * same file. */
static VkJson *
sorted_names(GHashTable *set)
{
    VkJson *arr = vk_json_new_array();
    guint n = 0;
    g_autofree const char **names = (const char **)g_hash_table_get_keys_as_array(set, &n);
    qsort(names, n, sizeof(char *), compare_strings);
    for (guint i = 0; i < n; i++)
        vk_json_array_append_string(arr, names[i]);
    return arr;
}

char *
vk_qemu_caps_to_json(const VkQemuCaps *caps)
{
    g_autoptr(VkJson) o = vk_json_new_object();

    vk_json_object_set_int(o, "format", VK_QEMU_CAPS_CACHE_FORMAT);
    vk_json_object_set_string(o, "binary", caps->binary);
    vk_json_object_set_int(o, "binary-mtime", caps->binary_mtime);
    vk_json_object_set_int(o, "binary-size", caps->binary_size);
    VkJson *ver = vk_json_new_object();
    VkJson *q = vk_json_new_object();
    vk_json_object_set_int(q, "major", caps->version / 1000000);
    vk_json_object_set_int(q, "minor", caps->version / 1000 % 1000);
    vk_json_object_set_int(q, "micro", caps->version % 1000);
    vk_json_object_set(ver, "qemu", q);
    vk_json_object_set_string(ver, "package", caps->package ? caps->package : "");
    vk_json_object_set(o, "version", ver);
    vk_json_object_set_string(o, "arch", caps->arch);
    vk_json_object_set_bool(o, "kvm-present", caps->kvm_present);
    vk_json_object_set_bool(o, "kvm-enabled", caps->kvm_enabled);
    vk_json_object_set_bool(o, "kvm-device-ok", caps->kvm_device_ok);

    VkJson *machines = vk_json_new_array();
    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = caps->machines->pdata[i];
        VkJson *mo = vk_json_new_object();
        vk_json_object_set_string(mo, "name", m->name);
        if (m->alias)
            vk_json_object_set_string(mo, "alias", m->alias);
        vk_json_object_set_bool(mo, "is-default", m->is_default);
        vk_json_object_set_int(mo, "cpu-max", m->max_cpus);
        vk_json_object_set_bool(mo, "deprecated", m->deprecated);
        vk_json_object_set_bool(mo, "hotpluggable-cpus", m->hotplug_cpus);
        if (m->default_cpu_type)
            vk_json_object_set_string(mo, "default-cpu-type", m->default_cpu_type);
        vk_json_array_append(machines, mo);
    }
    vk_json_object_set(o, "machines", machines);

    VkJson *cpus = vk_json_new_array();
    for (guint i = 0; i < caps->cpu_models->len; i++) {
        const VkQemuCpuModel *c = caps->cpu_models->pdata[i];
        VkJson *co = vk_json_new_object();
        vk_json_object_set_string(co, "name", c->name);
        if (c->type_name)
            vk_json_object_set_string(co, "typename", c->type_name);
        if (c->alias_of)
            vk_json_object_set_string(co, "alias-of", c->alias_of);
        vk_json_object_set_bool(co, "usable", c->usable);
        VkJson *blockers = vk_json_new_array();
        for (guint k = 0; c->blockers && c->blockers[k]; k++)
            vk_json_array_append_string(blockers, c->blockers[k]);
        vk_json_object_set(co, "unavailable-features", blockers);
        vk_json_object_set_bool(co, "deprecated", c->deprecated);
        vk_json_array_append(cpus, co);
    }
    vk_json_object_set(o, "cpu-models", cpus);

    vk_json_object_set(o, "devices", sorted_names(caps->devices));
    vk_json_object_set(o, "host-cpu-features", sorted_names(caps->host_cpu_features));
    vk_json_object_set(o, "host-cpu-migratable", sorted_names(caps->host_cpu_migratable));
    vk_json_object_set(o, "cpu-feature-names", sorted_names(caps->cpu_feature_names));

    g_autoptr(GString) out = g_string_new(NULL);
    vk_json_append(out, o);
    g_string_append_c(out, '\n');
    return g_string_free(g_steal_pointer(&out), FALSE);
}

VkQemuCaps *
vk_qemu_caps_from_json(const char *text, gsize len)
{
    g_autoptr(VkJson) o = vk_json_parse(text, len);

    /* The parser's error says what is wrong and where. */
    if (!o)
        return NULL;
    if (!vk_json_is_object(o) || obj_int(o, "format", -1) != VK_QEMU_CAPS_CACHE_FORMAT ||
        !obj_str(o, "binary") || !obj_str(o, "arch")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cached QEMU capabilities have another format or miss members");
        return NULL;
    }
    VkQemuCaps *caps = caps_new(obj_str(o, "binary"));
    caps->binary_mtime = obj_int(o, "binary-mtime", -1);
    caps->binary_size = obj_int(o, "binary-size", -1);
    caps_set_version(caps, vk_json_object_get_object(o, "version"));
    caps->arch = g_strdup(obj_str(o, "arch"));
    caps->kvm_present = obj_bool(o, "kvm-present");
    caps->kvm_enabled = obj_bool(o, "kvm-enabled");
    caps->kvm_device_ok = obj_bool(o, "kvm-device-ok");
    caps_add_machines(caps, vk_json_object_get_array(o, "machines"));
    caps_add_cpus(caps, vk_json_object_get_array(o, "cpu-models"));
    caps_add_devices(caps, vk_json_object_get_array(o, "devices"));
    add_names(caps->host_cpu_features, vk_json_object_get_array(o, "host-cpu-features"));
    add_names(caps->host_cpu_migratable, vk_json_object_get_array(o, "host-cpu-migratable"));
    add_names(caps->cpu_feature_names, vk_json_object_get_array(o, "cpu-feature-names"));
    if (caps->machines->len == 0) {
        vk_qemu_caps_free(caps);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cached QEMU capabilities list no machine types");
        return NULL;
    }
    return caps;
}

/* The cached entry for BINARY when it still describes the binary as it is. */
static VkQemuCaps *
cache_load(const char *path, const char *binary, const struct stat *sb)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return NULL;
    if (vk_file_read_all(path, CACHE_MAX_BYTES, &text, &len) < 0) {
        g_info("ignoring QEMU capabilities cache %s: %s", path, vk_error_last_message());
        vk_error_reset();
        return NULL;
    }
    g_autoptr(VkQemuCaps) caps = vk_qemu_caps_from_json(text, len);
    if (!caps) {
        g_info("ignoring QEMU capabilities cache %s: %s", path, vk_error_last_message());
        vk_error_reset();
        return NULL;
    }
    if (g_strcmp0(caps->binary, binary) != 0 || caps->binary_mtime != (gint64)sb->st_mtime ||
        caps->binary_size != (gint64)sb->st_size) {
        g_info("QEMU capabilities cache %s is stale: %s changed", path, binary);
        return NULL;
    }
    /* KVM that became usable (or stopped being) changes what QEMU reports. */
    if (caps->kvm_present && caps->kvm_device_ok != host_kvm_usable()) {
        g_info("QEMU capabilities cache %s is stale: /dev/kvm access changed", path);
        return NULL;
    }
    caps->from_cache = TRUE;
    return g_steal_pointer(&caps);
}

VkQemuCaps *
vk_qemu_caps_get(const char *binary, const char *cache_dir)
{
    struct stat sb;

    if (check_binary(binary, &sb) < 0)
        return NULL;
    if (!cache_dir)
        return vk_qemu_caps_probe(binary);

    g_autofree char *path = vk_qemu_caps_cache_path(cache_dir, binary);
    VkQemuCaps *caps = cache_load(path, binary, &sb);
    if (caps)
        return caps;

    caps = vk_qemu_caps_probe(binary);
    if (!caps)
        return NULL;
    g_autofree char *json = vk_qemu_caps_to_json(caps);
    /* A cache that cannot be written costs a probe next time, nothing more. */
    if (vk_file_make_dirs(cache_dir, 0755) < 0 ||
        vk_file_write_atomic(path, json, strlen(json), 0600) < 0) {
        g_warning("cannot write QEMU capabilities cache %s: %s", path, vk_error_last_message());
        vk_error_reset();
    }
    return caps;
}

const VkQemuMachine *
vk_qemu_caps_find_machine(const VkQemuCaps *caps, const char *name)
{
    if (!name)
        return NULL;
    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = caps->machines->pdata[i];
        if (g_str_equal(m->name, name) || g_strcmp0(m->alias, name) == 0)
            return m;
    }
    return NULL;
}

const char *
vk_qemu_caps_canonical_machine(const VkQemuCaps *caps, const char *name)
{
    if (!name)
        return NULL;
    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = caps->machines->pdata[i];
        if (g_strcmp0(m->alias, name) == 0)
            return m->name;
    }
    return name;
}

const char *
vk_qemu_caps_default_machine(const VkQemuCaps *caps)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = caps->machines->pdata[i];
        if (m->is_default)
            return m->name;
    }
    return NULL;
}

gboolean
vk_qemu_caps_has_device(const VkQemuCaps *caps, const char *type_name)
{
    return g_hash_table_contains(caps->devices, type_name);
}
