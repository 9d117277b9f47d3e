#!/usr/bin/env bash
# Quality benchmark: clean the dev set's scraped text with the default rules, score it,
# check idempotence on every output, and report pages/s on one core. Then the same for
# the dev set's HTML pages (html.tgz), plus the speed of HTML extraction alone.
#   benches/quality.sh ../shared/dev-eval [extra rinse clean flags...]
set -euo pipefail
dev=$(cd "${1:?usage: benches/quality.sh DEV_EVAL_DIR [rinse clean flags]}" && pwd)
shift
source "$(dirname "$0")/setup.sh"

# One row: clean INPUT_DIR into $work/NAME, score it, split by language; time three more
# runs on one core (each into a new folder, kept until the end: deleting 990 files just
# before a run adds kernel time to it, see peers.sh; the first run warmed the page cache),
# and one on empty input, which is the start-up (rule compile) each run pays; then check
# that cleaning the outputs again changes nothing. Extra args of the script go to rinse clean.
row() {
    local label=$1 input=$2 name=$3 note=$4
    shift 4
    local pages runs=() empty
    pages=$(find "$input" -type f | wc -l)
    timed_clean --out-dir "$work/$name" "$@" "$input" >/dev/null
    # Its writes flushed first, so the disk is not busy with them during a timed run.
    sync
    for k in 1 2 3; do
        runs+=("$(timed_clean --out-dir "$work/$name-timed$k" "$@" "$input")")
    done
    empty=$(timed_clean - </dev/null)
    echo "rinse, $label input, rules/ of this checkout:"
    python3 "$dev/score.py" "$work/$name" --per-page "$work/$name.tsv"
    python3 "$here/benches/by_language.py" "$dev" "$work/$name.tsv"
    python3 - "$pages" "$empty" "${runs[@]}" <<'PY'
import sys
pages, empty, runs = int(sys.argv[1]), float(sys.argv[2]), sorted(map(float, sys.argv[3:]))
best, median = runs[0], runs[len(runs) // 2]
print(f"pages/s on one core: {pages / best:.0f} best of 3, {pages / median:.0f} median "
      f"({pages} pages in {', '.join(f'{r:.2f}' for r in runs)} s; start-up {empty * 1000:.0f} ms of each)")
PY
    if [ "$label" = HTML ]; then html_extraction; fi
    (cd "$work" && "$rinse" clean --quiet --rules "$here/rules" \
        --out-dir "$work/$name-again" "$@" "$work/$name")
    if diff -rq "$work/$name" "$work/$name-again" >/dev/null; then
        echo "idempotent: all $pages outputs unchanged by a second clean$note"
    else
        echo "NOT idempotent on $(diff -rq "$work/$name" "$work/$name-again" | wc -l) outputs"
        exit 1
    fi
}

html_extraction() {
    echo "HTML extraction alone (decode, strip, parse, lay out; no text rules), one thread:"
    (cd "$here" && taskset -c 0 cargo bench --quiet --bench html -- "$work/html" | tail -1)
}

row text "$dev/text" out "" "$@"

# The HTML row: the same pages as HTML, unpacked to the scratch folder.
[ -f "$dev/html.tgz" ] || exit 0
tar xzf "$dev/html.tgz" -C "$work"
echo
row HTML "$work/html" hout " (as text)" "$@"
