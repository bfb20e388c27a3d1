/* Probe a QEMU binary over QMP and cache the answer as JSON. */
#include "drivers/qemu/capabilities.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/qmp.h"

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
    g_free(caps);
}

guint
vk_qemu_caps_probe_count(void)
{
    return g_atomic_int_get(&probe_count);
}

/* ---- reading QMP answers and cache entries (same member names) ---- */

static const char *
obj_str(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

static gint64
obj_int(JsonObject *o, const char *name, gint64 def)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : def;
}

static gboolean
obj_bool(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_boolean(n);
}

static JsonObject *
obj_obj(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
obj_arr(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* query-machines entries; the cache stores them with the same names. */
static void
caps_add_machines(VkQemuCaps *caps, JsonArray *arr)
{
    for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);
        if (!o || !obj_str(o, "name"))
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

/* query-cpu-definitions entries: usable when nothing is unavailable.  The
 * cache stores "usable" directly. */
static void
caps_add_cpus(VkQemuCaps *caps, JsonArray *arr)
{
    for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);
        if (!o || !obj_str(o, "name"))
            continue;
        VkQemuCpuModel *c = g_new0(VkQemuCpuModel, 1);
        c->name = g_strdup(obj_str(o, "name"));
        c->type_name = g_strdup(obj_str(o, "typename"));
        c->alias_of = g_strdup(obj_str(o, "alias-of"));
        c->deprecated = obj_bool(o, "deprecated");
        JsonArray *unavail = obj_arr(o, "unavailable-features");
        if (json_object_has_member(o, "usable"))
            c->usable = obj_bool(o, "usable");
        else
            c->usable = unavail && json_array_get_length(unavail) == 0;
        g_ptr_array_add(caps->cpu_models, c);
    }
}

static void
add_names(GHashTable *set, JsonArray *arr)
{
    for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
        JsonNode *n = json_array_get_element(arr, i);
        if (json_node_get_value_type(n) == G_TYPE_STRING)
            g_hash_table_add(set, g_strdup(json_node_get_string(n)));
    }
}

static void
caps_add_devices(VkQemuCaps *caps, JsonArray *arr)
{
    for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
        JsonNode *n = json_array_get_element(arr, i);
        const char *name = NULL;
        if (JSON_NODE_HOLDS_OBJECT(n))
            name = obj_str(json_node_get_object(n), "name");
        else if (json_node_get_value_type(n) == G_TYPE_STRING)
            name = json_node_get_string(n);
        if (name)
            g_hash_table_add(caps->devices, g_strdup(name));
    }
}

static void
caps_set_version(VkQemuCaps *caps, JsonObject *ver)
{
    JsonObject *q = obj_obj(ver, "qemu");
    if (q)
        caps->version = obj_int(q, "major", 0) * 1000000 + obj_int(q, "minor", 0) * 1000 +
                        obj_int(q, "micro", 0);
    g_free(caps->package);
    caps->package = g_strdup(ver ? obj_str(ver, "package") : NULL);
}

/* ---- probing ---- */

static JsonNode *
probe_query(VkQmp *mon, const char *command, JsonObject *args, const char *binary)
{
    JsonNode *reply = NULL;
    if (vk_qmp_execute_node(mon, command, args, &reply, NULL) < 0) {
        g_autofree char *detail = g_strdup(vk_error_last_message());
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Failed to probe QEMU binary %s: %s", binary, detail);
        return NULL;
    }
    return reply;
}

static int
probe_ask(VkQmp *mon, VkQemuCaps *caps)
{
    g_autoptr(JsonNode) ver = probe_query(mon, "query-version", NULL, caps->binary);
    if (!ver)
        return -1;
    caps_set_version(caps, JSON_NODE_HOLDS_OBJECT(ver) ? json_node_get_object(ver) : NULL);

    g_autoptr(JsonNode) target = probe_query(mon, "query-target", NULL, caps->binary);
    if (!target)
        return -1;
    if (JSON_NODE_HOLDS_OBJECT(target))
        caps->arch = g_strdup(obj_str(json_node_get_object(target), "arch"));

    g_autoptr(JsonNode) kvm = probe_query(mon, "query-kvm", NULL, caps->binary);
    if (!kvm)
        return -1;
    if (JSON_NODE_HOLDS_OBJECT(kvm)) {
        caps->kvm_present = obj_bool(json_node_get_object(kvm), "present");
        caps->kvm_enabled = obj_bool(json_node_get_object(kvm), "enabled");
    }

    g_autoptr(JsonNode) machines = probe_query(mon, "query-machines", NULL, caps->binary);
    if (!machines)
        return -1;
    caps_add_machines(caps, JSON_NODE_HOLDS_ARRAY(machines) ? json_node_get_array(machines) : NULL);

    /* Not every target has CPU models to list; that is no failure. */
    g_autoptr(JsonNode) cpus = NULL;
    if (vk_qmp_execute_node(mon, "query-cpu-definitions", NULL, &cpus, NULL) == 0 &&
        JSON_NODE_HOLDS_ARRAY(cpus))
        caps_add_cpus(caps, json_node_get_array(cpus));
    vk_error_reset();

    /* What the "host" CPU model gets under KVM: libvirt's host-model. */
    if (caps->kvm_enabled) {
        g_autoptr(JsonObject) eargs = json_object_new();
        g_autoptr(JsonObject) model = json_object_new();
        g_autoptr(JsonNode) exp = NULL;
        g_autoptr(JsonObject) want = json_object_new();
        json_object_set_string_member(model, "name", "host");
        /* Non-migratable features (invtsc) belong to host-model too. */
        json_object_set_boolean_member(want, "migratable", FALSE);
        json_object_set_object_member(model, "props", json_object_ref(want));
        json_object_set_string_member(eargs, "type", "full");
        json_object_set_object_member(eargs, "model", json_object_ref(model));
        if (vk_qmp_execute_node(mon, "query-cpu-model-expansion", eargs, &exp, NULL) == 0 &&
            JSON_NODE_HOLDS_OBJECT(exp)) {
            JsonObject *props = obj_obj(obj_obj(json_node_get_object(exp), "model"), "props");
            g_autoptr(GList) names = props ? json_object_get_members(props) : NULL;
            for (GList *l = names; l; l = l->next)
                if (obj_bool(props, l->data))
                    g_hash_table_add(caps->host_cpu_features, g_strdup(l->data));
        }
        vk_error_reset();
    }

    g_autoptr(JsonObject) args = json_object_new();
    json_object_set_string_member(args, "implements", "device");
    json_object_set_boolean_member(args, "abstract", FALSE);
    g_autoptr(JsonNode) types = probe_query(mon, "qom-list-types", args, caps->binary);
    if (!types)
        return -1;
    caps_add_devices(caps, JSON_NODE_HOLDS_ARRAY(types) ? json_node_get_array(types) : NULL);

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

VkQemuCaps *
vk_qemu_caps_probe(const char *binary)
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

char *
vk_qemu_caps_to_json(const VkQemuCaps *caps)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_int_value(b, VK_QEMU_CAPS_CACHE_FORMAT);
    json_builder_set_member_name(b, "binary");
    json_builder_add_string_value(b, caps->binary);
    json_builder_set_member_name(b, "binary-mtime");
    json_builder_add_int_value(b, caps->binary_mtime);
    json_builder_set_member_name(b, "binary-size");
    json_builder_add_int_value(b, caps->binary_size);
    json_builder_set_member_name(b, "version");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "qemu");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "major");
    json_builder_add_int_value(b, caps->version / 1000000);
    json_builder_set_member_name(b, "minor");
    json_builder_add_int_value(b, caps->version / 1000 % 1000);
    json_builder_set_member_name(b, "micro");
    json_builder_add_int_value(b, caps->version % 1000);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "package");
    json_builder_add_string_value(b, caps->package ? caps->package : "");
    json_builder_end_object(b);
    json_builder_set_member_name(b, "arch");
    json_builder_add_string_value(b, caps->arch);
    json_builder_set_member_name(b, "kvm-present");
    json_builder_add_boolean_value(b, caps->kvm_present);
    json_builder_set_member_name(b, "kvm-enabled");
    json_builder_add_boolean_value(b, caps->kvm_enabled);
    json_builder_set_member_name(b, "kvm-device-ok");
    json_builder_add_boolean_value(b, caps->kvm_device_ok);

    json_builder_set_member_name(b, "machines");
    json_builder_begin_array(b);
    for (guint i = 0; i < caps->machines->len; i++) {
        const VkQemuMachine *m = caps->machines->pdata[i];
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, m->name);
        if (m->alias) {
            json_builder_set_member_name(b, "alias");
            json_builder_add_string_value(b, m->alias);
        }
        json_builder_set_member_name(b, "is-default");
        json_builder_add_boolean_value(b, m->is_default);
        json_builder_set_member_name(b, "cpu-max");
        json_builder_add_int_value(b, m->max_cpus);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, m->deprecated);
        json_builder_set_member_name(b, "hotpluggable-cpus");
        json_builder_add_boolean_value(b, m->hotplug_cpus);
        if (m->default_cpu_type) {
            json_builder_set_member_name(b, "default-cpu-type");
            json_builder_add_string_value(b, m->default_cpu_type);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);

    json_builder_set_member_name(b, "cpu-models");
    json_builder_begin_array(b);
    for (guint i = 0; i < caps->cpu_models->len; i++) {
        const VkQemuCpuModel *c = caps->cpu_models->pdata[i];
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, c->name);
        if (c->type_name) {
            json_builder_set_member_name(b, "typename");
            json_builder_add_string_value(b, c->type_name);
        }
        if (c->alias_of) {
            json_builder_set_member_name(b, "alias-of");
            json_builder_add_string_value(b, c->alias_of);
        }
        json_builder_set_member_name(b, "usable");
        json_builder_add_boolean_value(b, c->usable);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, c->deprecated);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);

    /* Sorted, so that the same caps give the same file. */
    json_builder_set_member_name(b, "devices");
    json_builder_begin_array(b);
    g_autofree const char **devs =
        (const char **)g_hash_table_get_keys_as_array(caps->devices, NULL);
    qsort(devs, g_hash_table_size(caps->devices), sizeof(char *), compare_strings);
    for (guint i = 0; devs[i]; i++)
        json_builder_add_string_value(b, devs[i]);
    json_builder_end_array(b);

    json_builder_set_member_name(b, "host-cpu-features");
    json_builder_begin_array(b);
    g_autofree const char **feats =
        (const char **)g_hash_table_get_keys_as_array(caps->host_cpu_features, NULL);
    qsort(feats, g_hash_table_size(caps->host_cpu_features), sizeof(char *), compare_strings);
    for (guint i = 0; feats[i]; i++)
        json_builder_add_string_value(b, feats[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);

    g_autoptr(JsonNode) root = json_builder_get_root(b);
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    return json_generator_to_data(gen, NULL);
}

VkQemuCaps *
vk_qemu_caps_from_json(const char *text, gsize len)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;

    if (!json_parser_load_from_data(parser, text, len, &gerr)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot parse cached QEMU capabilities: %s", gerr->message);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(parser);
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    if (!o || obj_int(o, "format", -1) != VK_QEMU_CAPS_CACHE_FORMAT || !obj_str(o, "binary") ||
        !obj_str(o, "arch")) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cached QEMU capabilities have another format or miss members");
        return NULL;
    }
    VkQemuCaps *caps = caps_new(obj_str(o, "binary"));
    caps->binary_mtime = obj_int(o, "binary-mtime", -1);
    caps->binary_size = obj_int(o, "binary-size", -1);
    caps_set_version(caps, obj_obj(o, "version"));
    caps->arch = g_strdup(obj_str(o, "arch"));
    caps->kvm_present = obj_bool(o, "kvm-present");
    caps->kvm_enabled = obj_bool(o, "kvm-enabled");
    caps->kvm_device_ok = obj_bool(o, "kvm-device-ok");
    caps_add_machines(caps, obj_arr(o, "machines"));
    caps_add_cpus(caps, obj_arr(o, "cpu-models"));
    caps_add_devices(caps, obj_arr(o, "devices"));
    add_names(caps->host_cpu_features, obj_arr(o, "host-cpu-features"));
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
