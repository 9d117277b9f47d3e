#!/usr/bin/env bash
# Normalization speed against ftfy, on inputs this script makes: clean English prose,
# clean non-ASCII prose (German, French, Russian) and mojibake-heavy text, ~4 MB each.
# ftfy 6.3.1 is installed into a scratch venv; both tools run on one core.
#   benches/normalize.sh [MB per input, default 4]
# Prints MB/s for ftfy.fix_text and for rinse's decoding + normalization with its
# default steps, both timed in process on text already in memory, and their ratio;
# then MB/s of the whole `rinse clean --no-default-rules -` run (process start, I/O,
# decode, normalize, rules machinery, tidy), and how many lines of the mojibake input
# each tool restores to the text it was made from.
set -euo pipefail
mb=${1:-4}
here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
cargo bench --quiet --manifest-path "$here/Cargo.toml" --bench normalize --no-run 2>/dev/null
rinse=$target/release/rinse

venv=${RINSE_BENCH_VENV:-/tmp/rinse-bench-ftfy}
if ! "$venv/bin/python" -c 'import ftfy, sys; sys.exit(ftfy.__version__ != "6.3.1")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet ftfy==6.3.1
fi
py=$venv/bin/python
# RINSE_BENCH_DIR keeps the inputs and outputs there.
if [ -n "${RINSE_BENCH_DIR:-}" ]; then
    work=$RINSE_BENCH_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
one_core=()
if command -v taskset >/dev/null; then one_core=(taskset -c 0); fi

# Inputs: prose from word lists (deterministic), and its mojibake.
"$py" - "$work" "$mb" <<'EOF'
import random, sys
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-125x)
work, mb = sys.argv[1], float(sys.argv[2])
rng = random.Random(42)
EN = """the of and to in is was for that with as on by at from his her their which
this have had not are were been one all would there when who more will about into
time people year city river market government report said after before during over
under between water school children family house street morning evening history
music language country village company small large early late new old long short
found built opened closed began ended wrote read spoke walked carried brought""".split()
DE = """der die das und ist nicht über für größer schön Straße Mädchen Bäume hören
Grüße Würde Käse Brücke früh spät Ärger Öffnung Übung müssen können dürfen wäre
Stadt Fluss Markt Zeit Menschen Jahr Schule Kinder Familie Haus Morgen Abend""".split()
FR = """le la les et est pas été très où déjà après français élève château forêt
fenêtre garçon leçon naïf Noël cœur sœur œuvre à côté crème brûlée théâtre hôpital
ville rivière marché temps gens année école enfants famille maison matin soir""".split()
RU = """и в не на что он я с как это все она так его но да ты к у же вы за бы по
только её мне было вот от меня ещё нет о из ему теперь когда даже ну вдруг ли если
город река рынок время люди год школа дети семья дом утро вечер история язык""".split()

def sentence(words):
    n = rng.randint(6, 18)
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!", ";"])

def prose(langs, size):
    out, total = [], 0
    while total < size:
        words = rng.choice(langs)
        para = " ".join(sentence(words) for _ in range(rng.randint(1, 4)))
        out.append(para + "\n")
        total += len(para.encode()) + 1
        if rng.random() < 0.3:
            out.append("\n")
    return "".join(out)

size = int(mb * 1_000_000)
english = prose([EN], size)
foreign = prose([DE, FR, RU], size)

def garble(line):
    data = line.encode("utf-8")
    if any("а" <= c <= "я" for c in line) and rng.random() < 0.5:
        return data.decode("sloppy-windows-1251")
    r = rng.random()
    if r < 0.55:
        return data.decode("sloppy-windows-1252")
    if r < 0.75:
        once = data.decode("sloppy-windows-1252")
        return once.encode("utf-8").decode("sloppy-windows-1252")
    return data.decode("latin-1")

lines = foreign.split("\n")
garbled = "\n".join(garble(l) if l else l for l in lines)
# Keep the mojibake input about the same size as the others.
cut = garbled.encode()[:size].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n"
n = cut.count("\n")
open(f"{work}/english.txt", "w").write(english)
open(f"{work}/non-ascii.txt", "w").write(foreign)
open(f"{work}/mojibake.txt", "w").write(cut)
open(f"{work}/mojibake.orig.txt", "w").write("\n".join(lines[:n]) + "\n")
EOF

# ftfy: fix_text in process, best of 2, file reading not timed.
ftfy_mbs() {
    "${one_core[@]}" "$py" - "$1" "$2" <<'EOF'
import sys, time, ftfy
text = open(sys.argv[1], encoding="utf-8").read()
best = None
for _ in range(2):
    t = time.perf_counter()
    out = ftfy.fix_text(text)
    t = time.perf_counter() - t
    best = t if best is None else min(best, t)
open(sys.argv[2], "w", encoding="utf-8").write(out)
print(f"{len(text.encode()) / 1e6 / best:.2f}")
EOF
}

# rinse: the whole CLI run (start, read, decode, normalize, tidy, write), best of 3.
rinse_mbs() {
    local best=""
    for _ in 1 2 3; do
        local s e
        s=$(date +%s.%N)
        (cd "$work" && "${one_core[@]}" "$rinse" clean --no-default-rules --quiet - <"$1" >"$2")
        e=$(date +%s.%N)
        best=$(python3 -c "print(min(x for x in [$e - $s, ${best:-1e9}]))")
    done
    python3 -c "import os; print(f'{os.path.getsize(\"$1\") / 1e6 / $best:.2f}')"
}

# rinse's normalization in process: benches/normalize.rs, best of several runs.
files=()
for name in english non-ascii mojibake; do files+=("$work/$name.txt"); done
lib=$("${one_core[@]}" cargo bench --quiet --manifest-path "$here/Cargo.toml" \
    --bench normalize -- "${files[@]}")

printf '%-10s %5s %10s %12s %7s %11s\n' input MB "ftfy MB/s" "rinse MB/s" ratio "CLI MB/s"
for name in english non-ascii mojibake; do
    f=$work/$name.txt
    size=$(python3 -c "import os; print(f'{os.path.getsize(\"$f\") / 1e6:.1f}')")
    f_mbs=$(ftfy_mbs "$f" "$work/$name.ftfy.txt")
    r_mbs=$(echo "$lib" | awk -v f="$f" '$1 == f { print $2 }')
    c_mbs=$(rinse_mbs "$f" "$work/$name.rinse.txt")
    ratio=$(python3 -c "print(f'{$r_mbs / $f_mbs:.1f}x')")
    printf '%-10s %5s %10s %12s %7s %11s\n' "$name" "$size" "$f_mbs" "$r_mbs" "$ratio" "$c_mbs"
done

# How much of the mojibake each tool gives back (tidy trims what ftfy keeps).
python3 - "$work" <<'EOF'
import sys
w = sys.argv[1]
orig = [l.strip() for l in open(f"{w}/mojibake.orig.txt", encoding="utf-8").read().split("\n") if l.strip()]
for tool in ("ftfy", "rinse"):
    got = [l.strip() for l in open(f"{w}/mojibake.{tool}.txt", encoding="utf-8").read().split("\n") if l.strip()]
    same = sum(a == b for a, b in zip(orig, got))
    print(f"mojibake lines restored exactly by {tool}: {same}/{len(orig)}")
EOF
