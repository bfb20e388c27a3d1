/* A real dnsmasq with our configuration and our leases helper, in a network
 * namespace of its own (unshare(CLONE_NEWNET) first thing: the host's
 * interfaces, routes and firewall are never touched): a bridge with an
 * address, a veth into a second namespace where busybox udhcpc asks for
 * leases.  One from the range, then the fixed address of a <host>; both
 * must reach the status file through virtkit-leaseshelper.  Stopping leaves
 * no dnsmasq.  Needs root, dnsmasq and busybox; skipped otherwise. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/network/dnsmasq/dnsmasq-process.h"
#include "drivers/network/dnsmasq/leases.h"
#include "network-builder.h"
#include "virtkit-config.h"

#define HELPER VIRTKIT_BUILD_ROOT "/drivers/network/dnsmasq/virtkit-leaseshelper"
#define BRIDGE "vkbr0"
#define RANGE_MAC "52:54:00:aa:bb:01"
#define FIXED_MAC "52:54:00:aa:bb:02"
#define FIXED_IP "192.168.210.20"

static GPid client_ns;   /* "unshare -n sleep": holds the client's namespace */

/* Run a shell command line; its stdout when OUT. */
static int
sh(const char *cmd, char **out)
{
    char *argv[] = { (char *) "/bin/sh", (char *) "-c", (char *) cmd, NULL };
    g_autofree char *err = NULL;
    int status = -1;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status, NULL))
        return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_test_message("'%s' failed: %s", cmd, err ? err : "");
        return -1;
    }
    return 0;
}

static char *
netns_id(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/ns/net", (int) pid);

    return g_file_read_link(path, NULL);
}

static void
die_with_test(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Bridge 192.168.210.1/24 here, veth vkv0 on it, vkv1 in the client's
 * namespace. */
static void
make_links(void)
{
    char *argv[] = { (char *) "unshare", (char *) "-n", (char *) "sleep", (char *) "120", NULL };
    g_autofree char *ours = netns_id(getpid());
    g_autofree char *cmd = NULL;

    g_assert_cmpint(sh("ip link set lo up && ip link add " BRIDGE " type bridge stp_state 0 "
                       "forward_delay 0 && ip addr add 192.168.210.1/24 dev " BRIDGE
                       " && ip link set " BRIDGE " up && ip link add vkv0 type veth peer "
                       "name vkv1 && ip link set vkv0 master " BRIDGE " up", NULL), ==, 0);
    g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                die_with_test, NULL, &client_ns, NULL));
    for (int i = 0; i < 200; i++) {
        g_autofree char *theirs = netns_id(client_ns);
        if (theirs && !g_str_equal(theirs, ours))
            break;
        g_usleep(10 * 1000);
    }
    cmd = g_strdup_printf("ip link set vkv1 netns %d", (int) client_ns);
    g_assert_cmpint(sh(cmd, NULL), ==, 0);
}

/* udhcpc as MAC in the client namespace: the address it was given. */
static char *
client_lease(const char *mac)
{
    g_autofree char *cmd = g_strdup_printf(
        "nsenter -t %d -n sh -c 'ip link set lo up; ip link set vkv1 down; "
        "ip link set vkv1 address %s up; busybox udhcpc -i vkv1 -n -q -f -t 5 -T 1 "
        "-s /bin/true -x hostname:guest 2>&1'", (int) client_ns, mac);
    g_autofree char *out = NULL;
    const char *p;

    g_assert_cmpint(sh(cmd, &out), ==, 0);
    g_test_message("udhcpc: %s", out);
    p = strstr(out, "lease of ");
    g_assert_nonnull(p);
    p += strlen("lease of ");
    return g_strndup(p, strcspn(p, " "));
}

/* The helper runs after dnsmasq has answered: wait for the lease of MAC. */
static VkDnsmasqLease *
wait_lease(const char *status, const VkNetworkDef *def, const char *mac)
{
    for (int i = 0; i < 100; i++) {
        g_autoptr(GPtrArray) leases = vk_dnsmasq_leases_get(status, def, mac, 0);

        g_assert_nonnull(leases);
        if (leases->len == 1)
            return g_ptr_array_steal_index(leases, 0);
        g_usleep(50 * 1000);
    }
    return NULL;
}

static NetBuilder *
test_network(void)
{
    NetBuilder *nb = nb_new("vktest", BRIDGE, VK_NETWORK_FORWARD_NAT);
    VkNetworkIpDef *ip = nb_ip(nb, "192.168.210.1", "255.255.255.0", 0);

    nb_range(nb, ip, "192.168.210.100", "192.168.210.150");
    nb_host(nb, ip, FIXED_MAC, NULL, "fixed", FIXED_IP);
    return nb;
}

static void
check_leases(const VkPaths *paths, NetBuilder *nb)
{
    g_autofree char *status = vk_dnsmasq_status_path(paths, BRIDGE);
    g_autofree char *dyn_ip = client_lease(RANGE_MAC);
    g_autofree char *fixed_ip = client_lease(FIXED_MAC);
    g_autoptr(VkDnsmasqLease) dyn = wait_lease(status, nb_def(nb), RANGE_MAC);
    g_autoptr(VkDnsmasqLease) fixed = wait_lease(status, nb_def(nb), FIXED_MAC);
    guint last = 0;

    g_assert_true(sscanf(dyn_ip, "192.168.210.%u", &last) == 1 && last >= 100 && last <= 150);
    g_assert_cmpstr(fixed_ip, ==, FIXED_IP);
    g_assert_nonnull(dyn);
    g_assert_cmpstr(dyn->ip, ==, dyn_ip);
    g_assert_cmpstr(dyn->hostname, ==, "guest");
    g_assert_cmpint(dyn->prefix, ==, 24);
    g_assert_false(dyn->ipv6);
    /* libvirt's default lease is an hour */
    g_assert_cmpint(dyn->expiry_time, >, (gint64) time(NULL) + 3500);
    g_assert_nonnull(fixed);
    g_assert_cmpstr(fixed->ip, ==, FIXED_IP);
}

static void
test_real_dnsmasq(void)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *root = g_dir_make_tmp("virtkit-dnsmasq-XXXXXX", &gerr);
    g_autoptr(VkPaths) paths = vk_paths_new(root);
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", root);
    g_autofree char *pidfile = g_strdup_printf("%s/network/vktest.pid", paths->run_dir);
    NetBuilder *nb = test_network();
    pid_t pid = 0;

    g_assert_nonnull(root);
    chmod(root, 0755);   /* dnsmasq reads the hosts files again as nobody */
    make_links();
    if (vk_dnsmasq_start(paths, nb_def(nb), NULL, HELPER, &pid) < 0)
        g_error("start: %s", vk_error_last_message());
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpint(vk_dnsmasq_find(paths, "vktest"), ==, pid);
    check_leases(paths, nb);

    nb_host(nb, g_ptr_array_index(nb_def(nb)->ips, 0), "52:54:00:aa:bb:03", NULL, "late",
            "192.168.210.30");
    g_assert_cmpint(vk_dnsmasq_reload(paths, nb_def(nb), pid), ==, 0);
    g_assert_cmpint(vk_dnsmasq_find(paths, "vktest"), ==, pid);

    g_assert_cmpint(vk_dnsmasq_stop(paths, "vktest", pid), ==, 0);
    /* the daemonized dnsmasq is our orphan (subreaper): reap it */
    g_assert_cmpint(waitpid(pid, NULL, 0), ==, pid);
    g_assert_true(kill(pid, 0) < 0 && errno == ESRCH);
    g_assert_cmpint(vk_dnsmasq_find(paths, "vktest"), ==, 0);
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));

    kill(client_ns, SIGKILL);
    waitpid(client_ns, NULL, 0);
    /* and dnsmasq's other orphans (its daemonizing fork, its script runner) */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    nb_free(nb);
    g_assert_cmpint(sh(rm, NULL), ==, 0);
}

static void
skip(void)
{
    g_test_skip("needs root, " VK_DNSMASQ_BINARY ", busybox and nsenter");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (geteuid() != 0 || !g_file_test(VK_DNSMASQ_BINARY, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_find_program_in_path("busybox") || !g_find_program_in_path("nsenter")) {
        g_test_add_func("/dnsmasq-real/lease-fixed-stop", skip);
        return g_test_run();
    }
    /* dnsmasq daemonizes: become the parent of orphans to reap it */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (unshare(CLONE_NEWNET) < 0)
        g_error("unshare(CLONE_NEWNET): %s", g_strerror(errno));
    g_test_add_func("/dnsmasq-real/lease-fixed-stop", test_real_dnsmasq);
    return g_test_run();
}
