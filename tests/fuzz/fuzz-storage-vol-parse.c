/* libFuzzer target: the <volume> parser and formatter (fuzz-roundtrip.h),
 * for the pool types whose volume formats differ: the first byte picks the
 * pool type and whether the volume is read as an existing one. */
#include "common/conf/storage-vol-def.h"
#include "fuzz-roundtrip.h"

typedef struct {
    VkStoragePoolType type;
    unsigned int flags;
} VolCtx;

static void *
parse(const char *xml, const void *ctx)
{
    const VolCtx *c = ctx;

    return vk_storage_vol_def_parse_string(xml, c->type, c->flags);
}

static char *
format(const void *def, const void *ctx)
{
    const VolCtx *c = ctx;

    return vk_storage_vol_def_format(def, c->type);
}

static void
def_free(void *def)
{
    vk_storage_vol_def_free(def);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const FuzzRoundTrip rt = { parse, format, def_free };
    static const VkStoragePoolType types[] = { VK_STORAGE_POOL_DIR, VK_STORAGE_POOL_DISK,
                                               VK_STORAGE_POOL_LOGICAL };
    VolCtx ctx;

    if (!size)
        return 0;
    ctx.type = types[(data[0] & 0x7f) % G_N_ELEMENTS(types)];
    ctx.flags = data[0] & 0x80 ? VK_STORAGE_VOL_PARSE_EXISTING : 0;
    fuzz_round_trip(&rt, &ctx, data + 1, size - 1);
    return 0;
}
