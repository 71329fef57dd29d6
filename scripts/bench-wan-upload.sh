#!/usr/bin/env bash
# One upload over an emulated wide-area link (docs/benchmarks.md, "Parts in flight over a WAN").
#
#   scripts/bench-wan-upload.sh [SIZE_MIB] [STREAMPLAN] [LATENCY_MS] [MBPS]
#
# Starts `STREAMPLAN sandbox --latency LATENCY_MS --bandwidth MBPS` (defaults 50 ms, 100 Mbit/s per
# connection), then uploads one SIZE_MIB file (default 1024) with `apply --part-concurrency 1, 2, 4, 8`
# (50 MiB parts) and, as the reference, with curl's single multipart POST of the whole file to the
# same sandbox (create, one part, complete).
set -euo pipefail
SIZE=${1:-1024}
BIN=$(realpath "${2:-.build-release/release/streamplan}")
LATENCY=${3:-50}
MBPS=${4:-100}
WORK=$(mktemp -d)
trap 'kill $SANDBOX 2>/dev/null || true; rm -rf "$WORK"' EXIT
uptime
"$BIN" sandbox --port 0 --data "$WORK/data" --account pk_wan:sk_wan --latency "$LATENCY" --bandwidth "$MBPS" \
    > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 50); do grep -q "listening on" "$WORK/sandbox.log" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep "listening on" "$WORK/sandbox.log" | awk '{print $NF}')
mkdir -p "$WORK/manifests/media"
python3 - "$WORK/manifests/media/big.mp4" "$SIZE" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(bytes([0, 0, 0, 0x18]) + b"ftypisom")
    for _ in range(int(sys.argv[2])):
        f.write(os.urandom(1 << 20))
PY
export STREAM_PUBLIC_KEY=pk_wan STREAM_SECRET_KEY=sk_wan NO_COLOR=1
cd "$WORK"
for c in 1 2 4 8; do
    printf 'project: wan%s\nvideos:\n  big:\n    title: Big\n    source: media/big.mp4\n' "$c" > manifests/streamplan.yaml
    /usr/bin/time -f "streamplan, $c parts in flight: %e s" "$BIN" apply --auto-approve --part-concurrency "$c" \
        --endpoint "$BASE" manifests > /dev/null 2> apply.err || { tail -3 apply.err; exit 1; }
    tail -1 apply.err
done
H=(-H "stream-public-key: pk_wan" -H "stream-secret-key: sk_wan")
start=$(date +%s.%N)
ID=$(curl -s "${H[@]}" -H "Content-Type: application/json" -d '{"title":"curl"}' "$BASE/videos/create" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])')
TOTAL=$(stat -c %s manifests/media/big.mp4)
MD5=$(md5sum manifests/media/big.mp4 | cut -d" " -f1)
curl -s -o /dev/null "${H[@]}" -H "Content-Range: bytes 0-$((TOTAL - 1))/$TOTAL" -F "file=@manifests/media/big.mp4" \
    -F "index=0" -F "hash=$MD5" "$BASE/videos/$ID/part"
curl -s -o /dev/null "${H[@]}" "$BASE/videos/$ID/complete"
end=$(date +%s.%N)
echo "curl, one POST (with md5sum first): $(echo "$end - $start" | bc) s"
