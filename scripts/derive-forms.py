#!/usr/bin/env python3
# derive-forms.py — how text/forms-vi.txt was made: for each folded syllable, the written form most articles use.
# Runs `tracuu analyze` over the corpus (so forms are the analyser's own) and counts articles per form.
# Usage, from the top of the tree: scripts/derive-forms.py [CORPUS] [TRACUU] [LEAST] > text/forms-vi.txt
import gzip, json, subprocess, sys
from collections import Counter, defaultdict

corpus = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/vnnews-38k.jsonl.gz"
tracuu = sys.argv[2] if len(sys.argv) > 2 else "build/release/tracuu"
least = int(sys.argv[3]) if len(sys.argv) > 3 else 20  # articles the dominant form must be in
BREAK = "zzqxarticlebreakzz"

with gzip.open(corpus, "rt", encoding="utf-8") as f:
    text = "".join(" ".join(a.get(k) or "" for k in ("title", "summary", "body")) + f"\n{BREAK}\n"
                   for a in map(json.loads, f))
out = subprocess.run([tracuu, "analyze"], input=text.encode(), capture_output=True, check=True).stdout
df, seen = defaultdict(Counter), set()
for line in out.decode().splitlines():
    _, exact, folded = line.split("\t")[:3]
    if exact == BREAK:
        for folded_form, exact_form in seen:
            df[folded_form][exact_form] += 1
        seen.clear()
    elif folded.isalpha():
        seen.add((folded, exact))
# keep a form only where the analyser makes it of itself as one word (not a joined form like "Á-Âu")
picked = {f: df[f].most_common(1)[0] for f in df}
picked = {f: e for f, (e, n) in picked.items() if e != f and n >= least}
args = [w for f in sorted(picked) for w in (picked[f], BREAK)]
out = subprocess.run([tracuu, "analyze", "--query", *args], capture_output=True, check=True).stdout.decode()
tokens, own = [], set()
for line in out.splitlines():
    exact = line.split("\t")[1]
    if exact == BREAK:
        own.update(tokens[:1] if len(tokens) == 1 else [])
        tokens = []
    else:
        tokens.append(exact)
print("# The written form most articles use for a folded syllable (scripts/derive-forms.py); the index")
print("# stores only the other forms as exact terms (docs/index-schema.md). Changing it needs TC_FORMS_VERSION + 1.")
for folded in sorted(picked, key=lambda s: s.encode()):
    if picked[folded] in own:
        print(f"{folded}\t{picked[folded]}")
