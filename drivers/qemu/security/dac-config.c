#include "drivers/qemu/security/dac-config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/util/conf-file.h"
#include "common/util/error.h"

/* "+N" is a number; anything else a name, or a number when no such name
 * exists (libvirt's virGetUserID / virGetGroupID). */
static bool
parse_numeric(const char *text, guint64 *value)
{
    return g_ascii_string_to_unsigned(text + (text[0] == '+'), 10, 0, G_MAXUINT32 - 1,
                                      value, NULL);
}

static int
resolve_user(const char *name, uid_t *uid)
{
    struct passwd *pw = name[0] == '+' ? NULL : getpwnam(name);
    guint64 n;

    if (pw) {
        *uid = pw->pw_uid;
        return 0;
    }
    if (!parse_numeric(name, &n)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "Failed to parse user '%s'", name + (name[0] == '+'));
        return -1;
    }
    *uid = (uid_t) n;
    return 0;
}

static int
resolve_group(const char *name, gid_t *gid)
{
    struct group *gr = name[0] == '+' ? NULL : getgrnam(name);
    guint64 n;

    if (gr) {
        *gid = gr->gr_gid;
        return 0;
    }
    if (!parse_numeric(name, &n)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "Failed to parse group '%s'", name + (name[0] == '+'));
        return -1;
    }
    *gid = (gid_t) n;
    return 0;
}

/* The supplementary groups QEMU gets: those of the user's account, as
 * libvirt gives them (the kvm group on Debian opens /dev/kvm). */
static void
load_groups(VkDacConfig *cfg)
{
    struct passwd *pw = getpwuid(cfg->user);
    int n = 64;

    if (!pw)
        return;
    cfg->groups = g_new0(gid_t, n);
    if (getgrouplist(pw->pw_name, cfg->group, cfg->groups, &n) < 0) {
        cfg->groups = g_renew(gid_t, cfg->groups, n);
        if (getgrouplist(pw->pw_name, cfg->group, cfg->groups, &n) < 0)
            n = 0;
    }
    cfg->n_groups = n;
}

/* The compiled-in default account may be missing (no libvirt-daemon-system):
 * then root, with a warning, rather than a daemon that cannot start. */
static int
resolve_ids(VkDacConfig *cfg, const char *user, const char *group, bool user_given,
            bool group_given)
{
    if (!user_given && !getpwnam(user)) {
        g_warning("no user '%s': QEMU runs as root", user);
        user = "+0";
    }
    if (!group_given && !getgrnam(group)) {
        g_warning("no group '%s': QEMU runs with group root", group);
        group = "+0";
    }
    if (resolve_user(user, &cfg->user) < 0 || resolve_group(group, &cfg->group) < 0)
        return -1;
    load_groups(cfg);
    return 0;
}

static int
read_file(VkDacConfig *cfg, const VkConfFile *conf)
{
    g_autofree char *user = g_strdup(VK_DAC_DEFAULT_USER);
    g_autofree char *group = g_strdup(VK_DAC_DEFAULT_GROUP);
    gboolean dynamic = TRUE, remember = TRUE, clear_caps = TRUE;
    int user_given = 0, group_given = 0;

    if (conf && ((user_given = vk_conf_get_string(conf, "user", &user)) < 0 ||
                 (group_given = vk_conf_get_string(conf, "group", &group)) < 0 ||
                 vk_conf_get_bool(conf, "dynamic_ownership", &dynamic) < 0 ||
                 vk_conf_get_bool(conf, "remember_owner", &remember) < 0 ||
                 vk_conf_get_bool(conf, "clear_emulator_capabilities", &clear_caps) < 0))
        return -1;
    cfg->dynamic_ownership = dynamic;
    cfg->remember_owner = remember;
    cfg->clear_caps = clear_caps;
    return resolve_ids(cfg, user, group, user_given > 0, group_given > 0);
}

VkDacConfig *
vk_dac_config_load(const VkPaths *paths)
{
    g_autoptr(VkDacConfig) cfg = g_new0(VkDacConfig, 1);
    g_autofree char *path = vk_paths_prefix(paths, "/etc/libvirt/qemu.conf");
    g_autoptr(VkConfFile) conf = NULL;

    cfg->privileged = geteuid() == 0 && !paths->session;
    if (!cfg->privileged) {
        /* libvirt's session daemon: QEMU runs as the caller, nothing chowned */
        cfg->user = geteuid();
        cfg->group = getegid();
        return g_steal_pointer(&cfg);
    }
    if (g_file_test(path, G_FILE_TEST_EXISTS) && !(conf = vk_conf_file_load(path)))
        return NULL;
    if (read_file(cfg, conf) < 0)
        return NULL;
    return g_steal_pointer(&cfg);
}

void
vk_dac_config_free(VkDacConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->groups);
    g_free(cfg);
}

VkDacConfig *
vk_dac_config_with_ids(const VkDacConfig *cfg, uid_t user, gid_t group)
{
    VkDacConfig *copy = g_memdup2(cfg, sizeof(*cfg));

    copy->user = user;
    copy->group = group;
    copy->groups = NULL;
    copy->n_groups = 0;
    if (cfg->privileged)
        load_groups(copy);
    return copy;
}

int
vk_dac_config_parse_label(const char *label, uid_t *user, gid_t *group)
{
    g_auto(GStrv) parts = g_strsplit(label, ":", 2);

    if (!parts[0] || !parts[1] || !*parts[0] || !*parts[1]) {
        vk_error_report(VIR_FROM_SECURITY, VIR_ERR_INVALID_ARG,
                        "Missing separator ':' in DAC label \"%s\"", label);
        return -1;
    }
    return resolve_user(parts[0], user) < 0 || resolve_group(parts[1], group) < 0 ? -1 : 0;
}

char *
vk_dac_config_label(const VkDacConfig *cfg)
{
    return g_strdup_printf("+%u:+%u", (unsigned) cfg->user, (unsigned) cfg->group);
}

bool
vk_dac_config_relabels(const VkDacConfig *cfg)
{
    return cfg->privileged && cfg->dynamic_ownership;
}
