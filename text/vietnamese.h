/* vietnamese.h — internal: the Vietnamese letter table and tone-placement rules used by the analyser.
 * A letter is (base, modifier, tone); composing and decomposing go through one table, not utf8proc. */
#ifndef TC_VIETNAMESE_H
#define TC_VIETNAMESE_H

#include <stddef.h>
#include <stdint.h>

enum { MOD_NONE = 0, MOD_BREVE, MOD_CIRCUMFLEX, MOD_HORN, MOD_STROKE };
enum { TONE_NONE = 0, TONE_GRAVE, TONE_ACUTE, TONE_HOOK, TONE_TILDE, TONE_DOT };

typedef struct {
    unsigned char base;  /* lower-case ASCII letter, 0 when the code point is not in the table */
    unsigned char mod;   /* MOD_* */
    unsigned char tone;  /* TONE_* */
    unsigned char upper; /* 1 when the source letter was upper case */
} tc_letter;

/* Builds the letter table; call once before tc_letter_lookup (tc_text_analyze does). */
void tc_letters_init(void);

/* Looks up a precomposed code point (ASCII letters included). Returns 0 when it is not a
 * Latin letter of the Vietnamese alphabet (for example ç, ñ, Cyrillic). */
int tc_letter_lookup(uint32_t cp, tc_letter *out);

/* The lower-case NFC code point of (base, mod, tone), or 0 when Vietnamese has no such letter. */
uint32_t tc_letter_compose(unsigned base, unsigned mod, unsigned tone);

/* Classifies a combining mark: returns 1 and sets *tone (TONE_*) or *mod (MOD_*) for the
 * Vietnamese marks; returns 0 for any other code point. */
int tc_mark_lookup(uint32_t cp, unsigned *tone, unsigned *mod);

/* Moves the single tone of a well-formed Vietnamese syllable to its canonical vowel ("hòa",
 * "thủy", "khỏe", "quý"). Letters that do not form a Vietnamese syllable are left alone. */
void tc_syllable_place_tone(tc_letter *letters, size_t count);

#endif
