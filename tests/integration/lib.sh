# lib.sh — helpers for the integration tests: assertions that count, temporary folders, JSON via jq.
# Sourced by each test script; the script ends with `report`, which prints "N passed, M failed".
set -u
TRACUU=${TRACUU:?TRACUU must name the tracuu binary}
SHARED=${TRACUU_SHARED:?TRACUU_SHARED must name the shared folder}
SAMPLE=$SHARED/corpus/vnnews-sample-2k.jsonl.gz
SEED=$SHARED/seed/000_21e35f31858b3384.txt
WORK=$(mktemp -d)
trap 'cleanup_hook; rm -rf "$WORK"' EXIT
cleanup_hook() { :; }
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# check DESCRIPTION COMMAND...: the command succeeds
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok; else fail "$d"; fi; }
# eq DESCRIPTION ACTUAL EXPECTED
eq() { if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }
# contains DESCRIPTION HAYSTACK NEEDLE
contains() { case $2 in *"$3"*) ok ;; *) fail "$1: '$3' not in '${2:0:300}'" ;; esac; }
lacks() { case $2 in *"$3"*) fail "$1: '$3' should not be in '${2:0:300}'" ;; *) ok ;; esac; }
# ge DESCRIPTION ACTUAL MINIMUM
ge() { if [ "$2" -ge "$3" ] 2>/dev/null; then ok; else fail "$1: got '$2', want at least '$3'"; fi; }
# le DESCRIPTION ACTUAL MAXIMUM
le() { if [ "$2" -le "$3" ] 2>/dev/null; then ok; else fail "$1: got '$2', want at most '$3'"; fi; }

# wait_for_articles DB N: until the index at DB holds N articles or more (30 s at most)
wait_for_articles() {
  local n
  for _ in $(seq 1 300); do
    n=$("$TRACUU" stats --db "$1" --json 2>/dev/null | jq .articles 2>/dev/null || echo 0)
    [ "${n:-0}" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
search_json() { local db=$1; shift; "$TRACUU" search --db "$db" --json "$@"; }
report() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
