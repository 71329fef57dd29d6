#!/usr/bin/env python3
"""A large s3:// source applied from moto's S3 server (docs/benchmarks.md, "Sources from Git LFS and S3").

  bench-s3-source.py STREAMPLAN [MIB [STEPS [APPLY_ARG…]]]   # default 1024 MiB, steps 123 (e.g. 2: the resume only)

APPLY_ARGs are added to every apply (e.g. --part-concurrency 1).

On loopback: scripts/source-servers.py (moto with authentication on, bucket "media") and
`STREAMPLAN sandbox --data DIR --record FILE`. One object of MIB MiB (an MP4 signature, then random
bytes) is put as s3://media/big.mp4 with S3's stored SHA-256 (so the plan reads no bytes of it). Then:
  1. `apply` of a manifest whose source is that URL, under scripts/measure-io.py (wall time, peak RSS,
     bytes read and written to files), with the size of the state directory and of $TMPDIR before and
     after; the sandbox's stored source is read back and its size and MD5 compared with the object's;
  2. the same into another project, killed with SIGKILL once the sandbox's record shows 4 parts
     answered, then applied again: the killed run's upload journal, the part files on the sandbox's
     disk, and the `/part` requests (and bytes) the resumed run sent; the final MD5 is compared;
  3. the reference: `aws s3 cp` of the object to a local file, then `apply` of that file (a third project).
Part size: streamplan's default (50 MiB), 8 parts of a video in flight.
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEASURE = [sys.executable, os.path.join(ROOT, "scripts", "measure-io.py")]


def say(text):
    load = open("/proc/loadavg").read().split()[:3]
    print(f"== {text} ({time.strftime('%H:%M:%S', time.gmtime())} UTC, load {' '.join(load)})", flush=True)


def du(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total


def md5_file(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def main():
    binary = os.path.realpath(sys.argv[1])
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    steps = sys.argv[3] if len(sys.argv) > 3 else "123"
    extra = sys.argv[4:]
    work = tempfile.mkdtemp(prefix="bench-s3.")
    servers = sandbox = None
    try:
        say(f"{mib} MiB object, work directory {work}")
        os.makedirs(f"{work}/web")
        big = f"{work}/big.mp4"
        with open(big, "wb") as f:
            f.write(b"\x00\x00\x00\x18ftypisom")
            left = mib * 1048576 - 12
            while left:
                n = min(left, 1 << 24)
                f.write(os.urandom(n))
                left -= n
        size, md5 = os.path.getsize(big), md5_file(big)
        print(f"object: {size} bytes, md5 {md5}")

        servers = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts", "source-servers.py"), f"{work}/web"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(f"{work}/servers.log", "w"), text=True,
        )
        ready = json.loads(servers.stdout.readline())
        t = time.monotonic()
        servers.stdin.write(f"put\tbig.mp4\t{big}\tsha256\n")
        servers.stdin.flush()
        print(f"put into moto: {json.loads(servers.stdout.readline())} in {time.monotonic() - t:.1f} s")

        record = f"{work}/record.jsonl"
        log = open(f"{work}/sandbox.log", "w")
        sandbox = subprocess.Popen(
            [binary, "sandbox", "--port", "0", "--data", f"{work}/data", "--account", "pk_bench:sk_bench",
             "--min-part-size", "1", "--record", record],
            stdout=log, stderr=subprocess.STDOUT,
        )
        base = None
        for _ in range(200):
            text = open(f"{work}/sandbox.log").read()
            if "listening on" in text:
                base = [l for l in text.splitlines() if "listening on" in l][0].split()[-1]
                break
            time.sleep(0.1)
        env = dict(os.environ, STREAM_PUBLIC_KEY="pk_bench", STREAM_SECRET_KEY="sk_bench", NO_COLOR="1",
                   STREAMPLAN_MIN_PART_SIZE="1", AWS_ACCESS_KEY_ID=ready["access_key_id"],
                   AWS_SECRET_ACCESS_KEY=ready["secret_access_key"], AWS_REGION="us-east-1",
                   AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{ready['s3_port']}", TMPDIR=f"{work}/tmp")
        os.makedirs(f"{work}/tmp")

        def project(name, source):
            os.makedirs(f"{work}/{name}")
            with open(f"{work}/{name}/streamplan.yaml", "w") as f:
                f.write(f"project: {name}\nvideos:\n  big:\n    title: Big\n    source: {source}\n")
            return f"{work}/{name}"

        def apply(directory, label):
            # exit code, the stderr line of measure-io
            result = subprocess.run(
                MEASURE + ["--label", label, "--", binary, "apply", "--auto-approve", "--no-cost", "--endpoint", base, *extra, "."],
                cwd=directory, env=env, capture_output=True, text=True)
            print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no output)")
            print(result.stderr.strip().splitlines()[-1])
            return result

        def stored(directory):
            out = subprocess.run([binary, "output", "--format", "json", "--endpoint", base, "video.big", "."], cwd=directory,
                                 env=env, capture_output=True, text=True).stdout
            document = json.loads(out)
            found = []

            def walk(node):
                if isinstance(node, dict):
                    if node.get("address") == "video.big" and "id" in node:
                        found.append(node["id"])
                    for value in node.values():
                        walk(value)
                elif isinstance(node, list):
                    for value in node:
                        walk(value)

            walk(document)
            video = found[0]
            digest, count = hashlib.md5(), 0
            with urllib.request.urlopen(f"{base}/videos/{video}/source") as answer:
                while chunk := answer.read(1 << 20):
                    digest.update(chunk)
                    count += len(chunk)
            return video, count, digest.hexdigest()

        def parts(video=None):
            found = []
            for line in open(record):
                entry = json.loads(line)
                if entry.get("path", "").endswith("/part") and (video is None or video in entry["path"]):
                    found.append(entry)
            return found

        # 1. apply from S3
        if "1" in steps:
            say("1. apply s3://media/big.mp4")
            s3 = project("s3", "s3://media/big.mp4")
            before = (du(f"{s3}/.streamplan"), du(f"{work}/tmp"))
            apply(s3, "apply s3")
            after = (du(f"{s3}/.streamplan"), du(f"{work}/tmp"))
            print(f"state dir {before[0]} -> {after[0]} bytes on disk; TMPDIR {before[1]} -> {after[1]} bytes")
            video, count, digest = stored(s3)
            print(f"sandbox source of {video}: {count} bytes, md5 {digest}: {'MATCHES' if (count, digest) == (size, md5) else 'DIFFERS'}")
            print(f"/part requests for it: {len(parts(video))}")

        # 2. killed mid-upload, then applied again
        if "2" in steps:
            say("2. apply into project resume, SIGKILL after 4 acknowledged parts")
            resume = project("resume", "s3://media/big.mp4")
            seen = len(parts())
            killed = subprocess.Popen([binary, "apply", "--auto-approve", "--no-cost", "--endpoint", base, *extra, "."], cwd=resume,
                                      env=env, stdout=open(f"{work}/killed.out", "w"), stderr=subprocess.STDOUT)
            while killed.poll() is None and len(parts()) - seen < 4:
                time.sleep(0.05)
            killed.send_signal(signal.SIGKILL)
            killed.wait()
            first = parts()[seen:]
            print(f"killed (exit {killed.returncode}) after {len(first)} recorded /part answers: {[e.get('status') for e in first]}")
            # What the killed run had journaled as acknowledged (the parts the next run skips), and the
            # part files the sandbox holds (an answered part whose answer was not journaled is sent again).
            journal = json.load(open(f"{resume}/.streamplan/upload-journal.json"))
            print(f"journal of the killed run: {json.dumps(journal)[:600]}")
            part_dir = f"{work}/data/parts"
            on_disk = sorted(f"{d}/{n}" for d in os.listdir(part_dir) for n in os.listdir(f"{part_dir}/{d}")) \
                if os.path.isdir(part_dir) else []
            print(f"part files on the sandbox's disk: {len(on_disk)}: {', '.join(p.split('/')[-1] for p in on_disk)}")
            seen = len(parts())
            say("2. apply again")
            apply(resume, "apply resumed")
            second = parts()[seen:]
            print(f"the resumed apply sent {len(second)} /part requests")
            print(f"  (the bytes it wrote to sockets, wchar above, against the object's size less the journaled parts)")
            with open(f"{work}/part-requests.json", "w") as f:
                json.dump({"killed": first, "resumed": second}, f)
            video, count, digest = stored(resume)
            print(f"sandbox source of {video}: {count} bytes, md5 {digest}: {'MATCHES' if (count, digest) == (size, md5) else 'DIFFERS'}")

        # 3. reference
        if "3" in steps:
            say("3. reference: aws s3 cp, then apply of the local file")
            local = project("local", "big-copy.mp4")
            aws_env = dict(env, AWS_DEFAULT_REGION="us-east-1")
            t = time.monotonic()
            subprocess.run(["aws", "s3", "cp", "--quiet", "s3://media/big.mp4", f"{local}/big-copy.mp4", "--endpoint-url",
                            env["AWS_ENDPOINT_URL_S3"]], env=aws_env, check=True)
            copy = time.monotonic() - t
            print(f"aws s3 cp: {copy:.2f} s, {os.path.getsize(f'{local}/big-copy.mp4')} bytes")
            apply(local, "apply local")
            video, count, digest = stored(local)
            print(f"sandbox source of {video}: {count} bytes, md5 {digest}: {'MATCHES' if (count, digest) == (size, md5) else 'DIFFERS'}")
        say("done")
    finally:
        if sandbox:
            sandbox.terminate()
            sandbox.wait()
        if servers:
            servers.stdin.close()
            servers.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
