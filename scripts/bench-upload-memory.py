#!/usr/bin/env python3
"""Measures the sandbox's memory while a large file is uploaded in parts.

Usage: scripts/bench-upload-memory.py path/to/streamplan [SIZE_MIB=2048] [PART_MIB=50]
Starts `streamplan sandbox --port 0`, uploads SIZE_MIB of random bytes in PART_MIB parts (streamed
from disk, hash computed per part), completes, checks the served source's MD5, and prints the
sandbox's resident memory (VmRSS / VmHWM from /proc) idle, during the upload and at the end.
"""
import hashlib, http.client, json, os, subprocess, sys, tempfile, threading, time, urllib.parse

binary = sys.argv[1]
size = int(sys.argv[2] if len(sys.argv) > 2 else 2048) * 1024 * 1024
part_size = int(sys.argv[3] if len(sys.argv) > 3 else 50) * 1024 * 1024
CHUNK = 1024 * 1024

workdir = tempfile.mkdtemp(prefix="sandbox-bench-")
source = os.path.join(workdir, "video.bin")
whole = hashlib.md5()
with open(source, "wb") as f:
    left = size
    while left:
        block = os.urandom(min(CHUNK * 8, left))
        whole.update(block)
        f.write(block)
        left -= len(block)

proc = subprocess.Popen([binary, "sandbox", "--port", "0", "--data", os.path.join(workdir, "data")],
                        stdout=subprocess.PIPE, text=True)
lines = {}
while "ready" not in lines:
    line = proc.stdout.readline()
    if not line:
        sys.exit("sandbox exited")
    if line.startswith("sandbox: listening on "): lines["url"] = line.split()[-1]
    if line.startswith("sandbox: public key "): lines["pk"] = line.split()[-1]
    if line.startswith("sandbox: secret key "): lines["sk"] = line.split()[-1]
    if line.startswith("sandbox: ready"): lines["ready"] = True

def rss_kib(field):
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith(field): return int(line.split()[1])
    return 0

samples = []
stop = threading.Event()
def sample():
    while not stop.is_set():
        samples.append(rss_kib("VmRSS:")); time.sleep(0.1)

url = urllib.parse.urlparse(lines["url"])
auth = {"stream-public-key": lines["pk"], "stream-secret-key": lines["sk"]}
def call(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    conn.request(method, url.path + path, body=body, headers={**auth, **(headers or {})})
    resp = conn.getresponse(); data = resp.read(); conn.close()
    return resp.status, data

time.sleep(0.5)
idle = rss_kib("VmRSS:")
threading.Thread(target=sample, daemon=True).start()
status, data = call("POST", "/videos/create", json.dumps({"title": "bench"}), {"Content-Type": "application/json"})
vid = json.loads(data)["data"]["id"]
started = time.time()
boundary = "benchboundary7f3a9"
for index, start in enumerate(range(0, size, part_size)):
    length = min(part_size, size - start)
    h = hashlib.md5()
    with open(source, "rb") as f:
        f.seek(start); left = length
        while left:
            b = f.read(min(CHUNK, left)); h.update(b); left -= len(b)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="v"\r\n'
            f'Content-Type: application/octet-stream\r\n\r\n').encode()
    tail = (f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="index"\r\n\r\n{index}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="hash"\r\n\r\n{h.hexdigest()}\r\n--{boundary}--\r\n').encode()
    def body():
        yield head
        with open(source, "rb") as f:
            f.seek(start); left = length
            while left:
                b = f.read(min(CHUNK, left)); left -= len(b); yield b
        yield tail
    status, data = call("POST", f"/videos/{vid}/part", body(), {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + length + len(tail)),
        "Content-Range": f"bytes {start}-{start + length - 1}/{size}"})
    if status != 200: sys.exit(f"part {index}: {status} {data}")
upload_seconds = time.time() - started
status, data = call("GET", f"/videos/{vid}/complete")
if status != 200: sys.exit(f"complete: {status} {data}")
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
conn.request("GET", url.path + f"/videos/{vid}/source"); resp = conn.getresponse()
served = hashlib.md5()
while True:
    b = resp.read(CHUNK)
    if not b: break
    served.update(b)
stop.set(); time.sleep(0.2)
peak = rss_kib("VmHWM:")
proc.terminate(); proc.wait()
subprocess.run(["rm", "-rf", workdir])
print(f"size {size // 2**20} MiB in {size // part_size + (size % part_size > 0)} parts of {part_size // 2**20} MiB; "
      f"upload {upload_seconds:.1f} s ({size / 2**20 / upload_seconds:.0f} MiB/s)")
print(f"RSS idle {idle // 1024} MiB; during upload min {min(samples) // 1024} / max {max(samples) // 1024} MiB; peak (VmHWM) {peak // 1024} MiB")
print("source md5 matches" if served.hexdigest() == whole.hexdigest() else "SOURCE MD5 MISMATCH")
