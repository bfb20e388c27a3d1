/* libFuzzer target: the <network> parser and formatter must never crash or
 * leak on any input, and whatever parses must format to a document that
 * parses and formats to the same bytes again. */
#include "common/conf/network-def.h"
#include "common/util/error.h"
#include "fuzz-fail.h"

#include <stdint.h>
#include <string.h>
#include <libxml/parser.h>

static void
quiet(void *ctx, const char *msg, ...)
{
    (void) ctx;
    (void) msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialized;
    g_autofree char *xml = g_strndup((const char *) data, size);
    g_autoptr(VkNetworkDef) def = NULL;

    if (!initialized) {
        xmlSetGenericErrorFunc(NULL, quiet);
        initialized = 1;
    }
    if ((def = vk_network_def_parse_string(xml))) {
        g_autofree char *once = vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
        g_autoptr(VkNetworkDef) again = vk_network_def_parse_string(once);
        g_autofree char *twice = NULL;

        if (!again)
            fuzz_fail("formatted output does not parse: %s\n%s", vk_error_last_message(), once);
        twice = vk_network_def_format(again, VK_NETWORK_FORMAT_INACTIVE);
        if (strcmp(once, twice) != 0)
            fuzz_fail("round trip differs:\n%s\n---\n%s", once, twice);
    }
    vk_error_reset();
    return 0;
}
