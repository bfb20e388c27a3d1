#define VK_LOG_MODULE "daemon.config"
#include "common/daemon/config.h"
#include "common/util/error.h"
#include "common/util/log.h"

#include <errno.h>
#include <unistd.h>

VkDaemonConfig *
vk_daemon_config_new(void)
{
    VkDaemonConfig *cfg = g_new0(VkDaemonConfig, 1);

    cfg->max_clients = 5000;
    cfg->max_anonymous_clients = 20;
    cfg->max_queued_clients = 1000;
    cfg->max_client_requests = 5;
    cfg->min_workers = 1;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->admin_max_clients = 5000;
    cfg->admin_max_queued_clients = 20;
    cfg->admin_max_client_requests = 5;
    cfg->admin_min_workers = 1;
    cfg->admin_max_workers = 5;
    cfg->admin_keepalive_interval = 5;
    cfg->admin_keepalive_count = 5;
    cfg->unix_sock_ro_perms = 0777;
    cfg->unix_sock_rw_perms = 0700;
    cfg->unix_sock_admin_perms = 0700;
    return cfg;
}

void
vk_daemon_config_free(VkDaemonConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->log_filters);
    g_free(cfg->log_outputs);
    g_free(cfg->unix_sock_group);
    g_free(cfg->unix_sock_dir);
    g_free(cfg);
}

static int
get_perms(const VkConfFile *conf, const char *key, mode_t *mode)
{
    g_autofree char *text = NULL;
    guint64 value;
    int ret = vk_conf_get_string(conf, key, &text);

    if (ret <= 0)
        return ret;
    if (!g_ascii_string_to_unsigned(text, 8, 0, 07777, &value, NULL)) {
        vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
                        "%s:%d: '%s' is not a valid octal mode for '%s'",
                        vk_conf_file_name(conf), vk_conf_get_line(conf, key), text, key);
        return -1;
    }
    *mode = (mode_t) value;
    return 1;
}

static int
value_error(const VkConfFile *conf, const char *key, const char *why)
{
    vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: value of '%s' %s",
                    vk_conf_file_name(conf), vk_conf_get_line(conf, key), key, why);
    return -1;
}

int
vk_daemon_config_apply(VkDaemonConfig *cfg, const VkConfFile *conf)
{
    static const struct {
        const char *key;
        gsize offset;
    } uints[] = {
#define UINT_KEY(name) { #name, G_STRUCT_OFFSET(VkDaemonConfig, name) }
        UINT_KEY(max_clients),
        UINT_KEY(max_anonymous_clients),
        UINT_KEY(max_queued_clients),
        UINT_KEY(max_client_requests),
        UINT_KEY(min_workers),
        UINT_KEY(max_workers),
        UINT_KEY(prio_workers),
        UINT_KEY(keepalive_count),
        UINT_KEY(admin_max_clients),
        UINT_KEY(admin_max_queued_clients),
        UINT_KEY(admin_max_client_requests),
        UINT_KEY(admin_min_workers),
        UINT_KEY(admin_max_workers),
        UINT_KEY(admin_keepalive_count),
#undef UINT_KEY
    };

    for (gsize i = 0; i < G_N_ELEMENTS(uints); i++) {
        unsigned int *field = G_STRUCT_MEMBER_P(cfg, uints[i].offset);
        if (vk_conf_get_uint(conf, uints[i].key, field) < 0)
            return -1;
    }
    if (vk_conf_get_int(conf, "keepalive_interval", &cfg->keepalive_interval) < 0 ||
        vk_conf_get_int(conf, "admin_keepalive_interval", &cfg->admin_keepalive_interval) < 0 ||
        vk_conf_get_int(conf, "log_level", &cfg->log_level) < 0 ||
        vk_conf_get_string(conf, "log_filters", &cfg->log_filters) < 0 ||
        vk_conf_get_string(conf, "log_outputs", &cfg->log_outputs) < 0 ||
        vk_conf_get_string(conf, "unix_sock_group", &cfg->unix_sock_group) < 0 ||
        vk_conf_get_string(conf, "unix_sock_dir", &cfg->unix_sock_dir) < 0 ||
        get_perms(conf, "unix_sock_ro_perms", &cfg->unix_sock_ro_perms) < 0 ||
        get_perms(conf, "unix_sock_rw_perms", &cfg->unix_sock_rw_perms) < 0 ||
        get_perms(conf, "unix_sock_admin_perms", &cfg->unix_sock_admin_perms) < 0)
        return -1;

    if (cfg->log_level < 0 || cfg->log_level > 4)
        return value_error(conf, "log_level", "must be from 1 (debug) to 4 (error)");
    if (cfg->max_workers == 0)
        return value_error(conf, "max_workers", "must be at least 1");
    if (cfg->min_workers > cfg->max_workers)
        return value_error(conf, vk_conf_has(conf, "min_workers") ? "min_workers" : "max_workers",
                           "leaves min_workers greater than max_workers");
    if (cfg->admin_max_workers == 0)
        return value_error(conf, "admin_max_workers", "must be at least 1");
    if (cfg->admin_min_workers > cfg->admin_max_workers)
        return value_error(conf, vk_conf_has(conf, "admin_min_workers") ? "admin_min_workers"
                                                                         : "admin_max_workers",
                           "leaves admin_min_workers greater than admin_max_workers");
    if (cfg->max_anonymous_clients > cfg->max_clients)
        return value_error(conf, vk_conf_has(conf, "max_anonymous_clients") ? "max_anonymous_clients"
                                                                             : "max_clients",
                           "leaves max_anonymous_clients greater than max_clients");
    if (cfg->unix_sock_dir && !g_path_is_absolute(cfg->unix_sock_dir))
        return value_error(conf, "unix_sock_dir", "must be an absolute path");
    return 0;
}

int
vk_daemon_config_load(VkDaemonConfig *cfg, const char *path)
{
    g_autoptr(VkConfFile) conf = NULL;

    if (access(path, F_OK) < 0 && errno == ENOENT) {
        g_debug("no config file '%s', using defaults", path);
        return 0;
    }
    conf = vk_conf_file_load(path);
    if (!conf)
        return -1;
    return vk_daemon_config_apply(cfg, conf);
}

int
vk_daemon_config_setup_logging(const VkDaemonConfig *cfg, gboolean verbose)
{
    vk_log_init();
    if (vk_log_set_level(cfg->log_level) < 0 ||
        vk_log_set_filters(cfg->log_filters) < 0 ||
        vk_log_set_outputs(cfg->log_outputs) < 0 ||
        vk_log_set_from_env() < 0)
        return -1;
    if (verbose && vk_log_get_level() > VK_LOG_INFO)
        return vk_log_set_level(VK_LOG_INFO);
    return 0;
}
