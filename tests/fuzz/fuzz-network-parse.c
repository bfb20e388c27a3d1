/* libFuzzer target: the <network> parser and formatter (fuzz-roundtrip.h). */
#include "common/conf/network-def.h"
#include "fuzz-roundtrip.h"

static char *
format_inactive(const VkNetworkDef *def)
{
    return vk_network_def_format(def, VK_NETWORK_FORMAT_INACTIVE);
}

FUZZ_ROUND_TRIP_TARGET(vk_network_def_parse_string, format_inactive, vk_network_def_free)
