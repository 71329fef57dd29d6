#!/usr/bin/env bash
# Checks that a streamplan binary runs on a clean Debian without the Swift toolchain:
#   sudo scripts/check-static-binary.sh BINARY_OR_TARBALL
# BINARY_OR_TARBALL is a built binary (.build-release/release/streamplan) or a tarball written by
# scripts/package-binary.sh (dist/streamplan-*.tar.gz).
# 1. makes a fresh root: `debootstrap --variant=minbase bookworm` (Debian 12, no Swift), cached as a
#    tarball (default /tmp/streamplan-check/bookworm-minbase.tar.gz; set CHECK_ROOT_CACHE) so a
#    rerun takes seconds; the root itself is a new directory each run, removed at the end;
# 2. installs only the runtime packages in it with apt-get (default: libyaml-0-2 libsqlite3-0;
#    set RUNTIME_PACKAGES to change them; needs the Debian mirror, DEBIAN_MIRROR, default
#    http://deb.debian.org/debian);
# 3. asserts the root has no swift, swiftc or Swift runtime library (libswiftCore.so);
# 4. copies the binary to /usr/local/bin and the repository's manifests/ to /work, then runs in the
#    chroot: `ldd streamplan` (nothing "not found"), `streamplan --version`,
#    `streamplan validate manifests`, `streamplan plan --sandbox --no-cost manifests`, then
#    `streamplan plan --sandbox manifests` (which also probes the media and prices the transcodes);
#    each must exit 0 and the plans must print "will be created".
# This is streamplan's test of the binary (a Swift test would need a release build: too slow for
# `swift test`). Needs root (chroot, mount), debootstrap (apt-get install -y debootstrap) and the
# network for the first run. Exit 0 when every check passes, 1 when one fails, 2 on bad usage.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${DEBIAN_SUITE:-bookworm}
cache=${CHECK_ROOT_CACHE:-/tmp/streamplan-check/$suite-minbase.tar.gz}
runtime=${RUNTIME_PACKAGES:-libyaml-0-2 libsqlite3-0}

fail() { echo "check-static-binary: FAIL: $*" >&2; exit 1; }
step() { echo "check-static-binary: $*"; }

[ $# -eq 1 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
input=$1
[ -f "$input" ] || { echo "check-static-binary: no file at $input" >&2; exit 2; }
[ "$(id -u)" = 0 ] || fail "needs root (chroot and mount): run it with sudo"
command -v debootstrap > /dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"
command -v chroot > /dev/null || fail "chroot is missing (coreutils)"
[ -d "$repo/manifests" ] || fail "no manifests/ beside this script ($repo/manifests)"

work=$(mktemp -d /tmp/streamplan-check-root.XXXXXX)
root="$work/root"
mounted=""
cleanup() {
    if [ -n "$mounted" ]; then umount "$root/proc" 2> /dev/null || umount -l "$root/proc" 2> /dev/null || true; fi
    # Never remove a root whose /proc is still mounted.
    if ! grep -q " $root/proc " /proc/mounts; then rm -rf "$work"; else echo "check-static-binary: left $work (proc still mounted)" >&2; fi
}
trap cleanup EXIT

# The binary: taken as is, or out of the tarball (after checking its .sha256 when beside it).
case "$input" in
*.tar.gz)
    if [ -f "$input.sha256" ]; then
        (cd "$(dirname "$input")" && sha256sum -c --quiet "$(basename "$input").sha256") \
            || fail "$input does not match $input.sha256"
        step "tarball checksum matches $input.sha256"
    fi
    mkdir "$work/unpack"
    tar -xzf "$input" -C "$work/unpack" || fail "could not unpack $input"
    binary=$(find "$work/unpack" -type f -name streamplan | head -n 1)
    [ -n "$binary" ] || fail "$input holds no file named streamplan"
    ;;
*) binary=$input ;;
esac

# 1. The clean root.
mkdir -p "$root"
if [ -f "$cache" ]; then
    step "unpacking the cached clean root $cache"
    tar -xzf "$cache" -C "$root" || fail "could not unpack the cached root $cache: delete it and rerun"
else
    step "debootstrap --variant=minbase $suite from $mirror (first run: a few minutes; cached afterwards)"
    if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$work/debootstrap.log" 2>&1; then
        tail -n 20 "$work/debootstrap.log" >&2
        fail "debootstrap could not build the root from $mirror (above); set DEBIAN_MIRROR to a reachable mirror"
    fi
    mkdir -p "$(dirname "$cache")"
    tar -czf "$cache.partial" -C "$root" . && mv "$cache.partial" "$cache"
    step "cached the clean root as $cache"
fi

# 2. Only the runtime packages.
cp /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null || true
mount -t proc proc "$root/proc" && mounted=yes || step "could not mount /proc in the root (continuing without it)"
step "apt-get install $runtime (in the root)"
# shellcheck disable=SC2086
if ! chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $runtime" > "$work/apt.log" 2>&1; then
    tail -n 20 "$work/apt.log" >&2
    fail "apt-get in the root could not install $runtime (above): is the mirror reachable?"
fi

# 3. No Swift in the root.
if chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh -c 'command -v swift || command -v swiftc'; then
    fail "the root has a Swift toolchain: it is not a clean root"
fi
swiftlibs=$(find "$root" -xdev \( -name 'libswiftCore.so*' -o -name 'libFoundation*.so*' -o -name 'libdispatch.so*' \) -print)
[ -z "$swiftlibs" ] || fail "the root has Swift runtime libraries: $swiftlibs"
step "the root has no swift, no swiftc, no libswiftCore/libFoundation/libdispatch"

# 4. The binary and the example manifests.
install -m 0755 "$binary" "$root/usr/local/bin/streamplan"
mkdir -p "$root/work"
cp -a "$repo/manifests" "$root/work/manifests"

run() { # run NAME COMMAND…: runs COMMAND in /work of the root, keeps its output in $work/NAME.out
    local name=$1
    shift
    step "\$ $*"
    if ! chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 sh -c 'cd /work && exec "$@"' sh "$@" > "$work/$name.out" 2>&1; then
        sed 's/^/    /' "$work/$name.out" >&2
        fail "\`$*\` failed in the clean root (output above)"
    fi
    sed 's/^/    /' "$work/$name.out"
}

run ldd ldd /usr/local/bin/streamplan
! grep -q 'not found' "$work/ldd.out" || fail "the binary needs a library the root does not have: add its package to RUNTIME_PACKAGES"
run version streamplan --version
run validate streamplan validate manifests
run plan streamplan plan --sandbox --no-cost --no-color manifests
grep -q 'will be created' "$work/plan.out" || fail "plan --sandbox --no-cost printed no 'will be created'"
rm -rf "$root/work/.streamplan" # the priced plan starts from a fresh sandbox account too
run plan-cost streamplan plan --sandbox --no-color manifests
grep -q 'will be created' "$work/plan-cost.out" || fail "plan --sandbox printed no 'will be created'"

step "PASS: $(basename "$binary") runs --version, validate and plan --sandbox on the examples in a $suite root with only: $runtime"
