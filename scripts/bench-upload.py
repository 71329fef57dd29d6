#!/usr/bin/env python3
"""Benchmark for docs/benchmarks.md: `streamplan apply` uploading one large video in parts, beside
curl posting the same file in one part to the same sandbox, in the same run.

    scripts/bench-upload.py path/to/streamplan [SIZE_MIB=2048] [PART_MIB=50]

Starts `streamplan sandbox --port 0 --data DIR`, writes SIZE_MIB of random bytes behind an MP4
signature, then measures (wall time, peak resident memory of the process from getrusage):
  1. `streamplan apply --auto-approve` of a one-video manifest (plan: SHA-256 of the file, then
     create, parts with MD5 computed while streaming, complete);
  2. curl: create, then one `POST /videos/{id}/part` of the whole file (`-F file=@…`), with the
     MD5 computed beforehand by md5sum (timed separately), then complete.
Both uploads are checked by downloading nothing: the sandbox verifies each part's MD5.
"""
import os, re, resource, subprocess, sys, tempfile, time, json

binary = os.path.abspath(sys.argv[1])
size = int(sys.argv[2] if len(sys.argv) > 2 else 2048) * 1024 * 1024
part_mib = int(sys.argv[3] if len(sys.argv) > 3 else 50)
PUBLIC, SECRET = "pk_bench", "sk_bench_local_only"

work = tempfile.mkdtemp(prefix="bench-upload-")
os.makedirs(os.path.join(work, "m", "media"))
source = os.path.join(work, "m", "media", "big.mp4")
with open(source, "wb") as f:
    f.write(b"\x00\x00\x00\x18ftypisom")
    left = size - 12
    while left:
        block = os.urandom(min(8 << 20, left))
        f.write(block)
        left -= len(block)
with open(os.path.join(work, "m", "streamplan.yaml"), "w") as f:
    f.write("project: bench\nvideos:\n  big:\n    title: Big\n    source: media/big.mp4\n")

sandbox = subprocess.Popen([binary, "sandbox", "--port", "0", "--data", os.path.join(work, "data"),
                            "--account", f"{PUBLIC}:{SECRET}"], stdout=subprocess.PIPE, text=True)
base = None
for line in sandbox.stdout:
    m = re.match(r"sandbox: listening on (\S+)", line)
    if m:
        base = m.group(1)
    if "ready" in line:
        break


def measure(argv, env=None):
    """Runs argv to the end; returns (seconds, peak RSS in MiB of that child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {argv[0]}: {done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all waited children: run the smallest first.
    return elapsed, max(peak, before) / 1024, done.stdout


keys = ["-H", f"stream-public-key: {PUBLIC}", "-H", f"stream-secret-key: {SECRET}"]
try:
    # curl first: its peak is the smaller one, so RUSAGE_CHILDREN's maximum is attributable.
    md5_time, _, md5_out = measure(["md5sum", source])
    md5 = md5_out.split()[0]
    _, _, created = measure(["curl", "-sf", "-X", "POST", base + "/videos/create", *keys, "-H",
                             "Content-Type: application/json", "-d", '{"title":"curl"}'])
    vid = json.loads(created)["data"]["id"]
    curl_time, curl_rss, _ = measure(["curl", "-sf", "-X", "POST", f"{base}/videos/{vid}/part", *keys,
                                      "-H", f"Content-Range: bytes 0-{size - 1}/{size}",
                                      "-F", f"file=@{source}", "-F", "index=0", "-F", f"hash={md5}"])
    measure(["curl", "-sf", f"{base}/videos/{vid}/complete", *keys])

    env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET, NO_COLOR="1")
    sp_time, sp_rss, _ = measure([binary, "apply", "--endpoint", base, "--auto-approve",
                                  "--state-dir", os.path.join(work, "state"), "--part-size", str(part_mib),
                                  os.path.join(work, "m")], env)
finally:
    sandbox.terminate()
    sandbox.wait()
    subprocess.run(["rm", "-rf", work])

mib = size / (1 << 20)
print(f"file: {mib:.0f} MiB; streamplan parts of {part_mib} MiB")
print(f"curl one-part POST: {curl_time:.2f} s ({mib / curl_time:.0f} MiB/s), peak RSS {curl_rss:.0f} MiB;"
      f" md5sum beforehand {md5_time:.2f} s")
print(f"streamplan apply (SHA-256 plan + parts + complete): {sp_time:.2f} s ({mib / sp_time:.0f} MiB/s),"
      f" peak RSS {sp_rss:.0f} MiB")
print(f"ratio time streamplan / curl POST: {sp_time / curl_time:.2f}; / (md5sum + curl): {sp_time / (md5_time + curl_time):.2f}")
