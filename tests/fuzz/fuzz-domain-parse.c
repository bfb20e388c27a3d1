/* libFuzzer target: the domain XML parser, formatter and defaults must never
 * crash or leak on any input, and whatever parses must format and re-parse;
 * from the second format on, the bytes stay the same. */
#include "common/conf/domain.h"
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

    if (!initialized) {
        xmlSetGenericErrorFunc(NULL, quiet);
        initialized = 1;
    }
    char *xml = g_strndup((const char *) data, size);
    VkDomainDef *def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    if (def) {
        if (vk_domain_def_apply_defaults(def, NULL) == 0) {
            char *once = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
            VkDomainDef *again = vk_domain_def_parse_string(once, VK_DOMAIN_PARSE_INACTIVE);
            if (!again)
                fuzz_fail("formatted output does not parse: %s\n%s", vk_error_last_message(), once);
            char *twice = vk_domain_def_format(again, VK_DOMAIN_FORMAT_INACTIVE);
            /* as libvirtd, a second define may move the controllers the first
             * added among those of their type; after it nothing changes */
            VkDomainDef *third = vk_domain_def_parse_string(twice, VK_DOMAIN_PARSE_INACTIVE);
            if (!third)
                fuzz_fail("formatted output does not parse: %s\n%s", vk_error_last_message(), twice);
            char *thrice = vk_domain_def_format(third, VK_DOMAIN_FORMAT_INACTIVE);
            if (strcmp(twice, thrice) != 0)
                fuzz_fail("round trip differs:\n%s\n---\n%s", twice, thrice);
            g_free(thrice);
            vk_domain_def_free(third);
            g_free(twice);
            vk_domain_def_free(again);
            g_free(once);
        }
        vk_domain_def_free(def);
    }
    vk_error_reset();
    g_free(xml);
    return 0;
}
