#!/usr/bin/env bash
# A no-change plan against curl walking the same list pages one after another, on loopback and
# through an emulated distant link (docs/benchmarks.md, "Plans at the link's speed").
#
#   scripts/bench-plan-latency.sh STREAMPLAN N [LATENCY_MS…]     # e.g. .build/debug/streamplan 10000 0 50
#
# Fills a sandbox on a fresh data directory with N videos (scripts/gen-bench-manifest.py), then for
# each latency restarts the sandbox on the same data with `--latency MS` and runs three no-change
# plans and three curl walks (scripts/curl-pages.sh).
set -euo pipefail
BIN=$(realpath "$1"); N=$2; shift 2
LATENCIES=("${@:-0}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
SANDBOX=
trap 'kill $SANDBOX 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_sandbox() {
    "$BIN" sandbox --port 0 --data "$WORK/data" --account pk_bench:sk_bench --min-part-size 1 "$@" > "$WORK/sandbox.log" 2>&1 &
    SANDBOX=$!
    for _ in $(seq 100); do grep -q "listening on" "$WORK/sandbox.log" 2>/dev/null && break; sleep 0.1; done
    BASE=$(grep "listening on" "$WORK/sandbox.log" | awk '{print $NF}')
}
export STREAM_PUBLIC_KEY=pk_bench STREAM_SECRET_KEY=sk_bench NO_COLOR=1 STREAMPLAN_MIN_PART_SIZE=1
cd "$WORK"
python3 "$ROOT/scripts/gen-bench-manifest.py" "$N" "m$N" > /dev/null
start_sandbox
/usr/bin/time -f "apply of $N: %e s" "$BIN" apply --auto-approve --no-cost --parallelism 8 --endpoint "$BASE" "m$N" \
    > apply.out 2> apply.err || { tail -5 apply.err; exit 1; }
tail -1 apply.err
for latency in "${LATENCIES[@]}"; do
    kill "$SANDBOX"; wait "$SANDBOX" 2>/dev/null || true
    if [ "$latency" = 0 ]; then start_sandbox; else start_sandbox --latency "$latency"; fi
    echo "latency $latency ms ($(uptime | sed 's/.*load/load/'))"
    for _ in 1 2 3; do
        /usr/bin/time -f "plan $N: %e s (user %U s)" "$BIN" plan --no-cost --detailed-exitcode --endpoint "$BASE" "m$N" 2>&1 > /dev/null | tail -1
    done
    bash "$ROOT/scripts/curl-pages.sh" "$BASE" bench "$N" 3 "curl $N"
done
