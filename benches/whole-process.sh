#!/usr/bin/env bash
# Whole-process timings and peak memory for docs/performance.md.
#
#   bash benches/whole-process.sh            # 1k and 10k synthetic datasheets
#   SCALES="1000 10000 100000" bash benches/whole-process.sh
#
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time). Builds the release
# binary, generates seeded synthetic datasheets (tppcalc generate), and reports, for each case,
# hyperfine's mean, median, min and max over several runs, and the peak resident memory of one
# run (/usr/bin/time -v). Nothing here is a test: the figures go into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install hyperfine time" >&2; exit 2; }
done
cargo build --release --quiet
bin="$PWD/target/release/tppcalc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scales="${SCALES:-1000 10000}"
three="--rules us-2022-10 --rules us-2023-11 --rules us-2024-12"

peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.1f MB", $2/1024}'; }
run() {
  local name="$1"; shift
  local runs="${RUNS:-10}"
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/h.json" "$*" >/dev/null
  python3 - "$work/h.json" "$name" "$(peak "$@")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
ms = lambda s: f"{s * 1000:.1f} ms"
print(f"| {sys.argv[2]} | {ms(r['mean'])} | {ms(r['median'])} | {ms(r['min'])} | {ms(r['max'])} | {sys.argv[3]} |")
PY
}

echo "| case | mean | median | min | max | peak memory |"
echo "|---|---:|---:|---:|---:|---:|"
run "classify, embedded catalog, every shipped rule set" "$bin" classify --all-rules
run "classify, embedded catalog, default rule set" "$bin" classify
run "diff us-2022-10 us-2023-11 (embedded catalog)" "$bin" diff us-2022-10 us-2023-11
run "diff us-2024-12 us-2026-01 (embedded catalog)" "$bin" diff us-2024-12 us-2026-01
run "diff us-2022-10 us-2026-01 (embedded catalog)" "$bin" diff us-2022-10 us-2026-01
for n in $scales; do
  "$bin" generate --quiet --count "$n" --seed 1 --out "$work/syn-$n"
  run "classify $n files, 3 rule sets, json" "$bin" classify "$work/syn-$n" $three --format json
  run "sweep 1000 steps over $n files" "$bin" sweep "$work/syn-$n" --rules us-2023-11 --param 3A090.a.1.tpp.at_least --from 1000 --to 10000 --steps 1000 --quiet
done
