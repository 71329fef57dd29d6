#!/usr/bin/env bash
# Plan and apply at scale against a release sandbox (docs/benchmarks.md, "Plan and apply at 10,000").
#
#   scripts/bench-plan-apply.sh [N] [STREAMPLAN]     # N videos (default 10000), a release binary
#
# Generates N videos (scripts/gen-bench-manifest.py; they share two small sources and thumbnails),
# starts `STREAMPLAN sandbox` on a fresh data directory, then measures:
#   1. `apply --parallelism 8` creating all N (create, part, complete, thumbnail, metadata patch each):
#      wall time, videos/s, the client's CPU (GNU time), and the sandbox's request count;
#   2. a no-change `plan`, three times, against the reference: curl fetching the same list pages
#      (POST /videos, 100 a page, filtered on the project's mark) one after another, three times.
set -euo pipefail
N=${1:-10000}
BIN=$(realpath "${2:-.build-release/release/streamplan}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'kill $SANDBOX 2>/dev/null || true; rm -rf "$WORK"' EXIT
uptime
python3 "$ROOT/scripts/gen-bench-manifest.py" "$N" "$WORK/manifests" > /dev/null
"$BIN" sandbox --port 0 --data "$WORK/data" --account pk_bench:sk_bench --min-part-size 1 > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 50); do grep -q "listening on" "$WORK/sandbox.log" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep "listening on" "$WORK/sandbox.log" | awk '{print $NF}')
export STREAM_PUBLIC_KEY=pk_bench STREAM_SECRET_KEY=sk_bench NO_COLOR=1 STREAMPLAN_MIN_PART_SIZE=1
cd "$WORK"
echo "== apply of $N videos"
/usr/bin/time -f "wall %e s, client user %U s, sys %S s, client CPU %P" \
    "$BIN" apply --auto-approve --parallelism 8 --endpoint "$BASE" manifests > apply.out 2> apply.err || { tail -5 apply.err; exit 1; }
tail -1 apply.err
tail -1 apply.out
PROJECT=$(grep -m1 '^project:' manifests/*.yaml | awk '{print $2}')
echo "== no-change plan (3 runs)"
for i in 1 2 3; do
    /usr/bin/time -f "plan: %e s" "$BIN" plan --detailed-exitcode --endpoint "$BASE" manifests > plan.out 2> plan.err || true
    tail -1 plan.err
    head -1 plan.out
done
echo "== reference: curl, the same list pages one after another (3 runs)"
bash "$ROOT/scripts/curl-pages.sh" "$BASE" "$PROJECT" "$N" 3 curl
