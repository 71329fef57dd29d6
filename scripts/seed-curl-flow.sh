#!/usr/bin/env bash
# Runs seed 000's curl upload flow (create → part → complete → get) against a fresh sandbox,
# then the same with Basic auth as the official SDKs send it, and checks the results.
#
# Usage: scripts/seed-curl-flow.sh [path/to/streamplan]   (default: swift run streamplan)
# Needs: curl, python3, md5sum.
set -euo pipefail

BIN="${1:-}"
WORK="$(mktemp -d)"
LOG="$WORK/sandbox.log"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "$BIN" ]; then
  "$BIN" sandbox --port 0 >"$LOG" 2>&1 &
else
  swift run streamplan sandbox --port 0 >"$LOG" 2>&1 &
fi
PID=$!

for _ in $(seq 1 1200); do
  grep -q '^sandbox: ready' "$LOG" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { echo "sandbox exited:"; cat "$LOG"; exit 1; }
  sleep 0.25
done
grep -q '^sandbox: ready' "$LOG" || { echo "sandbox did not start:"; cat "$LOG"; exit 1; }

API="$(sed -n 's/^sandbox: listening on //p' "$LOG")"
PUBLIC_KEY="$(sed -n 's/^sandbox: public key //p' "$LOG" | head -1)"
SECRET_KEY="$(sed -n 's/^sandbox: secret key //p' "$LOG" | head -1)"
echo "sandbox at $API"

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
fail() { echo "FAIL: $*"; exit 1; }

VIDEO="$WORK/video.mp4"
head -c 3000000 /dev/urandom >"$VIDEO"

# --- Seed 000, Step 1: Create Video Object (Default) ---
CREATE=$(curl -s -X POST "$API/videos/create" \
-H "stream-public-key: $PUBLIC_KEY" \
-H "stream-secret-key: $SECRET_KEY" \
-H 'Content-Type: application/json' \
-d '{
"title": "VIDEO_TITLE"
}')
VIDEO_ID=$(echo "$CREATE" | json 'd["data"]["id"]')
[ -n "$VIDEO_ID" ] || fail "create: $CREATE"

# --- Step 2: Upload File Part ---
FILE_SIZE=$(stat -f%z "$VIDEO" 2>/dev/null || stat -c%s "$VIDEO")
END_POS=$((FILE_SIZE - 1))
HASH=$(md5sum "$VIDEO" | awk '{print $1}')
PART=$(curl -s -X POST "$API/videos/$VIDEO_ID/part" \
-H "stream-public-key: $PUBLIC_KEY" \
-H "stream-secret-key: $SECRET_KEY" \
-H "Content-Range: bytes 0-$END_POS/$FILE_SIZE" \
-F "file=@$VIDEO" \
-F "index=0" \
-F "hash=$HASH")
[ "$(echo "$PART" | json 'd["status"]')" = "success" ] || fail "part: $PART"

# --- Step 3: Complete Upload ---
COMPLETE=$(curl -s -X GET "$API/videos/$VIDEO_ID/complete" \
-H 'accept: application/json' \
-H "stream-public-key: $PUBLIC_KEY" \
-H "stream-secret-key: $SECRET_KEY")
[ "$(echo "$COMPLETE" | json 'd["status"]')" = "success" ] || fail "complete: $COMPLETE"

# --- After Upload: Get Video Link ---
GET=$(curl -s "$API/videos/$VIDEO_ID" \
-H "stream-public-key: $PUBLIC_KEY" \
-H "stream-secret-key: $SECRET_KEY")
STATUS=$(echo "$GET" | json 'd["data"]["status"]')
[ "$STATUS" = "done" ] || [ "$STATUS" = "transcoding" ] || fail "get: status $STATUS"
[ -n "$(echo "$GET" | json 'd["data"]["assets"]["hls_url"]')" ] || fail "get: no hls_url"
SOURCE_URL=$(echo "$GET" | json 'd["data"]["assets"]["source_url"]')
[ "$(curl -s "$SOURCE_URL" | md5sum | awk '{print $1}')" = "$HASH" ] || fail "source_url bytes differ"
echo "ok: header-auth flow ($VIDEO_ID)"

# --- The same flow with Basic auth (official SDKs) ---
BASIC_ID=$(curl -s -u "$PUBLIC_KEY:$SECRET_KEY" -X POST "$API/videos/create" \
  -H 'Content-Type: application/json' -d '{"title": "basic"}' | json 'd["data"]["id"]')
curl -s -u "$PUBLIC_KEY:$SECRET_KEY" -X POST "$API/videos/$BASIC_ID/part" \
  -H "Content-Range: bytes 0-$END_POS/$FILE_SIZE" \
  -F "file=@$VIDEO" -F "index=0" -F "hash=$HASH" | json 'd["status"]' | grep -qx success || fail "basic part"
curl -s -u "$PUBLIC_KEY:$SECRET_KEY" "$API/videos/$BASIC_ID/complete" | json 'd["status"]' | grep -qx success || fail "basic complete"
[ "$(curl -s -u "$PUBLIC_KEY:$SECRET_KEY" "$API/videos/$BASIC_ID" | json 'd["data"]["size"]')" = "$FILE_SIZE" ] || fail "basic get"
echo "ok: Basic-auth flow ($BASIC_ID)"

# --- A wrong key is 401 ---
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$API/videos/$VIDEO_ID" -H "stream-public-key: $PUBLIC_KEY" -H 'stream-secret-key: wrong')
[ "$CODE" = "401" ] || fail "wrong key gave $CODE"
echo "ok: seed curl flow passed"
