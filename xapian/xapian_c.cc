// xapian_c.cc — the only C++ in tracuu: a thin C binding over libxapian (see xapian_c.h).
// Every entry point catches every exception and turns it into a tc_status with a message.
#include "xapian_c.h"

#include <xapian.h>

#include <dlfcn.h>
#include <sys/stat.h>
#include <zlib.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <fstream>
#include <map>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

// Xapian deflates each document's stored data and term list at zlib's default level (6) and has no
// setting for it. The indexer compresses stored data itself, with zstd on the analysing thread
// (indexer/stored.c), and term lists are never read by a search, so Xapian is asked for level 0:
// deflate then cannot shrink a tag and Xapian stores it as it is. On 10k articles this made the
// indexer 12-17% faster than zlib level 1 for both tables (6.81-6.92 s -> 5.65-6.03 s), for an
// index 5% larger (raw term lists). libxapian reaches zlib through the dynamic linker, which finds
// this definition in the executable first.
extern "C" int deflateInit2_(z_streamp strm, int level, int method, int window_bits, int mem_level,
                             int strategy, const char *version, int stream_size)
{
    using deflate_init = int (*)(z_streamp, int, int, int, int, int, const char *, int);
    static const deflate_init zlib_own = reinterpret_cast<deflate_init>(dlsym(RTLD_NEXT, "deflateInit2_"));
    (void)level;
    if (!zlib_own)
        return Z_VERSION_ERROR;
    return zlib_own(strm, Z_NO_COMPRESSION, method, window_bits, mem_level, strategy, version, stream_size);
}

// The wdf of each term added without positions, summed in a hash table until tc_xdoc_finish hands
// them to the document: Xapian's Document keeps its terms in a std::map of strings, where a term
// added once per occurrence cost a dozen string comparisons each time (summing first took the 38k
// corpus from 12.9-13.2 s to 12.4-12.5 s).
class TermTally {
  public:
    void add(const char *term, size_t len, unsigned wdf, uint32_t hash)
    {
        if (2 * (used_ + 1) > slots_.size())
            grow();
        size_t mask = slots_.size() - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            Slot &s = slots_[i];
            if (!s.len) {
                s = {hash, uint32_t(bytes_.size()), uint32_t(len), wdf};
                bytes_.append(term, len);
                used_++;
                return;
            }
            if (s.hash == hash && s.len == len && !memcmp(bytes_.data() + s.offset, term, len)) {
                s.wdf += wdf;
                return;
            }
        }
    }
    template <class Fn>
    void each(Fn &&fn) const
    {
        for (const Slot &s : slots_)
            if (s.len)
                fn(std::string(bytes_.data() + s.offset, s.len), s.wdf);
    }

  private:
    struct Slot {
        uint32_t hash, offset, len, wdf; // len 0: empty (no term is empty)
    };
    void grow()
    {
        std::vector<Slot> old(std::max<size_t>(512, 2 * slots_.size()));
        old.swap(slots_);
        size_t mask = slots_.size() - 1;
        for (const Slot &s : old)
            if (s.len) {
                size_t i = s.hash & mask;
                while (slots_[i].len)
                    i = (i + 1) & mask;
                slots_[i] = s;
            }
    }
    std::vector<Slot> slots_;
    std::string bytes_; // the terms, back to back
    size_t used_ = 0;
};

struct tc_xdoc {
    Xapian::Document doc;
    TermTally terms;
    std::vector<uint32_t> at;    // the hash of the folded syllable at each position, 0 for none
    std::vector<uint32_t> extra; // (position, hash) pairs of syllables sharing a position (joined forms)
    unsigned title_end = 0;      // positions below it are the title's
};
struct tc_xwriter {
    Xapian::WritableDatabase db;
    std::string error;
};
// Facet values as small numbers, one numbering a reader for all its shards, so that every
// shard's matches are tallied into the same arrays. Per facet slot: value -> id and id -> value.
struct FacetNames {
    std::vector<unsigned> slots;
    std::vector<std::unordered_map<std::string, unsigned>> ids;
    std::vector<std::vector<std::string>> values;

    unsigned id(size_t slot, std::string value)
    {
        auto found = ids[slot].emplace(std::move(value), static_cast<unsigned>(values[slot].size()));
        if (found.second)
            values[slot].push_back(found.first->first);
        return found.first->second;
    }
};

namespace {

// Positions slot (TC_XAPIAN_POSITIONS_SLOT): little-endian 32-bit words, the count n of positions,
// the title's end (positions below it are the title's: those of its "S" terms), n hashes (position
// i + 1 holds hash i, 0 where no syllable stands, as between fields), then (position, hash) pairs
// for the syllables that share a position with another (a joined form).
// The hash is FNV-1a of the folded syllable. Of the 38k corpus's 85,645 folded syllables, one pair
// shares a hash ("5000d" and "mutter"): a phrase check takes one for the other only where an
// article holds both.
uint32_t position_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
    return h ? h : 1;
}

void put_word(std::string &out, uint32_t w)
{
    char b[4] = {char(w & 0xff), char((w >> 8) & 0xff), char((w >> 16) & 0xff), char(w >> 24)};
    out.append(b, 4);
}

uint32_t word_at(const std::string &s, size_t i)
{
    const unsigned char *b = reinterpret_cast<const unsigned char *>(s.data()) + 4 * i;
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

// The positions (counted from 1, as Xapian's) where a positions value holds the syllable of an "F"
// term, or of an "S" term within the title, in order, into out.
void slot_positions(const std::string &value, const std::string &term, std::vector<unsigned> &out)
{
    out.clear();
    size_t words = value.size() / 4;
    if (words < 2 || term.size() < 2)
        return;
    uint32_t h = position_hash(term.data() + 1, term.size() - 1);
    size_t n = std::min<size_t>(word_at(value, 0), words - 2);
    size_t end = term[0] == 'S' ? std::min<size_t>(word_at(value, 1), n) : n;
    for (size_t i = 0; i < end; i++)
        if (word_at(value, 2 + i) == h)
            out.push_back(unsigned(i + 1));
    size_t before = out.size();
    for (size_t i = 2 + n; i + 1 < words; i += 2)
        if (word_at(value, i + 1) == h && (term[0] != 'S' || word_at(value, i) < word_at(value, 1)))
            out.push_back(word_at(value, i) + 1);
    if (out.size() > before)
        std::sort(out.begin(), out.end());
}

// Whether the term is one whose positions a positions value holds: a folded syllable of the text
// ("F") or of the title ("S").
bool is_slot_term(const std::string &term)
{
    return term.size() > 1 && (term[0] == 'F' || term[0] == 'S');
}

// Whether the first list has a position p with p + i in the i-th list for every other: an exact
// phrase, as Xapian's PHRASE with a window of its term count.
bool in_order(const std::vector<const std::vector<unsigned> *> &lists)
{
    for (unsigned first : *lists[0]) {
        size_t i = 1;
        while (i < lists.size() && std::binary_search(lists[i]->begin(), lists[i]->end(), first + unsigned(i)))
            i++;
        if (i == lists.size())
            return true;
    }
    return false;
}

// Whether one position from each list can be picked with all of them less than window apart: the
// smallest window over k sorted lists, found by always advancing the list at the lowest position.
bool within(const std::vector<const std::vector<unsigned> *> &lists, unsigned window)
{
    std::vector<size_t> at(lists.size(), 0);
    for (;;) {
        size_t low = 0;
        unsigned lo = UINT_MAX, hi = 0;
        for (size_t i = 0; i < lists.size(); i++) {
            unsigned p = (*lists[i])[at[i]];
            if (p < lo) {
                lo = p;
                low = i;
            }
            hi = std::max(hi, p);
        }
        if (hi - lo < window)
            return true;
        if (++at[low] == lists[low]->size())
            return false;
    }
}

// A phrase (or NEAR) of "F" or "S" terms as a posting list of the articles that hold it: the articles with
// every term, found by walking their posting lists, each checked on its positions slot, or on
// Xapian's positions for an article written without one. It weighs nothing: the query ANDs the
// terms beside it for the weight.
class PhraseSource : public Xapian::PostingSource {
  public:
    PhraseSource(std::vector<std::string> terms, unsigned window, bool exact)
        : terms_(std::move(terms)), window_(window), exact_(exact), lists_(terms_.size()), pointers_(terms_.size())
    {
        for (size_t i = 0; i < lists_.size(); i++)
            pointers_[i] = &lists_[i];
    }
    PostingSource *clone() const override { return new PhraseSource(terms_, window_, exact_); }
    std::string name() const override { return "tracuu::PhraseSource"; }
    std::string get_description() const override
    {
        std::string d = exact_ ? "phrase(" : "near(";
        for (size_t i = 0; i < terms_.size(); i++)
            d += (i ? " " : "") + terms_[i];
        return d + ")";
    }

    void init(const Xapian::Database &db) override
    {
        db_ = db;
        postings_.clear();
        did_ = 0;
        matched_ = false;
        ended_ = terms_.empty();
        Xapian::doccount fewest = db.get_doccount();
        for (const std::string &t : terms_) {
            postings_.push_back(db.postlist_begin(t));
            fewest = std::min(fewest, db.get_termfreq(t));
        }
        ended_ |= fewest == 0;
        slot_ = db.valuestream_begin(TC_XAPIAN_POSITIONS_SLOT);
        freq_max_ = fewest;
        set_maxweight(0);
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return freq_max_ / 2; }
    Xapian::doccount get_termfreq_max() const override { return freq_max_; }
    bool at_end() const override { return ended_; }
    Xapian::docid get_docid() const override { return did_; }
    void next(double) override { advance(did_ + 1); }
    void skip_to(Xapian::docid did, double) override
    {
        if (did > did_)
            advance(did);
        else if (!matched_) // left by a check that failed: on to the next match
            advance(did_ + 1);
    }
    // Asked of a docid the rest of the query agrees on: checked where it is, without the walk.
    bool check(Xapian::docid did, double) override
    {
        if (did != did_) {
            did_ = did;
            matched_ = holds(did);
        }
        return matched_;
    }

  private:
    // Moves to the first article at or after did holding every term and the phrase.
    void advance(Xapian::docid did)
    {
        while (!ended_) {
            Xapian::docid agreed = did;
            for (size_t i = 0; i < postings_.size(); i++) {
                postings_[i].skip_to(agreed);
                if (postings_[i] == Xapian::PostingIterator()) {
                    ended_ = true;
                    return;
                }
                if (*postings_[i] > agreed) {
                    agreed = *postings_[i];
                    i = size_t(-1); // every list again, from this docid
                }
            }
            did_ = agreed;
            if ((matched_ = holds(agreed)))
                return;
            did = agreed + 1;
        }
        matched_ = false;
    }
    bool holds(Xapian::docid did)
    {
        slot_.skip_to(did);
        bool in_slot = slot_ != Xapian::ValueIterator() && slot_.get_docid() == did;
        std::string value = in_slot ? *slot_ : std::string();
        for (size_t i = 0; i < terms_.size(); i++) {
            if (in_slot)
                slot_positions(value, terms_[i], lists_[i]);
            else
                lists_[i].assign(db_.positionlist_begin(did, terms_[i]), db_.positionlist_end(did, terms_[i]));
            if (lists_[i].empty())
                return false;
        }
        return exact_ ? in_order(pointers_) : within(pointers_, window_);
    }

    std::vector<std::string> terms_;
    unsigned window_;
    bool exact_;
    Xapian::Database db_;
    std::vector<Xapian::PostingIterator> postings_;
    Xapian::ValueIterator slot_;
    Xapian::docid did_ = 0;
    bool matched_ = false; // did_ holds the phrase (else a check there failed)
    bool ended_ = true;
    Xapian::doccount freq_max_ = 0;
    std::vector<std::vector<unsigned>> lists_;
    std::vector<const std::vector<unsigned> *> pointers_;
};

} // namespace

// Calls fn for each part of a facet value (several names are stored joined by \x1f).
template <class Fn>
void each_part(const std::string &value, Fn &&fn)
{
    for (size_t start = 0; start < value.size();) {
        size_t end = std::min(value.find('\x1f', start), value.size());
        if (end > start)
            fn(value.substr(start, end - start));
        start = end + 1;
    }
}

// The facet values of every document of one local shard, held in memory as value ids so that
// counting facets over tens of thousands of matches is a loop over docids, not value lookups.
// Per slot, document d's ids are ids[first[d] .. first[d + 1]) (one flat array, so the counting
// loop stays in cache). Built on first use and again after a reopen found a newer commit.
struct FacetCache {
    struct Slot {
        std::vector<unsigned> first; // per docid, where its ids start
        std::vector<unsigned> ids;
    };
    std::vector<Slot> per_slot;

    void build(const Xapian::Database &db, FacetNames &names)
    {
        per_slot.assign(names.slots.size(), {});
        Xapian::docid last = db.get_lastdocid();
        for (size_t i = 0; i < names.slots.size(); i++) {
            Slot &slot = per_slot[i];
            Xapian::valueno valueno = names.slots[i];
            slot.first.assign(last + 2, 0);
            Xapian::docid next = 0; // docids below it have their start recorded
            for (Xapian::ValueIterator v = db.valuestream_begin(valueno); v != db.valuestream_end(valueno); ++v) {
                Xapian::docid did = v.get_docid();
                if (did > last)
                    break;
                while (next <= did)
                    slot.first[next++] = static_cast<unsigned>(slot.ids.size());
                each_part(*v, [&](std::string part) { slot.ids.push_back(names.id(i, std::move(part))); });
            }
            while (next <= last + 1)
                slot.first[next++] = static_cast<unsigned>(slot.ids.size());
        }
    }
};

// Facet counts by value id, one array a facet slot, kept by the reader from one search to the
// next: a search zeroes only the entries it touched (listed in touched), not arrays as long as
// the index has distinct names.
struct FacetTally {
    std::vector<std::vector<unsigned>> counts;
    std::vector<std::vector<unsigned>> touched;

    void reset(const FacetNames &names)
    {
        for (size_t i = 0; i < touched.size(); i++)
            for (unsigned id : touched[i])
                counts[i][id] = 0;
        counts.resize(names.slots.size());
        touched.assign(names.slots.size(), {});
        fit(names);
    }
    // Room for every value id numbered so far (a shard's cache may just have numbered more).
    void fit(const FacetNames &names)
    {
        for (size_t i = 0; i < counts.size(); i++)
            counts[i].resize(names.values[i].size(), 0);
    }
    void add(size_t slot, unsigned id, unsigned n)
    {
        if (id >= counts[slot].size())
            counts[slot].resize(id + 1, 0);
        if (!counts[slot][id])
            touched[slot].push_back(id);
        counts[slot][id] += n;
    }
};

// One database a reader searches: a local directory or a remote xapian-tcpsrv. A remote that
// cannot be reached is "down": left out of the search and tried again after a growing backoff.
struct Shard {
    std::string name;    // as the stub or the command line wrote it
    std::string path;    // local shards
    std::string host;    // remote shards
    unsigned port = 0;
    Xapian::Database db;
    std::shared_ptr<FacetCache> facets; // local shards: their facet values, by the shard's docids
    dev_t dir_dev = 0;      // local shards: the directory opened, to notice another one swapped in
    ino_t dir_ino = 0;      // at the path (a compaction), which Xapian's reopen() does not see
    bool up = false;
    double retry_at = 0;    // a down remote is tried again from then on
    double backoff = 0;     // seconds to the next try after this one fails: 1, 2, 4 ... 30
    bool refused = false;   // its last try failed at once (nothing listening), so another costs no timeout
};

// A prefix's terms with their frequencies, copied out of Xapian's term list for scans over all of
// them that repeat (the spelling correction reads the whole folded vocabulary per unknown syllable).
struct KeptTerms {
    std::string text;                                     // the terms, back to back
    std::vector<std::pair<size_t, Xapian::doccount>> ends; // each term's end in text, its frequency
};

struct tc_xreader {
    std::vector<std::string> paths; // what the caller opened: databases or stubs
    std::vector<Shard> shards;
    Xapian::Database db; // every shard that is up, searched as one
    std::map<std::string, KeptTerms> kept_terms; // by prefix, for the db above (combine() drops them)
    bool has_remote = false;
    unsigned timeout_ms = 2000;
    std::string error;
    FacetNames facet_names;
    FacetTally facet_tally;
    // Counting on another thread (tc_xreader_count_begin) uses a second reader of the same shards
    // at the same revisions, so that no Xapian object is ever used by two threads at once.
    std::unique_ptr<tc_xreader> twin;
    std::thread counting;
    std::atomic<bool> count_running{false};
    tc_xsearch_params count_params{};
    tc_xresults counted{};
    tc_status counted_status = TC_OK;

    ~tc_xreader()
    {
        if (counting.joinable())
            counting.join();
        tc_xresults_free(&counted);
    }
};
// A query as a local database runs it (q), and as remote shards do (wire): the same but for the
// phrases of "F" and "S" terms, which only a local database can check in a positions slot
// (PhraseSource).
struct tc_xquery {
    Xapian::Query q;
    Xapian::Query wire;
};

namespace {

// Tallies facet values for each matching document from the in-memory cache; only the docid of
// the document is read, never its values.
class FacetCounter : public Xapian::MatchSpy {
  public:
    FacetCounter(const FacetCache *cache, FacetTally *tally) : cache_(cache), tally_(tally) {}
    void operator()(const Xapian::Document &doc, double) override { tally(doc.get_docid()); }

    void tally(Xapian::docid did)
    {
        for (size_t i = 0; i < tally_->counts.size(); i++) {
            const FacetCache::Slot &slot = cache_->per_slot[i];
            if (did + 1 >= slot.first.size())
                continue;
            unsigned *counts = tally_->counts[i].data();
            for (unsigned k = slot.first[did]; k < slot.first[did + 1]; k++)
                if (!counts[slot.ids[k]]++)
                    tally_->touched[i].push_back(slot.ids[k]);
        }
    }

  private:
    const FacetCache *cache_;
    FacetTally *tally_;
};

// Every match of q in db, unweighted and in docid order, shown to the spies; returns how many.
Xapian::doccount count_matches(const Xapian::Database &db, const Xapian::Query &q, Xapian::MatchSpy *spy,
                               const std::vector<Xapian::MatchSpy *> &spies)
{
    Xapian::Enquire counter(db);
    counter.set_query(q);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    if (spy)
        counter.add_matchspy(spy);
    for (Xapian::MatchSpy *s : spies)
        counter.add_matchspy(s);
    return counter.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

// The terms of q when it is one term, or an AND or an OR of terms: what most searches count.
bool plain_terms(const Xapian::Query &q, std::vector<std::string> &terms, bool &any)
{
    auto leaf = [&](const Xapian::Query &t) {
        Xapian::TermIterator term = t.get_terms_begin();
        if (t.get_type() != Xapian::Query::LEAF_TERM || term == t.get_terms_end() || (*term).empty())
            return false;
        terms.push_back(*term);
        return true;
    };
    any = q.get_type() == Xapian::Query::OP_OR;
    if (q.get_type() != Xapian::Query::OP_AND && !any)
        return leaf(q);
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (!leaf(q.get_subquery(i)))
            return false;
    return !terms.empty();
}

// What count_matches gives for a query of plain terms (every one of them, or any), walking their
// posting lists here: Xapian's matcher makes a Document of every match to show it to a spy.
Xapian::doccount count_terms(const Xapian::Database &db, std::vector<std::string> terms, bool any,
                             FacetCounter *counter)
{
    Xapian::doccount total = 0;
    auto found = [&](Xapian::docid did) {
        total++;
        if (counter)
            counter->tally(did);
    };
    if (any) { // the union, as a bitmap over the docids
        std::vector<uint64_t> seen(db.get_lastdocid() / 64 + 1);
        for (const std::string &term : terms)
            for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
                seen[*p / 64] |= uint64_t(1) << (*p % 64);
        for (size_t w = 0; w < seen.size(); w++)
            for (uint64_t bits = seen[w]; bits; bits &= bits - 1)
                found(Xapian::docid(w * 64 + size_t(__builtin_ctzll(bits))));
        return total;
    }
    // the intersection, rarest term first, each list skipping to the latest docid any list reached
    std::vector<std::pair<Xapian::doccount, std::string>> rarest;
    for (std::string &term : terms)
        rarest.emplace_back(db.get_termfreq(term), std::move(term));
    std::sort(rarest.begin(), rarest.end());
    std::vector<Xapian::PostingIterator> lists, ends;
    for (const auto &[freq, term] : rarest) {
        lists.push_back(db.postlist_begin(term));
        ends.push_back(db.postlist_end(term));
    }
    while (lists[0] != ends[0]) {
        Xapian::docid target = *lists[0];
        bool all = true;
        for (size_t k = 1; k < lists.size() && all; k++) {
            lists[k].skip_to(target);
            if (lists[k] == ends[k])
                return total;
            all = *lists[k] == target;
            target = *lists[k];
        }
        if (all) {
            found(target);
            ++lists[0];
        } else {
            lists[0].skip_to(target);
        }
    }
    return total;
}

template <class F>
tc_status guard(std::string &msg, F &&body)
{
    try {
        body();
        return TC_OK;
    } catch (const Xapian::DatabaseLockError &e) {
        msg = "the index is locked by another writer (" + e.get_msg() + ")";
        return TC_ERR_LOCKED;
    } catch (const Xapian::DatabaseModifiedError &e) {
        msg = e.get_msg();
        return TC_ERR_MODIFIED;
    } catch (const Xapian::DatabaseCorruptError &e) {
        msg = "the index is damaged: " + e.get_msg();
        return TC_ERR_CORRUPT;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        msg = "no index there: " + e.get_msg();
        return TC_ERR_NOTFOUND;
    } catch (const Xapian::DocNotFoundError &e) {
        msg = e.get_msg();
        return TC_ERR_NOTFOUND;
    } catch (const Xapian::DatabaseOpeningError &e) {
        msg = "cannot open the index: " + e.get_msg();
        return TC_ERR_NOTFOUND;
    } catch (const Xapian::DatabaseError &e) {
        msg = e.get_msg();
        const char *why = e.get_error_string();
        if (why && *why) {
            msg += ": ";
            msg += why;
        }
        return (why && strstr(why, "space")) ? TC_ERR_IO : TC_ERR_BACKEND;
    } catch (const Xapian::Error &e) {
        msg = e.get_type() + std::string(": ") + e.get_msg();
        return TC_ERR_BACKEND;
    } catch (const std::bad_alloc &) {
        msg = "out of memory";
        return TC_ERR_NOMEM;
    } catch (const std::exception &e) {
        msg = e.what();
        return TC_ERR_BACKEND;
    } catch (...) {
        msg = "unknown error";
        return TC_ERR_BACKEND;
    }
}

void copy_error(const std::string &msg, char *err, size_t errlen)
{
    if (err && errlen) {
        size_t n = std::min(msg.size(), errlen - 1);
        memcpy(err, msg.data(), n);
        err[n] = 0;
    }
}

char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    return p;
}

double monotonic_seconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// A stub is a text file naming databases, one a line (Xapian's own format): "auto PATH" (relative
// to the stub's directory) or "remote HOST:PORT" (xapian-tcpsrv); "#" starts a comment. A
// directory holding a file XAPIANDB and no database of its own is a stub too.
bool stub_file_of(const std::string &path, std::string &stub)
{
    struct stat sb;
    if (stat(path.c_str(), &sb) != 0)
        return false;
    if (S_ISDIR(sb.st_mode)) {
        struct stat inner;
        if (stat((path + "/iamglass").c_str(), &inner) == 0 || stat((path + "/XAPIANDB").c_str(), &inner) != 0)
            return false;
        stub = path + "/XAPIANDB";
        return true;
    }
    if (!S_ISREG(sb.st_mode))
        return false;
    std::ifstream in(path, std::ios::binary);
    char head[64] = {0};
    in.read(head, sizeof head);
    if (memchr(head, 0, static_cast<size_t>(in.gcount())) != nullptr)
        return false; // a single-file database, not text
    stub = path;
    return true;
}

// Adds the shards that path names to specs: the database itself, or every line of its stub.
void read_specs(const std::string &path, std::vector<Shard> &specs, int depth)
{
    std::string stub;
    if (depth > 8)
        throw Xapian::DatabaseOpeningError(path + ": stubs nest too deeply");
    if (!stub_file_of(path, stub)) {
        Shard s;
        s.name = s.path = path;
        specs.push_back(s);
        return;
    }
    std::ifstream in(stub);
    if (!in)
        throw Xapian::DatabaseOpeningError("cannot read the stub " + stub, errno);
    std::string dir = stub.substr(0, stub.find_last_of('/') == std::string::npos ? 0 : stub.find_last_of('/') + 1);
    std::string line;
    for (unsigned number = 1; std::getline(in, line); number++) {
        size_t start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#')
            continue;
        size_t space = line.find_first_of(" \t", start);
        std::string kind = line.substr(start, space == std::string::npos ? std::string::npos : space - start);
        std::string arg;
        if (space != std::string::npos) {
            size_t a = line.find_first_not_of(" \t", space), e = line.find_last_not_of(" \t\r");
            if (a != std::string::npos)
                arg = line.substr(a, e - a + 1);
        }
        std::string where = stub + ":" + std::to_string(number) + ": ";
        if ((kind == "auto" || kind == "glass" || kind == "chert") && !arg.empty()) {
            read_specs(arg[0] == '/' ? arg : dir + arg, specs, depth + 1);
        } else if (kind == "remote" && !arg.empty()) {
            size_t colon = arg.rfind(':');
            char *end = nullptr;
            unsigned long port = colon == std::string::npos ? 0 : strtoul(arg.c_str() + colon + 1, &end, 10);
            if (colon == 0 || colon == std::string::npos || !end || *end || port == 0 || port > 65535)
                throw Xapian::DatabaseOpeningError(where + "only remote HOST:PORT (xapian-tcpsrv) is supported");
            Shard s;
            s.name = arg;
            s.host = arg.substr(0, colon);
            s.port = static_cast<unsigned>(port);
            specs.push_back(s);
        } else {
            throw Xapian::DatabaseOpeningError(where + "expected \"auto PATH\" or \"remote HOST:PORT\"");
        }
    }
}

void mark_down(Shard &s)
{
    s.up = false;
    s.backoff = s.backoff ? std::min(s.backoff * 2, 30.0) : 1.0;
    s.retry_at = monotonic_seconds() + s.backoff;
}

// A remote call that failed in under half the timeout met a closed or refused connection, not a
// hung server.
bool failed_at_once(const tc_xreader &r, double tried)
{
    return monotonic_seconds() - tried < r.timeout_ms / 2000.0;
}

// Connects afresh. A shard that hangs costs the timeout on each try, hence the growing backoff.
void try_remote(tc_xreader &r, Shard &s)
{
    double tried = monotonic_seconds();
    try {
        s.db = Xapian::Remote::open(s.host, s.port, r.timeout_ms, r.timeout_ms);
        s.up = true;
        s.backoff = 0;
    } catch (const Xapian::Error &) {
        s.refused = failed_at_once(r, tried);
        mark_down(s);
    }
}

// Opens a local shard, noting first which directory the path names: a copy swapped in between
// the two is noticed at the next sync and opened then.
void open_local(Shard &s)
{
    struct stat sb;
    if (stat(s.path.c_str(), &sb) == 0) {
        s.dir_dev = sb.st_dev;
        s.dir_ino = sb.st_ino;
    }
    s.db = Xapian::Database(s.path);
    s.facets.reset();
    s.up = true;
}

bool swapped_in(const Shard &s)
{
    struct stat sb;
    return stat(s.path.c_str(), &sb) == 0 && (sb.st_dev != s.dir_dev || sb.st_ino != s.dir_ino);
}

void combine(tc_xreader &r)
{
    Xapian::Database all;
    for (Shard &s : r.shards)
        if (s.up)
            all.add_database(s.db);
    r.db = all;
    r.kept_terms.clear();
}

// Brings the reader up to date: rereads the stubs (shards may have been added, removed or swapped),
// picks up new commits, drops remotes that stopped answering and retries those that were down.
void sync_shards(tc_xreader &r, int &changed)
{
    std::vector<Shard> specs;
    for (const std::string &p : r.paths)
        read_specs(p, specs, 0);
    if (specs.empty())
        throw Xapian::DatabaseOpeningError("the stub lists no databases");
    bool membership = specs.size() != r.shards.size();
    for (size_t i = 0; i < specs.size() && !membership; i++)
        membership = specs[i].name != r.shards[i].name;
    if (membership) {
        for (Shard &spec : specs)
            for (Shard &old : r.shards)
                if (old.name == spec.name && old.up) {
                    spec.db = old.db;
                    spec.facets = old.facets;
                    spec.up = true;
                }
        r.shards.swap(specs);
        changed = 1;
    }
    r.has_remote = false;
    double now = monotonic_seconds();
    std::vector<Shard *> waiting; // down remotes that refused their last try, whose retry time has not come
    for (Shard &s : r.shards) {
        if (!s.host.empty())
            r.has_remote = true;
        if (!s.up) {
            if (s.host.empty()) {
                open_local(s);
                changed = 1;
            } else if (now >= s.retry_at) {
                try_remote(r, s);
                changed |= s.up;
            } else if (s.refused) {
                waiting.push_back(&s);
            }
            continue;
        }
        if (s.host.empty() && swapped_in(s)) {
            open_local(s); // a compacted copy: the files the reader holds are no longer the shard's
            changed = 1;
            continue;
        }
        double tried = monotonic_seconds();
        try {
            if (s.db.reopen()) {
                changed = 1;
                s.facets.reset();
            }
        } catch (const Xapian::NetworkError &) {
            // A connection that failed at once was closed under us (the server restarted): connect
            // again now. One that took half the timeout or more is hung: down until its retry time.
            if (failed_at_once(r, tried)) {
                try_remote(r, s);
            } else {
                s.refused = false;
                mark_down(s);
            }
            changed = 1;
        } catch (const Xapian::DatabaseError &) {
            if (!s.host.empty())
                throw;
            open_local(s); // replaced underneath
            changed = 1;
        }
    }
    bool any = false;
    for (const Shard &s : r.shards)
        any |= s.up;
    // Rather than answer nothing, try the remotes still waiting out their backoff that refused at
    // once (a hung one would cost the timeout on every request): one restarted while the others
    // went down is found now, not at its retry time.
    for (size_t i = 0; i < waiting.size() && !any; i++) {
        try_remote(r, *waiting[i]);
        any = waiting[i]->up;
        changed = 1;
    }
    if (!any)
        throw Xapian::NetworkError("no shard of the index could be reached");
    if (changed)
        combine(r);
}

// Runs a read; when a remote shard fails under it, leaves the dead ones out and runs it once more.
template <class F>
tc_status read_guard(tc_xreader *r, F &&body)
{
    return guard(r->error, [&] {
        if (r->has_remote && std::none_of(r->shards.begin(), r->shards.end(), [](const Shard &s) { return s.up; }))
            throw Xapian::NetworkError("no shard of the index could be reached"); // until a sync finds one
        try {
            body();
        } catch (const Xapian::NetworkError &) {
            if (!r->has_remote)
                throw;
            // The failed search may have left replies unread on the healthy connections too:
            // every remote shard gets a fresh connection, and those that refuse it are left out.
            // If that leaves none, the ones already down get a try too (they may be back).
            std::vector<bool> was_up;
            for (const Shard &s : r->shards)
                was_up.push_back(s.up);
            bool any = false;
            for (int pass = 0; pass < 2 && !any; pass++) {
                for (size_t i = 0; i < r->shards.size(); i++)
                    if (!r->shards[i].host.empty() && was_up[i] == (pass == 0))
                        try_remote(*r, r->shards[i]);
                for (const Shard &s : r->shards)
                    any |= s.up;
            }
            if (!any)
                throw;
            combine(*r);
            body();
        }
    });
}

} // namespace

extern "C" {

tc_xdoc *tc_xdoc_new(void)
{
    return new (std::nothrow) tc_xdoc;
}

void tc_xdoc_free(tc_xdoc *doc)
{
    delete doc;
}

void tc_xdoc_add_posting(tc_xdoc *doc, const char *term, size_t len, unsigned position, unsigned wdf)
{
    if (len == 0 || len > TC_XAPIAN_MAX_TERM)
        return;
    doc->doc.add_posting(std::string(term, len), position + 1, wdf);
}

void tc_xdoc_add_term(tc_xdoc *doc, const char *term, size_t len, unsigned wdf)
{
    if (len == 0 || len > TC_XAPIAN_MAX_TERM)
        return;
    doc->terms.add(term, len, wdf, position_hash(term, len));
}

void tc_xdoc_add_boolean(tc_xdoc *doc, const char *term, size_t len)
{
    if (len == 0 || len > TC_XAPIAN_MAX_TERM)
        return;
    doc->doc.add_boolean_term(std::string(term, len));
}

void tc_xdoc_set_value(tc_xdoc *doc, unsigned slot, const char *data, size_t len)
{
    doc->doc.add_value(slot, std::string(data, len));
}

void tc_xdoc_add_position(tc_xdoc *doc, const char *folded, size_t len, unsigned position)
{
    uint32_t h = position_hash(folded, len);
    if (position >= doc->at.size())
        doc->at.resize(size_t(position) + 1, 0);
    if (!doc->at[position]) {
        doc->at[position] = h;
    } else {
        doc->extra.push_back(position);
        doc->extra.push_back(h);
    }
}

void tc_xdoc_set_title_end(tc_xdoc *doc, unsigned end)
{
    doc->title_end = end;
}

void tc_xdoc_finish(tc_xdoc *doc)
{
    doc->terms.each([&](const std::string &term, unsigned wdf) { doc->doc.add_term(term, wdf); });
    if (doc->at.empty())
        return;
    std::string value;
    value.reserve(4 * (2 + doc->at.size() + doc->extra.size()));
    put_word(value, uint32_t(doc->at.size()));
    put_word(value, doc->title_end);
    for (uint32_t h : doc->at)
        put_word(value, h);
    for (uint32_t w : doc->extra)
        put_word(value, w);
    doc->doc.add_value(TC_XAPIAN_POSITIONS_SLOT, value);
}

void tc_xdoc_set_date(tc_xdoc *doc, unsigned slot, int64_t epoch)
{
    doc->doc.add_value(slot, Xapian::sortable_serialise(static_cast<double>(epoch)));
}

void tc_xdoc_set_data(tc_xdoc *doc, const char *data, size_t len)
{
    doc->doc.set_data(std::string(data, len));
}

tc_status tc_xwriter_open(const char *path, tc_xwriter **out, char *err, size_t errlen)
{
    std::string msg;
    *out = nullptr;
    tc_status st = guard(msg, [&] {
        *out = new tc_xwriter{Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN), {}};
    });
    copy_error(msg, err, errlen);
    return st;
}

tc_status tc_xwriter_replace(tc_xwriter *w, const char *idterm, const tc_xdoc *doc, int *replaced)
{
    return guard(w->error, [&] {
        Xapian::doccount before = w->db.get_doccount();
        w->db.replace_document(idterm, doc->doc);
        *replaced = w->db.get_doccount() == before;
    });
}

tc_status tc_xwriter_delete(tc_xwriter *w, const char *idterm, int *existed)
{
    return guard(w->error, [&] {
        *existed = w->db.term_exists(idterm);
        if (*existed)
            w->db.delete_document(idterm);
    });
}

tc_status tc_xwriter_has(tc_xwriter *w, const char *term, int *holds)
{
    return guard(w->error, [&] { *holds = w->db.term_exists(term); });
}

tc_status tc_xwriter_compact(tc_xwriter *w, const char *dest)
{
    return guard(w->error, [&] { w->db.compact(dest); });
}

tc_status tc_xwriter_set_metadata(tc_xwriter *w, const char *key, const char *value)
{
    return guard(w->error, [&] { w->db.set_metadata(key, value); });
}

tc_status tc_xwriter_commit(tc_xwriter *w)
{
    return guard(w->error, [&] { w->db.commit(); });
}

void tc_xwriter_free(tc_xwriter *w)
{
    if (!w)
        return;
    std::string ignored;
    guard(ignored, [&] { delete w; }); // Xapian commits what is pending as it closes
}

const char *tc_xwriter_error(const tc_xwriter *w)
{
    return w->error.c_str();
}

tc_status tc_xreader_open(const char *path, tc_xreader **out, char *err, size_t errlen)
{
    return tc_xreader_open_shards(&path, 1, 0, out, err, errlen);
}

tc_status tc_xreader_open_shards(const char *const *paths, size_t count, unsigned timeout_ms, tc_xreader **out,
                                 char *err, size_t errlen)
{
    std::string msg;
    *out = nullptr;
    std::unique_ptr<tc_xreader> r(new (std::nothrow) tc_xreader);
    if (!r) {
        copy_error("out of memory", err, errlen);
        return TC_ERR_NOMEM;
    }
    if (timeout_ms)
        r->timeout_ms = timeout_ms;
    for (size_t i = 0; i < count; i++)
        r->paths.push_back(paths[i]);
    tc_status st = guard(msg, [&] {
        int changed = 0;
        sync_shards(*r, changed);
    });
    copy_error(msg, err, errlen);
    if (st == TC_OK)
        *out = r.release();
    return st;
}

tc_status tc_xreader_reopen(tc_xreader *r, int *changed)
{
    *changed = 0;
    return guard(r->error, [&] { sync_shards(*r, *changed); });
}

size_t tc_xreader_shard_count(const tc_xreader *r)
{
    return r->shards.size();
}

int tc_xreader_has_remote(const tc_xreader *r)
{
    return r->has_remote;
}

unsigned tc_xreader_shard_doccount(tc_xreader *r, size_t i)
{
    unsigned n = 0;
    guard(r->error, [&] {
        if (r->shards[i].up)
            n = r->shards[i].db.get_doccount();
    });
    return n;
}

const char *tc_xreader_shard(const tc_xreader *r, size_t i, int *up)
{
    *up = r->shards[i].up;
    return r->shards[i].name.c_str();
}

void tc_xreader_free(tc_xreader *r)
{
    std::string ignored;
    guard(ignored, [&] { delete r; });
}

const char *tc_xreader_error(const tc_xreader *r)
{
    return r->error.c_str();
}

unsigned tc_xreader_doccount(tc_xreader *r)
{
    unsigned n = 0;
    read_guard(r, [&] { n = r->db.get_doccount(); });
    return n;
}

unsigned tc_xreader_termfreq(tc_xreader *r, const char *term, size_t len)
{
    unsigned n = 0;
    read_guard(r, [&] { n = r->db.get_termfreq(std::string(term, len)); });
    return n;
}

tc_status tc_xreader_allterms_kept(tc_xreader *r, const char *prefix, tc_xterm_fn fn, void *ctx)
{
    return read_guard(r, [&] {
        auto found = r->kept_terms.find(prefix);
        if (found == r->kept_terms.end()) {
            KeptTerms copy;
            for (Xapian::TermIterator t = r->db.allterms_begin(prefix); t != r->db.allterms_end(prefix); ++t) {
                copy.text += *t;
                copy.ends.emplace_back(copy.text.size(), t.get_termfreq());
            }
            found = r->kept_terms.emplace(prefix, std::move(copy)).first;
        }
        const KeptTerms &kept = found->second;
        size_t start = 0;
        for (const auto &[end, freq] : kept.ends) {
            if (fn(ctx, kept.text.data() + start, end - start, freq))
                break;
            start = end;
        }
    });
}

tc_status tc_xreader_allterms(tc_xreader *r, const char *prefix, tc_xterm_fn fn, void *ctx)
{
    return read_guard(r, [&] {
        for (Xapian::TermIterator t = r->db.allterms_begin(prefix); t != r->db.allterms_end(prefix); ++t) {
            std::string term = *t;
            if (fn(ctx, term.data(), term.size(), t.get_termfreq()))
                break;
        }
    });
}

tc_status tc_xreader_get_data(tc_xreader *r, const char *idterm, char **data, size_t *len)
{
    *data = nullptr;
    *len = 0;
    tc_status st = read_guard(r, [&] {
        Xapian::PostingIterator p = r->db.postlist_begin(idterm);
        if (p == r->db.postlist_end(idterm))
            return;
        std::string d = r->db.get_document(*p).get_data();
        *data = dup_string(d);
        *len = d.size();
    });
    if (st == TC_OK && !*data) {
        r->error = "no article with that id";
        return TC_ERR_NOTFOUND;
    }
    return st;
}

tc_status tc_xreader_metadata(tc_xreader *r, const char *key, char **value)
{
    *value = nullptr;
    return read_guard(r, [&] { *value = dup_string(r->db.get_metadata(key)); });
}

tc_status tc_xreader_metadata_max(tc_xreader *r, const char *key, int64_t *value)
{
    *value = 0;
    return read_guard(r, [&] {
        for (const Shard &shard : r->shards)
            if (shard.up)
                *value = std::max<int64_t>(*value, std::strtoll(shard.db.get_metadata(key).c_str(), nullptr, 10));
    });
}

tc_status tc_xreader_date_bounds(tc_xreader *r, unsigned slot, int *have, int64_t *lo, int64_t *hi)
{
    *have = 0;
    return read_guard(r, [&] {
        std::string a = r->db.get_value_lower_bound(slot), b = r->db.get_value_upper_bound(slot);
        if (a.empty() || b.empty())
            return;
        *have = 1;
        *lo = static_cast<int64_t>(Xapian::sortable_unserialise(a));
        *hi = static_cast<int64_t>(Xapian::sortable_unserialise(b));
    });
}

static tc_xquery *wrap_both(const Xapian::Query &q, const Xapian::Query &wire)
{
    try {
        return new tc_xquery{q, wire};
    } catch (...) {
        return nullptr;
    }
}

static tc_xquery *wrap(const Xapian::Query &q)
{
    return wrap_both(q, q);
}

// The "F" or "S" terms of a PHRASE or NEAR's children when they are all such terms, else none.
static std::vector<std::string> slot_terms(tc_xquery *const *children, size_t count)
{
    std::vector<std::string> terms;
    for (size_t i = 0; i < count; i++) {
        if (!children[i])
            continue;
        const Xapian::Query &q = children[i]->q;
        Xapian::TermIterator t = q.get_terms_begin();
        if (q.get_type() != Xapian::Query::LEAF_TERM || t == q.get_terms_end() || !is_slot_term(*t))
            return {};
        terms.push_back(*t);
    }
    return terms;
}

tc_xquery *tc_xquery_term(const char *term, size_t len, unsigned wqf)
{
    if (len == 0 || len > TC_XAPIAN_MAX_TERM)
        return wrap(Xapian::Query());
    return wrap(Xapian::Query(std::string(term, len), wqf));
}

tc_xquery *tc_xquery_combine(tc_xop op, tc_xquery *const *children, size_t count)
{
    static const Xapian::Query::op OPS[] = {Xapian::Query::OP_AND, Xapian::Query::OP_OR,
                                             Xapian::Query::OP_AND_NOT, Xapian::Query::OP_AND_MAYBE,
                                             Xapian::Query::OP_FILTER, Xapian::Query::OP_PHRASE,
                                             Xapian::Query::OP_NEAR, Xapian::Query::OP_SYNONYM};
    try {
        std::vector<Xapian::Query> qs, wire;
        for (size_t i = 0; i < count; i++)
            if (children[i]) {
                qs.push_back(children[i]->q);
                wire.push_back(children[i]->wire);
            }
        if (op != TC_XOP_PHRASE && op != TC_XOP_NEAR)
            return wrap_both(Xapian::Query(OPS[op], qs.begin(), qs.end()),
                             Xapian::Query(OPS[op], wire.begin(), wire.end()));
        auto window = static_cast<Xapian::termcount>(op == TC_XOP_PHRASE ? qs.size() : qs.size() + 2);
        Xapian::Query xapians(OPS[op], wire.begin(), wire.end(), window);
        std::vector<std::string> terms = slot_terms(children, count);
        if (terms.size() < 2)
            return wrap_both(Xapian::Query(OPS[op], qs.begin(), qs.end(), window), xapians);
        // The terms weigh as an AND of them would (as Xapian's PHRASE does); the source filters.
        Xapian::Query source((new PhraseSource(terms, window, op == TC_XOP_PHRASE))->release());
        Xapian::Query all(Xapian::Query::OP_AND, qs.begin(), qs.end());
        return wrap_both(Xapian::Query(Xapian::Query::OP_FILTER, all, source), xapians);
    } catch (...) {
        return nullptr;
    }
}

tc_xquery *tc_xquery_scale(const tc_xquery *q, double factor)
{
    try {
        return wrap_both(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor),
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->wire, factor));
    } catch (...) {
        return nullptr;
    }
}

tc_xquery *tc_xquery_date_range(unsigned slot, int have_lo, int64_t lo, int have_hi, int64_t hi)
{
    try {
        std::string a = Xapian::sortable_serialise(static_cast<double>(lo));
        std::string b = Xapian::sortable_serialise(static_cast<double>(hi));
        if (have_lo && have_hi)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, a, b));
        if (have_lo)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, a));
        if (have_hi)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, b));
        return wrap(Xapian::Query(std::string()));
    } catch (...) {
        return nullptr;
    }
}

} // extern "C"

namespace {

// The boosts as Xapian subqueries, in order: PHRASE or NEAR of their terms, scaled.
std::vector<Xapian::Query> boost_queries(const tc_xpos_boost *boosts, size_t boost_count)
{
    std::vector<Xapian::Query> out;
    for (size_t k = 0; k < boost_count; k++) {
        std::vector<Xapian::Query> terms(boosts[k].terms, boosts[k].terms + boosts[k].count);
        Xapian::termcount window = boosts[k].window ? boosts[k].window : Xapian::termcount(boosts[k].count);
        Xapian::Query q = terms.size() == 1 ? terms[0]
                          : Xapian::Query(boosts[k].window ? Xapian::Query::OP_NEAR : Xapian::Query::OP_PHRASE,
                                          terms.begin(), terms.end(), window);
        out.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, boosts[k].factor);
    }
    return out;
}

// A term's weight in Xapian's BM25Weight(k1, 0, 1, b, 0.5), from how many of the docs hold it.
double bm25_termweight(double termfreq, double docs, double k1)
{
    double tw = (docs - termfreq + 0.5) / (termfreq + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    return std::log(tw) * (k1 + 1);
}

// What a term of that weight adds, scaled by factor, at this wdf in an article whose length over
// the average is normlen (at least 0.5).
double bm25_part(double termweight, double factor, double wdf, double normlen, double k1, double b)
{
    return termweight * factor * (wdf / (k1 * (normlen * b + (1 - b)) + wdf));
}

// Each hit's weight under `ids AND_MAYBE term` with weighting w, by docid.
std::unordered_map<Xapian::docid, double> weights_of(const Xapian::Database &db, const Xapian::Query &ids,
                                                     const Xapian::Query &term, const Xapian::Weight &w, size_t count)
{
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(w);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, ids, term));
    std::unordered_map<Xapian::docid, double> weights;
    Xapian::MSet found = enquire.get_mset(0, Xapian::doccount(count));
    for (Xapian::MSetIterator m = found.begin(); m != found.end(); ++m)
        weights[*m] = m.get_weight();
    return weights;
}

// The boosts less their minus terms over remote shards, weighed as local_boosts weighs them. Remote
// posting and term lists cost milliseconds each, so the shards' matcher supplies the figures: a
// term's wdf is its weight under TfIdfWeight("nnn") (a synonym's, the sum of its terms'), and its
// BM25 weight at that wdf gives the article's length part, k1 * (normlen * b + 1 - b).
void remote_minus_boosts(tc_xreader *r, tc_xhit *hits, size_t count, const std::vector<tc_xpos_boost> &minus,
                         double k1, double b, const Xapian::Query &ids)
{
    const Xapian::Database &db = r->db;
    const Xapian::TfIdfWeight raw("nnn");
    const Xapian::BM25Weight bm25(k1, 0, 1, b, 0.5);
    for (const tc_xpos_boost &boost : minus) {
        Xapian::Query plus(boost.terms[0]);
        std::vector<Xapian::Query> others;
        for (Xapian::TermIterator t = db.allterms_begin(boost.minus); t != db.allterms_end(boost.minus); ++t)
            others.emplace_back(*t);
        auto wdf = weights_of(db, ids, plus, raw, count), weight = weights_of(db, ids, plus, bm25, count);
        std::unordered_map<Xapian::docid, double> less;
        if (!others.empty())
            less = weights_of(db, ids, Xapian::Query(Xapian::Query::OP_SYNONYM, others.begin(), others.end()), raw, count);
        const double termweight = bm25_termweight(db.get_termfreq(boost.terms[0]), db.get_doccount(), k1);
        for (size_t i = 0; i < count; i++) {
            double all = wdf[hits[i].docid], own = all - less[hits[i].docid], w = weight[hits[i].docid];
            if (own <= 0 || w <= 0)
                continue;
            double length_part = termweight * all / w - all;
            hits[i].score += termweight * boost.factor * (own / (length_part + own));
        }
    }
}

// With a remote shard, positions are a round trip each: Xapian scores the boosts on the shards,
// over the shortlist found by id term, each boost in its own AND_MAYBE (one OR of phrases is
// weighed wrongly by Xapian 1.4). The id terms are boolean, so a hit weighs its boosts alone. A
// boost less its minus terms is no Xapian query: remote_minus_boosts weighs those.
void remote_boosts(tc_xreader *r, tc_xhit *hits, size_t count, const tc_xpos_boost *all, size_t all_count,
                   double k1, double b, unsigned id_slot, const char *id_prefix)
{
    std::vector<tc_xpos_boost> queried, minus;
    for (size_t k = 0; k < all_count; k++)
        (all[k].minus ? minus : queried).push_back(all[k]);
    std::vector<Xapian::Query> ids;
    for (size_t i = 0; i < count; i++)
        ids.emplace_back(id_prefix + r->db.get_document(hits[i].docid).get_value(id_slot));
    Xapian::Query q(Xapian::Query::OP_OR, ids.begin(), ids.end());
    if (!minus.empty())
        remote_minus_boosts(r, hits, count, minus, k1, b, q);
    if (queried.empty())
        return;
    for (const Xapian::Query &boost : boost_queries(queried.data(), queried.size()))
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, boost);
    Xapian::Enquire enquire(r->db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
    enquire.set_query(q);
    std::unordered_map<Xapian::docid, double> weights;
    Xapian::MSet found = enquire.get_mset(0, Xapian::doccount(count));
    for (Xapian::MSetIterator m = found.begin(); m != found.end(); ++m)
        weights[*m] = m.get_weight();
    for (size_t i = 0; i < count; i++)
        hits[i].score += weights[hits[i].docid];
}

// Whether both readers see the same shards at the same commits (a compaction swapped in gives a
// new uuid), so that a docid and a count mean the same in both.
bool same_view(const tc_xreader &a, const tc_xreader &b)
{
    if (a.shards.size() != b.shards.size())
        return false;
    for (size_t i = 0; i < a.shards.size(); i++) {
        const Shard &x = a.shards[i], &y = b.shards[i];
        if (x.name != y.name || x.up != y.up || !x.host.empty())
            return false;
        if (x.up && (x.db.get_revision() != y.db.get_revision() || x.db.get_uuid() != y.db.get_uuid()))
            return false;
    }
    return true;
}

// Below this many hits a shortlist's boosts are not worth a second thread.
constexpr size_t BOOST_SPLIT_MIN = 16;

// The positional boosts of hits[0..count) scored on one local database (the reader's, or its
// twin's for the other half of a shortlist). Only the best `top` hits must come out exact: a
// boost of several terms weighs at most what it would with every position of its terms in it
// (the wdf), so a hit whose bound falls below the top-th best score so far is left with the
// boosts settled by then.
void local_boosts(const Xapian::Database &db, tc_xhit *hits, size_t count, const tc_xpos_boost *boosts,
                  size_t boost_count, double k1, double b, size_t top)
{
    std::vector<std::string> terms;
    std::unordered_map<std::string, size_t> term_index;
    std::vector<std::vector<size_t>> boost_terms(boost_count), boost_minus(boost_count);
    auto index_of = [&](const std::string &term) {
        auto it = term_index.emplace(term, terms.size());
        if (it.second)
            terms.push_back(term);
        return it.first->second;
    };
    for (size_t k = 0; k < boost_count; k++) {
        for (size_t t = 0; t < boosts[k].count; t++)
            boost_terms[k].push_back(index_of(boosts[k].terms[t]));
        if (boosts[k].minus && boosts[k].count == 1)
            for (Xapian::TermIterator m = db.allterms_begin(boosts[k].minus); m != db.allterms_end(boosts[k].minus); ++m)
                boost_minus[k].push_back(index_of(*m));
    }
    // Each term weighs what Xapian's BM25Weight(k1, 0, 1, b, 0.5) gives it in a query of these
    // boosts, so a reader with remote shards (remote_boosts) ranks exactly like a local one.
    const double docs = db.get_doccount(), avlength = db.get_avlength();
    std::vector<double> termweight(terms.size()); // minus terms are only counted, never weighed
    for (size_t k = 0; k < boost_count; k++)
        for (size_t t : boost_terms[k])
            if (!termweight[t])
                termweight[t] = bm25_termweight(db.get_termfreq(terms[t]), docs, k1);
    // Every term's wdf in every hit, walking its posting list in docid order.
    std::vector<size_t> order(count);
    for (size_t i = 0; i < count; i++)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return hits[x].docid < hits[y].docid; });
    std::vector<std::vector<Xapian::termcount>> wdfs(terms.size(), std::vector<Xapian::termcount>(count));
    for (size_t t = 0; t < terms.size(); t++) {
        Xapian::PostingIterator p = db.postlist_begin(terms[t]), end = db.postlist_end(terms[t]);
        for (size_t i : order) {
            p.skip_to(hits[i].docid);
            if (p == end)
                break;
            if (*p == hits[i].docid)
                wdfs[t][i] = p.get_wdf();
        }
    }
    std::vector<double> normlen(count, -1);
    // What boost k adds to hit i when each of its terms is found `found(t)` times there.
    auto weigh = [&](size_t k, size_t i, auto found) {
        if (normlen[i] < 0)
            normlen[i] = std::max(db.get_doclength(hits[i].docid) * (avlength ? 1 / avlength : 0), 0.5);
        double weight = 0;
        for (size_t t : boost_terms[k])
            weight += bm25_part(termweight[t], boosts[k].factor, found(t), normlen[i], k1, b);
        return weight;
    };
    auto has_all = [&](size_t k, size_t i) {
        for (size_t t : boost_terms[k])
            if (!wdfs[t][i])
                return false;
        return true;
    };
    // A boost of one term is found wherever the term is (less its minus terms): exact now. Each
    // other boost's bound.
    std::vector<double> low(count), high(count);
    std::vector<size_t> pending;
    for (size_t i : order) {
        low[i] = hits[i].score;
        for (size_t k = 0; k < boost_count; k++) {
            if (boosts[k].count != 1)
                continue;
            double wdf = wdfs[boost_terms[k][0]][i];
            for (size_t m : boost_minus[k])
                wdf -= wdfs[m][i];
            if (wdf > 0)
                low[i] += weigh(k, i, [&](size_t) { return wdf; });
        }
        high[i] = low[i]; // added in the order the exact score is, so that it never exceeds this
        for (size_t k = 0; k < boost_count; k++)
            if (boosts[k].count > 1 && has_all(k, i))
                high[i] += weigh(k, i, [&](size_t t) { return double(wdfs[t][i]); });
        if (high[i] > low[i])
            pending.push_back(i);
    }
    // Hits by bound, best first, each to its end: its positions are read a term at a time, for its
    // weightiest boost first, until every boost is settled or the bound falls below the top-th
    // best score so far (which is then the hit's rank: below the top). Scored hits add their
    // boosts in the boosts' order, so that equal articles weigh the same.
    std::vector<std::vector<unsigned>> positions(terms.size());
    std::vector<bool> loaded(terms.size());
    std::vector<const std::vector<unsigned> *> lists;
    std::vector<double> best;
    std::vector<std::pair<double, size_t>> open; // a hit's boosts of several terms: weight at most, boost
    std::vector<bool> found(boost_count);
    std::string slot; // the hit's positions slot, when it has one and an "F" or "S" term's positions are asked
    auto top_score = [&] {
        if (top >= count)
            return -HUGE_VAL;
        best = low;
        std::nth_element(best.begin(), best.begin() + long(top - 1), best.end(), std::greater<double>());
        return best[top - 1];
    };
    std::sort(pending.begin(), pending.end(), [&](size_t x, size_t y) { return high[x] > high[y]; });
    double bar = top ? top_score() : HUGE_VAL;
    for (size_t i : pending) {
        if (high[i] < bar)
            break; // and so are the rest
        open.clear();
        for (size_t k = 0; k < boost_count; k++)
            if (boosts[k].count > 1 && has_all(k, i))
                open.emplace_back(weigh(k, i, [&](size_t t) { return double(wdfs[t][i]); }), k);
        std::sort(open.begin(), open.end(), std::greater<std::pair<double, size_t>>());
        std::fill(loaded.begin(), loaded.end(), false);
        std::fill(found.begin(), found.end(), false);
        bool slot_read = false;
        double sure = low[i], bound = high[i];
        bool settled = true;
        for (const auto &[most, k] : open) {
            lists.clear();
            for (size_t t : boost_terms[k]) {
                if (!loaded[t] && is_slot_term(terms[t]) && !slot_read) {
                    slot = db.get_document(hits[i].docid, Xapian::DOC_ASSUME_VALID).get_value(TC_XAPIAN_POSITIONS_SLOT);
                    slot_read = true;
                }
                if (!loaded[t] && is_slot_term(terms[t]) && !slot.empty())
                    slot_positions(slot, terms[t], positions[t]);
                else if (!loaded[t])
                    positions[t].assign(db.positionlist_begin(hits[i].docid, terms[t]),
                                        db.positionlist_end(hits[i].docid, terms[t]));
                loaded[t] = true;
                lists.push_back(&positions[t]);
            }
            found[k] = std::all_of(lists.begin(), lists.end(), [](auto *l) { return !l->empty(); }) &&
                       (boosts[k].window ? within(lists, boosts[k].window) : in_order(lists));
            double weight = found[k] ? weigh(k, i, [&](size_t t) { return double(positions[t].size()); }) : 0;
            sure += weight;
            bound -= most - weight;
            if (bound + 1e-9 < bar) { // the margin covers rounding in this running sum
                settled = false;
                break;
            }
        }
        if (!settled) {
            low[i] = sure;
        } else {
            for (size_t k = 0; k < boost_count; k++)
                if (found[k])
                    low[i] += weigh(k, i, [&](size_t t) { return double(positions[t].size()); });
        }
        bar = top_score();
    }
    for (size_t i = 0; i < count; i++)
        hits[i].score = low[i];
}

// Waits for the count on the twin to end; its error, if any, becomes the reader's.
void join_count(tc_xreader &r)
{
    if (!r.counting.joinable())
        return;
    r.counting.join();
    if (r.counted_status != TC_OK)
        r.error = r.twin->error;
}

} // namespace

extern "C" {

tc_status tc_xreader_add_position_boosts(tc_xreader *r, tc_xhit *hits, size_t count, size_t top,
                                         const tc_xpos_boost *boosts, size_t boost_count, double k1, double b,
                                         unsigned id_slot, const char *id_prefix)
{
    return read_guard(r, [&] {
        if (r->has_remote)
            return remote_boosts(r, hits, count, boosts, boost_count, k1, b, id_slot, id_prefix);
        // The twin, when it is done counting and sees the same commits, takes the upper half of
        // the docids: each thread then walks its own part of every posting list.
        bool split = count >= 2 * BOOST_SPLIT_MIN && r->twin && !r->count_running.load() && same_view(*r, *r->twin);
        if (!split)
            return local_boosts(r->db, hits, count, boosts, boost_count, k1, b, top);
        join_count(*r);
        std::sort(hits, hits + count, [](const tc_xhit &x, const tc_xhit &y) { return x.docid < y.docid; });
        size_t half = count / 2;
        const Xapian::Database &twin_db = r->twin->db;
        std::exception_ptr twin_failed; // rethrown here, so the caller sees what Xapian threw
        std::thread helper;
        try {
            helper = std::thread([&] {
                try {
                    local_boosts(twin_db, hits + half, count - half, boosts, boost_count, k1, b, top);
                } catch (...) {
                    twin_failed = std::current_exception();
                }
            });
        } catch (const std::system_error &) {
            return local_boosts(r->db, hits, count, boosts, boost_count, k1, b, top); // no thread to be had
        }
        try {
            local_boosts(r->db, hits, half, boosts, boost_count, k1, b, top);
        } catch (...) {
            helper.join();
            throw;
        }
        helper.join();
        if (twin_failed)
            std::rethrow_exception(twin_failed);
    });
}

tc_status tc_xreader_load_data(tc_xreader *r, tc_xhit *hits, size_t count)
{
    return read_guard(r, [&] {
        for (size_t i = 0; i < count; i++) {
            std::string data = r->db.get_document(hits[i].docid).get_data();
            char *copy = dup_string(data);
            free(hits[i].data);
            hits[i].data = copy;
            hits[i].data_len = data.size();
        }
    });
}

tc_status tc_xreader_related(tc_xreader *r, const char *idterm, const char *prefixes, unsigned terms, unsigned limit,
                             tc_xresults *out)
{
    memset(out, 0, sizeof *out);
    bool found = false;
    tc_status st = read_guard(r, [&] {
        tc_xresults_free(out); // a retry after a remote shard failed starts afresh
        Xapian::PostingIterator p = r->db.postlist_begin(idterm);
        found = p != r->db.postlist_end(idterm);
        if (!found)
            return;
        // the expand set weighs a term by how much more often the article has it than the index does
        struct Prefixed : Xapian::ExpandDecider {
            const char *prefixes;
            bool operator()(const std::string &term) const override
            {
                return !term.empty() && strchr(prefixes, term[0]) != nullptr;
            }
        } prefixed;
        prefixed.prefixes = prefixes;
        Xapian::RSet itself;
        itself.add_document(*p);
        Xapian::Enquire enquire(r->db);
        // exact term frequencies: a sharded index then picks the terms one database would
        Xapian::ESet telling = enquire.get_eset(terms, itself, Xapian::Enquire::USE_EXACT_TERMFREQ, &prefixed);
        if (telling.empty())
            return;
        Xapian::Query like(Xapian::Query::OP_OR, telling.begin(), telling.end());
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(idterm)));
        Xapian::MSet found_like = enquire.get_mset(0, limit);
        out->hits = static_cast<tc_xhit *>(calloc(found_like.size() + 1, sizeof *out->hits));
        if (!out->hits)
            throw std::bad_alloc();
        for (Xapian::MSetIterator m = found_like.begin(); m != found_like.end(); ++m) {
            tc_xhit &hit = out->hits[out->hit_count++];
            hit.docid = *m;
            hit.score = m.get_weight();
            std::string data = m.get_document().get_data();
            hit.data = dup_string(data);
            hit.data_len = data.size();
        }
        out->estimated = out->lower_bound = out->upper_bound = Xapian::doccount(out->hit_count);
    });
    if (st != TC_OK) {
        tc_xresults_free(out);
        return st;
    }
    if (!found) {
        r->error = "no article with that id";
        return TC_ERR_NOTFOUND;
    }
    return TC_OK;
}

tc_xquery *tc_xquery_match_all(void)
{
    return wrap(Xapian::Query(std::string())); // not the shared Query::MatchAll: its count is not atomic
}

int tc_xquery_empty(const tc_xquery *q)
{
    return q->q.empty();
}

char *tc_xquery_describe(const tc_xquery *q)
{
    try {
        return dup_string(q->q.get_description());
    } catch (...) {
        return nullptr;
    }
}

void tc_xquery_free(tc_xquery *q)
{
    delete q;
}

tc_status tc_xreader_search(tc_xreader *r, const tc_xquery *q, const tc_xsearch_params *p, tc_xresults *out)
{
    memset(out, 0, sizeof *out);
    tc_status st = read_guard(r, [&] {
        tc_xresults_free(out); // a retry after a remote shard failed starts afresh
        Xapian::BM25Weight bm25(p->bm25_k1, 0, 1, p->bm25_b, 0.5);
        Xapian::Enquire enquire(r->db);
        enquire.set_weighting_scheme(bm25);
        enquire.set_sort_by_value_then_relevance(p->date_slot, p->sort == TC_SORT_NEWEST);
        if (p->sort == TC_SORT_RELEVANCE)
            enquire.set_sort_by_relevance();
        Xapian::Enquire undated(r->db); // for oldest first
        const Xapian::Query &query = r->has_remote ? q->wire : q->q;
        std::vector<Xapian::MSet> parts;
        if (!p->limit && p->count_query) {
            // only the count and the facets (below): no ranked pass, whose estimate they replace
        } else if (p->sort != TC_SORT_OLDEST) {
            enquire.set_query(query);
            parts.push_back(enquire.get_mset(p->offset, p->limit));
        } else {
            // Oldest first, undated last: the dated matches in date order, then (when the page
            // reaches past them) the undated ones by relevance. An empty value would sort first, and
            // a KeyMaker that says otherwise cannot run on remote shards.
            Xapian::Query dated(Xapian::Query::OP_VALUE_GE, p->date_slot, std::string(1, '\0'));
            enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, dated));
            parts.push_back(enquire.get_mset(p->offset, p->limit, p->offset + p->limit));
            Xapian::doccount got = parts[0].size(), dated_total = parts[0].get_matches_estimated();
            undated.set_weighting_scheme(bm25);
            undated.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, query, dated));
            Xapian::doccount skip = p->offset > dated_total ? p->offset - dated_total : 0;
            parts.push_back(undated.get_mset(skip, got < p->limit ? p->limit - got : 0));
        }
        for (const Xapian::MSet &part : parts) {
            out->estimated += part.get_matches_estimated();
            out->lower_bound += part.get_matches_lower_bound();
            out->upper_bound += part.get_matches_upper_bound();
        }
        // The exact total and the facets: an unweighted pass over every match, once per local shard
        // (tallied from that shard's in-memory value cache: a match spy sees the shard's own
        // docids) and once over the remote shards together (Xapian's ValueCountMatchSpy, which
        // xapian-tcpsrv runs remotely). Every source tallies into the same value ids.
        FacetTally &tally = r->facet_tally;
        FacetNames &names = r->facet_names;
        if (p->count_query) {
            std::vector<unsigned> wanted(p->facet_slots, p->facet_slots + p->facet_count);
            if (names.slots != wanted) {
                names = FacetNames{wanted, std::vector<std::unordered_map<std::string, unsigned>>(wanted.size()),
                                   std::vector<std::vector<std::string>>(wanted.size())};
                for (Shard &shard : r->shards)
                    shard.facets.reset();
            }
            tally.reset(names);
            Xapian::doccount total = 0;
            Xapian::Database remotes;
            bool any_remote = false;
            for (Shard &shard : r->shards) {
                if (!shard.up)
                    continue;
                if (!shard.host.empty()) {
                    remotes.add_database(shard.db);
                    any_remote = true;
                    continue;
                }
                if (p->facet_count && !shard.facets) {
                    shard.facets = std::make_shared<FacetCache>();
                    shard.facets->build(shard.db, names);
                }
                tally.fit(names);
                FacetCounter counter(shard.facets.get(), &tally);
                std::vector<std::string> terms;
                bool any = false;
                if (plain_terms(p->count_query->q, terms, any))
                    total += count_terms(shard.db, std::move(terms), any, p->facet_count ? &counter : nullptr);
                else
                    total += count_matches(shard.db, p->count_query->q, p->facet_count ? &counter : nullptr, {});
            }
            if (any_remote) {
                std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
                std::vector<Xapian::MatchSpy *> spy_list;
                for (unsigned slot : wanted) {
                    spies.emplace_back(new Xapian::ValueCountMatchSpy(slot));
                    spy_list.push_back(spies.back().get());
                }
                total += count_matches(remotes, p->count_query->wire, nullptr, spy_list);
                for (size_t i = 0; i < p->facet_count; i++)
                    for (Xapian::TermIterator t = spies[i]->values_begin(); t != spies[i]->values_end(); ++t)
                        each_part(*t, [&](std::string part) { tally.add(i, names.id(i, std::move(part)), t.get_termfreq()); });
            }
            out->estimated = out->lower_bound = out->upper_bound = total;
        }
        size_t hit_room = 1;
        for (const Xapian::MSet &part : parts)
            hit_room += part.size();
        out->hits = static_cast<tc_xhit *>(calloc(hit_room, sizeof(tc_xhit)));
        if (!out->hits)
            throw std::bad_alloc();
        for (const Xapian::MSet &part : parts)
            for (Xapian::MSetIterator m = part.begin(); m != part.end(); ++m) {
                tc_xhit &h = out->hits[out->hit_count];
                h.docid = *m;
                h.score = m.get_weight();
                if (p->with_data) {
                    std::string data = m.get_document().get_data();
                    h.data = dup_string(data);
                    h.data_len = data.size();
                }
                out->hit_count++;
            }
        out->facets = static_cast<tc_xfacet *>(calloc(p->facet_count ? p->facet_count : 1, sizeof(tc_xfacet)));
        if (!out->facets)
            throw std::bad_alloc();
        for (size_t i = 0; i < p->facet_count; i++) {
            // The most frequent values (ties by name): a partial sort of (value, count) pointers,
            // so a facet with a hundred thousand distinct names costs no string copies.
            std::vector<std::pair<const std::string *, unsigned>> items;
            for (size_t k = 0; p->count_query && k < tally.touched[i].size(); k++)
                items.emplace_back(&names.values[i][tally.touched[i][k]], tally.counts[i][tally.touched[i][k]]);
            auto before = [](const auto &a, const auto &b) {
                return a.second != b.second ? a.second > b.second : *a.first < *b.first;
            };
            size_t keep = p->facet_limits && p->facet_limits[i] ? std::min<size_t>(p->facet_limits[i], items.size()) : items.size();
            std::partial_sort(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(keep), items.end(), before);
            items.resize(keep);
            tc_xfacet &f = out->facets[out->facet_count++];
            f.slot = p->facet_slots[i];
            f.values = static_cast<tc_xfacet_value *>(calloc(items.size() ? items.size() : 1, sizeof(tc_xfacet_value)));
            if (!f.values)
                throw std::bad_alloc();
            for (const auto &it : items) {
                f.values[f.count].value = dup_string(*it.first);
                f.values[f.count].count = it.second;
                f.count++;
            }
        }
    });
    if (st != TC_OK)
        tc_xresults_free(out);
    return st;
}

} // extern "C"

namespace {

// Opens or brings up to date r's twin so that it sees what r sees; r itself may be moved on to a
// commit the twin found. False when they cannot be matched (a writer committing all along).
bool twin_in_step(tc_xreader &r)
{
    if (r.has_remote)
        return false; // its revision cannot be compared; remote shards count in the caller's thread
    if (!r.twin) {
        std::unique_ptr<tc_xreader> twin(new tc_xreader);
        twin->paths = r.paths;
        twin->timeout_ms = r.timeout_ms;
        int changed = 0;
        sync_shards(*twin, changed);
        r.twin = std::move(twin);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
        if (same_view(r, *r.twin))
            return true;
        int changed = 0;
        sync_shards(*r.twin, changed);
        if (same_view(r, *r.twin))
            return true;
        sync_shards(r, changed);
    }
    return false;
}

} // namespace

extern "C" {

tc_status tc_xreader_count_begin(tc_xreader *r, const tc_xsearch_params *p)
{
    if (r->counting.joinable())
        r->counting.join();
    tc_xresults_free(&r->counted);
    r->count_params = *p;
    r->count_params.offset = r->count_params.limit = 0;
    r->count_params.with_data = 0;
    bool parallel = false;
    tc_status st = guard(r->error, [&] { parallel = twin_in_step(*r); });
    if (st == TC_OK && parallel) {
        try {
            r->count_running = true;
            r->counting = std::thread([r] {
                tc_xreader &twin = *r->twin;
                r->counted_status = tc_xreader_search(&twin, r->count_params.count_query, &r->count_params, &r->counted);
                r->count_running = false;
            });
            return TC_OK;
        } catch (...) {
            r->count_running = false; // no thread to be had: count here
        }
    }
    r->counted_status = tc_xreader_search(r, r->count_params.count_query, &r->count_params, &r->counted);
    return TC_OK;
}

tc_status tc_xreader_count_wait(tc_xreader *r, tc_xresults *out)
{
    join_count(*r);
    *out = r->counted;
    memset(&r->counted, 0, sizeof r->counted);
    return r->counted_status;
}

void tc_xresults_free(tc_xresults *res)
{
    for (size_t i = 0; i < res->hit_count; i++)
        free(res->hits[i].data);
    free(res->hits);
    for (size_t i = 0; i < res->facet_count; i++) {
        for (size_t k = 0; k < res->facets[i].count; k++)
            free(res->facets[i].values[k].value);
        free(res->facets[i].values);
    }
    free(res->facets);
    memset(res, 0, sizeof *res);
}

} // extern "C"
