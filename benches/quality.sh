#!/usr/bin/env bash
# Quality benchmark: clean the dev set's scraped text with the default rules, score it,
# check idempotence on every output, and report pages/s on one core. Then the same for
# the dev set's HTML pages (html.tgz), plus the speed of HTML extraction alone.
#   benches/quality.sh ../shared/dev-eval [extra rinse clean flags...]
set -euo pipefail
dev=$(cd "${1:?usage: benches/quality.sh DEV_EVAL_DIR [rinse clean flags]}" && pwd)
shift
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
rinse=${CARGO_TARGET_DIR:-$here/target}/release/rinse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pages=$(find "$dev/text" -name '*.txt' | wc -l)
# Run from an empty folder so no ./rules is picked up: defaults only.
start=$(date +%s.%N)
(cd "$work" && taskset -c 0 "$rinse" clean --quiet --rules "$here/rules" \
    --out-dir "$work/out" "$@" "$dev/text")
end=$(date +%s.%N)

echo "rinse, text input, rules/ of this checkout:"
python3 "$dev/score.py" "$work/out" --per-page "$work/pages.tsv"
python3 "$here/benches/by_language.py" "$dev" "$work/pages.tsv"
python3 -c "print(f'pages/s on one core: {$pages / ($end - $start):.0f} ($pages pages in {$end - $start:.2f} s)')"

# Idempotence: cleaning the outputs again changes nothing.
(cd "$work" && "$rinse" clean --quiet --rules "$here/rules" \
    --out-dir "$work/again" "$@" "$work/out")
if diff -rq "$work/out" "$work/again" >/dev/null; then
    echo "idempotent: all $pages outputs unchanged by a second clean"
else
    echo "NOT idempotent on $(diff -rq "$work/out" "$work/again" | wc -l) outputs"
    exit 1
fi

# The HTML row: the same pages as HTML, unpacked to the scratch folder.
[ -f "$dev/html.tgz" ] || exit 0
tar xzf "$dev/html.tgz" -C "$work"
hpages=$(find "$work/html" -name '*.html' | wc -l)
start=$(date +%s.%N)
(cd "$work" && taskset -c 0 "$rinse" clean --quiet --rules "$here/rules" \
    --out-dir "$work/hout" "$@" "$work/html")
end=$(date +%s.%N)
echo
echo "rinse, HTML input, rules/ of this checkout:"
python3 "$dev/score.py" "$work/hout" --per-page "$work/hpages.tsv"
python3 "$here/benches/by_language.py" "$dev" "$work/hpages.tsv"
python3 -c "print(f'pages/s on one core: {$hpages / ($end - $start):.0f} ($hpages pages in {$end - $start:.2f} s)')"
echo "HTML extraction alone (decode, strip, parse, lay out; no text rules), one thread:"
(cd "$here" && taskset -c 0 cargo bench --quiet --bench html -- "$work/html" | tail -1)
(cd "$work" && "$rinse" clean --quiet --rules "$here/rules" \
    --out-dir "$work/hagain" "$@" "$work/hout")
if diff -rq "$work/hout" "$work/hagain" >/dev/null; then
    echo "idempotent: all $hpages outputs unchanged by a second clean (as text)"
else
    echo "NOT idempotent on $(diff -rq "$work/hout" "$work/hagain" | wc -l) outputs"
    exit 1
fi
