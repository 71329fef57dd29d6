#!/usr/bin/env bash
# Benchmark for docs/benchmarks.md: streamplan's load + validate of a 10,000-video manifest
# beside PyYAML's C loader (yaml.CSafeLoader, parse only) on the same file, in the same run.
# Usage: scripts/bench-manifest.sh [VIDEOS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
videos=${1:-10000}
runs=${2:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

python3 scripts/gen-bench-manifest.py "$videos" "$out" >/dev/null
echo "manifest: $(wc -c <"$out/bench.yaml") bytes, $(wc -l <"$out/bench.yaml") lines, $videos videos"
swift build -c release --scratch-path .build-release --product manifest-bench >/dev/null
bench=$(swift build -c release --scratch-path .build-release --show-bin-path)/manifest-bench

ours=$("$bench" "$runs" "$out/bench.yaml")
echo "$ours"
theirs=$(python3 - "$out/bench.yaml" "$runs" <<'PY'
import sys, time, yaml
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    start = time.perf_counter()
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
    times.append(time.perf_counter() - start)
times.sort()
print("PyYAML CSafeLoader load: best %.3f s, median %.3f s" % (times[0], times[len(times) // 2]))
PY
)
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import re, sys
ours = float(re.search(r"median ([0-9.]+)", sys.argv[1]).group(1))
theirs = float(re.search(r"median ([0-9.]+)", sys.argv[2]).group(1))
print("ratio (streamplan / PyYAML, median): %.2f  (below 1.00 = streamplan faster)" % (ours / theirs))
PY
