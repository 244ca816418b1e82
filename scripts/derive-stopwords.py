#!/usr/bin/env python3
# derive-stopwords.py — shows how stopwords/vi.txt was chosen: syllable document frequencies over the corpus.
# Prints the syllables found in the largest share of articles; the list was then cut by hand (see docs/text-analysis.md).
import gzip, json, re, sys, unicodedata
from collections import Counter

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/vnnews-38k.jsonl.gz"
top = int(sys.argv[2]) if len(sys.argv) > 2 else 200
df, docs = Counter(), 0
with gzip.open(path, "rt", encoding="utf-8") as f:
    for line in f:
        a = json.loads(line)
        text = unicodedata.normalize("NFC", " ".join(a.get(k) or "" for k in ("title", "summary", "body"))).lower()
        df.update(set(re.findall(r"[^\W\d_]+", text)))
        docs += 1
for word, n in df.most_common(top):
    print(f"{word}\t{n}\t{n / docs:.3f}")
