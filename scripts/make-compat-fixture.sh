#!/usr/bin/env bash
# Records what a given streamplan build leaves on a sandbox account and the plans it prints, so that
# later builds can be checked against it (Tests/CLITests/CompatibilityTests.swift).
#
#   scripts/make-compat-fixture.sh STREAMPLAN_BINARY OUT_DIR
#
# OUT_DIR/account/        the embedded sandbox's data directory after `apply --sandbox manifests/`
#                         (videos with thumbnails and custom qualities, a live key with two
#                         streamings, the live registry)
# OUT_DIR/manifests/      the manifests (without media) the plans were made from: the examples grow
#                         with every new kind, so the tests plan these, not the repository's
# OUT_DIR/edited/         manifests/ with edits of every kind (see below)
# OUT_DIR/plans/*.txt|md|json   the plans that build printed: of manifests/ on an empty account
#                         (create-*), of manifests/ on the account (same-*), and of edited/ (edited-*)
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
mkdir -p "$out/plans"
cp -r "$root/manifests" "$work/manifests"
mkdir -p "$out/manifests" && (cd "$root/manifests" && find . -name "*.yaml" -exec cp --parents {} "$out/manifests/" \;)
cd "$work"
export NO_COLOR=1 STREAMPLAN_MIN_PART_SIZE=16384 STREAMPLAN_PART_SIZE=16384
unset STREAM_PUBLIC_KEY STREAM_SECRET_KEY STREAMPLAN_ENDPOINT

plan() { # NAME DIR
    for f in text markdown json; do
        ext=$([ $f = text ] && echo txt || ([ $f = markdown ] && echo md || echo json))
        "$bin" plan --sandbox --state-dir state --format $f "$2" > "$out/plans/$1.$ext"
    done
}

plan create manifests
"$bin" apply --sandbox --state-dir state --auto-approve manifests > /dev/null
plan same manifests

# Edits of every kind: title (update), tags (update), qualities (replace), a removed video (delete),
# a new video (create), the key's name (update), the newest streaming's title (update), a removed
# streaming (delete).
cp -r manifests edited
python3 - <<'PY'
import re
p = "edited/videos/course.yaml"
s = open(p).read()
s = s.replace("title: Welcome to Swift 101", "title: Welcome to Swift 101 (2027 edition)")
s = s.replace("tags: [swift, lesson, beginner]", "tags: [swift, lesson, beginner, updated]")
s = s.replace("      - 1080p\n      - 720p\n      - resolution: 480p", "      - 720p\n      - resolution: 480p")
s = s[: s.index("  # The recorded office hours")]
s += """  bonus:
    title: Bonus clip
    source: ../media/office-hours.m4v
"""
open(p, "w").write(s)
p = "edited/live.yaml"
s = open(p).read()
s = s.replace("name: Northwind Town Hall", "name: Northwind Town Hall (winter)")
s = s.replace("title: Open Q&A with the instructors", "title: Open Q&A with the whole team")
s = re.sub(r"      kickoff:.*?(?=      q-and-a:)", "", s, flags=re.S)
open(p, "w").write(s)
PY
plan edited edited
rm -rf state/sandbox/tmp
cp -r state/sandbox "$out/account"
cp -r edited "$out/edited"
rm -rf "$out/edited/media"
echo "compat fixture written to $out"
