#!/bin/sh
# Runs AIOZ's official Go SDK against an AIOZ Stream API (normally streamplan's sandbox) through the
# harness in this directory. See docs/aioz-api.md, "AIOZ's Go SDK against the sandbox".
#
#   scripts/aioz-go-sdk/run.sh SDK_DIR BASE_URL PUBLIC_KEY SECRET_KEY
#
# SDK_DIR: a checkout of github.com/AIOZNetwork/aioz-stream-go-client (tested at e67d4ab).
# BASE_URL: the API's base, e.g. the `listening on` URL `streamplan sandbox --port 0` prints.
# Needs go (1.13+) and python3 with PyYAML. Builds in GOPATH mode without the SDK's tests, whose
# dependencies are the only ones it has, so no module proxy is needed.
set -eu
if [ $# -ne 4 ]; then
  sed -n 4,12p "$0"; exit 2
fi
sdk=$(cd "$1" && pwd); base=$2; public=$3; secret=$4
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/gp/src/github.com/AIOZNetwork" "$work/gp/src/aiozgosdkharness"
cp -R "$sdk" "$work/gp/src/github.com/AIOZNetwork/aioz-stream-go-client"
rm -f "$work"/gp/src/github.com/AIOZNetwork/aioz-stream-go-client/*_test.go   # tests need testify/godotenv
cp "$here/main.go" "$work/gp/src/aiozgosdkharness/"
python3 -c 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2],"w"))' \
  "$repo/docs/openapi/aioz-stream-2026-media.yaml" "$work/spec.json"
(cd "$work/gp/src/aiozgosdkharness" && GO111MODULE=off GOPATH="$work/gp" GOCACHE="$work/cache" go build -o "$work/harness" .)
status=0
"$work/harness" -base "$base" -public "$public" -secret "$secret" -spec "$work/spec.json" \
  -fixtures "$repo/Tests/Fixtures/media" || status=$?
exit $status
