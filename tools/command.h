/* The commands of the virtkit tool: their definitions (a table per group,
 * in cmd-*.c), their options, and parsing a command line into calls, with
 * virsh's syntax: "list --all; nodeinfo", "--opt VALUE", "--opt=VALUE",
 * positional values, quotes and backslashes. */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct _VkshControl VkshControl;
typedef struct _VkshCmd VkshCmd;

typedef enum {
    VKSH_OT_BOOL,       /* --name */
    VKSH_OT_STRING,     /* --name VALUE */
} VkshOptType;

typedef enum {
    VKSH_OFLAG_REQUIRED = 1 << 0,     /* must be given */
    VKSH_OFLAG_POSITIONAL = 1 << 1,   /* may be given without its --name */
} VkshOptFlags;

typedef struct {
    const char *name;
    VkshOptType type;
    unsigned int flags;    /* VkshOptFlags */
    const char *help;
} VkshOptDef;

/* A command's handler: true on success.  On failure it prints what failed
 * (vksh_error) and leaves the API's last error for the shell to print. */
typedef bool (*VkshHandler)(VkshControl *ctl, const VkshCmd *cmd);

typedef enum {
    VKSH_CMD_NOCONNECT = 1 << 0,   /* runs without a connection */
} VkshCmdFlags;

typedef struct {
    const char *name;
    VkshHandler handler;
    const VkshOptDef *opts;   /* NULL-name terminated, or NULL */
    const char *help;         /* one line, for the command list */
    const char *desc;         /* longer text for "help NAME", or NULL */
    unsigned int flags;       /* VkshCmdFlags */
} VkshCmdDef;

typedef struct {
    const char *name;         /* "Host and Hypervisor" */
    const char *keyword;      /* "host", for "help host" */
    const VkshCmdDef *cmds;   /* NULL-name terminated */
} VkshCmdGroup;

/* One parsed call: its definition and the options given. */
struct _VkshCmd {
    const VkshCmdDef *def;
    GHashTable *opts;         /* option name -> value ("" for a bool) */
};

void vksh_cmd_free(VkshCmd *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkshCmd, vksh_cmd_free)

bool vksh_cmd_opt_bool(const VkshCmd *cmd, const char *name);
/* The option's value, or NULL when not given. */
const char *vksh_cmd_opt_string(const VkshCmd *cmd, const char *name);

/* All groups, NULL-name terminated. */
extern const VkshCmdGroup vksh_cmd_groups[];

const VkshCmdDef *vksh_cmd_lookup(const char *name);
const VkshCmdGroup *vksh_cmd_group_lookup(const char *keyword);

/* Parse LINE (commands separated by ';' or newlines) into a GPtrArray of
 * VkshCmd.  NULL with ERROR set to virsh's message ("unknown command:
 * 'x'", ...) when any part is wrong: nothing runs then. */
GPtrArray *vksh_cmd_parse_line(const char *line, char **error);
/* Parse one command given as separate words (the tool's arguments). */
GPtrArray *vksh_cmd_parse_argv(int argc, char **argv, char **error);
