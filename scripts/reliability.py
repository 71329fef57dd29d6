#!/usr/bin/env python3
"""The reliability suite: kill -9 at named events and at random moments, fault storms, concurrent
applies and a fuzz run of the manifest loader, against `streamplan sandbox` over loopback.

    scripts/reliability.py [--bin .build/debug/streamplan] [--fuzz-bin .build/debug/manifest-fuzz]
                           [--events 5] [--random 10] [--storms 5] [--concurrent 20] [--fuzz 100000]

Build first: `swift build --product streamplan --product manifest-fuzz`. Each run gets a fresh
sandbox (its own data directory and port) and a fresh copy of manifests/ plus a 2 MiB video, so a
part size of 64 KiB gives every upload many parts. After each disturbance streamplan is run again
(at most twice) until `plan --detailed-exitcode` says nothing is left, then the account is checked:

- duplicates: two managed videos with one address, or two live stream keys with the managed name;
- orphans: objects a plan does not show (live keys with the managed name that the registry does not
  claim and that the last plan did not list, videos with the project's mark and no address);
- corrupted sources: a managed video whose assembled source's SHA-256 differs from its mark;
- crashes: a streamplan process that died by a signal it was not sent, or printed "Fatal error";
- hangs: a command still running after 120 s;
- lost: a managed video that a failed run deleted without leaving its replacement (issue 26);
- stale marks: a video's caption or chapter mark naming a language the video does not have.

It prints one table (docs/reliability.md records the figures) and exits 1 when any count is not 0
or a run did not converge.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PUBLIC, SECRET = "pk_reliability", "sk_reliability_local_only"
TIMEOUT = 120
EVENTS = [
    # (crash point, what the killed run does)
    ("after-create", "create"),
    ("mid-part", "create"),
    ("before-source-mark", "create"),
    ("after-source-mark", "create"),
    ("after-complete", "create"),
    ("key-after-create", "create"),
    ("replace-before-delete", "replace"),
    ("after-delete", "delete"),
    ("text-track-after-delete", "chapter-delete"),
]


class Counts:
    def __init__(self):
        self.runs = self.duplicates = self.orphans = self.corrupted = self.crashes = self.hangs = 0
        self.unconverged = self.lost = self.stale = 0
        self.applies = []
        self.refused = 0

    def row(self, name):
        most = max(self.applies) if self.applies else 0
        return (f"| {name} | {self.runs} | {self.duplicates} | {self.orphans} | {self.corrupted} | "
                f"{self.crashes} | {self.hangs} | {self.unconverged} | {self.lost} | {self.stale} | {most} |")

    def clean(self):
        return not (self.duplicates or self.orphans or self.corrupted or self.crashes or self.hangs or self.unconverged
                    or self.lost or self.stale)


class Sandbox:
    """`streamplan sandbox` on a free port with its own data directory."""

    def __init__(self, binary, directory, faults=None, extra=()):
        args = [binary, "sandbox", "--port", "0", "--data", directory, "--account", f"{PUBLIC}:{SECRET}",
                "--min-part-size", "65536"] + list(extra)
        if faults:
            args += ["--fault-rate", str(faults[0]), "--seed", str(faults[1])]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError("the sandbox did not start: " + line)
        self.base = line.strip().split()[-1]
        self.data = directory

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def request(self, method, path, body=None, url=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url or self.base + path, data=data, method=method)
        request.add_header("stream-public-key", PUBLIC)
        request.add_header("stream-secret-key", SECRET)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for _ in range(5):
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.read()
            except Exception:
                time.sleep(0.2)
        raise RuntimeError(f"{method} {path} failed")

    def videos(self):
        found, offset = [], 0
        while True:
            page = json.loads(self.request("POST", "/videos", {"offset": offset, "limit": 100}))["data"]
            found += page.get("videos") or []
            offset += len(page.get("videos") or [])
            if not page.get("videos") or offset >= page.get("total", 0):
                return found

    def keys(self):
        page = json.loads(self.request("GET", "/live_streams?limit=100&offset=0"))["data"]
        return page.get("live_stream_keys") or page.get("live_streams") or []


def workspace():
    directory = tempfile.mkdtemp(prefix="reliability-")
    shutil.copytree(os.path.join(ROOT, "manifests"), os.path.join(directory, "manifests"))
    write_big(directory, seed=1)
    with open(os.path.join(directory, "manifests", "videos", "big.yaml"), "w") as f:
        f.write("videos:\n  big:\n    title: A big one\n    source: ../media/big.mp4\n")
    return directory


def write_big(directory, seed):
    rng = random.Random(seed)
    data = bytes([0, 0, 0, 0x18]) + b"ftypisom" + rng.randbytes(2 * 1024 * 1024)
    with open(os.path.join(directory, "manifests", "media", "big.mp4"), "wb") as f:
        f.write(data)


def run(binary, args, directory, sandbox, counts, crash_at=None, state="state"):
    env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET, NO_COLOR="1",
               STREAMPLAN_MIN_PART_SIZE="65536", STREAMPLAN_PART_SIZE="65536", STREAMPLAN_LEASE_SETTLE_MS="300")
    env.pop("STREAMPLAN_CRASH_AT", None)
    if crash_at:
        env["STREAMPLAN_CRASH_AT"] = crash_at
    command = [binary] + args + ["--endpoint", sandbox.base, "--state-dir", state, "manifests"]
    try:
        done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        counts.hangs += 1
        return None
    crashed_by_us = crash_at and done.returncode == -signal.SIGKILL
    if (done.returncode < 0 and not crashed_by_us) or "Fatal error" in done.stderr:
        counts.crashes += 1
        print(f"  crash: {' '.join(args)} -> {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
    return done


def converge(binary, directory, sandbox, counts, allow_delete=True, state="state"):
    """Applies until the plan is empty (at most 2 applies); returns how many it took, or None."""
    flags = ["apply", "--auto-approve"] + (["--allow-delete"] if allow_delete else [])
    for attempt in range(1, 3):
        done = run(binary, flags, directory, sandbox, counts, state=state)
        plan = run(binary, ["plan", "--detailed-exitcode"], directory, sandbox, counts, state=state)
        if plan is not None and plan.returncode == 0:
            return attempt, plan
    counts.unconverged += 1
    print(f"  did not converge in 2 applies: {done.stderr[-1500:] if done else 'hang'}", file=sys.stderr)
    return None, None


def check(sandbox, counts):
    videos = sandbox.videos()
    managed = [v for v in videos if any(m["key"] == "streamplan.project" for m in v.get("metadata") or [])]
    addresses = {}
    for video in managed:
        marks = {m["key"]: m["value"] for m in video.get("metadata") or []}
        if "streamplan.address" not in marks:
            counts.orphans += 1
            continue
        addresses.setdefault(marks["streamplan.address"], []).append(video)
        source = (video.get("assets") or {}).get("source_url")
        if video.get("status") in ("transcoding", "done") and source:
            digest = hashlib.sha256(sandbox.request("GET", "", url=source)).hexdigest()
            if digest != marks.get("streamplan.source_sha256"):
                counts.corrupted += 1
    counts.duplicates += sum(len(v) - 1 for v in addresses.values() if len(v) > 1)
    keys = [k for k in sandbox.keys() if k.get("name") == "Northwind Town Hall"]
    if len(keys) > 1:
        counts.orphans += len(keys) - 1
    for video in managed:
        marks = {m["key"]: m["value"] for m in video.get("metadata") or []}
        for kind in ("captions", "chapters"):
            if f"streamplan.{kind}" not in marks:
                continue
            marked = {item.split("=")[0] for item in marks[f"streamplan.{kind}"].split(",") if "=" in item}
            data = json.loads(sandbox.request("GET", f"/videos/{video['id']}/{kind}?offset=0&limit=100"))["data"]
            listed = next((v for k, v in data.items() if isinstance(v, list)), [])
            have = {track.get("language") for track in listed}
            counts.stale += len(marked - have)
    for key in keys:
        page = json.loads(sandbox.request("GET", f"/live_streams/{key['id']}/streamings"))["data"]
        titles = [s.get("title") for s in (page.get("videos") or page.get("streamings") or [])]
        counts.orphans += sum(titles.count(t) - 1 for t in set(titles))


def disturb_and_check(binary, counts, prepare, disturb, faults=None):
    directory = workspace()
    data = tempfile.mkdtemp(prefix="reliability-data-")
    sandbox = Sandbox(binary, data, faults)
    try:
        counts.runs += 1
        prepare(directory, sandbox)
        # A disturbance may restart the sandbox on the same data (another fault setting): it returns it.
        sandbox = disturb(directory, sandbox) or sandbox
        applies, _ = converge(binary, directory, sandbox, counts)
        if applies:
            counts.applies.append(applies)
        check(sandbox, counts)
    finally:
        sandbox.stop()
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/streamplan"))
    parser.add_argument("--fuzz-bin", default=os.path.join(ROOT, ".build/debug/manifest-fuzz"))
    parser.add_argument("--events", type=int, default=5, help="runs per named crash point")
    parser.add_argument("--random", type=int, default=10, help="runs killed at a random moment")
    parser.add_argument("--storms", type=int, default=5, help="fault storms (20 %% of requests fail), one seed each")
    parser.add_argument("--concurrent", type=int, default=20, help="trials of two applies at once")
    parser.add_argument("--fuzz", type=int, default=100000, help="fuzz inputs of the manifest loader")
    options = parser.parse_args()
    binary = options.bin
    rows = []
    failed = False

    def nothing(directory, sandbox):
        pass

    def applied(directory, sandbox):
        done = run(binary, ["apply", "--auto-approve"], directory, sandbox, Counts())
        if done is None or done.returncode != 0:
            raise RuntimeError("the first apply failed: " + (done.stderr if done else "hang"))

    for event, kind in EVENTS:
        counts = Counts()
        for n in range(options.events):
            def disturb(directory, sandbox, event=event, kind=kind, n=n):
                flags = ["apply", "--auto-approve"]
                if kind == "replace":
                    write_big(directory, seed=100 + n)
                    flags.append("--allow-delete")
                if kind == "delete":
                    os.remove(os.path.join(directory, "manifests", "videos", "big.yaml"))
                    flags.append("--allow-delete")
                if kind == "chapter-delete":
                    course = os.path.join(directory, "manifests", "videos", "course.yaml")
                    with open(course) as f:
                        text = f.read()
                    with open(course, "w") as f:
                        f.write(text.replace("    chapters:\n      en: ../media/chapters/intro.en.vtt\n", ""))
                    flags.append("--allow-delete")
                done = run(binary, flags, directory, sandbox, counts, crash_at=event)
                if done is not None and done.returncode != -signal.SIGKILL:
                    print(f"  {event}: the run was not killed ({done.returncode})", file=sys.stderr)
            disturb_and_check(binary, counts, nothing if kind == "create" else applied, disturb)
        rows.append(counts.row(f"kill -9 at {event}"))
        failed |= not counts.clean()
        print(rows[-1], flush=True)

    # Issue 26: a replace whose every create is answered 500 must fail and keep the old video.
    counts = Counts()
    for n in range(options.events):
        def disturb(directory, sandbox, n=n):
            old = [v["id"] for v in sandbox.videos()
                   if any(m.get("key") == "streamplan.address" and m.get("value") == "video.big"
                          for m in v.get("metadata") or [])]
            if len(old) != 1:
                raise RuntimeError(f"expected one video.big before the replace, found {len(old)}")
            write_big(directory, seed=300 + n)
            sandbox.stop()
            faulty = Sandbox(binary, sandbox.data, extra=["--fault-rate", "1", "--fault-kinds", "500", "--fault-paths",
                                                          "/videos/create,/media/create,/playlists/create"])
            try:
                run(binary, ["apply", "--auto-approve", "--allow-delete"], directory, faulty, counts)
                left = {v["id"] for v in faulty.videos()}
                counts.lost += sum(1 for id in old if id not in left)
            finally:
                faulty.stop()
            return Sandbox(binary, sandbox.data)
        disturb_and_check(binary, counts, applied, disturb)
    rows.append(counts.row("replace whose creates are answered 500"))
    failed |= not counts.clean()
    print(rows[-1], flush=True)

    counts = Counts()
    rng = random.Random(7)
    for _ in range(options.random):
        def disturb(directory, sandbox):
            env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET,
                       STREAMPLAN_MIN_PART_SIZE="65536", STREAMPLAN_PART_SIZE="65536", STREAMPLAN_LEASE_SETTLE_MS="300")
            process = subprocess.Popen([binary, "apply", "--auto-approve", "--endpoint", sandbox.base, "--state-dir",
                                        "state", "manifests"], cwd=directory, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.5))
            process.send_signal(signal.SIGKILL)
            process.wait()
        disturb_and_check(binary, counts, nothing, disturb)
    rows.append(counts.row("kill -9 at a random moment"))
    failed |= not counts.clean()
    print(rows[-1], flush=True)

    counts = Counts()
    for seed in range(1, options.storms + 1):
        disturb_and_check(binary, counts, nothing, nothing, faults=(0.2, seed))
    rows.append(counts.row("fault storm, 20 % of requests"))
    failed |= not counts.clean()
    print(rows[-1], flush=True)

    counts = Counts()
    for _ in range(options.concurrent):
        def disturb(directory, sandbox):
            env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET,
                       STREAMPLAN_MIN_PART_SIZE="65536", STREAMPLAN_PART_SIZE="65536", STREAMPLAN_LEASE_SETTLE_MS="1000")
            processes = [subprocess.Popen([binary, "apply", "--auto-approve", "--endpoint", sandbox.base, "--state-dir",
                                           state, "manifests"], cwd=directory, env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True) for state in ("state-a", "state-b")]
            for process in processes:
                try:
                    _, err = process.communicate(timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    counts.hangs += 1
                    process.kill()
                    continue
                if process.returncode == 4:
                    counts.refused += 1
                if process.returncode < 0 or "Fatal error" in err:
                    counts.crashes += 1
                    print("  crash in a concurrent apply:\n" + err[-2000:], file=sys.stderr)
        disturb_and_check(binary, counts, nothing, disturb)
    rows.append(counts.row(f"two applies at once ({counts.refused} of {counts.runs} second applies refused by the lease)"))
    failed |= not counts.clean()
    print(rows[-1], flush=True)

    fuzz_line = "not run"
    if options.fuzz > 0:
        corpus = [os.path.join(dp, f) for base in ("manifests", "Tests/ManifestTests/Fixtures")
                  for dp, _, files in os.walk(os.path.join(ROOT, base)) for f in files if f.endswith(".yaml")]
        work = tempfile.mkdtemp(prefix="reliability-fuzz-")
        try:
            done = subprocess.run([options.fuzz_bin, "--inputs", str(options.fuzz), "--seed", "20261122", "--work", work]
                                  + corpus, capture_output=True, text=True, timeout=3600)
            fuzz_line = (done.stdout.strip() or done.stderr.strip())
            if done.returncode != 0:
                failed = True
                fuzz_line = f"FAILED ({done.returncode}): {done.stderr.strip()[-500:]}"
                shutil.copy(os.path.join(work, "m.yaml"), os.path.join(ROOT, "fuzz-reproducer.yaml"))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print("| scenario | runs | duplicates | orphans | corrupted sources | crashes | hangs | not converged | lost | stale marks "
          "| most applies to converge |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(row)
    print()
    print(f"Fuzzing: {fuzz_line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
