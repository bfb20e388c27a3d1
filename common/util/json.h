/* A small JSON value type: parse (strict RFC 8259), build, read, write
 * compact text.  Enough for QMP and for our cache files, without pulling
 * json-glib and GIO into every daemon.
 *
 * Ownership is plain: every value belongs to exactly one parent (or to the
 * caller for a root), and vk_json_free() frees a whole tree.  Functions that
 * store a value into an array or object take it over; accessors return
 * borrowed pointers that live as long as their container.  All readers accept
 * NULL and values of the wrong type, and then give the default, so that a
 * chain like vk_json_object_get_int(vk_json_object_get_object(o, "a"), "b", 0)
 * needs no checks in between. */
#pragma once

#include <glib.h>

typedef enum {
    VK_JSON_NULL,
    VK_JSON_BOOL,
    VK_JSON_NUMBER,
    VK_JSON_STRING,
    VK_JSON_ARRAY,
    VK_JSON_OBJECT,
} VkJsonType;

typedef struct _VkJson VkJson;

/* Nesting deeper than this is refused by the parser (stack safety). */
#define VK_JSON_MAX_DEPTH 256

/* ---- whole values ---- */

/* Parse TEXT (LEN bytes, or up to its NUL when LEN < 0): one value with
 * optional white space around it.  Errors are reported as
 * VIR_ERR_INTERNAL_ERROR "invalid JSON at byte N: WHAT". */
VkJson *vk_json_parse(const char *text, gssize len);

/* Compact text ("{"a":1,"b":[true,null]}"), always valid UTF-8 JSON. */
char *vk_json_to_string(const VkJson *v);
/* The same, appended to OUT. */
void vk_json_append(GString *out, const VkJson *v);

void vk_json_free(VkJson *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkJson, vk_json_free)
VkJson *vk_json_copy(const VkJson *v);

/* VK_JSON_NULL for a NULL pointer as well. */
VkJsonType vk_json_type(const VkJson *v);
gboolean vk_json_is_object(const VkJson *v);
gboolean vk_json_is_array(const VkJson *v);

/* ---- scalars ---- */

VkJson *vk_json_new_null(void);
VkJson *vk_json_new_bool(gboolean b);
VkJson *vk_json_new_int(gint64 i);
VkJson *vk_json_new_double(double d);
/* A NULL S gives a JSON null. */
VkJson *vk_json_new_string(const char *s);

/* DEF unless V is a bool. */
gboolean vk_json_get_bool(const VkJson *v, gboolean def);
/* DEF unless V is a number that is a whole gint64 (1e3 is 1000; 1.5 and
 * 2^63 are not). */
gint64 vk_json_get_int(const VkJson *v, gint64 def);
/* DEF unless V is a whole number in 0..2^64-1 (QMP sizes are uint64). */
guint64 vk_json_get_uint64(const VkJson *v, guint64 def);
/* Any number, possibly rounded; DEF for anything else. */
double vk_json_get_double(const VkJson *v, double def);
/* NULL unless V is a string. */
const char *vk_json_get_string(const VkJson *v);

/* ---- arrays ---- */

VkJson *vk_json_new_array(void);
/* 0 unless A is an array. */
guint vk_json_array_length(const VkJson *a);
/* Element I, or NULL when A is no array or I is out of range. */
VkJson *vk_json_array_get(const VkJson *a, guint i);
/* Takes V. */
void vk_json_array_append(VkJson *a, VkJson *v);
void vk_json_array_append_string(VkJson *a, const char *s);

/* ---- objects (members keep their insertion order) ---- */

VkJson *vk_json_new_object(void);
/* Number of members; 0 unless O is an object. */
guint vk_json_object_size(const VkJson *o);
/* Member I (its name in *NAME), for loops over all members. */
VkJson *vk_json_object_nth(const VkJson *o, guint i, const char **name);
typedef void (*VkJsonMemberFunc)(const char *name, VkJson *value, gpointer data);
void vk_json_object_foreach(const VkJson *o, VkJsonMemberFunc func, gpointer data);

/* The member NAME (the last one when the text repeated it), or NULL. */
VkJson *vk_json_object_get(const VkJson *o, const char *name);
gboolean vk_json_object_has(const VkJson *o, const char *name);
/* The member's value when it has the type, else DEF (or NULL). */
const char *vk_json_object_get_string(const VkJson *o, const char *name, const char *def);
gint64 vk_json_object_get_int(const VkJson *o, const char *name, gint64 def);
gboolean vk_json_object_get_bool(const VkJson *o, const char *name, gboolean def);
double vk_json_object_get_double(const VkJson *o, const char *name, double def);
VkJson *vk_json_object_get_object(const VkJson *o, const char *name);
VkJson *vk_json_object_get_array(const VkJson *o, const char *name);

/* Set member NAME to V (taken), replacing a member of that name in place. */
void vk_json_object_set(VkJson *o, const char *name, VkJson *v);
void vk_json_object_set_string(VkJson *o, const char *name, const char *s);
void vk_json_object_set_int(VkJson *o, const char *name, gint64 i);
void vk_json_object_set_bool(VkJson *o, const char *name, gboolean b);
void vk_json_object_set_double(VkJson *o, const char *name, double d);
/* Remove member NAME and hand its value to the caller (NULL when absent). */
VkJson *vk_json_object_steal(VkJson *o, const char *name);
