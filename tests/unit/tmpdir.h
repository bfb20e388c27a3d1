/* Temporary directories for unit tests: made fresh, removed with all they
 * hold at the end of the test. */
#pragma once

#include <glib.h>

/* A new directory /tmp/virtkit-PREFIX-XXXXXX (the test fails otherwise). */
char *test_tmpdir_new(const char *prefix);

/* DIR and everything below it. */
void test_tmpdir_remove(const char *dir);
