#!/usr/bin/env bash
# Fuzz smoke test: runs every cargo-fuzz target for a bounded time, starting from its committed
# corpus (fuzz/corpus/<target>), and fails on any crash, leak or invariant failure.
#
#   bash fuzz/smoke.sh                       # 20 s per target
#   FUZZ_SMOKE_SECONDS=600 bash fuzz/smoke.sh   # longer runs
#
# Needs a nightly toolchain (cargo-fuzz builds with -Zsanitizer=address); without one it says
# so and exits 0. cargo-fuzz is installed from crates.io when missing. New inputs go to a
# temporary directory, so the committed corpus is left as it is; a crashing input is written
# to fuzz/artifacts/<target>/ (git-ignored) and printed.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SMOKE_SECONDS:-20}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz smoke: no nightly toolchain (cargo +nightly --version fails); skipped"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "== fuzz smoke: installing cargo-fuzz"
  cargo +nightly install cargo-fuzz --locked
fi

echo "== fuzz smoke: building the targets"
cargo +nightly fuzz build

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

passed=0
failed=0
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target" "$scratch/$target"
  echo "== fuzz smoke: $target for ${seconds}s"
  # The first directory receives new inputs; the committed corpus is only read.
  if cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
      >"$scratch/$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units" "$scratch/$target.log" | sed "s/^/  $target: /" || true
    passed=$((passed + 1))
  else
    echo "fuzz smoke: $target FAILED; what failed, then the end of its log:"
    grep -E -A4 "panicked at|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)" \
      "$scratch/$target.log" | head -n 40 || true
    echo "..."
    tail -n 60 "$scratch/$target.log"
    failed=$((failed + 1))
  fi
done

echo "fuzz-smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
