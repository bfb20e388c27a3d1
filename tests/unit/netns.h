/* For the tests that change links, addresses or the firewall: they run in a
 * network namespace of their own (never the host's) and check their work
 * with the host's tools (ip, nft) run inside it. */
#pragma once

#include <glib.h>

/* Why the tests skip: set when vk_test_netns_enter() could not make the
 * namespace (e.g. not root), NULL otherwise. */
extern const char *vk_test_netns_skip;

/* Move the process into a new network namespace with lo up, or set
 * vk_test_netns_skip. */
void vk_test_netns_enter(void);

/* At the start of each test: skip it when there is no namespace. */
#define VK_TEST_NEED_NETNS() \
    do { \
        if (vk_test_netns_skip) { \
            g_test_skip(vk_test_netns_skip); \
            return; \
        } \
    } while (0)

/* Fail the test with the last error's message when RC is negative. */
void vk_test_assert_ok(int rc);

/* Run COMMAND_LINE (split like a shell, no shell) and return its stdout, or
 * NULL when it cannot run or exits with a failure. */
char *vk_test_run(const char *command_line);
