#!/usr/bin/env python3
"""Benchmark of the sandbox's store (docs/benchmarks.md, "Sandbox store").

Usage: bench-sandbox-store.py STREAMPLAN [--uploads N] [--clients C] [--small N] [--large N] [--samples S]

Starts `STREAMPLAN sandbox --port 0 --data TMPDIR --min-part-size 1` and measures, over loopback HTTP with
keep-alive connections (standard library only, no third-party package):

  (a) N videos (default 10,000) each created, sent as one part and completed, by C clients in parallel
      (default 8): wall time and requests per second;
  (b) per-request latency of GET /videos/{id}, of one list page without and with a metadata filter and of a PATCH
      (a write), with SMALL (default 100) and then LARGE (default 50,000) videos stored: median and p95 of
      S sequential requests each, and the ratio LARGE / SMALL.

Either part can be skipped with --uploads 0 or --large 0. The same script measures an older build (the
JSON store) as the reference: pass its binary.

(a) and (b) use separate sandboxes. Timings are wall-clock on a shared machine: compare ratios, not times.
"""

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


class Connection:
    """One keep-alive HTTP/1.1 connection: enough of the protocol for the sandbox's answers."""

    def __init__(self, host, port, public_key, secret_key):
        self.host, self.port = host, port
        self.auth = f"stream-public-key: {public_key}\r\nstream-secret-key: {secret_key}\r\n"
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method, path, body=b"", content_type="application/json", extra=""):
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.auth}{extra}"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise RuntimeError(f"{method} {path}: the sandbox closed the connection")
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                data += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            data = await self.reader.readexactly(length)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {status}: {data[:300]!r}")
        return json.loads(data) if data else None

    async def create(self, index, group):
        body = json.dumps(
            {
                "title": f"bench video {index}",
                "description": "made by scripts/bench-sandbox-store.py",
                "tags": ["bench"],
                "metadata": [{"key": "n", "value": str(index)}, {"key": "group", "value": group}],
            }
        ).encode()
        return (await self.request("POST", "/api/videos/create", body))["data"]["id"]

    async def upload(self, video_id, payload):
        boundary = "benchboundary7d1f"
        md5 = hashlib.md5(payload).hexdigest()
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="index"\r\n\r\n0\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="hash"\r\n\r\n{md5}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="part"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode() + payload + f"\r\n--{boundary}--\r\n".encode()
        size = len(payload)
        await self.request(
            "POST", f"/api/videos/{video_id}/part", body, f"multipart/form-data; boundary={boundary}",
            f"Content-Range: bytes 0-{size - 1}/{size}\r\n",
        )
        await self.request("GET", f"/api/videos/{video_id}/complete")


class Sandbox:
    def __init__(self, binary, extra=()):
        self.directory = tempfile.mkdtemp(prefix="bench-sandbox-store-")
        self.process = subprocess.Popen(
            [binary, "sandbox", "--port", "0", "--data", self.directory, "--min-part-size", "1", *extra],
            stdout=subprocess.PIPE, text=True,
        )
        lines = [self.process.stdout.readline().strip() for _ in range(3)]
        url = lines[0].removeprefix("sandbox: listening on http://").removesuffix("/api")
        self.host, port = url.rsplit(":", 1)
        self.port = int(port)
        self.public_key = lines[1].removeprefix("sandbox: public key ")
        self.secret_key = lines[2].removeprefix("sandbox: secret key ")

    async def connect(self):
        connection = Connection(self.host, self.port, self.public_key, self.secret_key)
        await connection.open()
        return connection

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.directory, ignore_errors=True)


async def parallel(sandbox, count, clients, work):
    """Runs work(connection, index) for index in 0..<count over `clients` connections."""
    queue = iter(range(count))

    async def worker():
        connection = await sandbox.connect()
        for index in queue:
            await work(connection, index)
        connection.writer.close()

    await asyncio.gather(*(worker() for _ in range(clients)))


async def uploads(binary, count, clients):
    sandbox = Sandbox(binary)
    try:
        payload = os.urandom(4096)

        async def one(connection, index):
            video_id = await connection.create(index, "g")
            await connection.upload(video_id, payload)

        start = time.perf_counter()
        await parallel(sandbox, count, clients, one)
        elapsed = time.perf_counter() - start
        check = await sandbox.connect()
        done = (await check.request("POST", "/api/videos", json.dumps({"status": "done", "limit": 1}).encode()))["data"]
        if done["total"] != count:
            raise RuntimeError(f"expected {count} done videos, the sandbox lists {done['total']}")
        return elapsed
    finally:
        sandbox.stop()


async def latency(connection, samples, video_ids, group):
    """Median and p95 in milliseconds of GET one video and of one filtered list page."""
    body = json.dumps({"metadata": [{"key": "group", "value": group}], "limit": 20}).encode()
    page = json.dumps({"limit": 20}).encode()
    results = {}
    for name, call in [
        ("get", lambda i: connection.request("GET", f"/api/videos/{video_ids[i % len(video_ids)]}")),
        ("page", lambda i: connection.request("POST", "/api/videos", page)),
        ("list", lambda i: connection.request("POST", "/api/videos", body)),
        (
            "patch",
            lambda i: connection.request(
                "PATCH", f"/api/videos/{video_ids[i % len(video_ids)]}", json.dumps({"title": f"patched {i}"}).encode()
            ),
        ),
    ]:
        for i in range(20):
            await call(i)  # warm-up
        times = []
        for i in range(samples):
            start = time.perf_counter()
            await call(i * 7919)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results[name] = (statistics.median(times), times[int(len(times) * 0.95)])
    return results


async def scaling(binary, small, large, clients, samples):
    sandbox = Sandbox(binary)
    try:
        ids = []

        async def one(connection, index):
            # The 20 oldest videos carry group=probe: the filtered list (newest first) reads the same page of
            # 20 at both sizes, from the far end of the creation order.
            ids.append(await connection.create(index, "probe" if index < 20 else f"g{index % 1000}"))

        await parallel(sandbox, small, clients, one)
        probe = await sandbox.connect()
        at_small = await latency(probe, samples, ids, "probe")
        start = time.perf_counter()
        await parallel(sandbox, large, clients, lambda c, i: one(c, i) if i >= small else asyncio.sleep(0))
        fill = time.perf_counter() - start
        at_large = await latency(probe, samples, ids, "probe")
        return at_small, at_large, fill
    finally:
        sandbox.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--uploads", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    with open("/proc/loadavg") as f:
        print(f"load average before: {f.read().strip()}")
    if args.uploads:
        elapsed = asyncio.run(uploads(args.binary, args.uploads, args.clients))
        requests = args.uploads * 3
        print(
            f"(a) {args.uploads} videos × (create + 1 part + complete), {args.clients} clients: "
            f"{elapsed:.1f} s, {requests / elapsed:.0f} requests/s"
        )
    if args.large:
        at_small, at_large, fill = asyncio.run(scaling(args.binary, args.small, args.large, args.clients, args.samples))
        print(f"(b) filled {args.large - args.small} more videos in {fill:.1f} s ({(args.large - args.small) / fill:.0f} creates/s)")
        for name, label in [
            ("get", "GET /videos/{id}"),
            ("page", "POST /videos no filter, 20 per page"),
            ("list", "POST /videos metadata filter, 20 per page"),
            ("patch", "PATCH /videos/{id} title"),
        ]:
            (small_median, small_p95), (large_median, large_p95) = at_small[name], at_large[name]
            print(
                f"    {label}: {args.small} videos median {small_median:.3f} ms (p95 {small_p95:.3f}); "
                f"{args.large} videos median {large_median:.3f} ms (p95 {large_p95:.3f}); "
                f"ratio {large_median / small_median:.2f}"
            )
    with open("/proc/loadavg") as f:
        print(f"load average after: {f.read().strip()}")


if __name__ == "__main__":
    sys.exit(main())
