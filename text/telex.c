/* telex.c — reads a word typed in Telex keys with the input method off ("tieengs" -> "tiếng"):
 * aa ee oo for â ê ô, aw ow uw (and uow) for ă ơ ư ươ, dd for đ, a final s f r x j for the tone. */
#include "tracuu.h"
#include "vietnamese.h"

#include <utf8proc.h>

#define TELEX_MAX_LETTERS 12

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static unsigned tone_key(char c)
{
    switch (c) {
    case 's': return TONE_ACUTE;
    case 'f': return TONE_GRAVE;
    case 'r': return TONE_HOOK;
    case 'x': return TONE_TILDE;
    case 'j': return TONE_DOT;
    default: return TONE_NONE;
    }
}

size_t tc_telex_decode(const char *word, size_t len, char *out, size_t cap)
{
    if (len < 2 || len > TELEX_MAX_LETTERS + 1)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (word[i] < 'a' || word[i] > 'z')
            return 0;
    unsigned tone = tone_key(word[len - 1]);
    size_t end = tone ? len - 1 : len;
    tc_letter l[TELEX_MAX_LETTERS + 1];
    size_t n = 0;
    int keys = tone != TONE_NONE;
    for (size_t i = 0; i < end; i++) {
        char c = word[i];
        if (c == 'd' && i + 1 < end && word[i + 1] == 'd' && n == 0) {
            l[n++] = (tc_letter){'d', MOD_STROKE, TONE_NONE, 0};
            i++;
            keys = 1;
        } else if ((c == 'a' || c == 'e' || c == 'o') && i + 1 < end && word[i + 1] == c) {
            l[n++] = (tc_letter){(unsigned char)c, MOD_CIRCUMFLEX, TONE_NONE, 0};
            i++;
            keys = 1;
        } else if (c == 'w') {
            /* the horn or breve on the vowel before: aw, ow, uw, and both of uow */
            if (n == 0 || !is_vowel((char)l[n - 1].base) || l[n - 1].mod != MOD_NONE)
                l[n++] = (tc_letter){'u', MOD_HORN, TONE_NONE, 0}; /* a lone w is ư */
            else if (l[n - 1].base == 'a')
                l[n - 1].mod = MOD_BREVE;
            else if (l[n - 1].base == 'o' || l[n - 1].base == 'u') {
                l[n - 1].mod = MOD_HORN;
                if (l[n - 1].base == 'o' && n >= 2 && l[n - 2].base == 'u' && l[n - 2].mod == MOD_NONE)
                    l[n - 2].mod = MOD_HORN;
            } else
                return 0;
            keys = 1;
        } else if (c == 'f' || c == 'j' || c == 'z') {
            return 0; /* not letters of Vietnamese, and keys only at the end */
        } else {
            l[n++] = (tc_letter){(unsigned char)c, MOD_NONE, TONE_NONE, 0};
        }
    }
    size_t last_vowel = n;
    for (size_t i = 0; i < n; i++)
        if (is_vowel((char)l[i].base))
            last_vowel = i;
    if (!keys || last_vowel == n)
        return 0;
    if (tone) { /* on the last vowel; tc_syllable_place_tone moves it where it belongs */
        l[last_vowel].tone = (unsigned char)tone;
        tc_syllable_place_tone(l, n);
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = tc_letter_compose(l[i].base, l[i].mod, l[i].tone);
        if (!cp || w + 5 > cap)
            return 0;
        w += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out + w);
    }
    out[w] = 0;
    return w;
}
