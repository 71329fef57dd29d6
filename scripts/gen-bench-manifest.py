#!/usr/bin/env python3
"""Write a large, valid streamplan manifest for loader and validator benchmarks.

    scripts/gen-bench-manifest.py [N] [OUT_DIR]
    scripts/gen-bench-manifest.py 10000 Tests/ManifestTests/Fixtures/bench   # the defaults

Writes OUT_DIR/bench.yaml with N videos (default 10000; from 20,000 on in bench-2.yaml, …) and a few profiles, and copies two
small clips and two thumbnails from manifests/media into OUT_DIR/media, which every video
points at. Each video has a title, description, tags and metadata; its qualities are a profile
name, an inline list, or absent (server defaults), and every tenth video merges a shared
defaults block with `<<: *defaults`. The output is deterministic: the same N gives the same
bytes. It is valid under docs/manifests.md (check with scripts/check-schema.py --valid OUT_DIR).

Nothing generated here is committed: Tests/ManifestTests/Fixtures/bench/ ignores everything
but its .gitignore.
"""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MEDIA = [("intro.mp4", "intro.jpg"), ("lesson-1.webm", "lesson-1.png")]

SUBJECTS = ["Swift", "Kotlin", "Rust", "Go", "Python", "SQL", "Linux", "Git", "Docker", "HTTP",
            "Statistics", "Linear algebra", "Typography", "Photography", "Accounting", "Español"]
TOPICS = ["basics", "collections", "error handling", "concurrency", "testing", "performance",
          "security", "tooling", "design patterns", "case study", "review", "exercises"]
LEVELS = ["beginner", "intermediate", "advanced"]
TAG_POOL = ["tutorial", "lesson", "education", "programming", "data", "design", "business",
            "language", "exam-prep", "workshop", "live-recording", "subtitled", "short", "long",
            "beginner", "intermediate", "advanced", "2024", "2025", "featured"]
PROFILES = """profiles:
  web-hd:
    - resolution: 1080p
      type: hls
      container_type: mpegts
      video_config: {codec: h264, bitrate: 5000000}
      audio_config: {codec: aac, bitrate: 192000, channels: "2", sample_rate: 48000, language: en}
    - 720p
    - 480p
    - 360p
  mobile:
    - 480p
    - 360p
    - 240p
  studio-4k:
    - resolution: 2160p
      type: hls
      container_type: mp4
      video_config: {codec: h265, bitrate: 16000000}
      audio_config: {bitrate: 256000, language: en}
    - resolution: 1080p
      type: dash
      container_type: fmp4
      video_config: {bitrate: 4500000}
    - 720p
    - resolution: audio
      type: hls
      container_type: mp4
      audio_config: {bitrate: 96000, channels: "1", sample_rate: 44100}
  podcast:
    - resolution: audio-hq
      audio_config: {bitrate: 192000, sample_rate: 48000, language: en}
    - resolution: audio-lq
      audio_config: {bitrate: 64000, channels: 1, sample_rate: 22050, language: en}
"""
INLINE = [
    "[720p, 480p]",
    "[1080p, 720p, 360p]",
    "\n      - resolution: 720p\n        type: dash\n        container_type: fmp4\n"
    "        video_config: {codec: h264, bitrate: 2500000, index: 0}\n"
    "        audio_config: {codec: aac, bitrate: 128000, channels: \"2\", sample_rate: 44100, language: en-GB}\n"
    "      - 360p",
]


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def video(i, out):
    subject = SUBJECTS[i % len(SUBJECTS)]
    topic = TOPICS[(i // len(SUBJECTS)) % len(TOPICS)]
    level = LEVELS[i % 3]
    clip, thumb = MEDIA[i % 2]
    out.append("  v%05d:%s\n" % (i, " &defaults" if i % PER_FILE == 0 else ""))
    if i % 10 == 5:
        out.append("    <<: *defaults\n")
    out.append("    title: %s\n" % q("%s %s, part %d" % (subject, topic, i % 7 + 1)))
    out.append("    description: %s\n" % q(
        "Episode %d of the %s track: %s for %s learners. Includes exercises, a summary and "
        "links to the reading list." % (i, subject, topic, level)))
    out.append("    source: media/%s\n" % clip)
    if i % 4 != 3:
        out.append("    thumbnail: media/%s\n" % thumb)
    if i % 10 != 5:  # merged videos inherit is_public from the defaults block
        out.append("    is_public: %s\n" % ("true" if i % 5 else "false"))
    ntags = 1 + i % 6
    tags = [TAG_POOL[(i * 7 + k * 3) % len(TAG_POOL)] for k in range(ntags)]
    tags = list(dict.fromkeys(tags))
    out.append("    tags: [%s]\n" % ", ".join(q(t) for t in tags))
    out.append("    metadata:\n")
    out.append("      course: %s\n" % q(subject.lower().replace(" ", "-")))
    out.append("      level: %s\n" % level)
    out.append("      episode: %d\n" % i)
    if i % 3 == 0:
        out.append("      graded: %s\n" % ("true" if i % 2 else "false"))
    if i % 11 == 0:
        out.append("      reviewed_by: %s\n" % q("reviewer %d" % (i % 13)))
    kind = i % 8
    if kind in (0, 1, 2):
        out.append("    qualities: web-hd\n")
    elif kind == 3:
        out.append("    qualities: mobile\n")
    elif kind == 4:
        out.append("    qualities: studio-4k\n")
    elif kind == 5:
        out.append("    qualities: podcast\n")
    elif kind == 6:
        out.append("    qualities: %s\n" % INLINE[(i // 8) % len(INLINE)])
    # kind 7: no qualities, the server's default ladder


# Videos per file: a manifest file may hold at most 16 MiB (20,000 of these videos are about 9 MB).
# Videos from 20,000 on go to bench-2.yaml, bench-3.yaml, …, each with its own `&defaults` anchor
# (YAML anchors do not cross files), so the first 20,000 are the same bytes whatever N is.
PER_FILE = 20000


def main(argv):
    n = int(argv[0]) if argv else 10000
    out_dir = argv[1] if len(argv) > 1 else os.path.join(REPO, "Tests", "ManifestTests", "Fixtures", "bench")
    if n < 1:
        sys.exit("gen-bench-manifest: N must be at least 1")
    media_dir = os.path.join(out_dir, "media")
    os.makedirs(media_dir, exist_ok=True)
    for pair in MEDIA:
        for name in pair:
            shutil.copyfile(os.path.join(REPO, "manifests", "media", name), os.path.join(media_dir, name))

    out = ["# Generated by scripts/gen-bench-manifest.py %d: do not edit.\n" % n,
           "project: bench\n", PROFILES, "videos:\n"]
    for i in range(min(n, PER_FILE)):
        video(i, out)
    out.append("live_streams:\n")
    for j in range(3):
        out.append("  stage-%d:\n    name: %s\n    save: %s\n    streamings:\n"
                   % (j, q("Stage %d" % j), "true" if j % 2 else "false"))
        for k in range(2):
            out.append("      session-%d:\n        title: %s\n        qualities: [360p, 720p]\n"
                       % (k, q("Session %d on stage %d" % (k, j))))
    path = os.path.join(out_dir, "bench.yaml")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(out))
    print("%s: %d videos, %d bytes" % (path, min(n, PER_FILE), os.path.getsize(path)))
    for start in range(PER_FILE, n, PER_FILE):
        out = ["# Generated by scripts/gen-bench-manifest.py %d: do not edit.\n" % n, "videos:\n"]
        for i in range(start, min(n, start + PER_FILE)):
            video(i, out)
        path = os.path.join(out_dir, "bench-%d.yaml" % (start // PER_FILE + 1))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(out))
        print("%s: %d videos, %d bytes" % (path, min(n, start + PER_FILE) - start, os.path.getsize(path)))


if __name__ == "__main__":
    main(sys.argv[1:])
