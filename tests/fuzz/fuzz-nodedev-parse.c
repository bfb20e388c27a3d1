/* libFuzzer target: the <device> parser (both forms: a device as dumpxml
 * shows it, and nodedev-create's) and the formatter must never crash or
 * leak on any input, and whatever parses must format to a document that
 * parses and formats to the same bytes again. */
#include "common/conf/node-device-def.h"
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

static void
round_trip(VkNodeDeviceDef *(*parse)(const char *), const char *xml)
{
    g_autoptr(VkNodeDeviceDef) def = parse(xml);
    g_autofree char *once = NULL, *twice = NULL;
    g_autoptr(VkNodeDeviceDef) again = NULL;

    if (!def)
        return;
    once = vk_node_device_def_format(def);
    /* a new device is "new device" until the driver names it: read the
     * output back as a device with a name */
    if (!(again = vk_node_device_def_parse_existing(once)))
        fuzz_fail("formatted output does not parse: %s\n%s", vk_error_last_message(), once);
    twice = vk_node_device_def_format(again);
    if (strcmp(once, twice) != 0)
        fuzz_fail("round trip differs:\n%s\n---\n%s", once, twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialized;
    g_autofree char *xml = g_strndup((const char *) data, size);

    if (!initialized) {
        xmlSetGenericErrorFunc(NULL, quiet);
        initialized = 1;
    }
    round_trip(vk_node_device_def_parse_existing, xml);
    round_trip(vk_node_device_def_parse_string, xml);
    vk_error_reset();
    return 0;
}
