/* JSON values: a recursive-descent parser, a compact writer, accessors. */
#include "common/util/json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "common/util/error.h"

/* How a number was written: integers stay exact. */
typedef enum {
    NUM_INT,      /* fits gint64 */
    NUM_UINT,     /* above G_MAXINT64 but fits guint64 */
    NUM_DOUBLE,
} NumKind;

typedef struct {
    char *name;
    VkJson *value;
} Member;

struct _VkJson {
    VkJsonType type;
    NumKind num_kind;
    union {
        gboolean b;
        gint64 i;
        guint64 u;
        double d;
        char *s;
        GPtrArray *elements;  /* VkJson*, owned */
        GArray *members;      /* Member, owned */
    };
};

/* ---------------------------------------------------------------------
 * Construction and freeing
 * ------------------------------------------------------------------- */

static VkJson *
json_new(VkJsonType type)
{
    VkJson *v = g_new0(VkJson, 1);
    v->type = type;
    return v;
}

static void
member_clear(gpointer p)
{
    Member *m = p;
    g_free(m->name);
    vk_json_free(m->value);
}

void
vk_json_free(VkJson *v)
{
    if (!v)
        return;
    switch (v->type) {
    case VK_JSON_STRING:
        g_free(v->s);
        break;
    case VK_JSON_ARRAY:
        g_ptr_array_unref(v->elements);
        break;
    case VK_JSON_OBJECT:
        g_array_unref(v->members);
        break;
    default:
        break;
    }
    g_free(v);
}

VkJson *
vk_json_new_null(void)
{
    return json_new(VK_JSON_NULL);
}

VkJson *
vk_json_new_bool(gboolean b)
{
    VkJson *v = json_new(VK_JSON_BOOL);
    v->b = !!b;
    return v;
}

VkJson *
vk_json_new_int(gint64 i)
{
    VkJson *v = json_new(VK_JSON_NUMBER);
    v->num_kind = NUM_INT;
    v->i = i;
    return v;
}

static VkJson *
json_new_uint(guint64 u)
{
    VkJson *v = json_new(VK_JSON_NUMBER);
    v->num_kind = NUM_UINT;
    v->u = u;
    return v;
}

VkJson *
vk_json_new_double(double d)
{
    VkJson *v = json_new(VK_JSON_NUMBER);
    v->num_kind = NUM_DOUBLE;
    v->d = d;
    return v;
}

/* Takes S. */
static VkJson *
json_new_string_take(char *s)
{
    VkJson *v = json_new(VK_JSON_STRING);
    v->s = s;
    return v;
}

VkJson *
vk_json_new_string(const char *s)
{
    return s ? json_new_string_take(g_strdup(s)) : vk_json_new_null();
}

VkJson *
vk_json_new_array(void)
{
    VkJson *v = json_new(VK_JSON_ARRAY);
    v->elements = g_ptr_array_new_with_free_func((GDestroyNotify)vk_json_free);
    return v;
}

VkJson *
vk_json_new_object(void)
{
    VkJson *v = json_new(VK_JSON_OBJECT);
    v->members = g_array_new(FALSE, FALSE, sizeof(Member));
    g_array_set_clear_func(v->members, member_clear);
    return v;
}

VkJson *
vk_json_copy(const VkJson *v)
{
    if (!v)
        return NULL;
    switch (v->type) {
    case VK_JSON_STRING:
        return vk_json_new_string(v->s);
    case VK_JSON_ARRAY: {
        VkJson *a = vk_json_new_array();
        for (guint i = 0; i < v->elements->len; i++)
            vk_json_array_append(a, vk_json_copy(v->elements->pdata[i]));
        return a;
    }
    case VK_JSON_OBJECT: {
        VkJson *o = vk_json_new_object();
        for (guint i = 0; i < v->members->len; i++) {
            const Member *m = &g_array_index(v->members, Member, i);
            Member copy = { g_strdup(m->name), vk_json_copy(m->value) };
            g_array_append_val(o->members, copy);
        }
        return o;
    }
    default: {
        VkJson *c = json_new(v->type);
        *c = *v;
        return c;
    }
    }
}

VkJsonType
vk_json_type(const VkJson *v)
{
    return v ? v->type : VK_JSON_NULL;
}

gboolean
vk_json_is_object(const VkJson *v)
{
    return v && v->type == VK_JSON_OBJECT;
}

gboolean
vk_json_is_array(const VkJson *v)
{
    return v && v->type == VK_JSON_ARRAY;
}

/* ---------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------- */

gboolean
vk_json_get_bool(const VkJson *v, gboolean def)
{
    return v && v->type == VK_JSON_BOOL ? v->b : def;
}

gint64
vk_json_get_int(const VkJson *v, gint64 def)
{
    if (!v || v->type != VK_JSON_NUMBER)
        return def;
    switch (v->num_kind) {
    case NUM_INT:
        return v->i;
    case NUM_DOUBLE:
        /* -2^63 <= d < 2^63, and whole */
        if (v->d >= -9223372036854775808.0 && v->d < 9223372036854775808.0 &&
            (double)(gint64)v->d == v->d)
            return (gint64)v->d;
        return def;
    default:
        return def;
    }
}

guint64
vk_json_get_uint64(const VkJson *v, guint64 def)
{
    if (!v || v->type != VK_JSON_NUMBER)
        return def;
    switch (v->num_kind) {
    case NUM_INT:
        return v->i >= 0 ? (guint64)v->i : def;
    case NUM_UINT:
        return v->u;
    default:
        if (v->d >= 0 && v->d < 18446744073709551616.0 && (double)(guint64)v->d == v->d)
            return (guint64)v->d;
        return def;
    }
}

double
vk_json_get_double(const VkJson *v, double def)
{
    if (!v || v->type != VK_JSON_NUMBER)
        return def;
    switch (v->num_kind) {
    case NUM_INT:
        return (double)v->i;
    case NUM_UINT:
        return (double)v->u;
    default:
        return v->d;
    }
}

const char *
vk_json_get_string(const VkJson *v)
{
    return v && v->type == VK_JSON_STRING ? v->s : NULL;
}

/* ---------------------------------------------------------------------
 * Arrays
 * ------------------------------------------------------------------- */

guint
vk_json_array_length(const VkJson *a)
{
    return a && a->type == VK_JSON_ARRAY ? a->elements->len : 0;
}

VkJson *
vk_json_array_get(const VkJson *a, guint i)
{
    return i < vk_json_array_length(a) ? a->elements->pdata[i] : NULL;
}

void
vk_json_array_append(VkJson *a, VkJson *v)
{
    g_return_if_fail(a && a->type == VK_JSON_ARRAY && v);
    g_ptr_array_add(a->elements, v);
}

void
vk_json_array_append_string(VkJson *a, const char *s)
{
    vk_json_array_append(a, vk_json_new_string(s));
}

/* ---------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------- */

guint
vk_json_object_size(const VkJson *o)
{
    return o && o->type == VK_JSON_OBJECT ? o->members->len : 0;
}

VkJson *
vk_json_object_nth(const VkJson *o, guint i, const char **name)
{
    if (i >= vk_json_object_size(o)) {
        if (name)
            *name = NULL;
        return NULL;
    }
    const Member *m = &g_array_index(o->members, Member, i);
    if (name)
        *name = m->name;
    return m->value;
}

void
vk_json_object_foreach(const VkJson *o, VkJsonMemberFunc func, gpointer data)
{
    for (guint i = 0; i < vk_json_object_size(o); i++) {
        const Member *m = &g_array_index(o->members, Member, i);
        func(m->name, m->value, data);
    }
}

/* Index of member NAME, the last one when repeated; -1 when absent. */
static gssize
object_find(const VkJson *o, const char *name)
{
    if (!o || o->type != VK_JSON_OBJECT || !name)
        return -1;
    for (guint i = o->members->len; i-- > 0;)
        if (strcmp(g_array_index(o->members, Member, i).name, name) == 0)
            return i;
    return -1;
}

VkJson *
vk_json_object_get(const VkJson *o, const char *name)
{
    gssize i = object_find(o, name);
    return i < 0 ? NULL : g_array_index(o->members, Member, i).value;
}

gboolean
vk_json_object_has(const VkJson *o, const char *name)
{
    return object_find(o, name) >= 0;
}

const char *
vk_json_object_get_string(const VkJson *o, const char *name, const char *def)
{
    const char *s = vk_json_get_string(vk_json_object_get(o, name));
    return s ? s : def;
}

gint64
vk_json_object_get_int(const VkJson *o, const char *name, gint64 def)
{
    return vk_json_get_int(vk_json_object_get(o, name), def);
}

gboolean
vk_json_object_get_bool(const VkJson *o, const char *name, gboolean def)
{
    return vk_json_get_bool(vk_json_object_get(o, name), def);
}

double
vk_json_object_get_double(const VkJson *o, const char *name, double def)
{
    return vk_json_get_double(vk_json_object_get(o, name), def);
}

VkJson *
vk_json_object_get_object(const VkJson *o, const char *name)
{
    VkJson *v = vk_json_object_get(o, name);
    return vk_json_is_object(v) ? v : NULL;
}

VkJson *
vk_json_object_get_array(const VkJson *o, const char *name)
{
    VkJson *v = vk_json_object_get(o, name);
    return vk_json_is_array(v) ? v : NULL;
}

void
vk_json_object_set(VkJson *o, const char *name, VkJson *v)
{
    g_return_if_fail(o && o->type == VK_JSON_OBJECT && name && v);
    gssize i = object_find(o, name);
    if (i >= 0) {
        Member *m = &g_array_index(o->members, Member, i);
        vk_json_free(m->value);
        m->value = v;
        return;
    }
    Member m = { g_strdup(name), v };
    g_array_append_val(o->members, m);
}

void
vk_json_object_set_string(VkJson *o, const char *name, const char *s)
{
    vk_json_object_set(o, name, vk_json_new_string(s));
}

void
vk_json_object_set_int(VkJson *o, const char *name, gint64 i)
{
    vk_json_object_set(o, name, vk_json_new_int(i));
}

void
vk_json_object_set_bool(VkJson *o, const char *name, gboolean b)
{
    vk_json_object_set(o, name, vk_json_new_bool(b));
}

void
vk_json_object_set_double(VkJson *o, const char *name, double d)
{
    vk_json_object_set(o, name, vk_json_new_double(d));
}

VkJson *
vk_json_object_steal(VkJson *o, const char *name)
{
    gssize i = object_find(o, name);
    if (i < 0)
        return NULL;
    Member *m = &g_array_index(o->members, Member, i);
    VkJson *v = m->value;
    m->value = NULL;
    g_array_remove_index(o->members, i);
    return v;
}

/* ---------------------------------------------------------------------
 * Parser
 * ------------------------------------------------------------------- */

typedef struct {
    const char *text;
    const char *p;
    const char *end;
    int depth;
} Parser;

static void G_GNUC_PRINTF(3, 4)
parse_error(Parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "invalid JSON at byte %zu: %s",
                    (size_t)(at - ps->text), what);
}

/* The character at AT, quoted for an error message. */
static const char *
char_name(const char *at, char buf[8])
{
    guchar c = *at;
    if (c > 0x20 && c < 0x7f)
        g_snprintf(buf, 8, "'%c'", c);
    else
        g_snprintf(buf, 8, "0x%02x", c);
    return buf;
}

static void
skip_ws(Parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

static VkJson *parse_value(Parser *ps);

static int
hex4(const char *p, const char *end)
{
    int v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The string starting at ps->p (a '"'), decoded to UTF-8. */
static char *
parse_string(Parser *ps)
{
    const char *start = ps->p;
    const char *q = start + 1;
    gboolean escapes = FALSE;

    /* Find the end first: most strings have no escapes and are copied whole. */
    for (;;) {
        if (q >= ps->end) {
            parse_error(ps, start, "unterminated string");
            return NULL;
        }
        guchar c = *q;
        if (c == '"')
            break;
        if (c < 0x20) {
            parse_error(ps, q, "control character 0x%02x in a string (must be escaped)", c);
            return NULL;
        }
        if (c == '\\') {
            escapes = TRUE;
            q++;
            /* the top of the loop reports a backslash that ends the input
             * (never stepping past its end) or escapes a control character */
            if (q >= ps->end || (guchar)*q < 0x20)
                continue;
        }
        q++;
    }

    const char *s = start + 1;
    gsize rawlen = q - s;
    char *out;
    gsize n = 0;

    if (!escapes) {
        out = g_strndup(s, rawlen);
        n = rawlen;
    } else {
        /* Escapes never decode longer than they are written. */
        out = g_malloc(rawlen + 1);
        const char *p = s;
        while (p < q) {
            if (*p != '\\') {
                out[n++] = *p++;
                continue;
            }
            char e = p[1];
            const char *esc = p;
            p += 2;
            switch (e) {
            case '"': out[n++] = '"'; break;
            case '\\': out[n++] = '\\'; break;
            case '/': out[n++] = '/'; break;
            case 'b': out[n++] = '\b'; break;
            case 'f': out[n++] = '\f'; break;
            case 'n': out[n++] = '\n'; break;
            case 'r': out[n++] = '\r'; break;
            case 't': out[n++] = '\t'; break;
            case 'u': {
                int cp = hex4(p, q);
                if (cp < 0) {
                    parse_error(ps, esc, "\\u must be followed by 4 hexadecimal digits");
                    g_free(out);
                    return NULL;
                }
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    int lo = (q - p >= 6 && p[0] == '\\' && p[1] == 'u') ? hex4(p + 2, q) : -1;
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        parse_error(ps, esc, "high surrogate \\u%04X without a low surrogate after it",
                                    cp);
                        g_free(out);
                        return NULL;
                    }
                    p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    parse_error(ps, esc, "low surrogate \\u%04X without a high surrogate before it",
                                cp);
                    g_free(out);
                    return NULL;
                } else if (cp == 0) {
                    /* Our strings are C strings. */
                    parse_error(ps, esc, "\\u0000 (NUL) in a string is not supported");
                    g_free(out);
                    return NULL;
                }
                n += g_unichar_to_utf8(cp, out + n);
                break;
            }
            default: {
                char buf[8];
                parse_error(ps, esc, "bad escape \\ followed by %s", char_name(esc + 1, buf));
                g_free(out);
                return NULL;
            }
            }
        }
        out[n] = '\0';
    }

    const char *bad = NULL;
    if (!g_utf8_validate(out, n, &bad)) {
        /* Escapes give valid UTF-8, so the bad byte is a raw one. */
        parse_error(ps, escapes ? start : s + (bad - out), "string is not valid UTF-8");
        g_free(out);
        return NULL;
    }
    ps->p = q + 1;
    return out;
}

static VkJson *
parse_number(Parser *ps)
{
    const char *start = ps->p;
    const char *p = start;
    const char *end = ps->end;
    gboolean whole = TRUE;

    if (*p == '-')
        p++;
    if (p >= end || !g_ascii_isdigit(*p)) {
        parse_error(ps, start, "'-' must be followed by a digit");
        return NULL;
    }
    if (*p == '0') {
        p++;
        if (p < end && g_ascii_isdigit(*p)) {
            parse_error(ps, start, "number with a leading zero");
            return NULL;
        }
    } else {
        while (p < end && g_ascii_isdigit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        whole = FALSE;
        p++;
        if (p >= end || !g_ascii_isdigit(*p)) {
            parse_error(ps, p, "digit expected after the decimal point");
            return NULL;
        }
        while (p < end && g_ascii_isdigit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        whole = FALSE;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !g_ascii_isdigit(*p)) {
            parse_error(ps, p, "digit expected in the exponent");
            return NULL;
        }
        while (p < end && g_ascii_isdigit(*p))
            p++;
    }

    /* The text may go on with digits past END: convert a NUL-ended copy. */
    char small[64];
    gsize len = p - start;
    g_autofree char *big = NULL;
    char *buf = small;
    if (len >= sizeof(small))
        buf = big = g_malloc(len + 1);
    memcpy(buf, start, len);
    buf[len] = '\0';
    ps->p = p;

    if (whole) {
        errno = 0;
        gint64 i = g_ascii_strtoll(buf, NULL, 10);
        if (errno == 0)
            return vk_json_new_int(i);
        if (*buf != '-') {
            errno = 0;
            guint64 u = g_ascii_strtoull(buf, NULL, 10);
            if (errno == 0)
                return json_new_uint(u);
        }
    }
    double d = g_ascii_strtod(buf, NULL);
    if (!isfinite(d)) {
        parse_error(ps, start, "number %s is out of range", buf);
        return NULL;
    }
    return vk_json_new_double(d);
}

static gboolean
parse_enter(Parser *ps)
{
    if (++ps->depth > VK_JSON_MAX_DEPTH) {
        parse_error(ps, ps->p, "nested deeper than %d arrays and objects", VK_JSON_MAX_DEPTH);
        return FALSE;
    }
    ps->p++;
    return TRUE;
}

static VkJson *
parse_array(Parser *ps)
{
    if (!parse_enter(ps))
        return NULL;
    g_autoptr(VkJson) a = vk_json_new_array();
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        ps->depth--;
        return g_steal_pointer(&a);
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ']') {
            parse_error(ps, ps->p, "trailing comma before ']'");
            return NULL;
        }
        VkJson *v = parse_value(ps);
        if (!v)
            return NULL;
        g_ptr_array_add(a->elements, v);
        skip_ws(ps);
        if (ps->p >= ps->end) {
            parse_error(ps, ps->p, "unterminated array");
            return NULL;
        }
        char c = *ps->p++;
        if (c == ']')
            break;
        if (c != ',') {
            char buf[8];
            parse_error(ps, ps->p - 1, "expected ',' or ']' but found %s", char_name(ps->p - 1, buf));
            return NULL;
        }
    }
    ps->depth--;
    return g_steal_pointer(&a);
}

static VkJson *
parse_object(Parser *ps)
{
    if (!parse_enter(ps))
        return NULL;
    g_autoptr(VkJson) o = vk_json_new_object();
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        ps->depth--;
        return g_steal_pointer(&o);
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end) {
            parse_error(ps, ps->p, "unterminated object");
            return NULL;
        }
        if (*ps->p != '"') {
            char buf[8];
            if (*ps->p == '}')
                parse_error(ps, ps->p, "trailing comma before '}'");
            else
                parse_error(ps, ps->p, "expected a member name in double quotes but found %s",
                            char_name(ps->p, buf));
            return NULL;
        }
        char *name = parse_string(ps);
        if (!name)
            return NULL;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') {
            parse_error(ps, ps->p, "expected ':' after member name \"%s\"", name);
            g_free(name);
            return NULL;
        }
        ps->p++;
        VkJson *v = parse_value(ps);
        if (!v) {
            g_free(name);
            return NULL;
        }
        /* Repeated names are kept; lookups find the last one. */
        Member m = { name, v };
        g_array_append_val(o->members, m);
        skip_ws(ps);
        if (ps->p >= ps->end) {
            parse_error(ps, ps->p, "unterminated object");
            return NULL;
        }
        char c = *ps->p++;
        if (c == '}')
            break;
        if (c != ',') {
            char buf[8];
            parse_error(ps, ps->p - 1, "expected ',' or '}' but found %s", char_name(ps->p - 1, buf));
            return NULL;
        }
    }
    ps->depth--;
    return g_steal_pointer(&o);
}

static gboolean
parse_literal(Parser *ps, const char *word)
{
    gsize len = strlen(word);
    if ((gsize)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0)
        return FALSE;
    ps->p += len;
    return TRUE;
}

static VkJson *
parse_value(Parser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end) {
        parse_error(ps, ps->p, "unexpected end of input, a value was expected");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
        return parse_object(ps);
    case '[':
        return parse_array(ps);
    case '"': {
        char *s = parse_string(ps);
        return s ? json_new_string_take(s) : NULL;
    }
    case 't':
        if (parse_literal(ps, "true"))
            return vk_json_new_bool(TRUE);
        break;
    case 'f':
        if (parse_literal(ps, "false"))
            return vk_json_new_bool(FALSE);
        break;
    case 'n':
        if (parse_literal(ps, "null"))
            return vk_json_new_null();
        break;
    default:
        if (*ps->p == '-' || g_ascii_isdigit(*ps->p))
            return parse_number(ps);
        break;
    }
    char buf[8];
    parse_error(ps, ps->p, "unexpected %s, a value was expected", char_name(ps->p, buf));
    return NULL;
}

VkJson *
vk_json_parse(const char *text, gssize len)
{
    if (!text)
        text = "";
    if (len < 0)
        len = strlen(text);
    Parser ps = { text, text, text + len, 0 };
    g_autoptr(VkJson) v = parse_value(&ps);
    if (!v)
        return NULL;
    skip_ws(&ps);
    if (ps.p < ps.end) {
        char buf[8];
        parse_error(&ps, ps.p, "unexpected %s after the value", char_name(ps.p, buf));
        return NULL;
    }
    return g_steal_pointer(&v);
}

/* ---------------------------------------------------------------------
 * Writer
 * ------------------------------------------------------------------- */

static void
append_string(GString *out, const char *s)
{
    g_autofree char *valid = NULL;
    if (!g_utf8_validate(s, -1, NULL))
        s = valid = g_utf8_make_valid(s, -1);

    g_string_append_c(out, '"');
    const char *run = s;
    for (const char *p = s; *p; p++) {
        guchar c = *p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        g_string_append_len(out, run, p - run);
        run = p + 1;
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default: g_string_append_printf(out, "\\u%04x", c); break;
        }
    }
    g_string_append(out, run);
    g_string_append_c(out, '"');
}

static void
append_double(GString *out, double d)
{
    static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (!isfinite(d)) {
        /* JSON has no NaN or infinity. */
        g_string_append(out, "null");
        return;
    }
    /* The shortest of these that reads back as the same double. */
    for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_ascii_formatd(buf, sizeof(buf), formats[i], d);
        if (g_ascii_strtod(buf, NULL) == d)
            break;
    }
    g_string_append(out, buf);
    /* Keep it a double when read back. */
    if (!strpbrk(buf, ".eE"))
        g_string_append(out, ".0");
}

void
vk_json_append(GString *out, const VkJson *v)
{
    if (!v) {
        g_string_append(out, "null");
        return;
    }
    switch (v->type) {
    case VK_JSON_NULL:
        g_string_append(out, "null");
        break;
    case VK_JSON_BOOL:
        g_string_append(out, v->b ? "true" : "false");
        break;
    case VK_JSON_NUMBER:
        if (v->num_kind == NUM_INT)
            g_string_append_printf(out, "%" G_GINT64_FORMAT, v->i);
        else if (v->num_kind == NUM_UINT)
            g_string_append_printf(out, "%" G_GUINT64_FORMAT, v->u);
        else
            append_double(out, v->d);
        break;
    case VK_JSON_STRING:
        append_string(out, v->s);
        break;
    case VK_JSON_ARRAY:
        g_string_append_c(out, '[');
        for (guint i = 0; i < v->elements->len; i++) {
            if (i)
                g_string_append_c(out, ',');
            vk_json_append(out, v->elements->pdata[i]);
        }
        g_string_append_c(out, ']');
        break;
    case VK_JSON_OBJECT:
        g_string_append_c(out, '{');
        for (guint i = 0; i < v->members->len; i++) {
            const Member *m = &g_array_index(v->members, Member, i);
            if (i)
                g_string_append_c(out, ',');
            append_string(out, m->name);
            g_string_append_c(out, ':');
            vk_json_append(out, m->value);
        }
        g_string_append_c(out, '}');
        break;
    }
}

char *
vk_json_to_string(const VkJson *v)
{
    GString *out = g_string_new(NULL);
    vk_json_append(out, v);
    return g_string_free(out, FALSE);
}
