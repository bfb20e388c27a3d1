/* What the XML definition fuzz targets share: libxml2 kept quiet, and the
 * property they check: a parser and formatter never crash or leak, and
 * whatever parses formats to a document that parses and formats to the same
 * bytes again (fuzz_fail() otherwise, so libFuzzer keeps the input). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <libxml/parser.h>

#include "common/util/error.h"
#include "fuzz-fail.h"

/* One kind of definition: CTX is passed through (a pool type, flags). */
typedef struct {
    void *(*parse)(const char *xml, const void *ctx);
    char *(*format)(const void *def, const void *ctx);
    void (*free)(void *def);
} FuzzRoundTrip;

static void
fuzz_quiet(void *ctx, const char *msg, ...)
{
    (void) ctx;
    (void) msg;
}

static inline void
fuzz_round_trip(const FuzzRoundTrip *rt, const void *ctx, const uint8_t *data, size_t size)
{
    static int initialized;
    g_autofree char *xml = g_strndup((const char *) data, size);
    void *def;

    if (!initialized) {
        xmlSetGenericErrorFunc(NULL, fuzz_quiet);
        initialized = 1;
    }
    if ((def = rt->parse(xml, ctx))) {
        g_autofree char *once = rt->format(def, ctx);
        void *again = rt->parse(once, ctx);
        g_autofree char *twice = NULL;

        if (!again)
            fuzz_fail("formatted output does not parse: %s\n%s", vk_error_last_message(), once);
        twice = rt->format(again, ctx);
        if (strcmp(once, twice) != 0)
            fuzz_fail("round trip differs:\n%s\n---\n%s", once, twice);
        rt->free(again);
        rt->free(def);
    }
    vk_error_reset();
}

/* The whole target for a definition without context: PARSE (const char *
 * -> def), FORMAT (def -> char *) and FREE name its functions. */
#define FUZZ_ROUND_TRIP_TARGET(PARSE, FORMAT, FREE) \
    static void *fuzz_parse(const char *xml, const void *ctx) \
    { (void) ctx; return PARSE(xml); } \
    static char *fuzz_format(const void *def, const void *ctx) \
    { (void) ctx; return FORMAT(def); } \
    static void fuzz_free(void *def) { FREE(def); } \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
    { \
        static const FuzzRoundTrip rt = { fuzz_parse, fuzz_format, fuzz_free }; \
        fuzz_round_trip(&rt, NULL, data, size); \
        return 0; \
    }
