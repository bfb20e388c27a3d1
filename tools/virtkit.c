/* virtkit: the command line tool, with virsh's commands, options and
 * output, so that scripts written for virsh work with it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tools/shell.h"
#include "virtkit-config.h"

static void
usage(FILE *out)
{
    fprintf(out,
            "\n"
            "virtkit [options]... [<command_string>]\n"
            "virtkit [options]... <command> [args...]\n"
            "\n"
            "  options:\n"
            "    -c | --connect=URI      hypervisor connection URI\n"
            "    -h | --help             this help\n"
            "    -q | --quiet            quiet mode\n"
            "    -r | --readonly         connect readonly\n"
            "    -v | --version          print the libvirt API version and exit\n"
            "    -V | --version=long     print Virtkit's version and exit\n"
            "\n"
            "  commands (non interactive mode): see 'virtkit help'\n"
            "\n");
}

/* Run the parsed commands of one line.  The result is the last command's,
 * as in virsh; FATAL is set when the connection could not be opened. */
static bool
run_all(VkshControl *ctl, GPtrArray *cmds, bool *fatal)
{
    bool ok = true;

    for (guint i = 0; i < cmds->len && !ctl->quit; i++) {
        const VkshCmd *cmd = cmds->pdata[i];

        if (!(cmd->def->flags & VKSH_CMD_NOCONNECT) && !vksh_connect(ctl)) {
            *fatal = true;
            return false;
        }
        ok = vksh_run(ctl, cmd);
    }
    return ok;
}

static bool
run_line(VkshControl *ctl, const char *line, bool *fatal)
{
    g_autofree char *error = NULL;
    g_autoptr(GPtrArray) cmds = vksh_cmd_parse_line(line, &error);

    if (!cmds) {
        vksh_error(ctl, "%s", error);
        return false;
    }
    return run_all(ctl, cmds, fatal);
}

/* No command given: read commands from standard input, with a prompt when
 * it is a terminal. */
static int
interactive(VkshControl *ctl)
{
    bool tty = isatty(STDIN_FILENO);
    char buf[8192];

    ctl->interactive = true;
    if (tty)
        printf("Welcome to virtkit, the virtualization interactive terminal.\n\n"
               "Type:  'help' for help with commands\n"
               "       'quit' to quit\n\n");
    while (!ctl->quit) {
        bool fatal = false;

        if (tty) {
            printf("virtkit # ");
            fflush(stdout);
        }
        if (!fgets(buf, sizeof(buf), stdin))
            break;
        run_line(ctl, buf, &fatal);
    }
    if (tty)
        printf("\n");
    return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
    static const struct option long_opts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "version", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    VkshControl ctl = { 0 };
    bool ok = true;
    bool fatal = false;
    int c;

    vksh_errors_init();
    /* '+': options end at the command, whose own options follow it */
    while ((c = getopt_long(argc, argv, "+c:hqrvV", long_opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(ctl.uri);
            ctl.uri = g_strdup(optarg);
            break;
        case 'h':
            usage(stdout);
            return EXIT_SUCCESS;
        case 'q':
            ctl.quiet = true;
            break;
        case 'r':
            ctl.readonly = true;
            break;
        case 'v':
            if (!optarg || g_str_equal(optarg, "short")) {
                printf("%d.%d.%d\n", LIBVIR_VERSION_NUMBER / 1000000,
                       LIBVIR_VERSION_NUMBER / 1000 % 1000, LIBVIR_VERSION_NUMBER % 1000);
                return EXIT_SUCCESS;
            }
            if (!g_str_equal(optarg, "long")) {
                vksh_error(&ctl, "unknown value '%s' of option --version", optarg);
                return EXIT_FAILURE;
            }
            G_GNUC_FALLTHROUGH;
        case 'V':
            printf("Virtkit %s, libvirt API %d.%d.%d\n", VIRTKIT_VERSION,
                   LIBVIR_VERSION_NUMBER / 1000000, LIBVIR_VERSION_NUMBER / 1000 % 1000,
                   LIBVIR_VERSION_NUMBER % 1000);
            return EXIT_SUCCESS;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }

    if (optind == argc) {
        int rc = interactive(&ctl);
        vksh_disconnect(&ctl);
        g_free(ctl.uri);
        return rc;
    }

    if (argc - optind == 1) {
        ok = run_line(&ctl, argv[optind], &fatal);
    } else {
        g_autofree char *error = NULL;
        g_autoptr(GPtrArray) cmds = vksh_cmd_parse_argv(argc - optind, argv + optind, &error);

        if (!cmds) {
            vksh_error(&ctl, "%s", error);
            ok = false;
        } else {
            ok = run_all(&ctl, cmds, &fatal);
        }
    }
    vksh_disconnect(&ctl);
    g_free(ctl.uri);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
