#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/ for a bounded time and prints executions, time and
# crashes per target. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly --profile minimal && cargo install cargo-fuzz
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET…]
# Crashes land in fuzz/artifacts/<target>/; turn each into a regression test before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build
mkdir -p target/fuzz-logs
printf '%-18s %12s %8s %8s\n' target executions seconds crashes
status=0
for t in "${targets[@]}"; do
  log="target/fuzz-logs/$t.log"
  mkdir -p "fuzz/corpus/$t"
  # -rss_limit_mb bounds memory like the limits we promise; a timeout per input flags hangs.
  if cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
    -timeout=10 -max_len=262144 -print_final_stats=1 >"$log" 2>&1; then
    crashes=0
  else
    crashes=1
    status=1
  fi
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  printf '%-18s %12s %8s %8s\n' "$t" "${execs:-?}" "$secs" "$crashes"
done
exit $status
