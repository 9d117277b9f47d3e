#!/usr/bin/env bash
# Throughput benchmark: clean ~50 MB of real scraped text (the dev set copied 4x) with
# --jobs 1 and --jobs 2, against `cp -r` of the same tree in the same run; the same pages
# as the records of one JSONL file; then peak RSS on a tree of 100,000 small files.
#   benches/throughput.sh ../shared/dev-eval
set -euo pipefail
dev=$(cd "${1:?usage: benches/throughput.sh DEV_EVAL_DIR}" && pwd)
source "$(dirname "$0")/setup.sh"

for i in 1 2 3 4; do mkdir -p "$work/corpus/copy$i" && cp "$dev"/text/*.txt "$work/corpus/copy$i/"; done
files=$(find "$work/corpus" -type f | wc -l)
bytes=$(du -sb "$work/corpus" | cut -f1)
mb=$(python3 -c "print($bytes / 1e6)")
sync

cp_s=$(secs cp -r "$work/corpus" "$work/copy")
rm -rf "$work/copy"
printf 'corpus: %d files, %.1f MB\n' "$files" "$mb"
printf '%-22s %8.2f s %8.1f MB/s %9.0f files/s\n' "cp -r" "$cp_s" "$(python3 -c "print($mb/$cp_s)")" "$(python3 -c "print($files/$cp_s)")"
declare -A took
for jobs in 1 2; do
    t=$(cd "$work" && secs "$rinse" clean --quiet --force --jobs "$jobs" --out-dir "$work/out$jobs" "$work/corpus")
    took[$jobs]=$t
    printf '%-22s %8.2f s %8.1f MB/s %9.0f files/s   %.1fx cp -r time\n' "rinse clean --jobs $jobs" "$t" \
        "$(python3 -c "print($mb/$t)")" "$(python3 -c "print($files/$t)")" "$(python3 -c "print($t/$cp_s)")"
done
printf 'speed-up --jobs 2 over --jobs 1: %.2fx\n' "$(python3 -c "print(${took[1]}/${took[2]})")"
diff -rq "$work/out1" "$work/out2" >/dev/null && echo "outputs of --jobs 1 and --jobs 2 are identical"
rm -rf "$work/out1" "$work/out2" "$work/copy"

# The same pages as the records of one JSONL file: one file, so only the records'
# parallel batches can use the second core.
python3 - "$work/corpus" "$work/one.jsonl" <<'PY'
import json, os, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for root, _, files in sorted(os.walk(sys.argv[1])):
        for f in sorted(files):
            text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            out.write(json.dumps({"id": f, "text": text}) + "\n")
PY
sync
for jobs in 1 2; do
    t=$(cd "$work" && secs "$rinse" clean --quiet --force --jobs "$jobs" --out-dir "$work/jl$jobs" "$work/one.jsonl")
    took[$jobs]=$t
    printf '%-22s %8.2f s %8.1f MB/s %9.0f records/s\n' "one JSONL, --jobs $jobs" "$t" \
        "$(python3 -c "print($mb/$t)")" "$(python3 -c "print($files/$t)")"
done
printf 'speed-up --jobs 2 over --jobs 1 on one JSONL file: %.2fx\n' "$(python3 -c "print(${took[1]}/${took[2]})")"
cmp -s "$work/jl1/one.jsonl" "$work/jl2/one.jsonl" && echo "outputs of --jobs 1 and --jobs 2 are identical"
rm -rf "$work/jl1" "$work/jl2" "$work/one.jsonl"

# Peak memory on a tree of 100,000 files (the first 1.5 kB of each dev page, round robin).
mkdir -p "$work/many"
python3 - "$dev/text" "$work/many" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
pages = [open(os.path.join(src, f), encoding="utf-8", errors="replace").read()[:1500]
         for f in sorted(os.listdir(src))]
for i in range(100_000):
    d = os.path.join(dst, f"d{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"p{i:06d}.txt"), "w", encoding="utf-8") as f:
        f.write(pages[i % len(pages)])
PY
rss=$( { /usr/bin/time -f '%M %e' "$rinse" clean --quiet --force --out-dir "$work/many-out" "$work/many" ; } 2>&1 | tail -1)
printf '100,000 files: peak RSS %.1f MB, %.1f s\n' "$(python3 -c "print(${rss% *}/1024)")" "${rss#* }"
