/* For the tests that change links, addresses or the firewall: they run in a
 * network namespace of their own (never the host's) and check their work
 * with the host's tools (ip, nft) run inside it. */
#pragma once

#include <stdbool.h>

/* Move the process into a new network namespace with lo up.  False (with
 * the reason in *WHY) when that is not possible, e.g. not root: then the
 * tests skip. */
bool vk_test_netns_enter(const char **why);

/* Run COMMAND_LINE (split like a shell, no shell) and return its stdout, or
 * NULL when it cannot run or exits with a failure. */
char *vk_test_run(const char *command_line);
