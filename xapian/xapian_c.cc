// xapian_c.cc — the only C++ in tracuu: a thin C binding over libxapian (see xapian_c.h).
// Every entry point catches every exception and turns it into a tc_status with a message.
#include "xapian_c.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

struct tc_xdoc {
    Xapian::Document doc;
};
struct tc_xwriter {
    Xapian::WritableDatabase db;
    std::string error;
};
// The values of the facet slots for every document, held in memory as small numbers so that
// counting facets over tens of thousands of matches is a loop over docids, not value lookups.
// Built on first use and again after a reopen that found a newer commit.
struct FacetCache {
    std::vector<unsigned> slots;
    std::vector<std::vector<std::string>> names;   // per slot: value id -> string
    std::vector<std::vector<std::vector<unsigned>>> ids; // per slot, per docid: value ids
    bool valid = false;

    void build(const Xapian::Database &db, const std::vector<unsigned> &wanted)
    {
        slots = wanted;
        names.assign(slots.size(), {});
        ids.assign(slots.size(), {});
        Xapian::docid last = db.get_lastdocid();
        for (size_t i = 0; i < slots.size(); i++) {
            std::unordered_map<std::string, unsigned> lookup;
            ids[i].assign(last + 1, {});
            for (Xapian::ValueIterator v = db.valuestream_begin(slots[i]); v != db.valuestream_end(slots[i]); ++v) {
                const std::string value = *v;
                Xapian::docid did = v.get_docid();
                if (did > last)
                    continue;
                size_t start = 0;
                while (start < value.size()) {
                    size_t end = value.find('\x1f', start);
                    if (end == std::string::npos)
                        end = value.size();
                    if (end > start) {
                        auto found = lookup.emplace(value.substr(start, end - start), names[i].size());
                        if (found.second)
                            names[i].push_back(found.first->first);
                        ids[i][did].push_back(found.first->second);
                    }
                    start = end + 1;
                }
            }
        }
        valid = true;
    }
};

struct tc_xreader {
    Xapian::Database db;
    std::string error;
    std::unique_ptr<FacetCache> facets;
};
struct tc_xquery {
    Xapian::Query q;
};

namespace {

// Sort key for "oldest first": the date value, with undated articles after every dated one
// (an empty value would otherwise sort first). Newest first needs no help: empty sorts last.
class DatedFirst : public Xapian::KeyMaker {
  public:
    explicit DatedFirst(Xapian::valueno slot) : slot_(slot) {}
    std::string operator()(const Xapian::Document &doc) const override
    {
        std::string v = doc.get_value(slot_);
        return v.empty() ? std::string(1, '\xff') : v;
    }

  private:
    Xapian::valueno slot_;
};

// Tallies facet values for each matching document from the in-memory cache; only the docid of
// the document is read, never its values.
class FacetCounter : public Xapian::MatchSpy {
  public:
    FacetCounter(const FacetCache *cache, std::vector<std::vector<unsigned>> *counts) : cache_(cache), counts_(counts) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        Xapian::docid did = doc.get_docid();
        for (size_t i = 0; i < counts_->size(); i++)
            if (did < cache_->ids[i].size())
                for (unsigned id : cache_->ids[i][did])
                    (*counts_)[i][id]++;
    }

  private:
    const FacetCache *cache_;
    std::vector<std::vector<unsigned>> *counts_;
};

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
    doc->doc.add_term(std::string(term, len), wdf);
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
    std::string msg;
    *out = nullptr;
    tc_status st = guard(msg, [&] { *out = new tc_xreader{Xapian::Database(path), {}, nullptr}; });
    copy_error(msg, err, errlen);
    return st;
}

tc_status tc_xreader_reopen(tc_xreader *r, int *changed)
{
    return guard(r->error, [&] {
        *changed = r->db.reopen();
        if (*changed && r->facets)
            r->facets->valid = false;
    });
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
    guard(r->error, [&] { n = r->db.get_doccount(); });
    return n;
}

unsigned tc_xreader_termfreq(tc_xreader *r, const char *term, size_t len)
{
    unsigned n = 0;
    guard(r->error, [&] { n = r->db.get_termfreq(std::string(term, len)); });
    return n;
}

tc_status tc_xreader_allterms(tc_xreader *r, const char *prefix, tc_xterm_fn fn, void *ctx)
{
    return guard(r->error, [&] {
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
    tc_status st = guard(r->error, [&] {
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
    return guard(r->error, [&] { *value = dup_string(r->db.get_metadata(key)); });
}

tc_status tc_xreader_date_bounds(tc_xreader *r, unsigned slot, int *have, int64_t *lo, int64_t *hi)
{
    *have = 0;
    return guard(r->error, [&] {
        std::string a = r->db.get_value_lower_bound(slot), b = r->db.get_value_upper_bound(slot);
        if (a.empty() || b.empty())
            return;
        *have = 1;
        *lo = static_cast<int64_t>(Xapian::sortable_unserialise(a));
        *hi = static_cast<int64_t>(Xapian::sortable_unserialise(b));
    });
}

static tc_xquery *wrap(const Xapian::Query &q)
{
    try {
        return new tc_xquery{q};
    } catch (...) {
        return nullptr;
    }
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
                                             Xapian::Query::OP_NEAR};
    try {
        std::vector<Xapian::Query> qs;
        for (size_t i = 0; i < count; i++)
            if (children[i])
                qs.push_back(children[i]->q);
        if (op == TC_XOP_PHRASE)
            return wrap(Xapian::Query(OPS[op], qs.begin(), qs.end(), static_cast<Xapian::termcount>(qs.size())));
        if (op == TC_XOP_NEAR)
            return wrap(Xapian::Query(OPS[op], qs.begin(), qs.end(), static_cast<Xapian::termcount>(qs.size() + 2)));
        return wrap(Xapian::Query(OPS[op], qs.begin(), qs.end()));
    } catch (...) {
        return nullptr;
    }
}

tc_xquery *tc_xquery_scale(const tc_xquery *q, double factor)
{
    try {
        return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor));
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
        return wrap(Xapian::Query::MatchAll);
    } catch (...) {
        return nullptr;
    }
}

tc_xquery *tc_xquery_match_all(void)
{
    return wrap(Xapian::Query::MatchAll);
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
    tc_status st = guard(r->error, [&] {
        Xapian::Enquire enquire(r->db);
        enquire.set_query(q->q);
        enquire.set_weighting_scheme(Xapian::BM25Weight(p->bm25_k1, 0, 1, p->bm25_b, 0.5));
        if (p->sort == TC_SORT_NEWEST)
            enquire.set_sort_by_value_then_relevance(p->date_slot, true);
        DatedFirst oldest(p->date_slot);
        if (p->sort == TC_SORT_OLDEST)
            enquire.set_sort_by_key_then_relevance(&oldest, false);
        Xapian::MSet mset = enquire.get_mset(p->offset, p->limit);
        out->estimated = mset.get_matches_estimated();
        out->lower_bound = mset.get_matches_lower_bound();
        out->upper_bound = mset.get_matches_upper_bound();
        std::vector<std::vector<unsigned>> counts(p->facet_count);
        if (p->count_query) {
            Xapian::Enquire counter(r->db);
            counter.set_query(p->count_query->q);
            counter.set_weighting_scheme(Xapian::BoolWeight());
            counter.set_docid_order(Xapian::Enquire::ASCENDING);
            Xapian::doccount all = r->db.get_doccount();
            std::vector<unsigned> wanted(p->facet_slots, p->facet_slots + p->facet_count);
            if (p->facet_count && (!r->facets || !r->facets->valid || r->facets->slots != wanted)) {
                if (!r->facets)
                    r->facets.reset(new FacetCache);
                r->facets->build(r->db, wanted);
            }
            for (size_t i = 0; i < p->facet_count; i++)
                counts[i].assign(r->facets->names[i].size(), 0);
            FacetCounter tally(r->facets.get(), &counts);
            if (p->facet_count)
                counter.add_matchspy(&tally);
            Xapian::MSet counted = counter.get_mset(0, 0, all);
            out->estimated = out->lower_bound = out->upper_bound = counted.get_matches_estimated();
        }
        out->hits = static_cast<tc_xhit *>(calloc(mset.size() ? mset.size() : 1, sizeof(tc_xhit)));
        if (!out->hits)
            throw std::bad_alloc();
        for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m) {
            tc_xhit &h = out->hits[out->hit_count];
            Xapian::Document doc = m.get_document();
            std::string data = p->data_slot >= 0 ? doc.get_value(static_cast<Xapian::valueno>(p->data_slot)) : doc.get_data();
            h.docid = *m;
            h.score = m.get_weight();
            h.data = dup_string(data);
            h.data_len = data.size();
            out->hit_count++;
        }
        out->facets = static_cast<tc_xfacet *>(calloc(p->facet_count ? p->facet_count : 1, sizeof(tc_xfacet)));
        if (!out->facets)
            throw std::bad_alloc();
        for (size_t i = 0; i < p->facet_count; i++) {
            std::vector<std::pair<std::string, unsigned>> items;
            for (size_t id = 0; id < counts[i].size(); id++)
                if (counts[i][id])
                    items.emplace_back(r->facets->names[i][id], counts[i][id]);
            std::sort(items.begin(), items.end(), [](const auto &a, const auto &b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
            if (items.size() > p->facet_limit)
                items.resize(p->facet_limit);
            tc_xfacet &f = out->facets[out->facet_count++];
            f.slot = p->facet_slots[i];
            f.values = static_cast<tc_xfacet_value *>(calloc(items.size() ? items.size() : 1, sizeof(tc_xfacet_value)));
            if (!f.values)
                throw std::bad_alloc();
            for (const auto &it : items) {
                f.values[f.count].value = dup_string(it.first);
                f.values[f.count].count = it.second;
                f.count++;
            }
        }
    });
    if (st != TC_OK)
        tc_xresults_free(out);
    return st;
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
