#!/bin/sh
# Where a large create's time goes (docs/benchmarks.md, issue 11 item 4): `perf record` on both the
# client (`streamplan apply` of one new video) and the sandbox receiving it, then the top symbols of
# each by self time (perf report, demangled).
#
#   scripts/profile-upload.sh path/to/streamplan [SIZE_MIB=1024] [PART_MIB=50]
#
# Needs perf (and the right to use it: root, or kernel.perf_event_paranoid ≤ 1).
set -eu
binary=$(realpath "$1")
size_mib=${2:-1024}
part_mib=${3:-50}
work=$(mktemp -d /tmp/profile-upload-XXXXXX)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/m/media"
{ printf '\000\000\000\030ftypisom'; head -c $((size_mib * 1048576 - 12)) /dev/urandom; } > "$work/m/media/big.mp4"
printf 'project: profile\nvideos:\n  big:\n    title: Big\n    source: media/big.mp4\n' > "$work/m/streamplan.yaml"

"$binary" sandbox --port 0 --data "$work/data" --account pk_profile:sk_profile_local_only > "$work/sandbox.log" &
sandbox=$!
while ! grep -q ready "$work/sandbox.log"; do sleep 0.2; done
base=$(sed -n 's/^sandbox: listening on \([^ ]*\).*/\1/p' "$work/sandbox.log")

perf record -F 999 -p "$sandbox" -o "$work/sandbox.perf" 2> /dev/null &
recorder=$!
sleep 0.5
STREAM_PUBLIC_KEY=pk_profile STREAM_SECRET_KEY=sk_profile_local_only NO_COLOR=1 STREAMPLAN_HASH_STATS=1 \
    perf record -F 999 -o "$work/client.perf" -- \
    "$binary" apply --endpoint "$base" --auto-approve --state-dir "$work/state" --part-size "$part_mib" "$work/m" \
    > "$work/apply.log" 2>&1 || { cat "$work/apply.log"; exit 1; }
kill -INT "$recorder"
wait "$recorder" || true
grep "hashed while uploading" "$work/apply.log" || true

for side in client sandbox; do
    echo "== $side: top symbols by self time"
    perf report -i "$work/$side.perf" --no-children --sort dso,symbol --stdio 2> /dev/null \
        | grep -v '^#' | grep -v '^$' | head -25 | swift demangle --simplified | cut -c1-160
done
