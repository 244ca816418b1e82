/* params.c — strict parsing of a request's query string: percent-decoding, UTF-8 validation, lookup.
 * Anything malformed is refused with the name of the parameter, so the daemon can answer 400. */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long tc_url_decode(const char *in, size_t len, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '%') {
            if (i + 2 >= len)
                return -1;
            int h = hex(in[i + 1]), l = hex(in[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[w++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[w++] = in[i] == '+' ? ' ' : in[i];
        }
    }
    out[w] = 0;
    return (long)w;
}

int tc_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        size_t need;
        unsigned cp;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
        else return 0;
        if (i + need >= len)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int tc_params_parse(const char *raw, size_t len, tc_params *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && raw[end] != '&' && raw[end] != ';')
            end++;
        if (end > i) {
            const char *eq = memchr(raw + i, '=', end - i);
            size_t klen = eq ? (size_t)(eq - (raw + i)) : end - i;
            size_t vlen = eq ? end - (size_t)(eq - raw) - 1 : 0;
            char *key = malloc(klen + 1), *value = malloc(vlen + 1);
            long kl = key ? tc_url_decode(raw + i, klen, key) : -1;
            long vl = value ? tc_url_decode(eq ? eq + 1 : "", vlen, value) : -1;
            const char *name = kl >= 0 ? key : "?";
            if (kl < 0 || vl < 0 || !tc_utf8_valid(key, (size_t)kl) || !tc_utf8_valid(value, (size_t)vl)) {
                if (kl < 0)
                    set_err(err, errlen, "bad percent-encoding in a parameter name");
                else if (vl < 0)
                    set_err(err, errlen, "bad percent-encoding in parameter '%.40s'", name);
                else
                    set_err(err, errlen, "parameter '%.40s' is not valid UTF-8", tc_utf8_valid(key, (size_t)kl) ? name : "?");
                free(key);
                free(value);
                tc_params_free(out);
                return -1;
            }
            if (out->count == TC_HTTP_MAX_PARAMS) {
                set_err(err, errlen, "more than %d parameters", TC_HTTP_MAX_PARAMS);
                free(key);
                free(value);
                tc_params_free(out);
                return -1;
            }
            out->items[out->count].key = key;
            out->items[out->count].value = value;
            out->count++;
        }
        i = end + 1;
    }
    return 0;
}

void tc_params_free(tc_params *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i].key);
        free(p->items[i].value);
    }
    p->count = 0;
}

const char *tc_params_get(const tc_params *p, const char *key)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].key, key))
            return p->items[i].value;
    return NULL;
}

int tc_params_check(const tc_params *p, const char *const *known, char *err, size_t errlen)
{
    for (size_t i = 0; i < p->count; i++) {
        const char *key = p->items[i].key;
        size_t k = 0;
        while (known[k] && strcmp(known[k], key))
            k++;
        if (!known[k]) {
            size_t w = (size_t)snprintf(err, errlen, "unknown parameter '%.40s'; the parameters are ", key);
            for (k = 0; known[k] && w < errlen; k++)
                w += (size_t)snprintf(err + w, errlen - w, "%s%s", k ? ", " : "", known[k]);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->items[j].key, key)) {
                set_err(err, errlen, "parameter '%.40s' is given twice", key);
                return -1;
            }
    }
    return 0;
}
