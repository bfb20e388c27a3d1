/* String tables for the enumerations of the XML formats: an enum's values map
 * one to one onto a NULL-terminated array of the names used in the XML. */
#pragma once

#include <glib.h>

/* Index of NAME in TABLE (NULL-terminated), or -1. */
int vk_enum_from_string(const char *const *table, const char *name);
/* Name of VALUE in TABLE of N entries, or NULL when out of range. */
const char *vk_enum_to_string(const char *const *table, int value);

/* Declares NAME_to_string() and NAME_from_string() for a table. */
#define VK_ENUM_DECL(name) \
    const char *name##_to_string(int value); \
    int name##_from_string(const char *str)

/* Defines them over a table given as a list of strings. */
#define VK_ENUM_IMPL(name, ...) \
    static const char *const name##_table[] = { __VA_ARGS__, NULL }; \
    const char *name##_to_string(int value) \
    { return vk_enum_to_string(name##_table, value); } \
    int name##_from_string(const char *str) \
    { return vk_enum_from_string(name##_table, str); }

/* The same for an enum whose value 0 means "not given" (an optional
 * attribute without a default): the list names values 1, 2, ...; value 0
 * has no name (NAME_to_string gives NULL, which formatters leave out) and
 * NAME_from_string never gives it. */
#define VK_ENUM_IMPL_OPTIONAL(name, ...) \
    static const char *const name##_table[] = { __VA_ARGS__, NULL }; \
    const char *name##_to_string(int value) \
    { return value == 0 ? NULL : vk_enum_to_string(name##_table, value - 1); } \
    int name##_from_string(const char *str) \
    { int i = vk_enum_from_string(name##_table, str); return i < 0 ? -1 : i + 1; }
