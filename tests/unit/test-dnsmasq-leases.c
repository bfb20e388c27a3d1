/* virtkit-leaseshelper run as dnsmasq runs it (arguments and environment)
 * on a temporary root, and leases.c reading its status file back. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "drivers/network/dnsmasq/leases.h"
#include "network-builder.h"
#include "virtkit-config.h"

#define HELPER VIRTKIT_BUILD_ROOT "/drivers/network/dnsmasq/virtkit-leaseshelper"

typedef struct {
    char *root;
    char *status;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    f->root = g_dir_make_tmp("virtkit-leases-XXXXXX", NULL);
    g_assert_nonnull(f->root);
    f->status = g_strdup_printf("%s/var/lib/libvirt/dnsmasq/virbr0.status", f->root);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);

    g_assert_cmpint(system(cmd), ==, 0);
    g_free(f->root);
    g_free(f->status);
}

/* Run the helper with ARGS (NULL-terminated) and ENV ("NAME=VALUE", NULL-
 * terminated) plus VIRTKIT_ROOT; its exit code, its stdout in *OUT. */
static int
helper(Fixture *f, const char *const *args, const char *const *env, char **out)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func(g_free);
    int status = -1;

    g_ptr_array_add(argv, (char *) HELPER);
    for (; *args; args++)
        g_ptr_array_add(argv, (char *) *args);
    g_ptr_array_add(argv, NULL);
    g_ptr_array_add(envp, g_strdup_printf("VIRTKIT_ROOT=%s", f->root));
    for (; env && *env; env++)
        g_ptr_array_add(envp, g_strdup(*env));
    g_ptr_array_add(envp, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **) argv->pdata, (char **) envp->pdata,
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL, &status, NULL));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *
expires_in(int seconds)
{
    return g_strdup_printf("DNSMASQ_LEASE_EXPIRES=%" G_GINT64_FORMAT,
                           (gint64) time(NULL) + seconds);
}

static VkNetworkDef *
network(NetBuilder **nb)
{
    *nb = nb_new("default", "virbr0", VK_NETWORK_FORWARD_NAT);
    nb_ip(*nb, "192.168.122.1", "255.255.255.0", 0);
    nb_ip(*nb, "2001:db8::1", NULL, 64);
    return nb_def(*nb);
}

static void
test_add_old_del(Fixture *f, gconstpointer data)
{
    g_autofree char *exp = expires_in(3600);
    const char *env[] = { "DNSMASQ_INTERFACE=virbr0", exp,
                          "DNSMASQ_CLIENT_ID=01:52:54:00:11:22:33", NULL };
    const char *add[] = { "add", "52:54:00:11:22:33", "192.168.122.50", "vm1", NULL };
    const char *add2[] = { "add", "52:54:00:44:55:66", "192.168.122.51", NULL };
    const char *old[] = { "old", "52:54:00:11:22:33", "192.168.122.50", "vm1-renamed", NULL };
    const char *del[] = { "del", "52:54:00:11:22:33", "192.168.122.50", NULL };
    NetBuilder *nb;
    VkNetworkDef *def = network(&nb);
    g_autoptr(GPtrArray) leases = NULL;
    g_autoptr(GPtrArray) one = NULL;
    g_autofree char *text = NULL;
    VkDnsmasqLease *l;

    g_assert_cmpint(helper(f, add, env, NULL), ==, 0);
    g_assert_cmpint(helper(f, add2, env, NULL), ==, 0);
    g_assert_true(g_file_get_contents(f->status, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "[\n  {\n    \"ip-address\": \"192.168.122.50\",\n"
                                         "    \"mac-address\": \"52:54:00:11:22:33\",\n"
                                         "    \"hostname\": \"vm1\",\n"));

    leases = vk_dnsmasq_leases_get(f->status, def, NULL, 0);
    g_assert_cmpuint(leases->len, ==, 2);
    l = g_ptr_array_index(leases, 0);
    g_assert_cmpstr(l->ip, ==, "192.168.122.50");
    g_assert_cmpstr(l->hostname, ==, "vm1");
    g_assert_cmpstr(l->client_id, ==, "01:52:54:00:11:22:33");
    g_assert_cmpint(l->prefix, ==, 24);
    g_assert_false(l->ipv6);
    g_assert_cmpint(l->expiry_time, >, (gint64) time(NULL) + 3500);

    /* old: the lease of that address is replaced */
    g_assert_cmpint(helper(f, old, env, NULL), ==, 0);
    one = vk_dnsmasq_leases_get(f->status, def, "52:54:00:11:22:33", 0);
    g_assert_cmpuint(one->len, ==, 1);
    g_assert_cmpstr(((VkDnsmasqLease *) g_ptr_array_index(one, 0))->hostname, ==, "vm1-renamed");
    g_ptr_array_unref(one);
    one = vk_dnsmasq_leases_get(f->status, def, "52:54:00:44:55:66", 0);
    g_assert_cmpuint(one->len, ==, 1);

    g_assert_cmpint(helper(f, del, env, NULL), ==, 0);
    g_ptr_array_unref(leases);
    leases = vk_dnsmasq_leases_get(f->status, def, NULL, 0);
    g_assert_cmpuint(leases->len, ==, 1);
    g_assert_cmpstr(((VkDnsmasqLease *) g_ptr_array_index(leases, 0))->ip, ==, "192.168.122.51");
    nb_free(nb);
}

static void
test_expiry_and_init(Fixture *f, gconstpointer data)
{
    g_autofree char *past = expires_in(-10);
    g_autofree char *future = expires_in(600);
    g_autofree char *future6 = expires_in(700);
    const char *env_past[] = { "DNSMASQ_INTERFACE=virbr0", past, NULL };
    const char *env_now[] = { "DNSMASQ_INTERFACE=virbr0", future, NULL };
    const char *env6[] = { "DNSMASQ_INTERFACE=virbr0", future6, "DNSMASQ_IAID=1234",
                           "DNSMASQ_MAC=52:54:00:00:00:06", "DNSMASQ_SERVER_DUID=00:01:00:01:aa",
                           "DNSMASQ_SUPPLIED_HOSTNAME=six", NULL };
    const char *env_init[] = { "VIR_BRIDGE_NAME=virbr0", NULL };
    const char *a1[] = { "add", "52:54:00:00:00:01", "192.168.122.61", NULL };
    const char *a2[] = { "add", "52:54:00:00:00:02", "192.168.122.62", "two", NULL };
    const char *a6[] = { "add", "00:04:aa:bb", "2001:db8::66", NULL };
    const char *init[] = { "init", NULL };
    g_autofree char *out = NULL;
    g_autofree char *expect = NULL;
    NetBuilder *nb;
    VkNetworkDef *def = network(&nb);
    g_autoptr(GPtrArray) leases = NULL;
    VkDnsmasqLease *six;

    g_assert_cmpint(helper(f, a1, env_past, NULL), ==, 0);
    leases = vk_dnsmasq_leases_get(f->status, def, NULL, 0);
    g_assert_cmpuint(leases->len, ==, 0);            /* expired: not listed */
    g_assert_cmpint(helper(f, a2, env_now, NULL), ==, 0);
    g_assert_cmpint(helper(f, a6, env6, NULL), ==, 0);
    g_ptr_array_unref(leases);
    leases = vk_dnsmasq_leases_get(f->status, def, NULL, 0);
    g_assert_cmpuint(leases->len, ==, 2);            /* and dropped from the file */
    six = g_ptr_array_index(leases, 1);
    g_assert_true(six->ipv6);
    g_assert_cmpstr(six->mac, ==, "52:54:00:00:00:06");
    g_assert_cmpstr(six->iaid, ==, "1234");
    g_assert_cmpstr(six->client_id, ==, "00:04:aa:bb");
    g_assert_cmpstr(six->hostname, ==, "six");
    g_assert_cmpint(six->prefix, ==, 64);

    g_assert_cmpint(helper(f, init, env_init, &out), ==, 0);
    expect = g_strdup_printf("%s 52:54:00:00:00:02 192.168.122.62 two *\n"
                             "duid 00:01:00:01:aa\n"
                             "%s 1234 2001:db8::66 six 00:04:aa:bb\n",
                             future + strlen("DNSMASQ_LEASE_EXPIRES="),
                             future6 + strlen("DNSMASQ_LEASE_EXPIRES="));
    g_assert_cmpstr(out, ==, expect);
    nb_free(nb);
}

static void
test_bad_input(Fixture *f, gconstpointer data)
{
    const char *no_iface[] = { "DNSMASQ_LEASE_EXPIRES=1", NULL };
    const char *env[] = { "DNSMASQ_INTERFACE=virbr0", NULL };
    const char *add[] = { "add", "52:54:00:00:00:01", "192.168.122.61", NULL };
    const char *bogus[] = { "frob", "x", "y", NULL };
    const char *init[] = { "init", NULL };
    NetBuilder *nb;
    VkNetworkDef *def = network(&nb);
    g_autoptr(GPtrArray) leases = NULL;
    g_autofree char *dir = g_path_get_dirname(f->status);

    g_assert_cmpint(helper(f, init, no_iface, NULL), !=, 0);   /* no interface */
    g_assert_cmpint(helper(f, add, env, NULL), !=, 0);         /* no expiry */
    g_assert_cmpint(helper(f, bogus, env, NULL), !=, 0);
    /* a corrupt status file: the reader reports it, the helper rewrites it */
    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    g_assert_true(g_file_set_contents(f->status, "{ not json", -1, NULL));
    g_assert_null(vk_dnsmasq_leases_get(f->status, def, NULL, 0));
    {
        const char *env_ok[] = { "DNSMASQ_INTERFACE=virbr0", "DNSMASQ_LEASE_EXPIRES=4000000000",
                                 NULL };
        g_assert_cmpint(helper(f, add, env_ok, NULL), ==, 0);
    }
    leases = vk_dnsmasq_leases_get(f->status, def, NULL, 0);
    g_assert_cmpuint(leases->len, ==, 1);
    nb_free(nb);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/dnsmasq-leases/add-old-del", Fixture, NULL, fixture_setup, test_add_old_del,
               fixture_teardown);
    g_test_add("/dnsmasq-leases/expiry-and-init", Fixture, NULL, fixture_setup,
               test_expiry_and_init, fixture_teardown);
    g_test_add("/dnsmasq-leases/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
               fixture_teardown);
    return g_test_run();
}
