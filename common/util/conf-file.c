#include "common/util/conf-file.h"
#include "common/util/error.h"
#include "common/util/file.h"

#include <string.h>

#define VK_CONF_MAX_SIZE (10 * 1024 * 1024)

typedef enum {
    VK_CONF_STRING,
    VK_CONF_INT,      /* written with a '-': signed */
    VK_CONF_UINT,     /* no sign or '+': unsigned */
    VK_CONF_LIST,
} VkConfType;

typedef struct VkConfValue VkConfValue;
struct VkConfValue {
    VkConfType type;
    char *str;
    gint64 i;
    guint64 u;
    GPtrArray *list;   /* VkConfValue* */
};

typedef struct {
    char *key;
    VkConfValue *value;
    int line;          /* where the key is */
} VkConfEntry;

struct VkConfFile {
    char *name;
    GPtrArray *entries;   /* VkConfEntry*, file order */
};

typedef struct {
    const char *name;
    const char *cur;
    const char *end;
    int line;
    const char *key;     /* the statement being parsed, for messages */
} VkConfParser;

static void
value_free(gpointer data)
{
    VkConfValue *v = data;

    if (!v)
        return;
    g_free(v->str);
    if (v->list)
        g_ptr_array_unref(v->list);
    g_free(v);
}

static void
entry_free(gpointer data)
{
    VkConfEntry *e = data;

    g_free(e->key);
    value_free(e->value);
    g_free(e);
}

void
vk_conf_file_free(VkConfFile *conf)
{
    if (!conf)
        return;
    g_free(conf->name);
    g_ptr_array_unref(conf->entries);
    g_free(conf);
}

static void G_GNUC_PRINTF(2, 3)
parse_error(VkConfParser *p, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    va_list ap;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (p->key)
        vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: %s in the value of '%s'",
                        p->name, p->line, what, p->key);
    else
        vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: %s", p->name, p->line, what);
}

#define AT_END(p) ((p)->cur >= (p)->end)
#define CUR(p) (AT_END(p) ? '\0' : *(p)->cur)

static gboolean
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static gboolean
is_eol(char c)
{
    return c == '\n' || c == '\r';
}

static void
skip_blanks(VkConfParser *p)
{
    while (!AT_END(p) && is_blank(*p->cur))
        p->cur++;
}

static void
skip_to_eol(VkConfParser *p)
{
    while (!AT_END(p) && !is_eol(*p->cur))
        p->cur++;
}

/* Blanks, newlines and (inside lists) comments. */
static void
skip_space(VkConfParser *p, gboolean comments)
{
    while (!AT_END(p)) {
        char c = *p->cur;
        if (c == '\n') {
            p->line++;
            p->cur++;
        } else if (is_blank(c) || c == '\r') {
            p->cur++;
        } else if (comments && c == '#') {
            skip_to_eol(p);
        } else {
            break;
        }
    }
}

static char *
parse_string(VkConfParser *p)
{
    char quote = *p->cur;
    g_autoptr(GString) s = g_string_new(NULL);

    if (quote == '"' && p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) == 0) {
        /* """...""": literal, may span lines */
        int start_line = p->line;
        p->cur += 3;
        while (p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) != 0) {
            if (*p->cur == '\n')
                p->line++;
            g_string_append_c(s, *p->cur++);
        }
        if (p->end - p->cur < 3) {
            p->line = start_line;
            parse_error(p, "unterminated string");
            return NULL;
        }
        p->cur += 3;
        return g_string_free(g_steal_pointer(&s), FALSE);
    }

    p->cur++;
    while (!AT_END(p) && *p->cur != quote && !is_eol(*p->cur)) {
        char c = *p->cur++;
        if (c == '\\' && quote == '"' && !AT_END(p) && !is_eol(*p->cur)) {
            char next = *p->cur++;
            switch (next) {
            case '"': case '\\': g_string_append_c(s, next); break;
            case 'n': g_string_append_c(s, '\n'); break;
            case 't': g_string_append_c(s, '\t'); break;
            /* anything else stays as written, so "\d" means \d */
            default: g_string_append_c(s, '\\'); g_string_append_c(s, next); break;
            }
            continue;
        }
        g_string_append_c(s, c);
    }
    if (CUR(p) != quote) {
        parse_error(p, "unterminated string");
        return NULL;
    }
    p->cur++;
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static VkConfValue *
parse_number(VkConfParser *p)
{
    gboolean negative = FALSE;
    guint64 n = 0;
    g_autofree VkConfValue *v = g_new0(VkConfValue, 1);

    if (*p->cur == '-' || *p->cur == '+') {
        negative = *p->cur == '-';
        p->cur++;
    }
    if (!g_ascii_isdigit(CUR(p))) {
        parse_error(p, "expecting digits in a number");
        return NULL;
    }
    while (g_ascii_isdigit(CUR(p))) {
        guint digit = (guint) (*p->cur - '0');
        if (n > (G_MAXUINT64 - digit) / 10) {
            parse_error(p, "number too large");
            return NULL;
        }
        n = n * 10 + digit;
        p->cur++;
    }
    if (negative) {
        if (n > (guint64) G_MAXINT64 + 1) {
            parse_error(p, "number too small");
            return NULL;
        }
        v->type = VK_CONF_INT;
        v->i = n == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) n;
    } else {
        v->type = VK_CONF_UINT;
        v->u = n;
    }
    return g_steal_pointer(&v);
}

static VkConfValue *parse_value(VkConfParser *p);

static VkConfValue *
parse_list(VkConfParser *p)
{
    int start_line = p->line;
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(value_free);

    p->cur++;   /* '[' */
    skip_space(p, TRUE);
    while (CUR(p) != ']') {
        if (AT_END(p)) {
            p->line = start_line;
            parse_error(p, "list is not closed with ']'");
            return NULL;
        }
        VkConfValue *item = parse_value(p);
        if (!item)
            return NULL;
        g_ptr_array_add(items, item);
        skip_space(p, TRUE);
        if (CUR(p) == ',') {
            p->cur++;
            skip_space(p, TRUE);
        } else if (CUR(p) != ']') {
            if (AT_END(p)) {
                p->line = start_line;
                parse_error(p, "list is not closed with ']'");
            } else {
                parse_error(p, "expecting ',' or ']' in a list, found '%c'", *p->cur);
            }
            return NULL;
        }
    }
    p->cur++;   /* ']' */

    VkConfValue *v = g_new0(VkConfValue, 1);
    v->type = VK_CONF_LIST;
    v->list = g_steal_pointer(&items);
    return v;
}

static VkConfValue *
parse_value(VkConfParser *p)
{
    char c;

    skip_blanks(p);
    c = CUR(p);
    if (c == '"' || c == '\'') {
        char *s = parse_string(p);
        if (!s)
            return NULL;
        VkConfValue *v = g_new0(VkConfValue, 1);
        v->type = VK_CONF_STRING;
        v->str = s;
        return v;
    }
    if (c == '[')
        return parse_list(p);
    if (g_ascii_isdigit(c) || c == '-' || c == '+')
        return parse_number(p);
    if (AT_END(p) || is_eol(c))
        parse_error(p, "expecting a value");
    else
        parse_error(p, "expecting a value, found '%c'", c);
    return NULL;
}

static char *
parse_key(VkConfParser *p)
{
    const char *start = p->cur;

    if (!g_ascii_isalpha(CUR(p))) {
        if (g_ascii_isprint(CUR(p)))
            parse_error(p, "expecting a setting name, found '%c'", CUR(p));
        else
            parse_error(p, "expecting a setting name");
        return NULL;
    }
    while (g_ascii_isalnum(CUR(p)) || CUR(p) == '_')
        p->cur++;
    return g_strndup(start, p->cur - start);
}

/* One `key = value` with its trailing comment and separator. */
static int
parse_statement(VkConfParser *p, GPtrArray *entries)
{
    g_autofree char *key = NULL;
    int line = p->line;
    VkConfValue *value;

    key = parse_key(p);
    if (!key)
        return -1;
    p->key = key;
    skip_blanks(p);
    if (CUR(p) != '=') {
        parse_error(p, "expecting '=' after the setting name");
        return -1;
    }
    p->cur++;
    value = parse_value(p);
    if (!value)
        return -1;

    VkConfEntry *e = g_new0(VkConfEntry, 1);
    e->key = g_steal_pointer(&key);
    e->value = value;
    e->line = line;
    g_ptr_array_add(entries, e);
    p->key = e->key;

    skip_blanks(p);
    if (CUR(p) == '#')
        skip_to_eol(p);
    if (AT_END(p) || is_eol(CUR(p)) || CUR(p) == ';') {
        if (CUR(p) == ';')
            p->cur++;
        p->key = NULL;
        return 0;
    }
    parse_error(p, "unexpected '%c' after the value", CUR(p));
    return -1;
}

VkConfFile *
vk_conf_file_parse(const char *name, const char *text, gssize len)
{
    g_autoptr(VkConfFile) conf = g_new0(VkConfFile, 1);
    VkConfParser p = {
        .name = name ? name : "<memory>",
        .cur = text,
        .end = text + (len < 0 ? (gssize) strlen(text) : len),
        .line = 1,
    };

    conf->name = g_strdup(p.name);
    conf->entries = g_ptr_array_new_with_free_func(entry_free);
    for (;;) {
        skip_space(&p, TRUE);   /* blank lines, comment lines, stray ';' separators */
        while (CUR(&p) == ';') {
            p.cur++;
            skip_space(&p, TRUE);
        }
        if (AT_END(&p))
            break;
        if (parse_statement(&p, conf->entries) < 0)
            return NULL;
    }
    return g_steal_pointer(&conf);
}

VkConfFile *
vk_conf_file_load(const char *path)
{
    g_autofree char *text = NULL;
    gsize len;

    if (vk_file_read_all(path, VK_CONF_MAX_SIZE, &text, &len) < 0)
        return NULL;
    return vk_conf_file_parse(path, text, (gssize) len);
}

const char *
vk_conf_file_name(const VkConfFile *conf)
{
    return conf->name;
}

static const VkConfEntry *
lookup(const VkConfFile *conf, const char *key)
{
    if (!conf)
        return NULL;
    for (guint i = 0; i < conf->entries->len; i++) {
        const VkConfEntry *e = g_ptr_array_index(conf->entries, i);
        if (g_str_equal(e->key, key))
            return e;
    }
    return NULL;
}

gboolean
vk_conf_has(const VkConfFile *conf, const char *key)
{
    return lookup(conf, key) != NULL;
}

int
vk_conf_get_line(const VkConfFile *conf, const char *key)
{
    const VkConfEntry *e = lookup(conf, key);
    return e ? e->line : 0;
}

char **
vk_conf_get_keys(const VkConfFile *conf)
{
    GPtrArray *keys = g_ptr_array_new();

    for (guint i = 0; conf && i < conf->entries->len; i++) {
        const VkConfEntry *e = g_ptr_array_index(conf->entries, i);
        g_ptr_array_add(keys, g_strdup(e->key));
    }
    g_ptr_array_add(keys, NULL);
    return (char **) g_ptr_array_free(keys, FALSE);
}

static const char *
type_name(VkConfType type)
{
    switch (type) {
    case VK_CONF_STRING: return "a string";
    case VK_CONF_INT: return "a negative integer";
    case VK_CONF_UINT: return "an integer";
    case VK_CONF_LIST: return "a list";
    }
    return "a value";
}

static int
type_error(const VkConfFile *conf, const VkConfEntry *e, const char *expected)
{
    vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
                    "%s:%d: expected %s for '%s', found %s",
                    conf->name, e->line, expected, e->key, type_name(e->value->type));
    return -1;
}

static int G_GNUC_PRINTF(3, 4)
range_error(const VkConfFile *conf, const VkConfEntry *e, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    va_list ap;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vk_error_report(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: value of '%s' %s",
                    conf->name, e->line, e->key, what);
    return -1;
}

int
vk_conf_get_string(const VkConfFile *conf, const char *key, char **value)
{
    const VkConfEntry *e = lookup(conf, key);

    if (!e)
        return 0;
    if (e->value->type != VK_CONF_STRING)
        return type_error(conf, e, "a string");
    g_free(*value);
    *value = g_strdup(e->value->str);
    return 1;
}

int
vk_conf_get_int64(const VkConfFile *conf, const char *key, gint64 *value)
{
    const VkConfEntry *e = lookup(conf, key);

    if (!e)
        return 0;
    if (e->value->type == VK_CONF_INT) {
        *value = e->value->i;
        return 1;
    }
    if (e->value->type != VK_CONF_UINT)
        return type_error(conf, e, "an integer");
    if (e->value->u > G_MAXINT64)
        return range_error(conf, e, "must be at most %" G_GINT64_FORMAT, G_MAXINT64);
    *value = (gint64) e->value->u;
    return 1;
}

int
vk_conf_get_uint64(const VkConfFile *conf, const char *key, guint64 *value)
{
    const VkConfEntry *e = lookup(conf, key);

    if (!e)
        return 0;
    if (e->value->type == VK_CONF_INT)
        return range_error(conf, e, "must not be negative");
    if (e->value->type != VK_CONF_UINT)
        return type_error(conf, e, "an unsigned integer");
    *value = e->value->u;
    return 1;
}

int
vk_conf_get_int(const VkConfFile *conf, const char *key, int *value)
{
    gint64 v;
    int ret = vk_conf_get_int64(conf, key, &v);

    if (ret <= 0)
        return ret;
    if (v < G_MININT || v > G_MAXINT)
        return range_error(conf, lookup(conf, key), "must be in range %d:%d", G_MININT, G_MAXINT);
    *value = (int) v;
    return 1;
}

int
vk_conf_get_uint(const VkConfFile *conf, const char *key, unsigned int *value)
{
    guint64 v;
    int ret = vk_conf_get_uint64(conf, key, &v);

    if (ret <= 0)
        return ret;
    if (v > G_MAXUINT)
        return range_error(conf, lookup(conf, key), "must be in range 0:%u", G_MAXUINT);
    *value = (unsigned int) v;
    return 1;
}

int
vk_conf_get_bool(const VkConfFile *conf, const char *key, gboolean *value)
{
    const VkConfEntry *e = lookup(conf, key);

    if (!e)
        return 0;
    if (e->value->type != VK_CONF_UINT && e->value->type != VK_CONF_INT)
        return type_error(conf, e, "0 or 1");
    if (e->value->type == VK_CONF_INT || e->value->u > 1)
        return range_error(conf, e, "must be 0 or 1");
    *value = e->value->u == 1;
    return 1;
}

int
vk_conf_get_string_list(const VkConfFile *conf, const char *key,
                        gboolean allow_string, char ***value)
{
    const VkConfEntry *e = lookup(conf, key);
    GPtrArray *items;

    if (!e)
        return 0;
    if (e->value->type == VK_CONF_STRING && allow_string) {
        g_strfreev(*value);
        *value = g_new0(char *, 2);
        (*value)[0] = g_strdup(e->value->str);
        return 1;
    }
    if (e->value->type != VK_CONF_LIST)
        return type_error(conf, e, allow_string ? "a string or a list of strings" : "a list of strings");
    for (guint i = 0; i < e->value->list->len; i++) {
        const VkConfValue *item = g_ptr_array_index(e->value->list, i);
        if (item->type != VK_CONF_STRING)
            return range_error(conf, e, "must be a list of strings, item %u is %s",
                               i + 1, type_name(item->type));
    }
    items = g_ptr_array_new();
    for (guint i = 0; i < e->value->list->len; i++) {
        const VkConfValue *item = g_ptr_array_index(e->value->list, i);
        g_ptr_array_add(items, g_strdup(item->str));
    }
    g_ptr_array_add(items, NULL);
    g_strfreev(*value);
    *value = (char **) g_ptr_array_free(items, FALSE);
    return 1;
}
