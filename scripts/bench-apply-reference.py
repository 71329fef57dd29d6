#!/usr/bin/env python3
"""Apply at scale against a reference client making the same calls (docs/benchmarks.md, issue 11, item 3).

Usage: bench-apply-reference.py STREAMPLAN [N=10000] [CLIENTS=8]

Two fresh sandboxes (`STREAMPLAN sandbox --port 0 --data TMPDIR --min-part-size 1`), one after the other:

  0. (untimed) `streamplan apply` of the manifest into a sandbox started with `--record`, to learn
     the exact create body streamplan sends for each video: its title, description, tags, metadata
     and the qualities the manifest asks for (the sandbox stores and answers each quality, so a
     create with four costs it more than one with none).
  1. the reference: a Python asyncio client (standard library only, keep-alive HTTP/1.1 connections,
     CLIENTS in parallel) making, for each of N videos, the calls `streamplan apply` makes for a
     create: create (streamplan's own body for that video, from step 0), one part with its MD5, a
     PATCH of the metadata with the source mark, complete, the thumbnail, a PATCH of the metadata
     with the thumbnail mark, and a GET of the video (apply prints its links): 7 requests.
     The sources and thumbnails are those of `scripts/gen-bench-manifest.py N` (two small clips,
     two images), read and hashed once as streamplan's hash cache does.
  1b. the same reference with the bodies it sent before 2026-12-06: its own title, description,
     tags and marks, and no qualities (the server's default ladder), so that older tables compare.
  2. `streamplan apply --auto-approve --no-cost --parallelism CLIENTS` of that manifest.

For each: wall time, videos/s, requests/s (the reference counts its own; streamplan's are its
creates times 5 plus its list pages: create, part, thumbnail, one PATCH of the marks, complete), and the client's CPU (the reference's from getrusage, in
process; streamplan's from /usr/bin/time). The ratio compares videos/s in the same run, against the
reference of step 1 (the same create bodies); the ratio against 1b is printed beside it.
"""

import asyncio
import base64
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from importlib import import_module  # noqa: E402

store = import_module("bench-sandbox-store")


class Client(store.Connection):
    """The reference: the requests of one create, as streamplan makes them."""

    requests = 0
    # streamplan's create body for each address (step 0), or None for the reference's own bodies (1b).
    bodies = None

    async def request(self, *args, **kwargs):
        Client.requests += 1
        return await super().request(*args, **kwargs)

    async def multipart(self, path, fields, filename, payload, extra=""):
        boundary = "benchboundary7d1f"
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields
        )
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode() + payload + f"\r\n--{boundary}--\r\n".encode()
        return await self.request("POST", path, body, f"multipart/form-data; boundary={boundary}", extra)

    async def create_video(self, index, media):
        (source, source_bytes, source_md5, source_sha), (thumb, thumb_bytes, thumb_sha) = media
        # The paths (AIOZ's 2026 /media family, which streamplan speaks when the server serves it) and the
        # shape of the bodies are streamplan's: three user pairs, then the ownership marks.
        user = [{"key": "course", "value": "rust"}, {"key": "level", "value": "advanced"},
                {"key": "episode", "value": str(index)}]
        marks = [
            {"key": "streamplan.project", "value": "reference"},
            {"key": "streamplan.address", "value": f"video.v{index:05d}"},
            {"key": "streamplan.source_sha256", "value": "pending:" + "0" * 40},
            {"key": "streamplan.qualities_sha256", "value": "server-default"},
            {"key": "streamplan.applied_sha256", "value": "0123456789abcdef"},
        ]
        body = {
            "title": f"Reference video {index}, part {index % 7 + 1}",
            "description": f"Episode {index} of the reference track: made by scripts/bench-apply-reference.py.",
            "is_public": True,
            "tags": ["bench", "reference", "tutorial"],
            "metadata": user + marks,
        }
        if Client.bodies is not None:
            # streamplan's own create for this video; a fresh create token, and the project's mark where
            # one of the first creates was tentative (docs/design.md, "Concurrent applies").
            body = dict(Client.bodies[f"video.v{index:05d}"])
            kept = [m for m in body["metadata"]
                    if m["key"] not in ("streamplan.create_token", "streamplan.project")
                    and not m["key"].startswith("streamplan.tentative_")]
            user = [m for m in kept if not m["key"].startswith("streamplan.")]
            marks = [{"key": "streamplan.project", "value": "reference"}] + [m for m in kept if m["key"].startswith("streamplan.")]
            body["metadata"] = user + marks + [{"key": "streamplan.create_token", "value": str(uuid.uuid4())}]
        video = (await self.request("POST", "/api/media/create", json.dumps(body).encode()))["data"]["id"]
        size = len(source_bytes)
        await self.multipart(
            f"/api/media/{video}/part", [("index", "0"), ("hash", source_md5)], os.path.basename(source),
            source_bytes, f"Content-Range: bytes 0-{size - 1}/{size}\r\n",
        )
        marks = [m for m in marks if m["key"] != "streamplan.source_sha256"]
        marks.insert(2, {"key": "streamplan.source_sha256", "value": source_sha})
        await self.request("PATCH", f"/api/media/{video}", json.dumps({"metadata": user + marks}).encode())
        await self.request("GET", f"/api/media/{video}/complete")
        await self.multipart(f"/api/media/{video}/thumbnail", [], os.path.basename(thumb), thumb_bytes)
        marks.append({"key": "streamplan.thumbnail_sha256", "value": thumb_sha})
        await self.request("PATCH", f"/api/media/{video}", json.dumps({"metadata": user + marks}).encode())
        await self.request("GET", f"/api/media/{video}")


def sandbox_cpu(sandbox):
    """The sandbox process's CPU seconds so far (user + system, /proc/PID/stat)."""
    fields = open(f"/proc/{sandbox.process.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def media_of(directory):
    """The generated manifest's two sources and two thumbnails, read and hashed once."""
    names = sorted(os.listdir(directory))
    sources = [n for n in names if n.endswith((".mp4", ".webm"))]
    thumbs = [n for n in names if n.endswith((".jpg", ".png"))]
    pairs = []
    for source, thumb in zip(sources, thumbs):
        data = open(os.path.join(directory, source), "rb").read()
        image = open(os.path.join(directory, thumb), "rb").read()
        pairs.append(
            ((source, data, hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest()),
             (thumb, image, hashlib.sha256(image).hexdigest())))
    return pairs


async def reference(binary, count, clients, media):
    sandbox = store.Sandbox(binary)
    try:
        async def connect():
            connection = Client(sandbox.host, sandbox.port, sandbox.public_key, sandbox.secret_key)
            await connection.open()
            return connection

        queue = iter(range(count))

        async def worker():
            connection = await connect()
            for index in queue:
                await connection.create_video(index, media[index % len(media)])
            connection.writer.close()

        before = resource.getrusage(resource.RUSAGE_SELF)
        server = sandbox_cpu(sandbox)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - start
        server = sandbox_cpu(sandbox) - server
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        check = await connect()
        done = (await check.request("POST", "/api/videos", json.dumps({"limit": 1}).encode()))["data"]
        if done["total"] != count:
            raise RuntimeError(f"expected {count} videos, the sandbox lists {done['total']}")
        return elapsed, cpu, Client.requests - 1, server
    finally:
        sandbox.stop()


def streamplan(binary, count, clients, manifests, extra=()):
    sandbox = store.Sandbox(binary, extra)
    try:
        env = dict(os.environ, STREAM_PUBLIC_KEY=sandbox.public_key, STREAM_SECRET_KEY=sandbox.secret_key,
                   NO_COLOR="1", STREAMPLAN_MIN_PART_SIZE="1")
        server = sandbox_cpu(sandbox)
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S", binary, "apply", "--auto-approve", "--no-cost", "--parallelism",
             str(clients), "--endpoint", f"http://{sandbox.host}:{sandbox.port}/api", manifests],
            env=env, capture_output=True, text=True, cwd=os.path.dirname(manifests))
        elapsed = time.perf_counter() - start
        server = sandbox_cpu(sandbox) - server
        if done.returncode != 0:
            sys.exit(f"apply failed: {done.stderr[-2000:]}")
        user, system = (float(x) for x in done.stderr.strip().splitlines()[-1].split())
        made = re.search(r"Apply complete: (\d+) of", done.stdout)
        return elapsed, user + system, int(made.group(1)) if made else -1, server
    finally:
        sandbox.stop()


def creates_of(binary, count, clients, manifests):
    """Step 0: streamplan's create body for each address, from an untimed apply into a recording sandbox."""
    record = os.path.join(os.path.dirname(manifests), "record.jsonl")
    streamplan(binary, count, clients, manifests, ("--record", record))
    bodies = {}
    with open(record) as lines:
        for line in lines:
            row = json.loads(line)
            if row["method"] != "POST" or not row["path"].endswith("/create") or row.get("request_body_omitted"):
                continue
            body = json.loads(base64.b64decode(row["request_body"]))
            address = next((m["value"] for m in body.get("metadata") or [] if m["key"] == "streamplan.address"), None)
            if address and address.startswith("video."):
                bodies[address] = body
    os.remove(record)
    missing = [i for i in range(count) if f"video.v{i:05d}" not in bodies]
    if missing:
        sys.exit(f"the recorded apply made no create for {len(missing)} videos (first: v{missing[0]:05d})")
    return bodies


def main():
    binary = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    work = tempfile.mkdtemp(prefix="bench-apply-reference-")
    manifests = os.path.join(work, "manifests")
    subprocess.run([sys.executable, os.path.join(HERE, "gen-bench-manifest.py"), str(count), manifests],
                   check=True, capture_output=True)
    bodies = creates_of(binary, count, clients, manifests)
    print(f"uptime: {open('/proc/loadavg').read().split()[0]} (1-minute load)", flush=True)
    media = media_of(os.path.join(manifests, "media"))
    rates = {}
    for name, chosen in (("reference", bodies), ("reference, own bodies (1b)", None)):
        Client.bodies, Client.requests = chosen, 0
        ref_wall, ref_cpu, ref_requests, ref_server = asyncio.run(reference(binary, count, clients, media))
        rates[name] = count / ref_wall
        print(f"{name}: {count} videos in {ref_wall:.1f} s = {count / ref_wall:.0f} videos/s, "
              f"{ref_requests / ref_wall:.0f} requests/s, client CPU {ref_cpu:.1f} s ({ref_cpu / ref_wall:.0%} of a core), "
              f"sandbox CPU {ref_server:.1f} s",
              flush=True)
    sp_wall, sp_cpu, changes, sp_server = streamplan(binary, count, clients, manifests)
    print(f"streamplan: {changes} changes in {sp_wall:.1f} s = {count / sp_wall:.0f} videos/s, "
          f"about {(5 * count + count // 100) / sp_wall:.0f} requests/s, client CPU {sp_cpu:.1f} s ({sp_cpu / sp_wall:.0%} of a core), "
          f"sandbox CPU {sp_server:.1f} s")
    print(f"streamplan / reference, videos/s: {(count / sp_wall) / rates['reference']:.2f} "
          f"(against 1b: {(count / sp_wall) / rates['reference, own bodies (1b)']:.2f})")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
