#!/usr/bin/env bash
# Packages streamplan as a binary that runs without the Swift toolchain:
#   scripts/package-binary.sh [--binary PATH] [--version V] [--out DIR]
# - without --binary, builds it first (about 14 minutes on 2 cores):
#     swift build -c release --static-swift-stdlib --product streamplan --build-path .build-release
#   The Swift runtime and Foundation are linked in; libyaml and SQLite stay system libraries.
# - refuses a binary that still needs a Swift shared library (libswiftCore.so, libFoundation*.so,
#   libdispatch.so …) or a library this machine cannot resolve;
# - strips a copy and writes DIR/streamplan-V-linux-ARCH.tar.gz (default DIR: dist/, gitignored)
#   holding streamplan-V-linux-ARCH/{streamplan, INSTALL.txt, README.md, LICENSE when present},
#   plus DIR/streamplan-V-linux-ARCH.tar.gz.sha256 in `sha256sum -c` format;
# - prints the Debian/Ubuntu packages the binary needs at run time (from its ELF NEEDED entries,
#   mapped to packages with dpkg -S on this machine when possible).
# V defaults to what `streamplan --version` prints. The tarball is reproducible for a given binary
# (sorted names, fixed mtime and owner, gzip -n).
# Exit 0 when the tarball is written, 1 when a check fails, 2 on bad usage.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
binary=""
version=""
out="$root/dist"
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package-binary: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "package-binary: error: $*" >&2; exit 1; }

for tool in ldd strip tar gzip sha256sum readelf; do
    command -v "$tool" > /dev/null || fail "$tool is missing (Debian/Ubuntu: apt-get install -y binutils coreutils tar gzip libc-bin)"
done

if [ -z "$binary" ]; then
    command -v swift > /dev/null || fail "swift is not on PATH: install Swift 6.2 or later, or pass --binary PATH"
    echo "package-binary: building (swift build -c release --static-swift-stdlib; about 14 minutes on 2 cores)" >&2
    (cd "$root" && swift build -c release --static-swift-stdlib --product streamplan --build-path .build-release) \
        || fail "the release build failed (see above); it needs libyaml-dev and libsqlite3-dev"
    binary="$root/.build-release/release/streamplan"
fi
[ -f "$binary" ] || fail "no binary at $binary"
[ -x "$binary" ] || fail "$binary is not executable"

# The libraries the binary names itself (not the transitive ones ldd adds).
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED entries in $binary: is it a Linux ELF executable?"
swift_libs=$(echo "$needed" | grep -E '^lib(swift|Foundation|FoundationEssentials|FoundationNetworking|FoundationXML|_Foundation|dispatch|BlocksRuntime|_Testing|XCTest)' || true)
if [ -n "$swift_libs" ]; then
    fail "$binary still needs Swift shared libraries: $(echo "$swift_libs" | tr '\n' ' ')- build it with --static-swift-stdlib"
fi
linked=$(ldd "$binary") || fail "ldd could not read $binary"
if grep -q 'not found' <<< "$linked"; then
    grep 'not found' <<< "$linked" >&2
    fail "$binary needs libraries this machine does not have (above): install their packages"
fi

if [ -z "$version" ]; then
    version=$("$binary" --version 2> /dev/null | head -n 1 | awk '{print $NF}') || true
    [ -n "$version" ] || fail "\`$binary --version\` printed nothing: pass --version V"
fi
version=${version#v}
case "$version" in
*[!A-Za-z0-9._+-]* | "") fail "version '$version' has characters that do not belong in a file name" ;;
esac
case "$(readelf -h "$binary" | sed -n 's/.*Machine: *//p')" in
*X86-64*) arch=x86_64 ;;
*AArch64*) arch=aarch64 ;;
*) fail "$binary is for an architecture this script does not name ($(readelf -h "$binary" | sed -n 's/.*Machine: *//p'))" ;;
esac
name="streamplan-$version-linux-$arch"

# Map each NEEDED library to the package that ships it here (Debian and Ubuntu name them alike).
packages=()
for lib in $needed; do
    path=$(awk -v l="$lib" '$1 == l {print $3}' <<< "$linked")
    pkg=""
    if [ -n "$path" ] && command -v dpkg > /dev/null; then
        for candidate in "$(readlink -f "$path")" "$path"; do
            pkg=$(dpkg -S "$candidate" 2> /dev/null | head -n 1 | cut -d: -f1 || true)
            [ -n "$pkg" ] && break
        done
    fi
    case "$lib" in
    ld-linux*) [ -n "$pkg" ] || pkg=libc6 ;; # the dynamic loader: ldd shows it by path, not by name
    esac
    [ -n "$pkg" ] || pkg="(unknown: $lib)"
    packages+=("$pkg")
done
runtime=$(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage"
cp "$binary" "$stage/streamplan"
strip "$stage/streamplan" || fail "strip failed on a copy of $binary"
chmod 0755 "$stage/streamplan"
[ -f "$root/LICENSE" ] && cp "$root/LICENSE" "$stage/LICENSE"
[ -f "$root/README.md" ] && cp "$root/README.md" "$stage/README.md"
cat > "$stage/INSTALL.txt" << EOF
streamplan $version for Linux ($arch)

A release build with the Swift runtime and Foundation linked in: no Swift toolchain is needed.
It needs these system packages (Debian 12 / Ubuntu 22.04 or later):

  sudo apt-get install -y $runtime

Then:

  sudo install -m 0755 streamplan /usr/local/bin/streamplan
  streamplan --version
  streamplan validate manifests/

Library files it links (ELF NEEDED): $(echo "$needed" | tr '\n' ' ')
EOF

mkdir -p "$out"
tarball="$out/$name.tar.gz"
tar --sort=name --mtime='2000-01-01 00:00Z' --owner=0 --group=0 --numeric-owner \
    -C "$work" -cf - "$name" | gzip -n -9 > "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

size=$(du -h "$stage/streamplan" | cut -f1)
echo "package-binary: wrote $tarball ($size stripped binary)"
echo "package-binary: wrote $tarball.sha256: $(cut -d' ' -f1 "$tarball.sha256")"
echo "package-binary: runtime packages: $runtime"
