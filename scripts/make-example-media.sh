#!/usr/bin/env bash
# Regenerates the tiny example media used by manifests/ and the manifest test fixtures.
# Every clip is a 2-second synthetic test pattern with a sine tone, so the files are small
# (tens of KiB) and carry no third-party content. Requires ffmpeg with libx264, libvpx and libopus
# (Debian's ffmpeg package has them).
#
#   scripts/make-example-media.sh            # writes manifests/media and Tests/ManifestTests/Fixtures/media
#
# Output is as reproducible as ffmpeg allows: single-threaded encoders, bitexact muxing, no
# metadata copied in. A different ffmpeg version may still produce different bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

ex=manifests/media
fx=Tests/ManifestTests/Fixtures/media
mkdir -p "$ex" "$fx"

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
# Common flags: no input metadata, bitexact container/codec headers, one thread.
common=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -threads 1)
x264=(-c:v libx264 -preset veryfast -crf 35 -pix_fmt yuv420p -x264-params threads=1)

# 1. intro.mp4: H.264 + AAC in MP4 (testsrc pattern, 440 Hz tone).
ff -f lavfi -i testsrc=duration=2:size=320x180:rate=15 \
   -f lavfi -i sine=frequency=440:duration=2:sample_rate=48000 \
   "${x264[@]}" -c:a aac -b:a 32k -shortest "${common[@]}" -movflags +faststart \
   "$ex/intro.mp4"

# 2. lesson-1.webm: VP9 + Opus in WebM (testsrc2 pattern, 523 Hz tone).
ff -f lavfi -i testsrc2=duration=2:size=320x180:rate=15 \
   -f lavfi -i sine=frequency=523:duration=2:sample_rate=48000 \
   -c:v libvpx-vp9 -b:v 0 -crf 50 -deadline good -cpu-used 4 -row-mt 0 -pix_fmt yuv420p \
   -c:a libopus -b:a 24k -shortest "${common[@]}" \
   "$ex/lesson-1.webm"

# 3. lesson-2.mov: H.264 + AAC in QuickTime MOV (smptebars, 659 Hz tone), 1080p: its ladder goes up
#    to 1080p, and a quality above the source's resolution would be ignored (validate warns).
ff -f lavfi -i smptebars=duration=2:size=1920x1080:rate=15 \
   -f lavfi -i sine=frequency=659:duration=2:sample_rate=44100 \
   "${x264[@]}" -c:a aac -b:a 32k -shortest "${common[@]}" -f mov \
   "$ex/lesson-2.mov"

# 4. office-hours.m4v: H.264 + AAC in an iPod/M4V container (rgbtestsrc, 392 Hz tone), 2160p for the
#    studio-4k profile (a flat pattern at crf 35: still tens of KiB).
ff -f lavfi -i rgbtestsrc=duration=2:size=3840x2160:rate=15 \
   -f lavfi -i sine=frequency=392:duration=2:sample_rate=48000 \
   "${x264[@]}" -c:a aac -b:a 32k -shortest "${common[@]}" -f ipod \
   "$ex/office-hours.m4v"

# Thumbnails: one frame each, 320x180. JPEG at a modest quality, PNG palette-free RGB.
ff -f lavfi -i testsrc=duration=1:size=320x180:rate=1 -frames:v 1 -q:v 8 "${common[@]}" \
   "$ex/intro.jpg"
ff -f lavfi -i testsrc2=duration=1:size=160x90:rate=1 -frames:v 1 "${common[@]}" \
   "$ex/lesson-1.png"
ff -f lavfi -i smptebars=duration=1:size=320x180:rate=1 -frames:v 1 -q:v 8 "${common[@]}" \
   "$ex/lesson-2.jpg"

# Test-fixture media: the smallest clip and thumbnails the loader tests point at.
ff -f lavfi -i testsrc=duration=1:size=160x90:rate=10 \
   -f lavfi -i sine=frequency=440:duration=1:sample_rate=48000 \
   "${x264[@]}" -c:a aac -b:a 24k -shortest "${common[@]}" -movflags +faststart \
   "$fx/clip.mp4"
ff -f lavfi -i testsrc=duration=1:size=64x36:rate=1 -frames:v 1 -q:v 10 "${common[@]}" "$fx/thumb.jpg"
ff -f lavfi -i testsrc=duration=1:size=64x36:rate=1 -frames:v 1 "${common[@]}" "$fx/thumb.png"

ls -l "$ex" "$fx"
