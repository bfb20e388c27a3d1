/* Commands about the tool itself: help, connect, quit, exit. */
#include <stdio.h>

#include "tools/cmd-groups.h"
#include "tools/shell.h"

static void
print_group(const VkshCmdGroup *group)
{
    printf(" %s (help keyword '%s'):\n", group->name, group->keyword);
    for (const VkshCmdDef *d = group->cmds; d->name; d++)
        printf("    %-30s %s\n", d->name, d->help);
    printf("\n");
}

/* One option as the OPTIONS list shows it, e.g. "[--domain] <string>". */
static char *
option_text(const VkshOptDef *o)
{
    if (o->type == VKSH_OT_BOOL)
        return g_strdup_printf("--%s", o->name);
    if ((o->flags & VKSH_OFLAG_REQUIRED) && (o->flags & VKSH_OFLAG_POSITIONAL))
        return g_strdup_printf("[--%s] <string>", o->name);
    return g_strdup_printf("--%s <string>", o->name);
}

static void
print_command(const VkshCmdDef *def)
{
    g_autoptr(GString) synopsis = g_string_new(def->name);

    for (const VkshOptDef *o = def->opts; o && o->name; o++) {
        bool required = o->flags & VKSH_OFLAG_REQUIRED;

        if (o->type == VKSH_OT_BOOL)
            g_string_append_printf(synopsis, " [--%s]", o->name);
        else if (required && (o->flags & VKSH_OFLAG_POSITIONAL))
            g_string_append_printf(synopsis, " <%s>", o->name);
        else
            g_string_append_printf(synopsis, required ? " --%s <string>" : " [--%s <string>]",
                                   o->name);
    }
    printf("  NAME\n    %s - %s\n\n", def->name, def->help);
    printf("  SYNOPSIS\n    %s\n\n", synopsis->str);
    if (def->desc && *def->desc)
        printf("  DESCRIPTION\n    %s\n\n", def->desc);
    if (def->opts && def->opts->name) {
        printf("  OPTIONS\n");
        for (const VkshOptDef *o = def->opts; o->name; o++) {
            g_autofree char *text = option_text(o);
            printf("    %-15s  %s\n", text, o->help);
        }
        printf("\n");
    }
}

static bool
cmd_help(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *name = vksh_cmd_opt_string(cmd, "command");
    const VkshCmdGroup *group;
    const VkshCmdDef *def;

    if (!name) {
        printf("Grouped commands:\n\n");
        for (group = vksh_cmd_groups; group->name; group++)
            print_group(group);
        return true;
    }
    if ((def = vksh_cmd_lookup(name))) {
        print_command(def);
        return true;
    }
    if ((group = vksh_cmd_group_lookup(name))) {
        print_group(group);
        return true;
    }
    vksh_error(ctl, "command or command group '%s' doesn't exist", name);
    return false;
}

static bool
cmd_connect(VkshControl *ctl, const VkshCmd *cmd)
{
    const char *name = vksh_cmd_opt_string(cmd, "name");

    vksh_disconnect(ctl);
    if (name) {
        g_free(ctl->uri);
        ctl->uri = g_strdup(name);
    }
    ctl->readonly = vksh_cmd_opt_bool(cmd, "readonly");
    return vksh_connect(ctl);
}

static bool
cmd_quit(VkshControl *ctl, const VkshCmd *cmd)
{
    ctl->quit = true;
    return true;
}

static const VkshOptDef help_opts[] = {
    { "command", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL,
      "Prints global help, command specific help, or help for a group of related commands" },
    { NULL },
};

static const VkshOptDef connect_opts[] = {
    { "name", VKSH_OT_STRING, VKSH_OFLAG_POSITIONAL, "hypervisor connection URI" },
    { "readonly", VKSH_OT_BOOL, 0, "read-only connection" },
    { NULL },
};

const VkshCmdDef vksh_shell_cmds[] = {
    { "connect", cmd_connect, connect_opts, "(re)connect to hypervisor",
      "Connect to local hypervisor. This is built-in command after shell start up.",
      VKSH_CMD_NOCONNECT },
    { "exit", cmd_quit, NULL, "quit this interactive terminal", NULL, VKSH_CMD_NOCONNECT },
    { "help", cmd_help, help_opts, "print help",
      "Prints global help, command specific help, or help for a\n"
      "    group of related commands", VKSH_CMD_NOCONNECT },
    { "quit", cmd_quit, NULL, "quit this interactive terminal", NULL, VKSH_CMD_NOCONNECT },
    { NULL },
};
