#include "tools/command.h"

#include <string.h>

#include "tools/cmd-groups.h"

const VkshCmdGroup vksh_cmd_groups[] = {
    { "Domain Management", "domain", vksh_domain_cmds },
    { "Domain Monitoring", "monitor", vksh_domain_monitor_cmds },
    { "Host and Hypervisor", "host", vksh_host_cmds },
    { "Networking", "network", vksh_network_cmds },
    { "Node Device", "nodedev", vksh_nodedev_cmds },
    { "Storage Pool", "pool", vksh_storage_pool_cmds },
    { "Storage Volume", "volume", vksh_storage_vol_cmds },
    { "Virtkit itself", "virtkit", vksh_shell_cmds },
    { NULL, NULL, NULL },
};

void
vksh_cmd_free(VkshCmd *cmd)
{
    if (!cmd)
        return;
    g_hash_table_unref(cmd->opts);
    g_free(cmd);
}

bool
vksh_cmd_opt_bool(const VkshCmd *cmd, const char *name)
{
    return g_hash_table_contains(cmd->opts, name);
}

const char *
vksh_cmd_opt_string(const VkshCmd *cmd, const char *name)
{
    return g_hash_table_lookup(cmd->opts, name);
}

const VkshCmdDef *
vksh_cmd_lookup(const char *name)
{
    for (const VkshCmdGroup *g = vksh_cmd_groups; g->name; g++) {
        for (const VkshCmdDef *d = g->cmds; d->name; d++) {
            if (strcmp(d->name, name) == 0)
                return d;
        }
    }
    return NULL;
}

const VkshCmdGroup *
vksh_cmd_group_lookup(const char *keyword)
{
    for (const VkshCmdGroup *g = vksh_cmd_groups; g->name; g++) {
        if (strcmp(g->keyword, keyword) == 0)
            return g;
    }
    return NULL;
}

static const VkshOptDef *
find_opt(const VkshCmdDef *def, const char *name)
{
    for (const VkshOptDef *o = def->opts; o && o->name; o++) {
        if (strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

static const VkshOptDef *
next_positional(const VkshCmdDef *def, GHashTable *given)
{
    for (const VkshOptDef *o = def->opts; o && o->name; o++) {
        if ((o->flags & VKSH_OFLAG_POSITIONAL) && !g_hash_table_contains(given, o->name))
            return o;
    }
    return NULL;
}

/* Build one call from WORDS (the command name first). */
static VkshCmd *
build_cmd(char **words, gsize n, char **error)
{
    const VkshCmdDef *def = vksh_cmd_lookup(words[0]);
    g_autoptr(VkshCmd) cmd = NULL;
    g_autoptr(GString) missing = NULL;
    bool only_data = false;

    if (!def) {
        *error = g_strdup_printf("unknown command: '%s'", words[0]);
        return NULL;
    }
    cmd = g_new0(VkshCmd, 1);
    cmd->def = def;
    cmd->opts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

    for (gsize i = 1; i < n; i++) {
        const char *w = words[i];
        const VkshOptDef *opt;

        if (!only_data && strcmp(w, "--") == 0) {
            only_data = true;
            continue;
        }
        if (!only_data && g_str_has_prefix(w, "--") && w[2]) {
            g_autofree char *name = g_strdup(w + 2);
            char *eq = strchr(name, '=');

            if (eq)
                *eq++ = '\0';
            if (!(opt = find_opt(def, name))) {
                /* "CMD --help" is "help CMD", as in virsh. */
                if (strcmp(name, "help") == 0 && !eq) {
                    const VkshCmdDef *help = vksh_cmd_lookup("help");
                    vksh_cmd_free(g_steal_pointer(&cmd));
                    cmd = g_new0(VkshCmd, 1);
                    cmd->def = help;
                    cmd->opts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
                    g_hash_table_insert(cmd->opts, (char *) "command", g_strdup(def->name));
                    return g_steal_pointer(&cmd);
                }
                *error = g_strdup_printf("command '%s' doesn't support option --%s",
                                         def->name, name);
                return NULL;
            }
            if (g_hash_table_contains(cmd->opts, opt->name)) {
                *error = g_strdup_printf("option --%s already seen", opt->name);
                return NULL;
            }
            if (opt->type == VKSH_OT_BOOL) {
                if (eq) {
                    *error = g_strdup_printf("invalid '=' after option --%s", opt->name);
                    return NULL;
                }
                g_hash_table_insert(cmd->opts, (char *) opt->name, g_strdup(""));
            } else if (eq) {
                g_hash_table_insert(cmd->opts, (char *) opt->name, g_strdup(eq));
            } else if (i + 1 < n) {
                g_hash_table_insert(cmd->opts, (char *) opt->name, g_strdup(words[++i]));
            } else {
                *error = g_strdup_printf("expected syntax: --%s <string>", opt->name);
                return NULL;
            }
            continue;
        }
        if (!(opt = next_positional(def, cmd->opts))) {
            *error = g_strdup_printf("unexpected data '%s'", w);
            return NULL;
        }
        g_hash_table_insert(cmd->opts, (char *) opt->name, g_strdup(w));
    }

    /* virsh names every required option missing, one error line each */
    for (const VkshOptDef *o = def->opts; o && o->name; o++) {
        if ((o->flags & VKSH_OFLAG_REQUIRED) && !g_hash_table_contains(cmd->opts, o->name)) {
            if (!missing)
                missing = g_string_new(NULL);
            else
                g_string_append(missing, "\nerror: ");
            if (o->flags & VKSH_OFLAG_POSITIONAL)
                g_string_append_printf(missing, "command '%s' requires <%s> option",
                                       def->name, o->name);
            else
                g_string_append_printf(missing, "command '%s' requires --%s option",
                                       def->name, o->name);
        }
    }
    if (missing) {
        *error = g_string_free(g_steal_pointer(&missing), false);
        return NULL;
    }
    return g_steal_pointer(&cmd);
}

GPtrArray *
vksh_cmd_parse_argv(int argc, char **argv, char **error)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify) vksh_cmd_free);
    VkshCmd *cmd;

    if (argc > 0) {
        if (!(cmd = build_cmd(argv, argc, error)))
            return NULL;
        g_ptr_array_add(cmds, cmd);
    }
    return g_steal_pointer(&cmds);
}

/* End the command collected in WORDS, if any, into CMDS. */
static bool
flush(GPtrArray *words, GPtrArray *cmds, char **error)
{
    VkshCmd *cmd;

    if (words->len == 0)
        return true;
    if (!(cmd = build_cmd((char **) words->pdata, words->len, error)))
        return false;
    g_ptr_array_add(cmds, cmd);
    g_ptr_array_set_size(words, 0);
    return true;
}

GPtrArray *
vksh_cmd_parse_line(const char *line, char **error)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify) vksh_cmd_free);
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
    const char *p = line;

    while (*p) {
        g_autoptr(GString) word = NULL;
        char quote = 0;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == ';' || *p == '\n') {
            if (!flush(words, cmds, error))
                return NULL;
            p++;
            continue;
        }
        if (*p == '#') {             /* a comment, to the end of the line */
            while (*p && *p != '\n')
                p++;
            continue;
        }

        word = g_string_new(NULL);
        while (*p) {
            if (!quote && (*p == ' ' || *p == '\t' || *p == ';' || *p == '\n'))
                break;
            if (quote != '\'' && *p == '\\') {
                if (!p[1]) {
                    *error = g_strdup("dangling \\");
                    return NULL;
                }
                g_string_append_c(word, p[1]);
                p += 2;
                continue;
            }
            if ((*p == '\'' || *p == '"') && (!quote || quote == *p)) {
                quote = quote ? 0 : *p;
                p++;
                continue;
            }
            g_string_append_c(word, *p++);
        }
        if (quote) {
            *error = g_strdup_printf("missing %c", quote);
            return NULL;
        }
        g_ptr_array_add(words, g_string_free(g_steal_pointer(&word), false));
    }
    if (!flush(words, cmds, error))
        return NULL;
    return g_steal_pointer(&cmds);
}
