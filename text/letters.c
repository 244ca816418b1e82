/* letters.c — the Vietnamese letter table: precomposed code point ↔ (base, modifier, tone).
 * Built once from the 12 vowels × 6 tones grid below plus đ; upper case found through utf8proc. */
#include "vietnamese.h"

#include <pthread.h>
#include <utf8proc.h>

#define TABLE_LIMIT 0x1F00u

/* Lower-case forms: rows are vowels with their modifier, columns the tones none, grave, acute,
 * hook, tilde, dot below. */
static const struct {
    unsigned char base, mod;
    uint32_t cp[6];
} VOWELS[12] = {
    {'a', MOD_NONE, {0x0061, 0x00E0, 0x00E1, 0x1EA3, 0x00E3, 0x1EA1}},
    {'a', MOD_BREVE, {0x0103, 0x1EB1, 0x1EAF, 0x1EB3, 0x1EB5, 0x1EB7}},
    {'a', MOD_CIRCUMFLEX, {0x00E2, 0x1EA7, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD}},
    {'e', MOD_NONE, {0x0065, 0x00E8, 0x00E9, 0x1EBB, 0x1EBD, 0x1EB9}},
    {'e', MOD_CIRCUMFLEX, {0x00EA, 0x1EC1, 0x1EBF, 0x1EC3, 0x1EC5, 0x1EC7}},
    {'i', MOD_NONE, {0x0069, 0x00EC, 0x00ED, 0x1EC9, 0x0129, 0x1ECB}},
    {'o', MOD_NONE, {0x006F, 0x00F2, 0x00F3, 0x1ECF, 0x00F5, 0x1ECD}},
    {'o', MOD_CIRCUMFLEX, {0x00F4, 0x1ED3, 0x1ED1, 0x1ED5, 0x1ED7, 0x1ED9}},
    {'o', MOD_HORN, {0x01A1, 0x1EDD, 0x1EDB, 0x1EDF, 0x1EE1, 0x1EE3}},
    {'u', MOD_NONE, {0x0075, 0x00F9, 0x00FA, 0x1EE7, 0x0169, 0x1EE5}},
    {'u', MOD_HORN, {0x01B0, 0x1EEB, 0x1EE9, 0x1EED, 0x1EEF, 0x1EF1}},
    {'y', MOD_NONE, {0x0079, 0x1EF3, 0x00FD, 0x1EF7, 0x1EF9, 0x1EF5}},
};

static tc_letter table[TABLE_LIMIT];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void set_both_cases(uint32_t lower, tc_letter letter)
{
    table[lower] = letter;
    uint32_t upper = (uint32_t)utf8proc_toupper((utf8proc_int32_t)lower);
    if (upper != lower && upper < TABLE_LIMIT) {
        letter.upper = 1;
        table[upper] = letter;
    }
}

static void build_table(void)
{
    for (uint32_t c = 'a'; c <= 'z'; c++)
        set_both_cases(c, (tc_letter){(unsigned char)c, MOD_NONE, TONE_NONE, 0});
    for (size_t v = 0; v < 12; v++)
        for (unsigned t = 0; t < 6; t++)
            set_both_cases(VOWELS[v].cp[t], (tc_letter){VOWELS[v].base, VOWELS[v].mod, (unsigned char)t, 0});
    set_both_cases(0x0111, (tc_letter){'d', MOD_STROKE, TONE_NONE, 0});
    table[0x00D0] = (tc_letter){'d', MOD_STROKE, TONE_NONE, 1}; /* Ð, the Icelandic eth, typed for Đ */
}

int tc_letter_lookup(uint32_t cp, tc_letter *out)
{
    if (cp >= TABLE_LIMIT)
        return 0;
    *out = table[cp];
    return out->base != 0;
}

void tc_letters_init(void)
{
    pthread_once(&table_once, build_table);
}

uint32_t tc_letter_compose(unsigned base, unsigned mod, unsigned tone)
{
    if (mod == MOD_STROKE)
        return base == 'd' && tone == TONE_NONE ? 0x0111 : 0;
    int row;
    switch (base) {
    case 'a': row = mod == MOD_NONE ? 0 : mod == MOD_BREVE ? 1 : mod == MOD_CIRCUMFLEX ? 2 : -1; break;
    case 'e': row = mod == MOD_NONE ? 3 : mod == MOD_CIRCUMFLEX ? 4 : -1; break;
    case 'i': row = mod == MOD_NONE ? 5 : -1; break;
    case 'o': row = mod == MOD_NONE ? 6 : mod == MOD_CIRCUMFLEX ? 7 : mod == MOD_HORN ? 8 : -1; break;
    case 'u': row = mod == MOD_NONE ? 9 : mod == MOD_HORN ? 10 : -1; break;
    case 'y': row = mod == MOD_NONE ? 11 : -1; break;
    default:
        return mod == MOD_NONE && tone == TONE_NONE && base >= 'a' && base <= 'z' ? base : 0;
    }
    return row >= 0 && tone < 6 ? VOWELS[row].cp[tone] : 0;
}

int tc_mark_lookup(uint32_t cp, unsigned *tone, unsigned *mod)
{
    *tone = TONE_NONE;
    *mod = MOD_NONE;
    switch (cp) {
    case 0x0300: case 0x0340: *tone = TONE_GRAVE; return 1;
    case 0x0301: case 0x0341: *tone = TONE_ACUTE; return 1;
    case 0x0309: *tone = TONE_HOOK; return 1;
    case 0x0303: *tone = TONE_TILDE; return 1;
    case 0x0323: *tone = TONE_DOT; return 1;
    case 0x0306: *mod = MOD_BREVE; return 1;
    case 0x0302: *mod = MOD_CIRCUMFLEX; return 1;
    case 0x031B: *mod = MOD_HORN; return 1;
    default: return 0;
    }
}
