/* libFuzzer target: the <pool> parser and formatter (fuzz-roundtrip.h). */
#include "common/conf/storage-pool-def.h"
#include "fuzz-roundtrip.h"

FUZZ_ROUND_TRIP_TARGET(vk_storage_pool_def_parse_string, vk_storage_pool_def_format,
                       vk_storage_pool_def_free)
