/* Connection URIs: the forms libvirt's remote driver accepts, the name sent
 * to the daemon, the socket picked, and clear errors for the rest. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/remote/uri.h"

typedef struct {
    const char *uri;
    const char *driver;
    const char *daemon;
    const char *name;     /* sent in CONNECT_OPEN */
    const char *socket;   /* explicit socket, or NULL */
    gboolean session;
} GoodCase;

static const GoodCase good[] = {
    { "qemu:///system", "qemu", "virtqemud", "qemu:///system", NULL, FALSE },
    { "qemu:///session", "qemu", "virtqemud", "qemu:///session", NULL, TRUE },
    { "qemu+unix:///system?socket=/tmp/vkc/run/libvirt/virtqemud-sock", "qemu", "virtqemud",
      "qemu:///system", "/tmp/vkc/run/libvirt/virtqemud-sock", FALSE },
    { "qemu+UNIX:///system?socket=/s", "qemu", "virtqemud", "qemu:///system", "/s", FALSE },
    { "qemu:///system?socket=%2Ftmp%2Fa%20b", "qemu", "virtqemud", "qemu:///system",
      "/tmp/a b", FALSE },
    /* parameters the client does not consume go to the daemon */
    { "qemu:///system?foo=a%20b&socket=/s&mode=direct", "qemu", "virtqemud",
      "qemu:///system?foo=a%20b", "/s", FALSE },
    { "qemu:///system?name=qemu:///session", "qemu", "virtqemud", "qemu:///session",
      NULL, FALSE },
    { "qemu:///system?no_verify=1&keyfile=/k", "qemu", "virtqemud", "qemu:///system", NULL,
      FALSE },
    { "network:///system", "network", "virtnetworkd", "network:///system", NULL, FALSE },
    { "storage:///system", "storage", "virtstoraged", "storage:///system", NULL, FALSE },
    { "nodedev:///session", "nodedev", "virtnodedevd", "nodedev:///session", NULL, TRUE },
    { "nodedev+unix:///system", "nodedev", "virtnodedevd", "nodedev:///system", NULL, FALSE },
};

static void
test_good(gconstpointer data)
{
    const GoodCase *c = data;
    g_autoptr(VkUri) uri = NULL;

    vk_error_reset();
    uri = vk_uri_parse(c->uri);
    g_assert_nonnull(uri);
    g_assert_null(vk_error_last());
    g_assert_cmpstr(uri->uri, ==, c->uri);
    g_assert_cmpstr(uri->driver, ==, c->driver);
    g_assert_cmpstr(uri->daemon, ==, c->daemon);
    g_assert_cmpstr(uri->name, ==, c->name);
    g_assert_cmpstr(uri->socket, ==, c->socket);
    g_assert_cmpint(uri->session, ==, c->session);
    if (c->socket) {
        g_autofree char *path = vk_uri_socket_path(uri, TRUE, "/nonexistent");
        g_assert_cmpstr(path, ==, c->socket);
    }
}

typedef struct {
    const char *uri;
    int code;
    const char *needle;   /* must appear in the message, besides the URI */
} BadCase;

static const BadCase bad[] = {
    { "", VIR_ERR_INVALID_ARG, "empty" },
    { "qemu", VIR_ERR_INVALID_ARG, "driver name" },
    { ":///system", VIR_ERR_INVALID_ARG, "driver name" },
    { "foo:///system", VIR_ERR_NO_CONNECT, "no connection driver available for" },
    { "QEMU:///system", VIR_ERR_NO_CONNECT, "no connection driver available for" },
    { "qemu+bogus:///system", VIR_ERR_INVALID_ARG, "not recognised" },
    { "qemu+ssh://host/system", VIR_ERR_INVALID_ARG, "not supported" },
    { "qemu+tcp:///system", VIR_ERR_INVALID_ARG, "not supported" },
    { "qemu://host/system", VIR_ERR_INVALID_ARG, "remote server 'host'" },
    { "qemu+unix://localhost/system", VIR_ERR_INVALID_ARG, "remote server 'localhost'" },
    { "qemu://user@/system", VIR_ERR_INVALID_ARG, "not supported" },
    { "qemu:///bogus", VIR_ERR_INVALID_ARG, "unexpected path '/bogus'" },
    { "qemu:////system", VIR_ERR_INVALID_ARG, "unexpected path '//system'" },
    { "qemu:///", VIR_ERR_INVALID_ARG, "unexpected path '/'" },
    { "qemu:system", VIR_ERR_INVALID_ARG, "qemu:///system" },
    { "qemu:///system?mode=bogus", VIR_ERR_INVALID_ARG, "unknown remote mode 'bogus'" },
    { "qemu:///system?socket=%zz", VIR_ERR_INVALID_ARG, "cannot parse" },
};

static void
test_bad(gconstpointer data)
{
    const BadCase *c = data;
    g_autoptr(VkUri) uri = NULL;
    const VkError *err;

    vk_error_reset();
    uri = vk_uri_parse(c->uri);
    g_assert_null(uri);
    err = vk_error_last();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, c->code);
    g_assert_nonnull(strstr(err->message, c->needle));
    /* the message names the URI at fault */
    if (*c->uri)
        g_assert_nonnull(strstr(err->message, c->uri));
}

static void
test_null(void)
{
    vk_error_reset();
    g_assert_null(vk_uri_parse(NULL));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
}

static void
touch(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, "", 0, NULL));
}

/* System sockets: the daemon's own, else libvirtd's, else the daemon's
 * (so that the error names it); -ro variants for read-only. */
static void
test_system_socket_fallback(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-uri-XXXXXX", NULL);
    g_autoptr(VkUri) uri = vk_uri_parse("qemu:///system");
    g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL, *p5 = NULL;
    g_autofree char *expect = NULL;

    g_assert_nonnull(dir);
    g_assert_nonnull(uri);

    p1 = vk_uri_socket_path(uri, FALSE, dir);
    expect = g_strdup_printf("%s/virtqemud-sock", dir);
    g_assert_cmpstr(p1, ==, expect);

    touch(dir, "libvirt-sock");
    touch(dir, "libvirt-sock-ro");
    p2 = vk_uri_socket_path(uri, FALSE, dir);
    g_free(expect);
    expect = g_strdup_printf("%s/libvirt-sock", dir);
    g_assert_cmpstr(p2, ==, expect);
    p3 = vk_uri_socket_path(uri, TRUE, dir);
    g_free(expect);
    expect = g_strdup_printf("%s/libvirt-sock-ro", dir);
    g_assert_cmpstr(p3, ==, expect);

    touch(dir, "virtqemud-sock");
    p4 = vk_uri_socket_path(uri, FALSE, dir);
    g_free(expect);
    expect = g_strdup_printf("%s/virtqemud-sock", dir);
    g_assert_cmpstr(p4, ==, expect);
    /* no virtqemud-sock-ro yet: read-only still falls back */
    p5 = vk_uri_socket_path(uri, TRUE, dir);
    g_free(expect);
    expect = g_strdup_printf("%s/libvirt-sock-ro", dir);
    g_assert_cmpstr(p5, ==, expect);

    for (gsize i = 0; i < 3; i++) {
        const char *names[] = { "virtqemud-sock", "libvirt-sock", "libvirt-sock-ro" };
        g_autofree char *path = g_build_filename(dir, names[i], NULL);
        g_unlink(path);
    }
    g_rmdir(dir);
}

static void
test_mode(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-uri-XXXXXX", NULL);
    g_autoptr(VkUri) legacy = vk_uri_parse("network:///system?mode=legacy");
    g_autoptr(VkUri) direct = vk_uri_parse("network:///system?mode=direct");
    g_autofree char *p1 = NULL, *p2 = NULL, *e1 = NULL, *e2 = NULL;

    g_assert_nonnull(legacy);
    g_assert_nonnull(direct);
    g_assert_cmpstr(legacy->name, ==, "network:///system");
    touch(dir, "libvirt-sock");
    p1 = vk_uri_socket_path(legacy, FALSE, dir);
    p2 = vk_uri_socket_path(direct, FALSE, dir);
    e1 = g_strdup_printf("%s/libvirt-sock", dir);
    e2 = g_strdup_printf("%s/virtnetworkd-sock", dir);
    g_assert_cmpstr(p1, ==, e1);
    g_assert_cmpstr(p2, ==, e2);
    g_unlink(e1);
    g_rmdir(dir);
}

/* A user's session URIs use XDG_RUNTIME_DIR/libvirt; root's go to the
 * system sockets, as with libvirt. */
static void
test_session_socket(void)
{
    g_autoptr(VkUri) uri = vk_uri_parse("qemu:///session");
    g_autofree char *path = NULL;

    g_assert_nonnull(uri);
    g_setenv("XDG_RUNTIME_DIR", "/tmp/test-uri-runtime", TRUE);
    path = vk_uri_socket_path(uri, TRUE, "/nonexistent");
    if (geteuid() == 0)
        g_assert_cmpstr(path, ==, "/nonexistent/virtqemud-sock-ro");
    else
        g_assert_cmpstr(path, ==, "/tmp/test-uri-runtime/libvirt/virtqemud-sock");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *name = g_strdup_printf("/uri/good/%zu", i);
        g_test_add_data_func(name, &good[i], test_good);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *name = g_strdup_printf("/uri/bad/%zu", i);
        g_test_add_data_func(name, &bad[i], test_bad);
    }
    g_test_add_func("/uri/null", test_null);
    g_test_add_func("/uri/socket/system-fallback", test_system_socket_fallback);
    g_test_add_func("/uri/socket/mode", test_mode);
    g_test_add_func("/uri/socket/session", test_session_socket);
    return g_test_run();
}
