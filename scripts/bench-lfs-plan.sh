#!/usr/bin/env bash
# A plan over Git LFS pointers reads no media (docs/benchmarks.md, "Sources from Git LFS and S3").
#
#   scripts/bench-lfs-plan.sh STREAMPLAN [VIDEOS [MIB]]      # default 200 videos of 5 MiB
#
# Makes a repository of VIDEOS videos whose sources are LFS-tracked files of MIB MiB (an MP4
# signature, then random bytes), pushes it with its LFS objects to a local bare remote (git-lfs's
# standalone file transfer: no network), starts `STREAMPLAN sandbox` and applies the manifest from
# the seed repository. Then:
#   (a) a clone made with GIT_LFS_SKIP_SMUDGE=1 (pointers only): three `plan --detailed-exitcode`;
#   (b) a full clone (media checked out, no .streamplan/ hash cache): `plan` twice (hashing, cached);
# each under scripts/measure-io.py (exact rchar/read_bytes of the plan process), and one pointer plan
# under strace (files opened under media/, programs started);
#   (c) one video's object replaced by a new one (pushed), pulled into the pointer clone: plan
# (expect one replace), apply, and the objects in the clone's .git/lfs/objects before and after.
set -euo pipefail
BIN=$(realpath "$1")
VIDEOS=${2:-200}
MIB=${3:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEASURE="python3 $ROOT/scripts/measure-io.py"
WORK=$(mktemp -d /tmp/bench-lfs.XXXXXX)
SANDBOX=
trap '[ -n "$SANDBOX" ] && kill $SANDBOX 2>/dev/null; rm -rf "$WORK"' EXIT
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench \
    GIT_COMMITTER_EMAIL=bench@example.com GIT_TERMINAL_PROMPT=0
AGENT=(-c lfs.standalonetransferagent=lfs-standalone-file)
say() { echo "== $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"; }
objects() { find "$1/.git/lfs/objects" -type f 2>/dev/null | wc -l; }

say "making $VIDEOS videos of $MIB MiB under $WORK"
git init -q --bare -b main "$WORK/remote.git"
git init -q -b main "$WORK/seed"
cd "$WORK/seed"
git lfs install --local > /dev/null
git config lfs.standalonetransferagent lfs-standalone-file
git lfs track '*.mp4' > /dev/null
echo ".streamplan/" > .gitignore
python3 - "$VIDEOS" "$MIB" <<'PY'
import os, sys
videos, mib = int(sys.argv[1]), int(sys.argv[2])
os.makedirs("media", exist_ok=True)
with open("streamplan.yaml", "w") as manifest:
    manifest.write("project: bench-lfs\nvideos:\n")
    for i in range(videos):
        manifest.write(f"  v{i:03d}:\n    title: Video {i}\n    source: media/v{i:03d}.mp4\n")
        with open(f"media/v{i:03d}.mp4", "wb") as f:
            f.write(b"\x00\x00\x00\x18ftypisom" + os.urandom(mib * 1048576 - 12))
PY
git add .
git commit -q -m media
git remote add origin "file://$WORK/remote.git"
git push -q origin main
say "pushed: $(find "$WORK/remote.git/lfs/objects" -type f | wc -l) LFS objects on the remote"

"$BIN" sandbox --port 0 --data "$WORK/data" --account pk_bench:sk_bench --min-part-size 1 > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/sandbox.log" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep "listening on" "$WORK/sandbox.log" | awk '{print $NF}')
export STREAM_PUBLIC_KEY=pk_bench STREAM_SECRET_KEY=sk_bench NO_COLOR=1 STREAMPLAN_MIN_PART_SIZE=1

say "apply from the seed repository (media present)"
$MEASURE --label "apply seed" -- "$BIN" apply --auto-approve --no-cost --parallelism 8 --endpoint "$BASE" . > "$WORK/apply-seed.out" 2>&1
tail -2 "$WORK/apply-seed.out"

cd "$WORK"
GIT_LFS_SKIP_SMUDGE=1 git "${AGENT[@]}" clone -q -b main "file://$WORK/remote.git" pointers
git -C pointers config lfs.standalonetransferagent lfs-standalone-file
git "${AGENT[@]}" clone -q -b main "file://$WORK/remote.git" full
echo "pointer clone: $(du -sk --exclude=.git pointers | cut -f1) KiB checked out, $(objects pointers) LFS objects;" \
    "full clone: $(du -sk --exclude=.git full | cut -f1) KiB checked out, $(objects full) LFS objects"
head -3 pointers/media/v000.mp4

say "(a) plan in the pointer clone"
cd "$WORK/pointers"
for i in 1 2 3; do
    $MEASURE --label "plan pointers $i" -- "$BIN" plan --detailed-exitcode --endpoint "$BASE" . > "$WORK/plan-pointers.out" 2> "$WORK/plan-pointers.err" || true
    tail -1 "$WORK/plan-pointers.err"
    grep -E "No changes|Plan:" "$WORK/plan-pointers.out" || tail -3 "$WORK/plan-pointers.out"
done
strace -f -qq -y -e trace=openat,execve,read,pread64,readv,preadv,mmap -o "$WORK/strace-pointers" \
    "$BIN" plan --detailed-exitcode --endpoint "$BASE" . > /dev/null 2>&1 || true
python3 - "$WORK/strace-pointers" <<'PY'
import collections, re, sys
opens, reads, mmaps, programs = set(), collections.Counter(), 0, collections.Counter()
for line in open(sys.argv[1]):
    if m := re.search(r'openat\(.*?"([^"]*/media/[^"]*)"', line):
        opens.add(m.group(1))
    if m := re.search(r'\b(p?readv?|preadv)\(\d+<([^>]*)>.*= (\d+)$', line.strip()):
        if "/media/" in m.group(2):
            reads[m.group(2)] += int(m.group(3))
    if "mmap(" in line and "/media/" in line:
        mmaps += 1
    if m := re.search(r'execve\("([^"]*)"', line):
        programs[m.group(1)] += 1
total = sum(reads.values())
print(f"under strace: {len(opens)} files under media/ opened, {total} bytes read from them "
      f"({total / max(len(reads), 1):.0f} a file), {mmaps} mmaps of them; programs started: {dict(programs)}")
PY
echo "LFS objects in the pointer clone after the plans: $(objects .)"

say "(b) plan in the full clone (no hash cache), then again (cached)"
cd "$WORK/full"
for run in hashing cached; do
    $MEASURE --label "plan full $run" -- "$BIN" plan --detailed-exitcode --endpoint "$BASE" . > "$WORK/plan-full.out" 2> "$WORK/plan-full.err" || true
    tail -1 "$WORK/plan-full.err"
    grep -E "No changes|Plan:" "$WORK/plan-full.out" || tail -3 "$WORK/plan-full.out"
done

CHANGED=$(printf "v%03d" $((VIDEOS / 2)))
say "(c) one new object for $CHANGED, pushed; pulled into the pointer clone"
cd "$WORK/seed"
python3 -c "import os; open('media/$CHANGED.mp4','wb').write(b'\x00\x00\x00\x18ftypisom' + os.urandom($MIB * 1048576 - 12))"
git commit -q -am "new $CHANGED"
git push -q origin main
cd "$WORK/pointers"
GIT_LFS_SKIP_SMUDGE=1 git "${AGENT[@]}" pull -q --ff-only origin main
NEWOID=$(sed -n 's/^oid sha256://p' media/$CHANGED.mp4)
echo "$CHANGED pointer now oid $NEWOID; LFS objects in the pointer clone before apply: $(objects .)"
$MEASURE --label "plan changed" -- "$BIN" plan --detailed-exitcode --endpoint "$BASE" . > "$WORK/plan-changed.out" 2> "$WORK/plan-changed.err" || true
tail -1 "$WORK/plan-changed.err"
grep -E "^ *[-+~]|Plan:" "$WORK/plan-changed.out" | head -5
$MEASURE --label "apply changed" -- "$BIN" apply --auto-approve --allow-delete --no-cost --endpoint "$BASE" . > "$WORK/apply-changed.out" 2>&1 || true
tail -3 "$WORK/apply-changed.out"
echo "LFS objects in the pointer clone after apply: $(objects .):"
find .git/lfs/objects -type f -printf '  %f %s bytes\n'
[ "$(find .git/lfs/objects -type f -printf '%f\n')" = "$NEWOID" ] && echo "fetched exactly the new object" || echo "FETCHED SOMETHING ELSE"
$MEASURE --label "plan after" -- "$BIN" plan --detailed-exitcode --endpoint "$BASE" . > "$WORK/plan-after.out" 2> "$WORK/plan-after.err" || true
tail -1 "$WORK/plan-after.err"
grep -E "No changes|Plan:" "$WORK/plan-after.out" || tail -3 "$WORK/plan-after.out"
say done
