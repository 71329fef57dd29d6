#!/usr/bin/env bash
# Runs the README's test command (`swift test`, as .ci/run does) N times on a fresh clone of this
# repository's HEAD while a second process loads the CPU, and prints the runs, the passes, the tests
# that failed, the peak of open descriptors in the test process and the error-level log lines.
#
#   scripts/check-suite-stability.sh 10            # 10 runs, stress-ng loading every core
#   LOAD=none scripts/check-suite-stability.sh 3   # without the load
#
# The load is `stress-ng --cpu N` (installed with apt-get when missing), one worker per core at 60 %:
# on two cores the suite runs beside a second process as it may on a shared CI runner.
# Each run's whole output is kept in $WORK/run-K.log (WORK is printed first).
set -euo pipefail

runs=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d /tmp/suite-stability.XXXXXX)}
load=${LOAD:-stress-ng}
echo "stability: $runs runs of 'swift test' in $work/clone (load: $load)"

rm -rf "$work/clone"
git clone --quiet "$root" "$work/clone"
cd "$work/clone"
echo "stability: building at $(git rev-parse --short HEAD)"
swift build --build-tests > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }

stress_pid=
if [ "$load" = stress-ng ]; then
    if ! command -v stress-ng > /dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng
    fi
    stress-ng --cpu "$(nproc)" --cpu-load 60 --quiet &
    stress_pid=$!
    trap '[ -n "$stress_pid" ] && kill "$stress_pid" 2> /dev/null || true' EXIT
fi

# The peak of /proc/PID/fd over the test process (the xctest runner) and its children, sampled
# every 0.2 s while the suite runs.
sample_descriptors() {
    local peak=0 count pid
    while [ -e "$work/running" ]; do
        count=0
        for pid in $(pgrep -f 'streamplanPackageTests' || true); do
            count=$((count + $(ls "/proc/$pid/fd" 2> /dev/null | wc -l)))
        done
        [ "$count" -gt "$peak" ] && peak=$count && echo "$peak" > "$work/peak"
        sleep 0.2
    done
}

passes=0
failed_tests=""
for run in $(seq 1 "$runs"); do
    echo 0 > "$work/peak"
    touch "$work/running"
    sample_descriptors &
    sampler=$!
    started=$(date +%s)
    if swift test > "$work/run-$run.log" 2>&1; then status=pass; passes=$((passes + 1)); else status=FAIL; fi
    rm -f "$work/running"
    wait "$sampler" || true
    seconds=$(($(date +%s) - started))
    peak=$(cat "$work/peak")
    errors=$(grep -c -E '^[0-9T:.+-]+ error |\berror\b: \[|\[[A-Za-z.]+\] (Server shutdown error|Waiting on child channel)' "$work/run-$run.log" || true)
    summary=$(grep -E '^(✔|✘|􁁛|􀢄).*Test run with' "$work/run-$run.log" | tail -1 || true)
    failing=$(grep -E '^(✘|􀢄) Test .* (failed|recorded an issue)' "$work/run-$run.log" | sed -E 's/^[^ ]+ Test //; s/ (failed|recorded an issue).*//' | sort -u || true)
    echo "run $run: $status in ${seconds}s, peak descriptors $peak, error-level lines $errors${summary:+; $summary}"
    if [ -n "$failing" ]; then
        echo "$failing" | sed 's/^/    failed: /'
        failed_tests+="$failing"$'\n'
    fi
done

echo "stability: $passes of $runs runs passed"
if [ -n "$failed_tests" ]; then
    echo "stability: failing tests:"
    echo -n "$failed_tests" | sort | uniq -c | sort -rn
fi
[ "$passes" -eq "$runs" ]
