#!/usr/bin/env bash
# The benchmarks' plan reference: curl fetching every list page of a project's videos (POST /videos,
# 100 a page, filtered on the project's mark), one after another, RUNS times; prints each run's time.
#
#   scripts/curl-pages.sh BASE PROJECT VIDEOS [RUNS=3] [LABEL=curl]
set -euo pipefail
BASE=$1 PROJECT=$2 N=$3 RUNS=${4:-3} LABEL=${5:-curl}
PAGES=$(( (N + 99) / 100 ))
for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    for p in $(seq 0 $((PAGES - 1))); do
        curl -s -o /dev/null -X POST "$BASE/videos" -H "stream-public-key: pk_bench" -H "stream-secret-key: sk_bench" \
            -H "Content-Type: application/json" \
            -d "{\"offset\": $((p * 100)), \"limit\": 100, \"sort_by\": \"created_at\", \"order_by\": \"asc\", \"metadata\": [{\"key\": \"streamplan.project\", \"value\": \"$PROJECT\"}]}"
    done
    end=$(date +%s.%N)
    echo "$LABEL: $(echo "$end - $start" | bc) s for $PAGES pages"
done
