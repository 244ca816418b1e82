/* test_text.c — table tests of the Vietnamese analyser: normalisation, folding, tokenising, offsets.
 * Every marked letter of Vietnamese is checked from NFC and NFD; every bug fixed adds a row. */
#include "tracuu.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct {
    char exact[2048], folded[2048];
    size_t starts[64], ends[64];
    unsigned flags[64], positions[64];
    int count;
} rendered;

static int collect(void *ctx, const tc_token *t)
{
    rendered *r = ctx;
    size_t le = strlen(r->exact), lf = strlen(r->folded);
    int joined = (t->flags & TC_TOKEN_JOINED) != 0;
    snprintf(r->exact + le, sizeof r->exact - le, "%s%s%.*s%s%s", le ? " " : "", joined ? "[" : "",
             (int)t->exact_len, t->exact, joined ? "]" : "", (t->flags & TC_TOKEN_STOP) ? "*" : "");
    snprintf(r->folded + lf, sizeof r->folded - lf, "%s%.*s", lf ? " " : "", (int)t->folded_len, t->folded);
    if (r->count < 64) {
        r->starts[r->count] = t->start;
        r->ends[r->count] = t->end;
        r->flags[r->count] = t->flags;
        r->positions[r->count] = t->position;
    }
    r->count++;
    return 0;
}

static rendered analyze(const char *text, size_t len, tc_mode mode)
{
    rendered r;
    memset(&r, 0, sizeof r);
    tc_text_analyze(text, len, mode, collect, &r);
    return r;
}

static char *nfd(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_map((const utf8proc_uint8_t *)s, 0, &out, UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_STABLE);
    return (char *)out;
}

/* input → exact forms (stopwords marked *, joined forms in brackets) and folded forms */
static const struct {
    const char *in, *exact, *folded;
} ROWS[] = {
    /* normalisation, tone placement (open oa, oe, uy take the tone on the first vowel) */
    {"Hoà bình", "hòa bình", "hoa binh"},
    {"hòa bình", "hòa bình", "hoa binh"},
    {"thuỷ điện", "thủy điện", "thuy dien"},
    {"thủy điện", "thủy điện", "thuy dien"},
    {"uỷ ban", "ủy ban", "uy ban"},
    {"ủy ban", "ủy ban", "uy ban"},
    {"qúy", "quý", "quy"},
    {"quý", "quý", "quy"},
    {"khoẻ", "khỏe", "khoe"},
    {"thoả thuận", "thỏa thuận", "thoa thuan"},
    {"hoá học", "hóa học", "hoa hoc"},
    {"Toà án", "tòa án", "toa an"},
    {"loé", "lóe", "loe"},
    {"xoè", "xòe", "xoe"},
    {"tuỳ", "tùy", "tuy"},
    {"suý", "súy", "suy"},
    {"hoàn thành", "hoàn thành", "hoan thanh"},
    {"hòan", "hoàn", "hoan"},
    {"toán", "toán", "toan"},
    {"ngoài", "ngoài", "ngoai"},
    {"ngòai", "ngoài", "ngoai"},
    {"khuỷu", "khuỷu", "khuyu"},
    {"khủyu", "khuỷu", "khuyu"},
    {"khuya", "khuya", "khuya"},
    {"người", "người", "nguoi"},
    {"ngừơi", "người", "nguoi"},
    {"được", "được*", "duoc"},
    {"đựơc", "được*", "duoc"},
    {"thuở", "thuở", "thuo"},
    {"hữu", "hữu", "huu"},
    {"hưũ", "hữu", "huu"},
    {"giữ gìn", "giữ gìn", "giu gin"},
    {"gìa", "già", "gia"},
    {"già", "già", "gia"},
    {"giếng", "giếng", "gieng"},
    {"quốc gia", "quốc gia", "quoc gia"},
    {"qủa", "quả", "qua"},
    {"quả", "quả", "qua"},
    {"của", "của*", "cua"},
    {"mùa", "mùa", "mua"},
    {"kìa", "kìa", "kia"},
    {"mái", "mái", "mai"},
    {"maí", "mái", "mai"},
    {"cáo", "cáo", "cao"},
    {"caó", "cáo", "cao"},
    {"tuyển", "tuyển", "tuyen"},
    {"tuýên", "tuyến", "tuyen"},
    {"xoăn", "xoăn", "xoan"},
    {"xóăn", "xoắn", "xoan"},
    {"nghiêng", "nghiêng", "nghieng"},
    {"nghịêng", "nghiệng", "nghieng"},
    {"trường", "trường", "truong"},
    {"phượng", "phượng", "phuong"},
    {"Nguyễn", "nguyễn", "nguyen"},
    {"NGUYỄN", "nguyễn", "nguyen"},
    {"ĐẢNG", "đảng", "dang"},
    {"Ðà Nẵng", "đà nẵng", "da nang"},
    {"đà nẵng", "đà nẵng", "da nang"},
    {"Hà Nội", "hà nội", "ha noi"},
    {"TP. Hồ Chí Minh", "tp hồ chí minh", "tp ho chi minh"},
    /* foreign words keep their letters; tones are only moved inside Vietnamese syllables */
    {"café", "café", "cafe"},
    {"Renée", "renée", "renee"},
    {"naïve", "naïve", "naive"},
    {"Müller", "müller", "muller"},
    {"Straße", "strasse", "strasse"},
    {"Façade", "façade", "facade"},
    {"Ñandú", "ñandú", "nandu"},
    {"Obama", "obama", "obama"},
    {"Messi", "messi", "messi"},
    /* stray and doubled marks */
    {"đượ̣c", "được*", "duoc"},
    {"Thuỵ̣", "thụy", "thuy"},
    {"a\xcc\x81\xcc\x81", "á", "a"},
    {"a\xcc\x81\xcc\x80", "á", "a"},
    {"o\xcc\x82\xcc\x82", "ô", "o"},
    {"\xcc\x81" "abc", "abc", "abc"},
    {"n\xcc\x81", "ń", "n"},
    {"e\xcc\x88", "ë", "e"},
    /* ignorable characters are removed; NBSP and other spaces separate */
    {"công\xe2\x80\x8b" "tác", "côngtác", "congtac"},
    {"công\xc2\xa0tác", "công tác", "cong tac"},
    {"công\xe2\x80\x83tác", "công tác", "cong tac"},
    {"công\xe3\x80\x80tác", "công tác", "cong tac"},
    {"\xe2\x80\x8b" "Một nữ sinh", "một* nữ sinh", "mot nu sinh"},
    {"ông \x08H", "ông h", "ong h"},
    {"cán\xc2\xad" "bộ", "cánbộ", "canbo"},
    {"\xef\xbb\xbf" "tin", "tin", "tin"},
    {"a\x01" "b", "ab", "ab"},
    {"tab\there", "tab here", "tab here"},
    {"line\r\nbreak", "line break", "line break"},
    /* numbers: parts split at . , / between digits and glued, so "16 5" finds 16/5 and "5000" finds 5.000 */
    {"99.321", "99 321 [99321]", "99 321 99321"},
    {"1,28", "1 28 [128]", "1 28 128"},
    {"6/2/2017", "6 2 2017 [622017]", "6 2 2017 622017"},
    {"năm 2024.", "năm 2024", "nam 2024"},
    {"giá 1.200.000 đồng", "giá 1 200 000 [1200000] đồng", "gia 1 200 000 1200000 dong"},
    {"2,5%", "2 5 [25]", "2 5 25"},
    {"3/4", "3 4 [34]", "3 4 34"},
    {"ngày 16/5:", "ngày 16 5 [165]", "ngay 16 5 165"},
    {"5.000 xe", "5 000 [5000] xe", "5 000 5000 xe"},
    {"1.", "1", "1"},
    {"1..2", "1 2", "1 2"},
    {"10-12", "10 12 [1012]", "10 12 1012"},
    {"quý II-2024", "quý ii 2024 [ii2024]", "quy ii 2024 ii2024"},
    /* codes and names with digits */
    {"Covid-19", "covid 19 [covid19]", "covid 19 covid19"},
    {"COVID-19", "covid 19 [covid19]", "covid 19 covid19"},
    {"U23 Việt Nam", "u23 việt nam", "u23 viet nam"},
    {"SEA Games 31", "sea games 31", "sea games 31"},
    {"iPhone 15", "iphone 15", "iphone 15"},
    {"H5N1", "h5n1", "h5n1"},
    {"21-KL/TW", "21 kl [21kl] tw", "21 kl 21kl tw"},
    {"A80", "a80", "a80"},
    /* abbreviations with dots */
    {"TP.HCM", "tp hcm [tphcm]", "tp hcm tphcm"},
    {"TP HCM", "tp hcm", "tp hcm"},
    {"U.S.A", "u s a [usa]", "u s a usa"},
    {"P.Hằng", "p hằng", "p hang"},
    {"Ảnh: P.Hằng", "ảnh p hằng", "anh p hang"},
    /* hyphenated names */
    {"Park Hang-seo", "park hang seo [hangseo]", "park hang seo hangseo"},
    {"Park Hang Seo", "park hang seo", "park hang seo"},
    {"Kim Jong-un", "kim jong un [jongun]", "kim jong un jongun"},
    {"vô-lăng", "vô lăng [vôlăng]", "vo lang volang"},
    {"a - b", "a b", "a b"},
    {"-abc", "abc", "abc"},
    {"abc-", "abc", "abc"},
    {"a--b", "a b", "a b"},
    {"a\xe2\x80\x90" "b", "a b [ab]", "a b ab"},
    /* apostrophes */
    {"O'Neil", "o neil [oneil]", "o neil oneil"},
    {"O\xe2\x80\x99Neil", "o neil [oneil]", "o neil oneil"},
    {"'Hà Nội'", "hà nội", "ha noi"},
    {"\xe2\x80\x9c" "Hà Nội" "\xe2\x80\x9d", "hà nội", "ha noi"},
    /* e-mail and URLs split into their parts */
    {"ban@baodongnai.com.vn", "ban baodongnai com vn", "ban baodongnai com vn"},
    {"https://dantri.com.vn/xa-hoi.htm", "https dantri com vn xa hoi htm [xahoihtm]", "https dantri com vn xa hoi htm xahoihtm"},
    {"snake_case", "snake case [snakecase]", "snake case snakecase"},
    /* scripts other than Latin */
    {"北京", "北 京", "北 京"},
    {"東京タワー", "東 京 タ ワ ー", "東 京 タ ワ ー"},
    {"Москва", "москва", "москва"},
    {"Ελλάδα", "ελλάδα", "ελλαδα"},
    {"서울 시", "서울 시", "서울 시"},
    {"กรุงเทพ", "กรุงเทพ", "กรงเทพ"},
    {"مرحبا", "مرحبا", "مرحبا"},
    {"Hà Nội 北京", "hà nội 北 京", "ha noi 北 京"},
    {"😀 vui", "vui", "vui"},
    /* punctuation only, empty */
    {"", "", ""},
    {"   ", "", ""},
    {"...!!!", "", ""},
    {"(ĐN)-", "đn", "dn"},
    /* stopwords are flagged, never removed */
    {"và của là các những được", "và* của* là* các* những* được*", "va cua la cac nhung duoc"},
    {"Và", "và*", "va"},
    {"va", "va", "va"},
    /* the particles readers end a question with; unaccented they could be content words (vay, nhe) */
    {"covid là gì vậy ạ", "covid là* gì* vậy* ạ*", "covid la gi vay a"},
    {"đi đâu nhé", "đi đâu* nhé*", "di dau nhe"},
    {"vay nhe", "vay nhe", "vay nhe"},
    {"công tác cán bộ", "công tác cán bộ", "cong tac can bo"},
};

/* Every marked letter of Vietnamese, lower case, grouped by the letter it folds to. */
static const struct {
    char folded;
    const char *letters;
} MARKED[] = {
    {'a', "àáảãạăằắẳẵặâầấẩẫậ"},
    {'e', "èéẻẽẹêềếểễệ"},
    {'i', "ìíỉĩị"},
    {'o', "òóỏõọôồốổỗộơờớởỡợ"},
    {'u', "ùúủũụưừứửữự"},
    {'y', "ỳýỷỹỵ"},
    {'d', "đ"},
};

static void test_rows(void)
{
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        rendered r = analyze(ROWS[i].in, strlen(ROWS[i].in), TC_MODE_DOCUMENT);
        CHECK(!strcmp(r.exact, ROWS[i].exact), "row %zu '%s': exact '%s', want '%s'", i, ROWS[i].in, r.exact, ROWS[i].exact);
        CHECK(!strcmp(r.folded, ROWS[i].folded), "row %zu '%s': folded '%s', want '%s'", i, ROWS[i].in, r.folded, ROWS[i].folded);
        char *d = nfd(ROWS[i].in);
        rendered rd = analyze(d, strlen(d), TC_MODE_DOCUMENT);
        CHECK(!strcmp(rd.exact, r.exact) && !strcmp(rd.folded, r.folded), "row %zu '%s': NFD gives '%s'", i, ROWS[i].in, rd.exact);
        /* folded-only mode (snippets): the same tokens at the same offsets, folded forms alone */
        const char *inputs[2] = {ROWS[i].in, d};
        for (int k = 0; k < 2; k++) {
            rendered f = analyze(inputs[k], strlen(inputs[k]), TC_MODE_FOLDED);
            int same = f.count == r.count && !strcmp(f.folded, ROWS[i].folded);
            for (int t = 0; same && t < f.count && t < 64; t++)
                same = f.ends[t] - f.starts[t] == (k ? rd : r).ends[t] - (k ? rd : r).starts[t] && !(f.flags[t] & TC_TOKEN_STOP);
            CHECK(same, "row %zu '%s' (%s): folded mode gives '%s'", i, ROWS[i].in, k ? "NFD" : "NFC", f.folded);
        }
        free(d);
    }
}

static void test_marked_letters(void)
{
    int letters = 0;
    for (size_t g = 0; g < sizeof MARKED / sizeof *MARKED; g++) {
        const char *p = MARKED[g].letters;
        while (*p) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
            utf8proc_int32_t forms[2] = {cp, utf8proc_toupper(cp)};
            for (int c = 0; c < 2; c++) {
                utf8proc_uint8_t nfc[8] = {0}, lower[8] = {0};
                utf8proc_encode_char(forms[c], nfc);
                utf8proc_encode_char(cp, lower);
                char *decomposed = nfd((char *)nfc);
                const char *inputs[2] = {(char *)nfc, decomposed};
                for (int k = 0; k < 2; k++) {
                    rendered r = analyze(inputs[k], strlen(inputs[k]), TC_MODE_DOCUMENT);
                    char want_folded[2] = {MARKED[g].folded, 0};
                    CHECK(!strcmp(r.folded, want_folded), "letter U+%04X (%s): folded '%s'", (unsigned)forms[c], k ? "NFD" : "NFC", r.folded);
                    char *star = strchr(r.exact, '*'); /* ở is a stopword */
                    if (star)
                        *star = 0;
                    CHECK(!strcmp(r.exact, (char *)lower), "letter U+%04X (%s): exact '%s'", (unsigned)forms[c], k ? "NFD" : "NFC", r.exact);
                }
                free(decomposed);
                letters++;
            }
            p += w;
        }
    }
    CHECK(letters == 134, "checked %d marked letters, want 134", letters);
}

/* Byte offsets point into the original text, whatever its normal form. */
static void test_offsets(void)
{
    static const struct {
        const char *in;
        int token;
        const char *covered;
    } OFFSETS[] = {
        {"Hà Nội", 1, "Nội"},
        {"công tác cán bộ", 2, "cán"},
        {"ho\xcc\x80" "a bi\xcc\x80nh", 1, "bi\xcc\x80nh"},
        {"\xe2\x80\x8b" "tin", 0, "tin"},
        {"Covid-19 lan", 1, "19"},
        {"Covid-19 lan", 2, "Covid-19"},
        {"99.321 người", 0, "99"},
        {"99.321 người", 2, "99.321"},
        {"đượ̣c việc", 0, "đượ̣c"},
    };
    for (size_t i = 0; i < sizeof OFFSETS / sizeof *OFFSETS; i++) {
        rendered r = analyze(OFFSETS[i].in, strlen(OFFSETS[i].in), TC_MODE_DOCUMENT);
        int t = OFFSETS[i].token;
        size_t n = strlen(OFFSETS[i].covered);
        CHECK(t < r.count && r.ends[t] - r.starts[t] == n && !memcmp(OFFSETS[i].in + r.starts[t], OFFSETS[i].covered, n),
              "offsets row %zu: token %d covers [%zu,%zu)", i, t, r.starts[t], r.ends[t]);
    }
}

static void test_flags_and_modes(void)
{
    rendered d = analyze("Covid-19", 8, TC_MODE_DOCUMENT);
    rendered q = analyze("Covid-19", 8, TC_MODE_QUERY);
    CHECK(d.count == 3 && q.count == 2, "document mode adds the joined form, query mode does not (%d, %d)", d.count, q.count);
    CHECK((q.flags[1] & TC_TOKEN_GLUED) && !(q.flags[0] & TC_TOKEN_GLUED), "19 is glued to covid");
    CHECK(d.positions[2] == 0, "the joined form shares its first part's position");
    rendered s = analyze("Ông Hồ Thanh Sơn nói. Sau đó Đồng Nai\nHôm nay", 52, TC_MODE_DOCUMENT);
    CHECK((s.flags[0] & TC_TOKEN_SENTENCE_START) && (s.flags[0] & TC_TOKEN_CAPITALISED), "first token starts a sentence");
    CHECK(!(s.flags[1] & TC_TOKEN_SENTENCE_START) && (s.flags[1] & TC_TOKEN_CAPITALISED), "Hồ is capitalised mid-sentence");
    CHECK(s.flags[5] & TC_TOKEN_SENTENCE_START, "Sau starts a sentence after a full stop");
    CHECK(!(s.flags[7] & TC_TOKEN_SENTENCE_START) && (s.flags[7] & TC_TOKEN_CAPITALISED), "Đồng mid-sentence");
    CHECK(s.flags[9] & TC_TOKEN_SENTENCE_START, "a newline starts a sentence");
    rendered n = analyze("U23 và 2024", 13, TC_MODE_DOCUMENT);
    CHECK(!(n.flags[0] & TC_TOKEN_NUMERIC) && (n.flags[2] & TC_TOKEN_NUMERIC) && (n.flags[1] & TC_TOKEN_STOP), "numeric and stop flags");
}

/* Invalid UTF-8 never crashes or loops; the bad bytes split tokens and never reach a term. */
static void test_invalid_utf8(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *exact;
    } BAD[] = {
        {"ab\xc3", 3, "ab"},                      /* truncated at the end */
        {"ab\xc3" "cd", 5, "ab cd"},              /* truncated in the middle */
        {"\xc0\xaf" "x", 3, "x"},                 /* overlong '/' */
        {"\xe0\x80\xaf" "x", 4, "x"},             /* overlong 3-byte */
        {"a\xed\xa0\x80" "b", 5, "a b"},          /* surrogate U+D800 */
        {"a\xfe\xff" "b", 4, "a b"},              /* bytes that never occur */
        {"\xf4\x90\x80\x80" "z", 5, "z"},         /* above U+10FFFF */
        {"h\xe1\xbb" "c", 4, "h c"},              /* ộ cut short */
        {"a\0b", 3, "ab"},                        /* NUL is a control character */
        {"\x80\x80\x80", 3, ""},                  /* lone continuation bytes */
        {"ti\xe1\xba\xbfng vi\xe1\xbb\x87t\xff", 14, "tiếng việt"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        rendered r = analyze(BAD[i].in, BAD[i].len, TC_MODE_DOCUMENT);
        CHECK(!strcmp(r.exact, BAD[i].exact), "invalid row %zu: '%s', want '%s'", i, r.exact, BAD[i].exact);
    }
}

static void test_long_token(void)
{
    char big[1000];
    memset(big, 'a', sizeof big);
    rendered r = analyze(big, sizeof big, TC_MODE_DOCUMENT);
    CHECK(r.count == 1 && strlen(r.exact) == 60, "a 1000-letter word is kept as its first 60 letters (%zu)", strlen(r.exact));
    char word[64];
    CHECK(tc_text_normalize_word("Thuỷ", strlen("Thuỷ"), 0, word, sizeof word) == strlen("thủy") && !strcmp(word, "thủy"), "normalize_word exact");
    CHECK(tc_text_normalize_word("Thuỷ", strlen("Thuỷ"), 1, word, sizeof word) == 4 && !strcmp(word, "thuy"), "normalize_word folded");
    CHECK(tc_text_normalize_word("...", 3, 1, word, sizeof word) == 0, "normalize_word of no word");
}

/* Old and new tone placement, NFC and NFD, upper and lower case: one exact form. */
static void test_equivalent_spellings(void)
{
    static const char *const GROUPS[][4] = {
        {"hoà", "hòa", "HOÀ", "Hòa"},
        {"thuỷ", "thủy", "THUỶ", "Thủy"},
        {"uỷ ban", "ủy ban", "UỶ BAN", "Ủy ban"},
        {"quý", "qúy", "QÚY", "Quý"},
        {"khoẻ", "khỏe", "KHOẺ", "Khỏe"},
        {"thoả", "thỏa", "THOẢ", "Thỏa"},
        {"Đồng Nai", "đồng nai", "ĐỒNG NAI", "Ðồng Nai"},
    };
    for (size_t g = 0; g < sizeof GROUPS / sizeof *GROUPS; g++) {
        rendered first = analyze(GROUPS[g][0], strlen(GROUPS[g][0]), TC_MODE_QUERY);
        for (int k = 1; k < 4; k++) {
            char *d = nfd(GROUPS[g][k]);
            rendered r = analyze(GROUPS[g][k], strlen(GROUPS[g][k]), TC_MODE_QUERY);
            rendered rd = analyze(d, strlen(d), TC_MODE_QUERY);
            CHECK(!strcmp(r.exact, first.exact), "'%s' gives '%s', '%s' gives '%s'", GROUPS[g][0], first.exact, GROUPS[g][k], r.exact);
            CHECK(!strcmp(rd.exact, first.exact), "NFD '%s' gives '%s'", GROUPS[g][k], rd.exact);
            free(d);
        }
    }
}

/* The dominant-form list (text/forms-vi.txt): lookups, and every entry is what the analyser makes
 * of its own dominant form, so that the indexer and the query side meet on it. */
extern const unsigned char tc_forms_vi[];
extern const size_t tc_forms_vi_len;

static const struct {
    const char *folded, *dominant; /* NULL: the folded form is the one most articles use */
} DOMINANT[] = {
    {"nguoi", "người"}, {"cong", "công"}, {"duoc", "được"}, {"viet", "việt"}, {"ha", "hà"},
    {"tin", NULL}, {"an", NULL}, {"xyzzq", NULL}, {"", NULL},
};

static void test_dominant_forms(void)
{
    for (size_t i = 0; i < sizeof DOMINANT / sizeof *DOMINANT; i++) {
        size_t len = 99;
        const char *got = tc_form_dominant(DOMINANT[i].folded, strlen(DOMINANT[i].folded), &len);
        const char *want = DOMINANT[i].dominant;
        CHECK(want ? got && len == strlen(want) && !memcmp(got, want, len) : !got && len == 0,
              "dominant form of '%s': '%.*s', want '%s'", DOMINANT[i].folded, got ? (int)len : 4, got ? got : "NULL",
              want ? want : "NULL");
    }
    const char *p = (const char *)tc_forms_vi, *end = p + tc_forms_vi_len;
    int entries = 0;
    for (; p < end; p = strchr(p, '\n') + 1) {
        const char *eol = strchr(p, '\n'), *tab = memchr(p, '\t', (size_t)(eol - p));
        if (*p == '#' || !tab)
            continue;
        char exact[64], folded[64];
        size_t dl = (size_t)(eol - tab - 1);
        size_t el = tc_text_normalize_word(tab + 1, dl, 0, exact, sizeof exact);
        size_t fl = tc_text_normalize_word(tab + 1, dl, 1, folded, sizeof folded);
        CHECK(el == dl && !memcmp(exact, tab + 1, dl) && fl == (size_t)(tab - p) && !memcmp(folded, p, fl),
              "forms-vi.txt: '%.*s' is not the analyser's form of itself folding to its key", (int)(eol - p), p);
        entries++;
    }
    CHECK(entries > 1000, "forms-vi.txt has %d entries", entries);
}

/* Telex keys typed with the input method off: each row, the word typed and what it reads as (""
 * when it holds no Telex key or no Vietnamese letters). */
static const struct {
    const char *typed, *reads;
} TELEX[] = {
    {"tieengs", "tiếng"}, {"vieetj", "việt"}, {"nguwowif", "người"}, {"nguowif", "người"},
    {"ddi", "đi"}, {"ddaau", "đâu"}, {"laf", "là"}, {"hoaf", "hòa"}, {"thuyr", "thủy"},
    {"khoong", "không"}, {"awn", "ăn"}, {"muwa", "mưa"}, {"tw", "tư"}, {"quys", "quý"},
    {"giuwx", "giữ"}, {"cuar", "của"}, {"dduwowngf", "đường"},
    {"tieng", ""}, {"nha", ""}, {"bcd", ""}, {"s", ""}, {"xyz", ""}, {"caf\u00e9", ""}, {"NHA", ""},
    {"foo", ""}, {"jazz", ""}, {"fifa", ""},
};

static void test_telex(void)
{
    for (size_t i = 0; i < sizeof TELEX / sizeof *TELEX; i++) {
        char out[64] = "?";
        size_t n = tc_telex_decode(TELEX[i].typed, strlen(TELEX[i].typed), out, sizeof out);
        CHECK(n == strlen(TELEX[i].reads) && (!n || !strcmp(out, TELEX[i].reads)), "telex '%s': '%s' (%zu), want '%s'",
              TELEX[i].typed, n ? out : "", n, TELEX[i].reads);
    }
    char small[4];
    CHECK(tc_telex_decode("dduwowngf", 9, small, sizeof small) == 0, "telex into too small a buffer");
}

int main(void)
{
    test_rows();
    test_marked_letters();
    test_offsets();
    test_flags_and_modes();
    test_invalid_utf8();
    test_long_token();
    test_equivalent_spellings();
    test_dominant_forms();
    test_telex();
    return check_report();
}
