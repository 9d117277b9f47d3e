# The shared start of the bench scripts, sourced after `set -euo pipefail`: builds rinse
# in release and sets $here (the checkout), $rinse (the binary) and $work (a scratch
# folder removed on exit).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
rinse=${CARGO_TARGET_DIR:-$here/target}/release/rinse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall seconds of a command (its output discarded), on stdout.
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); python3 -c "print($e - $s)"; }

# Wall seconds of one `rinse clean` on core 0 from the scratch folder (so no ./rules is
# picked up) with this checkout's rules; the arguments go to rinse clean.
timed_clean() { (cd "$work" && secs taskset -c 0 "$rinse" clean --quiet --rules "$here/rules" "$@"); }
