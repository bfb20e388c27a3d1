/* virtkit-leaseshelper: dnsmasq's --dhcp-script for our networks, doing
 * what libvirt's libvirt_leaseshelper does (src/network/leaseshelper.c):
 *
 *   add|old|del MAC IP [HOSTNAME]   record or drop a lease in BRIDGE.status
 *   init                            print the recorded leases in dnsmasq's
 *                                   lease-file format (dnsmasq runs with
 *                                   --leasefile-ro and keeps none itself)
 *
 * Where the files are: dnsmasq hands its own environment on to the script,
 * so virtkit starts dnsmasq with VIRTKIT_ROOT (the daemon's --root; unset in
 * system mode) and VIR_BRIDGE_NAME (the bridge, for "init", when dnsmasq
 * sets no DNSMASQ_INTERFACE).  The status file is
 * ROOT/var/lib/libvirt/dnsmasq/BRIDGE.status; changes to it are serialized
 * by a lock on ROOT/run/leaseshelper.pid (libvirt's lock file) and written
 * atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "common/util/paths.h"
#include "drivers/network/dnsmasq/leases.h"
#include "virtkit-config.h"

typedef enum { ACTION_ADD, ACTION_OLD, ACTION_DEL, ACTION_INIT } Action;

static int G_GNUC_PRINTF(1, 2)
fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "virtkit-leaseshelper: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_FAILURE;
}

/* Wait for the lock every helper run takes (dnsmasq runs one script at a
 * time, but several networks have several dnsmasqs); released on exit. */
static int
take_lock(const VkPaths *paths)
{
    g_autofree char *path = vk_paths_prefix(paths, "/run/leaseshelper.pid");
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *pid = g_strdup_printf("%d\n", (int) getpid());
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int fd;

    if (g_mkdir_with_parents(dir, 0755) < 0 ||
        (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return -1;
    while (fcntl(fd, F_SETLKW, &lock) < 0) {
        if (errno != EINTR)
            return -1;
    }
    /* the pid is a courtesy; the lock is what counts */
    if (ftruncate(fd, 0) == 0 && write(fd, pid, strlen(pid)) < 0)
        errno = 0;
    return fd;
}

/* libvirt's virLeaseNew: the lease dnsmasq reports, or NULL (no MAC known,
 * as for an IPv6 client without DNSMASQ_MAC: nothing is recorded). */
static VkJson *
lease_new(const char *mac, const char *client_id, const char *ip, const char *hostname,
          const char *iaid, const char *server_duid, int *err)
{
    const char *expires = g_getenv("DNSMASQ_LEASE_EXPIRES");
    g_autofree char *trimmed = NULL;
    gint64 expiry;
    char *end = NULL;
    VkJson *lease;

    if (!hostname)
        hostname = g_getenv("DNSMASQ_OLD_HOSTNAME");
    if (!mac)
        return NULL;
    trimmed = g_strstrip(g_strdup(expires ? expires : ""));
    expiry = g_ascii_strtoll(trimmed, &end, 10);
    if (!*trimmed || *end) {
        *err = fail("Unable to convert lease expiry time to long long: %s", trimmed);
        return NULL;
    }
    lease = vk_json_new_object();
    if (iaid)
        vk_json_object_set_string(lease, "iaid", iaid);
    vk_json_object_set_string(lease, "ip-address", ip);
    vk_json_object_set_string(lease, "mac-address", mac);
    if (hostname)
        vk_json_object_set_string(lease, "hostname", hostname);
    if (client_id)
        vk_json_object_set_string(lease, "client-id", client_id);
    if (server_duid)
        vk_json_object_set_string(lease, "server-duid", server_duid);
    if (expiry)
        vk_json_object_set_int(lease, "expiry-time", expiry);
    return lease;
}

/* virLeasePrintLeases: "EXPIRY MAC IP HOSTNAME CLIENTID" for the IPv4
 * leases, then "duid SERVER-DUID" and "EXPIRY IAID IP HOSTNAME CLIENTDUID"
 * for the IPv6 ones; '*' for what is unknown. */
static void
print_leases(const VkJson *leases, const char *server_duid)
{
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !server_duid)
            break;
        if (pass == 1)
            printf("duid %s\n", server_duid);
        for (guint i = 0; i < vk_json_array_length(leases); i++) {
            const VkJson *l = vk_json_array_get(leases, i);
            const char *ip = vk_json_object_get_string(l, "ip-address", "");
            const char *hostname = vk_json_object_get_string(l, "hostname", "*");
            const char *client_id = vk_json_object_get_string(l, "client-id", "*");

            if ((strchr(ip, ':') != NULL) != (pass == 1))
                continue;
            printf("%" G_GINT64_FORMAT " %s %s %s %s\n",
                   vk_json_object_get_int(l, "expiry-time", 0),
                   vk_json_object_get_string(l, pass ? "iaid" : "mac-address", "*"),
                   ip, hostname, client_id);
        }
    }
}

static int
parse_action(const char *word, Action *action)
{
    static const char *const names[] = { "add", "old", "del", "init" };

    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_str_equal(word, names[i])) {
            *action = (Action) i;
            return 0;
        }
    }
    return -1;
}

static int
run(Action action, const char *mac, const char *ip, const char *hostname)
{
    const char *iface = g_getenv("DNSMASQ_INTERFACE");
    const char *iaid = g_getenv("DNSMASQ_IAID");
    const char *client_id = g_getenv("DNSMASQ_CLIENT_ID");
    g_autofree char *server_duid = g_strdup(g_getenv("DNSMASQ_SERVER_DUID"));
    g_autoptr(VkPaths) paths = vk_paths_new(g_getenv("VIRTKIT_ROOT"));
    g_autofree char *dir = g_build_filename(paths->state_dir, "dnsmasq", NULL);
    g_autofree char *status = NULL;
    g_autofree char *text = NULL;
    g_autoptr(VkJson) leases = NULL;
    g_autoptr(VkJson) lease = NULL;
    int err = 0;

    if (!iface && !(iface = g_getenv("VIR_BRIDGE_NAME")))
        return fail("%s", "interface not set");
    if (strchr(iface, '/'))
        return fail("bad interface name '%s'", iface);
    /* IPv6: the second argument is the client's DUID, the MAC comes apart */
    if (iaid) {
        client_id = mac;
        mac = g_getenv("DNSMASQ_MAC");
    }
    if (action == ACTION_ADD || action == ACTION_OLD) {
        lease = lease_new(mac, client_id, ip, hostname, iaid, server_duid, &err);
        if (err)
            return err;
    }
    status = g_strdup_printf("%s/%s.status", dir, iface);
    if (take_lock(paths) < 0)
        return fail("cannot lock %s", "leaseshelper.pid");
    leases = vk_dnsmasq_status_read(status, lease || action == ACTION_DEL ? ip : NULL,
                                    time(NULL), &server_duid);
    if (action == ACTION_INIT) {
        print_leases(leases, server_duid);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }
    if (lease)
        vk_json_array_append(leases, g_steal_pointer(&lease));
    text = vk_dnsmasq_status_format(leases);
    if (vk_file_make_dirs(dir, 0755) < 0 ||
        vk_file_write_atomic(status, text, strlen(text), 0644) < 0)
        return fail("%s", vk_error_last_message());
    return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
    Action action;

    if (argc == 2 && g_str_equal(argv[1], "--help")) {
        printf("Usage: %s add|old|del|init mac|clientid ip [hostname]\n"
               "Designed for use with 'dnsmasq --dhcp-script'\n", argv[0]);
        return EXIT_SUCCESS;
    }
    if (argc == 2 && g_str_equal(argv[1], "--version")) {
        printf("%s (virtkit) %s\n", argv[0], VIRTKIT_VERSION);
        return EXIT_SUCCESS;
    }
    if (argc < 2 || parse_action(argv[1], &action) < 0)
        return fail("unsupported action: %s (try --help)", argc < 2 ? "" : argv[1]);
    if (action == ACTION_INIT ? argc != 2 : argc != 4 && argc != 5)
        return fail("%s: wrong number of arguments (try --help)", argv[1]);
    return run(action, argc > 2 ? argv[2] : NULL, argc > 3 ? argv[3] : NULL,
               argc == 5 ? argv[4] : g_getenv("DNSMASQ_SUPPLIED_HOSTNAME"));
}
