/* libFuzzer target: the JSON parser reads what a QEMU process writes on its
 * QMP socket, which we do not control.  No input may crash it or leak;
 * whatever parses must write out text that parses again and writes out the
 * same, a copy must write out the same too, and the readers the QMP code
 * uses must take any value. */
#include "common/util/json.h"
#include "common/util/error.h"
#include "fuzz-fail.h"

#include <stdint.h>
#include <string.h>

/* Read every value the way QMP code does: as each number type (the
 * conversions must stay defined for any double), and members by name. */
static void
read_all(const VkJson *v)
{
    const char *name;

    (void) vk_json_get_int(v, 0);
    (void) vk_json_get_uint64(v, 0);
    (void) vk_json_get_double(v, 0);
    (void) vk_json_get_bool(v, FALSE);
    (void) vk_json_get_string(v);
    for (guint i = 0; i < vk_json_array_length(v); i++)
        read_all(vk_json_array_get(v, i));
    for (guint i = 0; i < vk_json_object_size(v); i++) {
        read_all(vk_json_object_nth(v, i, &name));
        if (!vk_json_object_has(v, name))
            fuzz_fail("member \"%s\" is not found by its name", name);
    }
}

static void
check_same_text(const char *what, const char *once, const char *twice)
{
    if (strcmp(once, twice) != 0)
        fuzz_fail("%s writes out differently:\n%s\n---\n%s", what, once, twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(VkJson) value = vk_json_parse((const char *) data, size);

    if (value) {
        g_autofree char *once = vk_json_to_string(value);
        g_autoptr(VkJson) again = vk_json_parse(once, -1);
        g_autoptr(VkJson) copy = vk_json_copy(value);

        if (!again)
            fuzz_fail("written text does not parse: %s\n%s", vk_error_last_message(), once);
        g_autofree char *twice = vk_json_to_string(again);
        g_autofree char *copied = vk_json_to_string(copy);
        check_same_text("the re-parsed value", once, twice);
        check_same_text("a copy", once, copied);
        read_all(value);
    }
    vk_error_reset();
    return 0;
}
