# The shared start of the bench scripts, sourced after `set -euo pipefail`: builds rinse
# in release and sets $here (the checkout), $rinse (the binary) and $work (a scratch
# folder removed on exit).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
rinse=${CARGO_TARGET_DIR:-$here/target}/release/rinse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
