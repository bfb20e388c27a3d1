#include "drivers/remote/uri.h"

#include <string.h>
#include <unistd.h>

#include "common/util/error.h"

#define VK_URI_SYSTEM_RUN_DIR "/run/libvirt"

/* The drivers we have a daemon for. */
static const struct {
    const char *driver;
    const char *daemon;
} drivers[] = {
    { "qemu", "virtqemud" },
    { "network", "virtnetworkd" },
    { "storage", "virtstoraged" },
    { "nodedev", "virtnodedevd" },
};

/* Every transport libvirt knows; we implement only "unix". */
static const char *const transports[] = {
    "tls", "unix", "ssh", "libssh2", "ext", "tcp", "libssh", NULL,
};

/* URI parameters the client itself consumes (libvirt's remote driver strips
 * them before sending the URI to the daemon). */
static const char *const client_params[] = {
    "name", "command", "socket", "auth", "sshauth", "netcat", "keyfile",
    "pkipath", "known_hosts", "known_hosts_verify", "tls_priority", "mode",
    "proxy", "no_sanity", "no_verify", "no_tty", "authfile", NULL,
};

void
vk_uri_free(VkUri *uri)
{
    if (!uri)
        return;
    g_free(uri->uri);
    g_free(uri->driver);
    g_free(uri->daemon);
    g_free(uri->path);
    g_free(uri->socket);
    g_free(uri->name);
    g_free(uri);
}

static bool
is_client_param(const char *name)
{
    for (gsize i = 0; client_params[i]; i++) {
        if (g_ascii_strcasecmp(name, client_params[i]) == 0)
            return true;
    }
    return false;
}

/* Split the scheme into driver and transport.  The driver is case
 * sensitive (libvirt has no "QEMU" driver), the transport is not. */
static int
parse_scheme(VkUri *uri, const char *scheme)
{
    const char *plus = strchr(scheme, '+');
    g_autofree char *transport = NULL;

    uri->driver = plus ? g_strndup(scheme, plus - scheme) : g_strdup(scheme);
    if (plus) {
        transport = g_ascii_strdown(plus + 1, -1);
        if (!g_strv_contains(transports, transport)) {
            vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                            "transport '%s' in URI '%s' not recognised "
                            "(should be tls|unix|ssh|ext|tcp|libssh2|libssh)",
                            plus + 1, uri->uri);
            return -1;
        }
        if (strcmp(transport, "unix") != 0) {
            vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                            "transport '%s' in URI '%s' is not supported: "
                            "only local UNIX socket connections are",
                            transport, uri->uri);
            return -1;
        }
    }
    for (gsize i = 0; i < G_N_ELEMENTS(drivers); i++) {
        if (strcmp(uri->driver, drivers[i].driver) == 0) {
            uri->daemon = g_strdup(drivers[i].daemon);
            return 0;
        }
    }
    vk_error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", uri->uri);
    return -1;
}

/* Take the client's own parameters out of QUERY (raw, still encoded) and
 * return the others re-encoded, in their order, for the daemon. */
static int
parse_params(VkUri *uri, const char *query, char **name_param, GString *passed)
{
    GUriParamsIter iter;
    g_autoptr(GError) gerr = NULL;
    char *key, *value;

    g_uri_params_iter_init(&iter, query, -1, "&", G_URI_PARAMS_NONE);
    while (g_uri_params_iter_next(&iter, &key, &value, &gerr)) {
        g_autofree char *k = key;
        g_autofree char *v = value;

        if (!is_client_param(k)) {
            g_autofree char *ev = g_uri_escape_string(v, NULL, false);
            g_string_append_printf(passed, "%s%s=%s", passed->len ? "&" : "", k, ev);
        } else if (g_ascii_strcasecmp(k, "socket") == 0) {
            g_free(uri->socket);
            uri->socket = g_steal_pointer(&v);
        } else if (g_ascii_strcasecmp(k, "name") == 0) {
            g_free(*name_param);
            *name_param = g_steal_pointer(&v);
        } else if (g_ascii_strcasecmp(k, "mode") == 0) {
            if (strcmp(v, "auto") == 0) {
                uri->mode = VK_URI_MODE_AUTO;
            } else if (strcmp(v, "legacy") == 0) {
                uri->mode = VK_URI_MODE_LEGACY;
            } else if (strcmp(v, "direct") == 0) {
                uri->mode = VK_URI_MODE_DIRECT;
            } else {
                vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                                "unknown remote mode '%s' in URI '%s' "
                                "(should be auto|legacy|direct)", v, uri->uri);
                return -1;
            }
        }
        /* The other client parameters (ssh, tls, auth) mean nothing for a
         * local UNIX socket: dropped, as libvirt drops them. */
    }
    if (gerr) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "cannot parse the parameters of URI '%s': %s",
                        uri->uri, gerr->message);
        return -1;
    }
    return 0;
}

VkUri *
vk_uri_parse(const char *str)
{
    g_autoptr(VkUri) uri = g_new0(VkUri, 1);
    g_autoptr(GUri) guri = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *scheme = NULL;
    g_autofree char *name_param = NULL;
    g_autoptr(GString) passed = g_string_new(NULL);
    const char *colon;
    const char *host;
    const char *query;
    const char *fragment;

    if (!str || !*str) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG, "%s",
                        "empty connection URI (try qemu:///system)");
        return NULL;
    }
    uri->uri = g_strdup(str);

    colon = strchr(str, ':');
    if (!colon || colon == str) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "URI '%s' does not include a driver name (try qemu:///system)", str);
        return NULL;
    }
    guri = g_uri_parse(str, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_FRAGMENT, &gerr);
    if (!guri) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "cannot parse URI '%s': %s", str, gerr->message);
        return NULL;
    }

    scheme = g_strndup(str, colon - str);
    if (parse_scheme(uri, scheme) < 0)
        return NULL;

    host = g_uri_get_host(guri);
    if (!host) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "invalid URI '%s' (maybe you want %s:///system)", str, uri->driver);
        return NULL;
    }
    if (*host || g_uri_get_port(guri) != -1 || g_uri_get_userinfo(guri)) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "remote server '%s' in URI '%s' is not supported: "
                        "only local UNIX socket connections are", host, str);
        return NULL;
    }

    uri->path = g_strdup(g_uri_get_path(guri));
    if (strcmp(uri->path, "/system") == 0) {
        uri->session = false;
    } else if (strcmp(uri->path, "/session") == 0) {
        uri->session = true;
    } else {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_INVALID_ARG,
                        "unexpected path '%s' in URI '%s', try %s:///system or %s:///session",
                        uri->path, str, uri->driver, uri->driver);
        return NULL;
    }

    query = g_uri_get_query(guri);
    if (query && parse_params(uri, query, &name_param, passed) < 0)
        return NULL;

    if (name_param) {
        uri->name = g_steal_pointer(&name_param);
    } else {
        fragment = g_uri_get_fragment(guri);
        uri->name = g_strdup_printf("%s://%s%s%s%s%s", uri->driver, uri->path,
                                    passed->len ? "?" : "", passed->str,
                                    fragment ? "#" : "", fragment ? fragment : "");
    }
    return g_steal_pointer(&uri);
}

/* Where the sockets of the calling user's session daemons live: libvirt's
 * user runtime directory.  Read from the environment each time (GLib caches
 * g_get_user_runtime_dir) so that tests can point it elsewhere. */
static char *
session_dir(void)
{
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");

    if (runtime && *runtime)
        return g_build_filename(runtime, "libvirt", NULL);
    return g_build_filename(g_get_user_cache_dir(), "libvirt", NULL);
}

char *
vk_uri_socket_path(const VkUri *uri, bool readonly, const char *system_run_dir)
{
    g_autofree char *dir = NULL;
    g_autofree char *direct = NULL;
    g_autofree char *legacy = NULL;
    const char *suffix;
    VkUriMode mode = uri->mode;

    if (uri->socket)
        return g_strdup(uri->socket);

    /* root's session URIs go to the system daemons, as in libvirt. */
    if (uri->session && geteuid() != 0) {
        dir = session_dir();
        suffix = "sock";     /* session daemons have no read-only socket */
    } else {
        dir = g_strdup(system_run_dir ? system_run_dir : VK_URI_SYSTEM_RUN_DIR);
        suffix = readonly ? "sock-ro" : "sock";
    }
    direct = g_strdup_printf("%s/%s-%s", dir, uri->daemon, suffix);
    legacy = g_strdup_printf("%s/libvirt-%s", dir, suffix);

    if (mode == VK_URI_MODE_AUTO) {
        if (g_file_test(direct, G_FILE_TEST_EXISTS))
            mode = VK_URI_MODE_DIRECT;
        else if (g_file_test(legacy, G_FILE_TEST_EXISTS))
            mode = VK_URI_MODE_LEGACY;
        else
            mode = VK_URI_MODE_DIRECT;  /* the error will name our daemon's socket */
    }
    if (mode == VK_URI_MODE_LEGACY)
        return g_steal_pointer(&legacy);
    return g_steal_pointer(&direct);
}
