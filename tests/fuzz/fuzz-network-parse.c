/* libFuzzer target: the <network> parser and formatter (fuzz-roundtrip.h). */
#include "common/conf/network-def.h"
#include "fuzz-roundtrip.h"

static void *
parse(const char *xml, const void *ctx)
{
    (void) ctx;
    return vk_network_def_parse_string(xml);
}

static char *
format(const void *def, const void *ctx)
{
    (void) ctx;
    return vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
}

static void
def_free(void *def)
{
    vk_network_def_free(def);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const FuzzRoundTrip rt = { parse, format, def_free };

    fuzz_round_trip(&rt, NULL, data, size);
    return 0;
}
