#!/usr/bin/env bash
# A no-change plan at growing account sizes against curl over the same list pages
# (docs/benchmarks.md, "Again after the five new kinds").
#
#   scripts/bench-plan-scale.sh STREAMPLAN N1 [N2 …]     # e.g. .build-release/release/streamplan 10000 20000
#
# Starts `STREAMPLAN sandbox` on a fresh data directory; for each N (ascending) generates N videos
# (scripts/gen-bench-manifest.py: the first N of a larger N are the same videos), applies them
# (only the new ones are created), then runs three no-change plans and three times curl fetching the
# same list pages (POST /videos, 100 a page, filtered on the project's mark) one after another.
set -euo pipefail
BIN=$(realpath "$1"); shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'kill $SANDBOX 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" sandbox --port 0 --data "$WORK/data" --account pk_bench:sk_bench --min-part-size 1 > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 50); do grep -q "listening on" "$WORK/sandbox.log" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep "listening on" "$WORK/sandbox.log" | awk '{print $NF}')
export STREAM_PUBLIC_KEY=pk_bench STREAM_SECRET_KEY=sk_bench NO_COLOR=1 STREAMPLAN_MIN_PART_SIZE=1
cd "$WORK"
for N in "$@"; do
    python3 "$ROOT/scripts/gen-bench-manifest.py" "$N" "m$N" > /dev/null
    /usr/bin/time -f "apply to $N: %e s wall, client CPU %P (user %U s, sys %S s)" \
        "$BIN" apply --auto-approve --no-cost --parallelism 8 --endpoint "$BASE" "m$N" > apply.out 2> apply.err
    tail -1 apply.err
    tail -1 apply.out
    uptime
    for i in 1 2 3; do
        /usr/bin/time -f "plan $N: %e s (user %U s, sys %S s)" \
            "$BIN" plan --detailed-exitcode --endpoint "$BASE" "m$N" 2>&1 > /dev/null | tail -1
    done
    bash "$ROOT/scripts/curl-pages.sh" "$BASE" bench "$N" 3 "curl $N"
done
