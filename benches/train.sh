#!/usr/bin/env bash
# Train the main-content detector (default/main-content) on the dev set's labels: writes
# src/heuristics/content/model.toml, then cross-validates by site (5 folds over hosts) and
# prints with-kept / without-removed / F1, overall and for en / de / other.
#   benches/train.sh ../shared/dev-eval [--out FILE] [--no-cv] [--jobs N]
# Python >= 3.11; the pinned packages (benches/train/requirements.txt) go into a scratch venv
# under ${TMPDIR:-/tmp}, reused while the requirements stay the same. The features are a Python
# copy of src/heuristics/content/features.rs; where the two differ is listed at the top of
# benches/train/features.py.
set -euo pipefail
dev=$(cd "${1:?usage: benches/train.sh DEV_EVAL_DIR [--out FILE] [--no-cv] [--jobs N]}" && pwd)
shift
here=$(cd "$(dirname "$0")/.." && pwd)
start=$(date +%s)
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    { echo "benches/train.sh needs Python >= 3.11 (set PYTHON=...)" >&2; exit 1; }

req=$here/benches/train/requirements.txt
tag=$( { "$python" -V; cat "$req"; } | sha256sum | cut -c1-12)
venv=${TMPDIR:-/tmp}/rinse-train-venv-$tag
if [ ! -f "$venv/ready" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    touch "$venv/ready"
fi

PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" "$here/benches/train/train.py" "$dev" "$@"
echo "benches/train.sh took $(( $(date +%s) - start )) s"
