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

# cargo for the wasm target, with the flags of the chosen toolchain.
# Usage: wasm_cargo <release|test> <cargo args...>
wasm_cargo() {
  local kind=$1; shift
  case "$(wasm_toolchain)" in
    debian)
      local flags="-Zunstable-options"
      # Release: std built for size, and panics are a plain trap (no
      # formatting machinery). The loader empties the widgets on a trap.
      [ "$kind" = release ] && flags="$flags -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
      local std_features=()
      [ "$kind" = release ] && std_features=(-Zbuild-std-features=optimize_for_size)
      RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
        CARGO_TARGET_DIR="$ROOT/target/wasm-$kind" RUSTFLAGS="${RUSTFLAGS:-} $flags" \
        /usr/bin/cargo "$@" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort "${std_features[@]}"
      ;;
    rustup)
      CARGO_TARGET_DIR="$ROOT/target/wasm-$kind" cargo "$@" --target wasm32-unknown-unknown
      ;;
    *) die "no wasm toolchain chosen yet: run scripts/setup" ;;
  esac
}

chromium_bin() {
  for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return; }
  done
  return 1
}
