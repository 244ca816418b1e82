#!/usr/bin/python3
# peers.py — the peers tracuu is measured against: SQLite FTS5 (unicode61 remove_diacritics 2, bm25)
# and plain Xapian (TermGenerator + QueryParser, no Vietnamese analysis). Used by the bench scripts.
import gzip, json, os, sqlite3, sys, time
import xapian

FIELDS = ("title", "summary", "body")

def articles(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)

def fts5_index(path, db):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, summary, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    n = 0
    with con:
        for a in articles(path):
            con.execute("INSERT INTO a VALUES (?,?,?,?)", (a["id"], a.get("title") or "", a.get("summary") or "", a.get("body") or ""))
            n += 1
    con.close()
    return n

def xapian_index(path, db):
    w = xapian.WritableDatabase(db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    n = 0
    for a in articles(path):
        doc = xapian.Document()
        tg.set_document(doc)
        for f in FIELDS:
            tg.index_text(a.get(f) or "")
            tg.increase_termpos()
        doc.set_data(a["id"])
        doc.add_boolean_term("Q" + a["id"])
        w.replace_document("Q" + a["id"], doc)
        n += 1
    w.commit()
    w.close()
    return n

def fts5_searcher(db):
    con = sqlite3.connect(db)
    def search(q, limit=10):
        words = [w for w in q.replace('"', " ").split() if w]
        if not words:
            return []
        expr = " ".join('"%s"' % w for w in words)
        try:
            rows = con.execute("SELECT id FROM a WHERE a MATCH ? ORDER BY bm25(a) LIMIT ?", (expr, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]
    return search

def xapian_searcher(db):
    d = xapian.Database(db)
    qp = xapian.QueryParser()
    qp.set_database(d)
    qp.set_default_op(xapian.Query.OP_AND)
    def search(q, limit=10):
        e = xapian.Enquire(d)
        try:
            e.set_query(qp.parse_query(q))
        except xapian.QueryParserError:
            return []
        return [m.document.get_data().decode() for m in e.get_mset(0, limit)]
    return search

def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
