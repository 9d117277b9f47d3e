#!/usr/bin/env bash
# Speed against a peer in the same run: jusText (installed into a scratch venv from PyPI)
# and rinse clean the dev set's text on the same core; prints both pages/s and the ratio.
#   benches/peers.sh ../shared/dev-eval
set -euo pipefail
dev=$(cd "${1:?usage: benches/peers.sh DEV_EVAL_DIR}" && pwd)
source "$(dirname "$0")/setup.sh"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet justext lxml_html_clean
pages=$(find "$dev/text" -type f | wc -l)
read -r jt_rate jt_secs < <(taskset -c 0 "$work/venv/bin/python" "$here/benches/peers/justext_text.py" "$dev/text" "$work/justext")
# Each run writes into a new folder, as jusText did: removing the last run's 990 files
# just before a run makes ext4 search past their freshly freed inodes, which on this VM
# added up to 0.3 s of kernel time to a 0.5 s run.
runs=() empty=()
for k in 1 2 3; do
    runs+=("$(timed_clean --out-dir "$work/rinse$k" "$dev/text")")
    # jusText's clock starts after Python has started and imported it; rinse's start-up
    # (process and rule compile) is timed alone, on empty input, to show the same span.
    empty+=("$(timed_clean - </dev/null)")
done
best=$(python3 -c "print(min([${runs[*]/%/,}]))")
empty=$(python3 -c "print(min([${empty[*]/%/,}]))")
python3 - "$pages" "$jt_rate" "$jt_secs" "$best" "$empty" <<'PY'
import sys
pages, jt_rate, jt_secs, rinse_secs, empty = int(sys.argv[1]), *map(float, sys.argv[2:])
rate = pages / rinse_secs
loop = pages / (rinse_secs - empty)
print(f"jusText on the text, one core: {jt_rate:.0f} pages/s ({jt_secs:.2f} s, after start-up and imports)")
print(f"rinse clean, one core (best of 3): {rate:.0f} pages/s ({rinse_secs:.2f} s, start-up included)")
print(f"rinse without its start-up ({empty * 1000:.0f} ms), as jusText is timed: {loop:.0f} pages/s")
print(f"rinse / jusText: {rate / jt_rate:.1f}x whole run, {loop / jt_rate:.1f}x as timed alike (the issue's bar is 50x)")
PY
