# Shared by scripts/*: logging, the chosen wasm toolchain, paths.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# The wasm-bindgen version the bundle pins; the CLI must match it exactly.
wasm_bindgen_pin() { sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml; }

# Which way this machine builds wasm, decided once by scripts/setup:
#   rustup  - the toolchain's own wasm32-unknown-unknown std (a normal laptop)
#   debian  - Debian's rustc-web with std built from source (-Zbuild-std), for
#             machines where rustup cannot download the wasm std
TOOLCHAIN_FILE="$ROOT/target/treue-wasm-toolchain"
wasm_toolchain() { cat "$TOOLCHAIN_FILE" 2>/dev/null || echo none; }

# Whether std can be rebuilt for size (-Zbuild-std): always on Debian's
# rustc-web (it ships std only as source), and on rustup when rust-src is there.
wasm_build_std() {
  case "$(wasm_toolchain)" in
    debian) return 0 ;;
    rustup) [ -d "$(rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library/std" ] ;;
    *) return 1 ;;
  esac
}

# cargo for the wasm target, with the flags of the chosen toolchain.
# Usage: wasm_cargo <release|bench|test> <cargo args...>
# Release builds rebuild std for size where possible (yew's min-size recipe):
# std optimised for size, and a panic is a plain trap with no formatting
# machinery; derived Debug output is shallow (type names only), while the
# {:?} of strings in messages to merchants keeps its value; the loader empties
# the widgets on a trap. Tests on rustup use the prebuilt std, which is faster
# and keeps panic messages.
wasm_cargo() {
  local kind=$1; shift
  local cargo=cargo flags="" std=()
  local -a env=(CARGO_TARGET_DIR="$ROOT/target/wasm-$kind")
  case "$(wasm_toolchain)" in
    debian)
      cargo=/usr/bin/cargo
      env+=(RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc)
      std=(-Zbuild-std=std,panic_abort)
      ;;
    rustup)
      if [ "$kind" != test ] && wasm_build_std; then std=(-Zbuild-std=std,panic_abort); fi
      ;;
    *) die "no wasm toolchain chosen yet: run scripts/setup" ;;
  esac
  if [ ${#std[@]} -gt 0 ]; then
    env+=(RUSTC_BOOTSTRAP=1)
    flags="-Zunstable-options"
    if [ "$kind" != test ]; then
      flags="$flags -Zlocation-detail=none -Zfmt-debug=shallow"
      if immediate_abort_flag "${env[@]}"; then
        flags="$flags -Cpanic=immediate-abort"
        std+=(-Zbuild-std-features=optimize_for_size)
      else
        # Compilers before -Cpanic=immediate-abort had it as a std feature.
        std+=(-Zbuild-std-features=optimize_for_size,panic_immediate_abort)
      fi
    fi
  fi
  env "${env[@]}" RUSTFLAGS="${RUSTFLAGS:-} $flags" "$cargo" "$@" --target wasm32-unknown-unknown "${std[@]}"
}

# Whether the compiler knows -Cpanic=immediate-abort (newer rustc) or only
# std's panic_immediate_abort feature (older ones, e.g. Debian bookworm's).
immediate_abort_flag() {
  local rustc=rustc
  for e in "$@"; do case "$e" in RUSTC=*) rustc=${e#RUSTC=} ;; esac; done
  # For the host: the wasm std may exist only as source (Debian), and the flag
  # does not depend on the target. Output into a scratch directory: rustc
  # replaces its output file, and must never be pointed at /dev/null.
  local scratch ok=1
  scratch=$(mktemp -d)
  echo "" | RUSTC_BOOTSTRAP=1 "$rustc" -Zunstable-options -Cpanic=immediate-abort --crate-type lib \
    --emit metadata --out-dir "$scratch" - >"$scratch/log" 2>&1 && ok=0
  rm -rf "$scratch"
  return $ok
}

chromium_bin() {
  for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return; }
  done
  return 1
}

# The browser the tests and benchmarks drive (tests/e2e/harness.mjs and
# bench/run.mjs read CHROMIUM), wherever this machine has it.
if [ -z "${CHROMIUM:-}" ] && chromium_bin >/dev/null; then export CHROMIUM=$(chromium_bin); fi

# The Python that scripts/setup installs DuckDB (and, for the Spark benchmark,
# pyspark) into: a virtual environment of its own, so neither the system's
# Python nor its packages are touched.
PY_ENV="$ROOT/target/py"
