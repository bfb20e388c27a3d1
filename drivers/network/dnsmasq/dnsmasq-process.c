#include "drivers/network/dnsmasq/dnsmasq-process.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/network/dnsmasq/dnsmasq-conf.h"

#define STOP_WAIT_MS 10000

VkDnsmasqFiles *
vk_dnsmasq_files_new(const VkPaths *paths, const char *network)
{
    VkDnsmasqFiles *files = g_new0(VkDnsmasqFiles, 1);

    files->state_dir = g_build_filename(paths->state_dir, "dnsmasq", NULL);
    files->conf = g_strdup_printf("%s/%s.conf", files->state_dir, network);
    files->hostsfile = g_strdup_printf("%s/%s.hostsfile", files->state_dir, network);
    files->addnhosts = g_strdup_printf("%s/%s.addnhosts", files->state_dir, network);
    files->pidfile = g_strdup_printf("%s/network/%s.pid", paths->run_dir, network);
    return files;
}

void
vk_dnsmasq_files_free(VkDnsmasqFiles *files)
{
    if (!files)
        return;
    g_free(files->state_dir);
    g_free(files->conf);
    g_free(files->hostsfile);
    g_free(files->addnhosts);
    g_free(files->pidfile);
    g_free(files);
}

char *
vk_dnsmasq_status_path(const VkPaths *paths, const char *bridge)
{
    return g_strdup_printf("%s/dnsmasq/%s.status", paths->state_dir, bridge);
}

static int
write_text(const char *path, const char *text, mode_t mode)
{
    return vk_file_write_atomic(path, text, strlen(text), mode);
}

static int
write_hosts(const VkDnsmasqFiles *files, const VkDnsmasqConfig *config)
{
    if (vk_file_make_dirs(files->state_dir, 0755) < 0 ||
        write_text(files->hostsfile, config->hostsfile, 0644) < 0 ||
        write_text(files->addnhosts, config->addnhosts, 0644) < 0)
        return -1;
    return 0;
}

int
vk_dnsmasq_write_files(const VkPaths *paths, const VkNetworkDef *def)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, def->name);
    g_autoptr(VkDnsmasqConfig) config =
        vk_dnsmasq_config_new(def, files->state_dir, files->pidfile);

    if (!config || write_hosts(files, config) < 0 ||
        write_text(files->conf, config->conf, 0600) < 0)
        return -1;
    return 0;
}

/* Run ARGV with ENVP and wait; its stderr goes into the error. */
static int
run_command(char **argv, char **envp, char **out)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err_text = NULL;
    int status = 0;

    if (!g_spawn_sync(NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, &err_text,
                      &status, &gerr)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "cannot run %s: %s", argv[0], gerr->message);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "Child process (%s) unexpected exit status %d: %s", argv[0],
                        WIFEXITED(status) ? WEXITSTATUS(status) : status,
                        g_strstrip(err_text ? err_text : g_strdup("")));
        return -1;
    }
    return 0;
}

int
vk_dnsmasq_probe_version(const char *binary, unsigned long *version)
{
    char *argv[] = { (char *) (binary ? binary : VK_DNSMASQ_BINARY), (char *) "--version", NULL };
    g_autofree char *out = NULL;
    unsigned int major = 0, minor = 0, micro = 0;
    const char *p;

    if (run_command(argv, NULL, &out) < 0)
        return -1;
    if (!(p = strstr(out, "Dnsmasq version ")) ||
        sscanf(p + strlen("Dnsmasq version "), "%u.%u.%u", &major, &minor, &micro) < 2) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "cannot parse %s version number in '%.*s'", argv[0],
                        (int) strcspn(out, "\n"), out);
        return -1;
    }
    *version = major * 1000000UL + minor * 1000UL + micro;
    return 0;
}

static int
check_version(const char *binary)
{
    unsigned long version = 0;

    if (vk_dnsmasq_probe_version(binary, &version) < 0)
        return -1;
    if (version < VK_DNSMASQ_MIN_VERSION) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "dnsmasq version >= %u.%u required but %lu.%lu found",
                        VK_DNSMASQ_MIN_VERSION / 1000000, VK_DNSMASQ_MIN_VERSION / 1000 % 1000,
                        version / 1000000, version / 1000 % 1000);
        return -1;
    }
    return 0;
}

static pid_t
read_pidfile(const char *path)
{
    g_autofree char *text = NULL;
    char *end = NULL;
    gint64 pid;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    pid = g_ascii_strtoll(g_strstrip(text), &end, 10);
    return (*end || pid <= 1 || pid > G_MAXINT) ? 0 : (pid_t) pid;
}

/* PID is alive and its command line has ARG (the --conf-file= of ours). */
static bool
process_has_arg(pid_t pid, const char *arg)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int) pid);
    g_autofree char *cmdline = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &cmdline, &len, NULL))
        return false;
    for (gsize off = 0; off < len; off += strlen(cmdline + off) + 1) {
        if (g_str_equal(cmdline + off, arg))
            return true;
    }
    return false;
}

static char *
conf_arg(const VkDnsmasqFiles *files)
{
    return g_strdup_printf("--conf-file=%s", files->conf);
}

/* The environment dnsmasq runs with and hands on to the leases helper. */
static char **
dnsmasq_env(const VkPaths *paths, const VkNetworkDef *def)
{
    const char *path = g_getenv("PATH");
    GPtrArray *env = g_ptr_array_new();

    g_ptr_array_add(env, g_strdup_printf("PATH=%s", path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"));
    g_ptr_array_add(env, g_strdup("LC_ALL=C"));
    g_ptr_array_add(env, g_strdup_printf("VIR_BRIDGE_NAME=%s", def->bridge));
    if (paths->root)
        g_ptr_array_add(env, g_strdup_printf("VIRTKIT_ROOT=%s", paths->root));
    g_ptr_array_add(env, NULL);
    return (char **) g_ptr_array_free(env, FALSE);
}

int
vk_dnsmasq_start(const VkPaths *paths, const VkNetworkDef *def, const char *binary,
                 const char *helper, pid_t *pid)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, def->name);
    g_autofree char *pid_dir = g_path_get_dirname(files->pidfile);
    g_autofree char *arg_conf = conf_arg(files);
    g_autofree char *arg_script = g_strdup_printf("--dhcp-script=%s", helper);
    g_auto(GStrv) envp = dnsmasq_env(paths, def);
    char *argv[] = { (char *) (binary ? binary : VK_DNSMASQ_BINARY), arg_conf,
                     (char *) "--leasefile-ro", arg_script, NULL };

    *pid = 0;
    if (check_version(binary) < 0 || vk_file_make_dirs(pid_dir, 0755) < 0 ||
        vk_dnsmasq_write_files(paths, def) < 0)
        return -1;
    unlink(files->pidfile);
    /* dnsmasq's first process exits once the daemon has written its pid
     * file, so the file is there when the command returns */
    if (run_command(argv, envp, NULL) < 0)
        return -1;
    if ((*pid = read_pidfile(files->pidfile)) == 0 || !process_has_arg(*pid, arg_conf)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR,
                        "dnsmasq for network '%s' did not start (no live pid in %s)",
                        def->name, files->pidfile);
        *pid = 0;
        return -1;
    }
    return 0;
}

pid_t
vk_dnsmasq_find(const VkPaths *paths, const char *network)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, network);
    g_autofree char *arg_conf = conf_arg(files);
    pid_t pid = read_pidfile(files->pidfile);

    return pid && process_has_arg(pid, arg_conf) ? pid : 0;
}

int
vk_dnsmasq_reload(const VkPaths *paths, const VkNetworkDef *def, pid_t pid)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, def->name);
    g_autoptr(VkDnsmasqConfig) config = vk_dnsmasq_config_new_hosts(def);

    if (!config || write_hosts(files, config) < 0)
        return -1;
    if (kill(pid, SIGHUP) < 0) {
        vk_error_report_errno(VIR_FROM_NETWORK, errno,
                              "Failed to make dnsmasq (PID: %d) reload config files.", (int) pid);
        return -1;
    }
    return 0;
}

/* Gone, or a zombie waiting for whoever reaps it. */
static bool
process_gone(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int) pid);
    g_autofree char *stat = NULL;
    const char *state;

    if (kill(pid, 0) < 0 && errno == ESRCH)
        return true;
    if (!g_file_get_contents(path, &stat, NULL, NULL))
        return true;
    state = strrchr(stat, ')');
    return state && state[1] == ' ' && state[2] == 'Z';
}

int
vk_dnsmasq_stop(const VkPaths *paths, const char *network, pid_t pid)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, network);
    g_autofree char *arg_conf = conf_arg(files);

    if (pid == 0)
        pid = vk_dnsmasq_find(paths, network);
    if (pid > 0 && process_has_arg(pid, arg_conf)) {
        kill(pid, SIGTERM);
        for (int waited = 0; !process_gone(pid); waited += 20) {
            if (waited == STOP_WAIT_MS)
                kill(pid, SIGKILL);
            if (waited > STOP_WAIT_MS + 5000) {
                vk_error_report(VIR_FROM_NETWORK, VIR_ERR_SYSTEM_ERROR,
                                "Failed to terminate dnsmasq (PID: %d)", (int) pid);
                return -1;
            }
            g_usleep(20 * 1000);
        }
    }
    unlink(files->pidfile);
    return 0;
}

void
vk_dnsmasq_remove_files(const VkPaths *paths, const char *network, const char *bridge)
{
    g_autoptr(VkDnsmasqFiles) files = vk_dnsmasq_files_new(paths, network);

    unlink(files->conf);
    unlink(files->hostsfile);
    unlink(files->addnhosts);
    if (bridge) {
        g_autofree char *status = vk_dnsmasq_status_path(paths, bridge);
        unlink(status);
    }
}
