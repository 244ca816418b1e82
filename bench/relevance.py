#!/usr/bin/python3
# relevance.py — scores tracuu, SQLite FTS5 and plain Xapian on the same generated query sets
# (MRR@10, success@1, success@10, precision@10) and prints them side by side.
#
# The query sets are drawn from the corpus at run time with a fixed seed, so no corpus text is kept
# in the repository: headline fragments of 3-6 syllables (with marks, without, one syllable left out),
# names of people and places typed without marks, and longer questions built around a headline.
import argparse, gzip, json, os, random, re, subprocess, sys, tempfile, time, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn")).lower()

def words(s):
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", s))

QUESTION_FRAMES = ["tin tức về {} mới nhất", "{} là như thế nào", "thông tin chi tiết vụ {}", "tại sao {}"]

def name_runs(text):
    """Runs of 2-4 capitalised words joined by single spaces, not opening a sentence."""
    for sentence in re.split(r"[.!?:;\n\"“”()]+", text):
        toks = sentence.split(" ")
        run = []
        for i, t in enumerate(toks + [""]):
            if i > 0 and t.isalpha() and t[0].isupper() and not t.isupper():
                run.append(t)
                continue
            if 2 <= len(run) <= 4:
                yield " ".join(run)
            run = []

def make_queries(articles, seed, per_set):
    rnd = random.Random(seed)
    usable = [a for a in articles if len(words(a.get("title") or "")) >= 6]
    picks = rnd.sample(usable, per_set * 4)
    sets = {"headline": [], "headline-unaccented": [], "headline-missing": [], "question": []}
    for i, a in enumerate(picks):
        w = words(a["title"])
        n = rnd.randint(3, min(6, len(w)))
        start = rnd.randint(0, len(w) - n)
        frag = w[start:start + n]
        kind = list(sets)[i % 4]
        if kind == "headline":
            q = " ".join(frag)
        elif kind == "headline-unaccented":
            q = fold(" ".join(frag))
        elif kind == "headline-missing":
            if len(frag) < 4:
                frag = w[start:start + 4] if start + 4 <= len(w) else w[-4:]
            drop = rnd.randint(1, len(frag) - 2)
            q = " ".join(frag[:drop] + frag[drop + 1:])
        else:
            q = rnd.choice(QUESTION_FRAMES).format(" ".join(w[:min(len(w), 8)]).lower())
        sets[kind].append((q, {a["id"]}))
    # names: capitalised runs not at a sentence start, typed without marks; relevant = every article
    # whose folded text holds the folded name as a phrase
    counts = {}
    for a in articles:
        text = unicodedata.normalize("NFC", " ".join(a.get(f) or "" for f in ("title", "summary", "body")))
        for name in set(name_runs(text)):
            counts[name] = counts.get(name, 0) + 1
    common = sorted(n for n, c in counts.items() if 5 <= c <= 200 and not n.split()[0] in
                    ("Ông", "Bà", "Theo", "Tại", "Trong", "Anh", "Chị", "Ảnh", "Sau", "Khi"))
    names = rnd.sample(common, min(per_set, len(common)))
    folded_texts = [(a["id"], " " + " ".join(fold(w) for w in words(" ".join(a.get(f) or "" for f in ("title", "summary", "body")))) + " ")
                    for a in articles]
    sets["names"] = []
    for name in names:
        key = " " + fold(name) + " "
        relevant = {i for i, t in folded_texts if key in t}
        sets["names"].append((fold(name), relevant))
    return sets

def score(results, relevant):
    rr, s1, s10, p10 = 0.0, 0, 0, 0.0
    for rank, doc in enumerate(results[:10], 1):
        if doc in relevant:
            if rr == 0:
                rr = 1.0 / rank
            p10 += 1
    s1 = 1 if results[:1] and results[0] in relevant else 0
    s10 = 1 if rr > 0 else 0
    return rr, s1, s10, p10 / 10

def tracuu_batch(tracuu, db, queries):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        for i, (q, _) in enumerate(queries):
            f.write(f"{i}\t{q}\n")
        path = f.name
    out = subprocess.run([tracuu, "search", "--db", db, "--limit", "10", "--batch", path],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(path)
    res = [[] for _ in queries]
    for line in out.splitlines():
        qid, rank, doc = line.split("\t")
        res[int(qid)].append(doc)
    return res

def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "vnnews-38k.jsonl.gz"))
    ap.add_argument("--tracuu", default=os.path.join(here, "..", "build", "release", "tracuu"))
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "tracuu-bench"))
    ap.add_argument("--per-set", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--engines", default="tracuu,fts5,xapian")
    ap.add_argument("--write-queries", metavar="FILE", help="only write every query as qid<TAB>query (for bench_query)")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    articles = list(peers.articles(args.corpus))
    sets = make_queries(articles, args.seed, args.per_set)
    if args.write_queries:
        with open(args.write_queries, "w") as f:
            for name, queries in sets.items():
                for i, (q, _) in enumerate(queries):
                    f.write(f"{name}-{i}\t{q}\n")
        return
    stamp = os.path.join(args.work, "corpus.txt")
    fresh = not os.path.exists(stamp) or open(stamp).read() != args.corpus
    engines = args.engines.split(",")
    dbs = {"tracuu": os.path.join(args.work, "tracuu"), "fts5": os.path.join(args.work, "fts5.db"),
           "xapian": os.path.join(args.work, "xapian")}
    for e in engines:
        if fresh or not os.path.exists(dbs[e]) or os.environ.get("REINDEX_" + e.upper()):
            print(f"indexing {e} ...", file=sys.stderr)
            if e == "tracuu":
                subprocess.run(["rm", "-rf", dbs[e]], check=True)
                subprocess.run([args.tracuu, "index", "--progress", "never", "--db", dbs[e], args.corpus],
                               check=True, stdout=subprocess.DEVNULL)
            elif e == "fts5":
                peers.fts5_index(args.corpus, dbs[e])
            else:
                peers.xapian_index(args.corpus, dbs[e])
    open(stamp, "w").write(args.corpus)
    print(f"corpus: {os.path.basename(args.corpus)}, {len(articles)} articles; {args.per_set} queries a set, seed {args.seed}")
    print(f"{'set':22} {'engine':8} {'MRR@10':>7} {'succ@1':>7} {'succ@10':>7} {'P@10':>6}")
    for name, queries in sets.items():
        for e in engines:
            if e == "tracuu":
                results = tracuu_batch(args.tracuu, dbs[e], queries)
            else:
                search = peers.fts5_searcher(dbs[e]) if e == "fts5" else peers.xapian_searcher(dbs[e])
                results = [search(q) for q, _ in queries]
            totals = [0.0] * 4
            for (q, rel), res in zip(queries, results):
                for k, v in enumerate(score(res, rel)):
                    totals[k] += v
            n = len(queries)
            print(f"{name:22} {e:8} {totals[0]/n:7.3f} {totals[1]/n:7.3f} {totals[2]/n:7.3f} {totals[3]/n:6.3f}")

if __name__ == "__main__":
    main()
