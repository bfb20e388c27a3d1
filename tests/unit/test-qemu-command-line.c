/* The QEMU command line (drivers/qemu/monitor/command-line.c).
 *
 * Data-driven part: every tests/data/qemu-argv/NAME.xml is parsed, gets the
 * defaults and PCI addresses, and its generated environment + argv must equal
 * NAME.args (one word per line, see the README there) word for word.
 * VIRTKIT_ARGV_DUMP=DIR writes what we generate to DIR/NAME.args, to look at
 * a failure with diff.
 *
 * Then: comma escaping, determinism, errors for what we refuse, and one real
 * qemu-system-x86_64 started with our argv for a small q35 guest. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "virtkit-config.h"
#include "common/conf/disk-shareable.h"
#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"
#include "drivers/qemu/monitor/command-line.h"
#include "corpus.h"

#define TEST_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static char *
data_dir(void)
{
    return vk_test_corpus_dir("qemu-argv");
}

static VkDomainDef *
load_def(const char *xml_path)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_file(xml_path, VK_DOMAIN_PARSE_INACTIVE);

    if (!def) {
        g_printerr("parse %s: %s\n", xml_path, vk_error_last_message());
        return NULL;
    }
    if (vk_domain_def_apply_defaults(def, NULL) < 0 || vk_domain_pci_assign(def, NULL) < 0) {
        g_printerr("defaults/PCI %s: %s\n", xml_path, vk_error_last_message());
        return NULL;
    }
    vk_disk_shareable_set_cache(def);   /* a start's, which domxml-to-native shows too */
    return g_steal_pointer(&def);
}

/* The options the .args files assume (README): libvirt's domxml-to-native
 * paths for domain id -1, a fixed PATH, KVM, and tap fd 30+i for every
 * interface of type network, bridge or direct. */
typedef struct {
    VkQemuCommandOptions opts;
    char *priv_dir, *monitor, *channel_dir;
    VkQemuNetFds *fds;
} TestOpts;

static void
test_opts_init(TestOpts *t, const VkDomainDef *def, bool kvm)
{
    g_autofree char *dir = vk_qemu_domain_dir_name(-1, def->name);

    memset(t, 0, sizeof(*t));
    t->priv_dir = g_strdup_printf("/var/lib/libvirt/qemu/%s", dir);
    t->monitor = g_strdup_printf("%s/monitor.sock", t->priv_dir);
    t->channel_dir = g_strdup_printf("/var/lib/libvirt/qemu/channel/target/%s", dir);
    t->fds = g_new0(VkQemuNetFds, def->nets->len + 1);
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        bool fd = n->type == VK_NET_TYPE_NETWORK || n->type == VK_NET_TYPE_BRIDGE ||
                  n->type == VK_NET_TYPE_DIRECT;
        t->fds[i].tap_fd = fd ? 30 + (int) i : -1;
        t->fds[i].vhost_fd = -1;
    }
    t->opts = (VkQemuCommandOptions) {
        .emulator = NULL, .monitor_path = t->monitor, .kvm = kvm, .id = -1,
        .priv_dir = t->priv_dir, .channel_dir = t->channel_dir,
        .log_path = "/var/log/libvirt/qemu/test.log", .path_env = TEST_PATH,
        .vnc_port = 5900, .spice_port = 5901,
        .net_fds = t->fds, .n_net_fds = def->nets->len,
    };
}

static void
test_opts_clear(TestOpts *t)
{
    g_free(t->priv_dir);
    g_free(t->monitor);
    g_free(t->channel_dir);
    g_free(t->fds);
}

static char *
command_lines(const VkQemuCommand *cmd)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; g_ptr_array_index(cmd->env, i); i++)
        g_string_append_printf(s, "%s\n", (char *) g_ptr_array_index(cmd->env, i));
    for (guint i = 0; g_ptr_array_index(cmd->argv, i); i++)
        g_string_append_printf(s, "%s\n", (char *) g_ptr_array_index(cmd->argv, i));
    return g_string_free(s, FALSE);
}

static VkQemuCommand *
build_for(const VkDomainDef *def, bool kvm)
{
    TestOpts t;
    VkQemuCommand *cmd;

    test_opts_init(&t, def, kvm);
    cmd = vk_qemu_command_build(def, &t.opts);
    test_opts_clear(&t);
    return cmd;
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *dir = data_dir();
    g_autofree char *xml = g_strdup_printf("%s/%s.xml", dir, name);
    g_autofree char *args = g_strdup_printf("%s/%s.args", dir, name);
    g_autofree char *expected = NULL;
    g_autofree char *actual = NULL;
    g_autoptr(VkDomainDef) def = load_def(xml);
    g_autoptr(VkQemuCommand) cmd = NULL;
    const char *dump = g_getenv("VIRTKIT_ARGV_DUMP");

    if (!def) {
        g_test_fail();
        return;
    }
    cmd = build_for(def, true);
    if (!cmd) {
        g_test_message("%s: %s", name, vk_error_last_message());
        g_test_fail();
        return;
    }
    actual = command_lines(cmd);
    if (dump) {
        g_autofree char *out = g_strdup_printf("%s/%s.args", dump, name);
        g_file_set_contents(out, actual, -1, NULL);
    }
    if (!g_file_get_contents(args, &expected, NULL, NULL)) {
        g_test_message("%s: no %s", name, args);
        g_test_fail();
        return;
    }

    if (!g_str_equal(expected, actual)) {
        /* name the first word that differs rather than dumping both files */
        g_auto(GStrv) e = g_strsplit(expected, "\n", -1);
        g_auto(GStrv) a = g_strsplit(actual, "\n", -1);
        for (guint i = 0; e[i] || a[i]; i++) {
            if (!e[i] || !a[i] || !g_str_equal(e[i], a[i])) {
                g_test_message("%s.args line %u differs: expected '%s', got '%s'", name, i + 1,
                               e[i] ? e[i] : "(end)", a[i] ? a[i] : "(end)");
                break;
            }
        }
        g_test_fail();
    }
}

/* ------------------------------------------------------------------------- */

static const char *minimal_q35 =
    "<domain type='kvm'><name>cmdline-small</name>"
    "<uuid>c0a9c0a9-0000-4000-8000-0000000000c1</uuid>"
    "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
    "<features><acpi/><apic/></features>"
    "<devices><interface type='user'><mac address='52:54:00:00:c1:01'/><model type='virtio'/></interface>"
    "<serial type='pty'/><console type='pty'/>"
    "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    "</devices></domain>";

static VkDomainDef *
parse_prepared(const char *xml)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);

    g_assert_nonnull(def);
    g_assert_cmpint(vk_domain_def_apply_defaults(def, NULL), ==, 0);
    g_assert_cmpint(vk_domain_pci_assign(def, NULL), ==, 0);
    return g_steal_pointer(&def);
}

static const char *
arg_after(const VkQemuCommand *cmd, const char *opt, guint nth)
{
    for (guint i = 0; g_ptr_array_index(cmd->argv, i); i++) {
        if (g_str_equal(g_ptr_array_index(cmd->argv, i), opt) && nth-- == 0)
            return g_ptr_array_index(cmd->argv, i + 1);
    }
    return NULL;
}

static void
test_escape_comma(void)
{
    g_autoptr(GString) s = g_string_new(NULL);

    vk_qemu_escape_comma_append(s, "a,b,,c");
    g_assert_cmpstr(s->str, ==, "a,,b,,,,c");
    g_string_truncate(s, 0);
    vk_qemu_escape_comma_append(s, "plain");
    g_assert_cmpstr(s->str, ==, "plain");
}

static void
test_commas_in_paths(void)
{
    g_autoptr(VkDomainDef) def = parse_prepared(minimal_q35);
    VkQemuCommandOptions o = {
        .monitor_path = "/run/a,b/monitor.sock", .priv_dir = "/run/a,b", .kvm = true, .id = 3,
        .path_env = TEST_PATH,
    };
    g_autoptr(VkQemuCommand) cmd = NULL;

    g_free(def->name);
    def->name = g_strdup("with,comma");
    cmd = vk_qemu_command_build(def, &o);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(arg_after(cmd, "-name", 0), ==, "guest=with,,comma,debug-threads=on");
    g_assert_cmpstr(arg_after(cmd, "-chardev", 0), ==,
                    "socket,id=charmonitor,path=/run/a,,b/monitor.sock,server=on,wait=off");
    /* the unix channel without a path goes to priv_dir (channel_dir unset) */
    g_assert_cmpstr(arg_after(cmd, "-chardev", 2), ==,
                    "socket,id=charchannel0,path=/run/a,,b/org.qemu.guest_agent.0,server=on,wait=off");
}

static void
test_deterministic(void)
{
    g_autofree char *dir = data_dir();
    g_autofree char *xml = g_strdup_printf("%s/q35-virt-install-typical.xml", dir);
    g_autoptr(VkDomainDef) d1 = load_def(xml);
    g_autoptr(VkDomainDef) d2 = load_def(xml);

    g_assert_nonnull(d1);
    g_assert_nonnull(d2);
    g_autoptr(VkQemuCommand) c1 = build_for(d1, true);
    g_autoptr(VkQemuCommand) c2 = build_for(d1, true);
    g_autoptr(VkQemuCommand) c3 = build_for(d2, true);
    g_autofree char *s1 = command_lines(c1);
    g_autofree char *s2 = command_lines(c2);
    g_autofree char *s3 = command_lines(c3);

    g_assert_cmpstr(s1, ==, s2);
    g_assert_cmpstr(s1, ==, s3);
}

static void
test_tcg_and_options(void)
{
    g_autoptr(VkDomainDef) def = parse_prepared(minimal_q35);
    VkQemuCommandOptions o = {
        .monitor_path = "/tmp/m.sock", .priv_dir = "/tmp/d", .kvm = false, .id = 1,
        .pid_path = "/tmp/d/q.pid", .emulator = "/opt/qemu",
    };
    g_autoptr(VkQemuCommand) cmd = NULL;
    g_autofree char *line = NULL;

    def->cpu->mode = VK_CPU_MODE_HOST_PASSTHROUGH;
    cmd = vk_qemu_command_build(def, &o);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(g_ptr_array_index(cmd->argv, 0), ==, "/opt/qemu");
    g_assert_cmpstr(arg_after(cmd, "-accel", 0), ==, "tcg");
    g_assert_cmpstr(arg_after(cmd, "-cpu", 0), ==, "max");
    g_assert_cmpstr(arg_after(cmd, "-pidfile", 0), ==, "/tmp/d/q.pid");
    g_assert_cmpstr(arg_after(cmd, "-netdev", 0), ==, "{\"type\":\"user\",\"id\":\"hostnet0\"}");
    line = vk_qemu_command_to_string(cmd);
    g_assert_true(g_str_has_prefix(line, "LC_ALL=C "));
    g_assert_nonnull(strstr(line, " -netdev '{\"type\":\"user\",\"id\":\"hostnet0\"}' "));
}

static void
test_refused(void)
{
    g_autoptr(VkDomainDef) def = parse_prepared(minimal_q35);
    VkQemuCommandOptions o = { .monitor_path = "/tmp/m.sock", .priv_dir = "/tmp/d", .kvm = true };
    VkDomainNetDef *net = g_ptr_array_index(def->nets, 0);
    g_autoptr(VkQemuCommand) cmd = NULL;

    /* a bridge interface with neither an fd nor a tap name */
    net->type = VK_NET_TYPE_BRIDGE;
    net->src_bridge = g_strdup("br0");
    cmd = vk_qemu_command_build(def, &o);
    g_assert_null(cmd);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(vk_error_last_message(), "52:54:00:00:c1:01"));

    /* with a tap name it works */
    net->target_dev = g_strdup("vktap0");
    cmd = vk_qemu_command_build(def, &o);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(arg_after(cmd, "-netdev", 0), ==,
                    "{\"type\":\"tap\",\"ifname\":\"vktap0\",\"script\":\"no\",\"downscript\":\"no\",\"id\":\"hostnet0\"}");
    g_clear_pointer(&cmd, vk_qemu_command_free);

    /* the monitor path is required */
    o.monitor_path = NULL;
    g_assert_null(vk_qemu_command_build(def, &o));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
}

/* One interface for hotplug: its tap fd by the name QEMU got it under
 * (QMP getfd), or by number; the rest as on the command line. */
static void
test_net_objects(void)
{
    g_autoptr(VkDomainDef) def = parse_prepared(minimal_q35);
    VkDomainNetDef *net = g_ptr_array_index(def->nets, 0);
    VkQemuNetFds fds = { .tap_fd = 33, .vhost_fd = -1, .tap_fd_name = "tapfd-net10" };
    g_autoptr(GPtrArray) objects = NULL;

    net->type = VK_NET_TYPE_BRIDGE;
    net->src_bridge = g_strdup("br0");
    objects = vk_qemu_command_net_objects(def, net, 1, &fds);
    g_assert_nonnull(objects);
    g_assert_cmpuint(objects->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(objects, 0), ==, "-netdev");
    g_assert_cmpstr(g_ptr_array_index(objects, 1), ==,
                    "{\"type\":\"tap\",\"fd\":\"tapfd-net10\",\"id\":\"hostnet1\"}");
    g_assert_cmpstr(g_ptr_array_index(objects, 2), ==, "-device");
    g_assert_nonnull(strstr(g_ptr_array_index(objects, 3),
                            "\"netdev\":\"hostnet1\",\"id\":\"net1\",\"mac\":\"52:54:00:00:c1:01\""));
    g_clear_pointer(&objects, g_ptr_array_unref);

    fds.tap_fd_name = NULL;
    objects = vk_qemu_command_net_objects(def, net, 1, &fds);
    g_assert_nonnull(objects);
    g_assert_cmpstr(g_ptr_array_index(objects, 1), ==,
                    "{\"type\":\"tap\",\"fd\":\"33\",\"id\":\"hostnet1\"}");
}

/* Start the real QEMU with our argv, paused (-S), and check it stays up. */
static void
test_qemu_accepts(void)
{
    const char *qemu = "/usr/bin/qemu-system-x86_64";
    g_autoptr(VkDomainDef) def = NULL;
    g_autofree char *tmp = NULL;
    g_autofree char *chan = NULL;
    g_autofree char *mon = NULL;
    g_autofree char *log = NULL;
    g_autoptr(VkQemuCommand) cmd = NULL;
    g_autoptr(GError) err = NULL;
    bool kvm = access("/dev/kvm", R_OK | W_OK) == 0;
    GPid pid;
    int status = 0, logfd;

    if (!g_file_test(qemu, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no qemu-system-x86_64");
        return;
    }
    def = parse_prepared(minimal_q35);
    tmp = g_dir_make_tmp("vk-qemu-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    chan = g_build_filename(tmp, "chan", NULL);
    mon = g_build_filename(tmp, "monitor.sock", NULL);
    log = g_build_filename(tmp, "qemu.log", NULL);
    g_assert_cmpint(g_mkdir(chan, 0700), ==, 0);
    VkQemuCommandOptions o = {
        .emulator = qemu, .monitor_path = mon, .priv_dir = tmp, .channel_dir = chan,
        .kvm = kvm, .id = 1, .log_path = log,
    };
    cmd = vk_qemu_command_build(def, &o);
    g_assert_nonnull(cmd);

    /* stdout/stderr to the log, as the process code will do */
    logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint(logfd, >=, 0);
    g_assert_true(g_spawn_async_with_fds(NULL, (char **) cmd->argv->pdata, (char **) cmd->env->pdata,
                                         G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                         -1, logfd, logfd, &err));
    close(logfd);

    /* still running after a second: QEMU took every option */
    for (int i = 0; i < 10; i++) {
        g_usleep(100 * 1000);
        if (waitpid(pid, &status, WNOHANG) == pid) {
            g_autofree char *out = NULL;
            g_file_get_contents(log, &out, NULL, NULL);
            g_printerr("QEMU exited (status %d):\n%s\n", status, out ? out : "");
            g_assert_not_reached();
        }
    }
    g_assert_true(g_file_test(mon, G_FILE_TEST_EXISTS));
    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);

    unlink(mon);
    g_autofree char *ga = g_build_filename(chan, "org.qemu.guest_agent.0", NULL);
    unlink(ga);
    unlink(log);
    rmdir(chan);
    g_assert_cmpint(rmdir(tmp), ==, 0);
}

int
main(int argc, char **argv)
{
    g_autofree char *dir = data_dir();
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    /* a NAME.xml without NAME.args fails in test_case */
    names = vk_test_corpus_list(dir, NULL, ".xml", NULL);
    vk_test_corpus_check_partners(dir, "/qemu-command-line", ".args", ".xml");
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/qemu-command-line/argv/%s", name);
        g_test_add_data_func(path, name, test_case);
    }
    g_test_add_func("/qemu-command-line/escape-comma", test_escape_comma);
    g_test_add_func("/qemu-command-line/commas-in-paths", test_commas_in_paths);
    g_test_add_func("/qemu-command-line/deterministic", test_deterministic);
    g_test_add_func("/qemu-command-line/tcg-and-options", test_tcg_and_options);
    g_test_add_func("/qemu-command-line/refused", test_refused);
    g_test_add_func("/qemu-command-line/net-objects", test_net_objects);
    g_test_add_func("/qemu-command-line/qemu-accepts", test_qemu_accepts);
    return g_test_run();
}
