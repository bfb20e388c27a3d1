/* What the fuzz targets do when an input breaks a property they check:
 * print why and abort, so that libFuzzer saves the input as a crash. */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static inline void G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN
fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
