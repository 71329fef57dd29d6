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
import traceback
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PUBLIC, SECRET = "pk_reliability", "sk_reliability_local_only"
TIMEOUT = 120
KINDS = ["video", "caption/chapter", "player", "playlist", "webhook", "live key", "streaming"]
PLAN_KINDS = {"video": "video", "caption": "caption/chapter", "chapter": "caption/chapter", "player": "player",
              "playlist": "playlist", "webhook": "webhook", "live_stream": "live key", "streaming": "streaming"}
# (crash point, what the killed run does, the kind it belongs to)
EVENTS = [
    ("after-create", "create", "video"),
    ("mid-part", "create", "video"),
    ("before-source-mark", "create", "video"),
    ("after-source-mark", "create", "video"),
    ("after-complete", "create", "video"),
    ("replace-before-delete", "replace", "video"),
    ("after-delete", "delete", "video"),
    ("text-track-before-upload", "create", "caption/chapter"),
    ("text-track-after-upload", "create", "caption/chapter"),
    ("text-track-after-delete", "chapter-delete", "caption/chapter"),
    ("player-after-create", "create", "player"),
    ("player-after-logo", "create", "player"),
    ("player-after-delete", "player-delete", "player"),
    ("playlist-after-create", "create", "playlist"),
    ("playlist-mid-items", "create", "playlist"),
    ("playlist-replace-before-delete", "playlist-replace", "playlist"),
    ("playlist-after-delete", "playlist-delete", "playlist"),
    ("webhook-after-create", "create", "webhook"),
    ("webhook-after-delete", "webhook-delete", "webhook"),
    ("key-after-create", "create", "live key"),
    ("key-after-delete", "key-delete", "live key"),
    ("streaming-after-create", "create", "streaming"),
    ("streaming-replace-before-delete", "streaming-replace", "streaming"),
    ("streaming-replace-after-delete", "streaming-replace", "streaming"),
    ("streaming-after-delete", "streaming-delete", "streaming"),
]
# The quickstart's managed names (manifests/).
KEY_NAME, PLAYER_NAME, WEBHOOK_NAME = "Northwind Town Hall", "Swift 101 player", "Encoding done"


class KindCounts:
    def __init__(self):
        self.duplicates = self.orphans = self.unconverged = self.lost = self.stale = 0

    def add(self, other):
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def dirty(self):
        return self.duplicates or self.orphans or self.unconverged or self.lost or self.stale


class Counts:
    def __init__(self):
        self.runs = self.corrupted = self.crashes = self.hangs = self.unconverged = 0
        self.applies = []
        self.refused = 0
        self.kinds = {kind: KindCounts() for kind in KINDS}

    def __getattr__(self, name):
        # Totals over the kinds: duplicates, orphans, lost, stale.
        if name in ("duplicates", "orphans", "lost", "stale"):
            return sum(getattr(k, name) for k in self.__dict__["kinds"].values())
        raise AttributeError(name)

    def add(self, other):
        self.runs += other.runs
        self.corrupted += other.corrupted
        self.crashes += other.crashes
        self.hangs += other.hangs
        self.unconverged += other.unconverged
        self.applies += other.applies
        self.refused += other.refused
        for kind in KINDS:
            self.kinds[kind].add(other.kinds[kind])

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

    def listing(self, method, path, body=None):
        """The first list in an answer's `data` (each listing names its items its own way)."""
        data = json.loads(self.request(method, path, body))["data"]
        if isinstance(data, list):
            return data
        return next((v for v in data.values() if isinstance(v, list)), [])

    def players(self):
        return self.listing("GET", "/players?offset=0&limit=100")

    def webhooks(self):
        return self.listing("GET", "/webhooks?offset=0&limit=100")

    def playlists(self):
        return self.listing("POST", "/playlists", {"offset": 0, "limit": 100})

    def streamings(self, key_id):
        return self.listing("GET", f"/live_streams/{key_id}/streamings")

    def registry(self, videos):
        """The project's registry entries (address → id or pending mark), from its pages."""
        entries = {}
        for video in videos:
            marks = {m["key"]: m["value"] for m in video.get("metadata") or []}
            if "streamplan.registry" in marks and "streamplan.project" not in marks:
                for key, value in marks.items():
                    if key not in ("streamplan.registry", "streamplan.registry_page"):
                        entries.setdefault(key, value)
        return entries


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
    """Applies until the plan is empty (at most 2 applies); returns how many it took, or None. A run
    that does not converge counts against each kind the last plan still changes."""
    flags = ["apply", "--auto-approve"] + (["--allow-delete"] if allow_delete else [])
    done = plan = None
    for attempt in range(1, 3):
        done = run(binary, flags, directory, sandbox, counts, state=state)
        plan = run(binary, ["plan", "--detailed-exitcode", "--format", "json"], directory, sandbox, counts, state=state)
        if plan is not None and plan.returncode == 0:
            return attempt
    counts.unconverged += 1
    kinds = set()
    try:
        kinds = {PLAN_KINDS.get(c.get("kind"), c.get("kind")) for c in json.loads(plan.stdout)["changes"]}
    except Exception:
        pass
    for kind in kinds or {"video"}:
        if kind in counts.kinds:
            counts.kinds[kind].unconverged += 1
    print(f"  did not converge in 2 applies ({', '.join(sorted(kinds))}): "
          f"{done.stdout[-1500:] + done.stderr[-500:] if done else 'hang'}", file=sys.stderr)
    return None


def marks_of(item):
    """An object's metadata as a map: a list of key/value pairs (videos) or a map (playlists)."""
    metadata = item.get("metadata") or []
    if isinstance(metadata, dict):
        return dict(metadata)
    return {m["key"]: m["value"] for m in metadata}


def check(sandbox, counts):
    """Counts, per kind, what the account holds that it should not (docs/reliability.md)."""
    videos = sandbox.videos()
    registry = sandbox.registry(videos)
    v = counts.kinds["video"]
    managed = [video for video in videos if "streamplan.project" in marks_of(video)]
    addresses = {}
    for video in managed:
        marks = marks_of(video)
        if "streamplan.address" not in marks:
            v.orphans += 1
            continue
        addresses.setdefault(marks["streamplan.address"], []).append(video)
        source = (video.get("assets") or {}).get("source_url")
        if video.get("status") in ("transcoding", "done") and source:
            digest = hashlib.sha256(sandbox.request("GET", "", url=source)).hexdigest()
            if digest != marks.get("streamplan.source_sha256"):
                counts.corrupted += 1
        if "streamplan.create_token" in marks:
            v.stale += 1
    v.duplicates += sum(len(group) - 1 for group in addresses.values() if len(group) > 1)

    t = counts.kinds["caption/chapter"]
    for video in managed:
        marks = marks_of(video)
        for kind in ("captions", "chapters"):
            if f"streamplan.{kind}" not in marks:
                continue
            marked = {item.split("=")[0] for item in marks[f"streamplan.{kind}"].split(",") if "=" in item}
            have = {track.get("language") for track in sandbox.listing("GET", f"/videos/{video['id']}/{kind}?offset=0&limit=100")}
            t.stale += len(marked - have)

    def registered(kind_prefix, objects, counts_of, name_key, name, depth=2):
        """Duplicates (two objects with the managed name), orphans (one the registry does not name) and
        stale entries (an id the account no longer has) of one registered kind."""
        ids = {o["id"] for o in objects}
        named = [o for o in objects if o.get(name_key) == name]
        counts_of.duplicates += max(0, len(named) - 1)
        entries = {k: val for k, val in registry.items()
                   if k.startswith(kind_prefix) and len(k.split(".")) == depth}
        claimed = set(entries.values())
        counts_of.orphans += sum(1 for o in named if o["id"] not in claimed)
        counts_of.stale += sum(1 for val in entries.values() if not val.startswith("pending:") and val not in ids)
        return entries

    registered("player.", sandbox.players(), counts.kinds["player"], "name", PLAYER_NAME)
    registered("webhook.", sandbox.webhooks(), counts.kinds["webhook"], "name", WEBHOOK_NAME)
    keys = sandbox.keys()
    registered("live_stream.", keys, counts.kinds["live key"], "name", KEY_NAME)

    s = counts.kinds["streaming"]
    claimed = set(registry.values())
    seen = set()
    for key in keys:
        if key["id"] not in claimed:
            continue
        streamings = sandbox.streamings(key["id"])
        seen |= {x["id"] for x in streamings}
        titles = [x.get("title") for x in streamings]
        s.duplicates += sum(titles.count(title) - 1 for title in set(titles))
        s.orphans += sum(1 for x in streamings if x["id"] not in claimed)
    for address, value in registry.items():
        parts = address.split(".")
        if len(parts) == 4 and parts[2] == "streaming" and not value.startswith("pending:") and value not in seen:
            s.stale += 1

    p = counts.kinds["playlist"]
    by_address = {}
    for playlist in sandbox.playlists():
        marks = marks_of(playlist)
        if "streamplan.project" not in marks:
            continue
        if "streamplan.address" not in marks:
            p.orphans += 1
            continue
        by_address.setdefault(marks["streamplan.address"], []).append(playlist)
        if "streamplan.create_token" in marks:
            p.stale += 1
    p.duplicates += sum(len(group) - 1 for group in by_address.values() if len(group) > 1)


def disturb_and_check(binary, prepare, disturb, faults=None, extra=()):
    """One run: a fresh account and workspace, `prepare`, `disturb` (which may return a sandbox restarted
    on the same data), convergence and the checks. Returns the run's counts."""
    counts = Counts()
    directory = workspace()
    data = tempfile.mkdtemp(prefix="reliability-data-")
    sandbox = Sandbox(binary, data, faults, extra)
    try:
        counts.runs += 1
        prepare(directory, sandbox, counts)
        sandbox = disturb(directory, sandbox, counts) or sandbox
        applies = converge(binary, directory, sandbox, counts)
        if applies:
            counts.applies.append(applies)
        check(sandbox, counts)
    except Exception as error:  # a run that could not be set up counts as not converged, never as clean
        counts.unconverged += 1
        print(f"  run failed: {error!r}", file=sys.stderr)
        traceback.print_exc()
    finally:
        sandbox.stop()
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return counts


def edit(directory, path, old, new):
    path = os.path.join(directory, "manifests", path)
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise RuntimeError(f"{path} does not hold {old!r}")
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def remove(directory, path):
    os.remove(os.path.join(directory, "manifests", path))


# What each scenario changes in the manifests before the run that is disturbed (after a first apply).
def change_for(kind, n):
    def replace(directory):
        write_big(directory, seed=100 + n)

    def delete(directory):
        remove(directory, "videos/big.yaml")

    def chapter_delete(directory):
        edit(directory, "videos/course.yaml", "    chapters:\n      en: ../media/chapters/intro.en.vtt\n", "")

    def player_delete(directory):
        remove(directory, "players.yaml")
        edit(directory, "videos/course.yaml", "    player: brand", "    # player: brand")

    def playlist_replace(directory):
        edit(directory, "playlists.yaml", "    type: series\n", "    type: course\n")

    def playlist_delete(directory):
        remove(directory, "playlists.yaml")

    def webhook_delete(directory):
        remove(directory, "webhooks.yaml")

    def key_delete(directory):
        remove(directory, "live.yaml")

    def streaming_replace(directory):
        edit(directory, "live.yaml", "qualities: [720p, 1080p]", "qualities: [360p, 720p, 1080p]")

    def streaming_delete(directory):
        # q-and-a is the last streaming of live.yaml: everything from its line on goes.
        path = os.path.join(directory, "manifests", "live.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text[:text.index("      q-and-a:")])

    return {"replace": replace, "delete": delete, "chapter-delete": chapter_delete, "player-delete": player_delete,
            "playlist-replace": playlist_replace, "playlist-delete": playlist_delete, "webhook-delete": webhook_delete,
            "key-delete": key_delete, "streaming-replace": streaming_replace,
            "streaming-delete": streaming_delete}.get(kind)


def with_playlist_type(directory):
    """A playlist's type is fixed at creation: the playlist-replace scenario starts from `type: series`."""
    edit(directory, "playlists.yaml", "    tags: [course]\n", "    tags: [course]\n    type: series\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/streamplan"))
    parser.add_argument("--fuzz-bin", default=os.path.join(ROOT, ".build/debug/manifest-fuzz"))
    parser.add_argument("--events", type=int, default=5, help="runs per named crash point")
    parser.add_argument("--only", default="", help="comma-separated crash points to run (default: every one)")
    parser.add_argument("--random", type=int, default=30, help="runs killed at a random moment")
    parser.add_argument("--storms", type=int, default=10, help="fault storms per rate, one seed each")
    parser.add_argument("--rates", default="0.2,0.4", help="fault rates of the storms")
    parser.add_argument("--concurrent", type=int, default=20, help="trials of two applies at once")
    parser.add_argument("--fuzz", type=int, default=100000, help="fuzz inputs of the manifest loader, and as many .vtt files")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (each has its own sandbox)")
    options = parser.parse_args()
    binary = options.bin
    rows = []
    totals = Counts()
    failed = False
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs))

    def scenario(name, runs):
        """Runs `runs` (callables returning Counts) on the pool; records the scenario's row."""
        nonlocal failed
        counts = Counts()
        for result in pool.map(lambda job: job(), runs):
            counts.add(result)
        rows.append(counts.row(name))
        totals.add(counts)
        failed |= not counts.clean()
        print(rows[-1], flush=True)
        return counts

    def nothing(directory, sandbox, counts):
        pass

    def applied(directory, sandbox, counts, before=None):
        if before:
            before(directory)
        done = run(binary, ["apply", "--auto-approve"], directory, sandbox, Counts())
        if done is None or done.returncode != 0:
            raise RuntimeError("the first apply failed: " + (done.stdout[-800:] + done.stderr[-800:] if done else "hang"))

    only = {name for name in options.only.split(",") if name}
    for event, kind, _ in EVENTS:
        if only and event not in only:
            continue
        jobs = []
        for n in range(options.events):
            def job(event=event, kind=kind, n=n):
                def disturb(directory, sandbox, counts):
                    flags = ["apply", "--auto-approve"]
                    change = change_for(kind, n)
                    if change:
                        change(directory)
                        flags.append("--allow-delete")
                    done = run(binary, flags, directory, sandbox, counts, crash_at=event)
                    if done is not None and done.returncode != -signal.SIGKILL:
                        print(f"  {event}: the run was not killed ({done.returncode})", file=sys.stderr)

                def prepare(directory, sandbox, counts):
                    if kind == "create":
                        return
                    applied(directory, sandbox, counts, with_playlist_type if kind == "playlist-replace" else None)
                return disturb_and_check(binary, prepare, disturb)
            jobs.append(job)
        scenario(f"kill -9 at {event}", jobs)

    # Issue 26: a replace whose every create is answered 500 must fail and keep the old objects.
    jobs = []
    for n in range(options.events if not only else 0):
        def job(n=n):
            def disturb(directory, sandbox, counts):
                videos = sandbox.videos()
                old = [video["id"] for video in videos if marks_of(video).get("streamplan.address") == "video.big"]
                old_playlists = [p["id"] for p in sandbox.playlists()]
                registry = sandbox.registry(videos)
                old_streaming = registry.get("live_stream.townhall.streaming.kickoff")
                key = registry.get("live_stream.townhall")
                if len(old) != 1 or not old_streaming or not key:
                    raise RuntimeError(f"expected video.big and the kickoff streaming before the replace, found {old}")
                write_big(directory, seed=300 + n)
                edit(directory, "playlists.yaml", "    type: series\n", "    type: course\n")
                change_for("streaming-replace", n)(directory)
                sandbox.stop()
                faulty = Sandbox(binary, sandbox.data, extra=[
                    "--fault-rate", "1", "--fault-kinds", "500", "--fault-paths",
                    "/videos/create,/media/create,/playlists/create,POST /live_streams/:id/streamings"])
                try:
                    run(binary, ["apply", "--auto-approve", "--allow-delete"], directory, faulty, counts)
                    left = {video["id"] for video in faulty.videos()}
                    counts.kinds["video"].lost += sum(1 for id in old if id not in left)
                    left_playlists = {p["id"] for p in faulty.playlists()}
                    counts.kinds["playlist"].lost += sum(1 for id in old_playlists if id not in left_playlists)
                    streamings = {x["id"] for x in faulty.streamings(key)}
                    counts.kinds["streaming"].lost += 0 if old_streaming in streamings else 1
                finally:
                    faulty.stop()
                return Sandbox(binary, sandbox.data)

            def prepare(directory, sandbox, counts):
                applied(directory, sandbox, counts, with_playlist_type)
            return disturb_and_check(binary, prepare, disturb)
        jobs.append(job)
    if jobs:
        scenario("replace whose creates are answered 500 (video, playlist, streaming)", jobs)

    rng = random.Random(7)
    delays = [rng.uniform(0.05, 3.0) for _ in range(options.random if not only else 0)]
    jobs = []
    for delay in delays:
        def job(delay=delay):
            def disturb(directory, sandbox, counts):
                env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET,
                           STREAMPLAN_MIN_PART_SIZE="65536", STREAMPLAN_PART_SIZE="65536",
                           STREAMPLAN_LEASE_SETTLE_MS="300")
                env.pop("STREAMPLAN_CRASH_AT", None)
                process = subprocess.Popen([binary, "apply", "--auto-approve", "--endpoint", sandbox.base,
                                            "--state-dir", "state", "manifests"], cwd=directory, env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                process.wait()
            return disturb_and_check(binary, nothing, disturb)
        jobs.append(job)
    if jobs:
        scenario("kill -9 at a random moment (0.05-3 s)", jobs)

    for rate in [float(r) for r in options.rates.split(",") if r] if not only else []:
        jobs = []
        for seed in range(1, options.storms + 1):
            def job(rate=rate, seed=seed):
                def disturb(directory, sandbox, counts):
                    # Two applies in the storm, then the storm ends: the sandbox restarts on the same data.
                    for _ in range(2):
                        run(binary, ["apply", "--auto-approve", "--allow-delete"], directory, sandbox, counts)
                    sandbox.stop()
                    return Sandbox(binary, sandbox.data)
                return disturb_and_check(binary, nothing, disturb, faults=(rate, seed))
            jobs.append(job)
        scenario(f"fault storm, {rate:.0%} of requests, then none", jobs)

    jobs = []
    for _ in range(options.concurrent if not only else 0):
        def job():
            def disturb(directory, sandbox, counts):
                env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET,
                           STREAMPLAN_MIN_PART_SIZE="65536", STREAMPLAN_PART_SIZE="65536",
                           STREAMPLAN_LEASE_SETTLE_MS="1000")
                env.pop("STREAMPLAN_CRASH_AT", None)
                processes = [subprocess.Popen([binary, "apply", "--auto-approve", "--endpoint", sandbox.base,
                                               "--state-dir", state, "manifests"], cwd=directory, env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                             for state in ("state-a", "state-b")]
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
            return disturb_and_check(binary, nothing, disturb)
        jobs.append(job)
    if jobs:
        counts = scenario("two applies at once", jobs)
        rows[-1] = counts.row(f"two applies at once ({counts.refused} of {counts.runs} second applies refused by the lease)")
    pool.shutdown()

    fuzz_lines = ["not run"]
    if options.fuzz > 0 and not only:
        def files(bases, suffix):
            return sorted(os.path.join(dp, f) for base in bases
                          for dp, _, names in os.walk(os.path.join(ROOT, base)) for f in names if f.endswith(suffix))
        # The manifests (every rules file reads them), then the WebVTT checker through caption and
        # chapter files a fixed manifest names: `--fuzz` inputs each.
        runs = [("manifests", [], files(("manifests", "Tests/ManifestTests/Fixtures"), ".yaml")),
                (".vtt files", ["--vtt"], files(("manifests",), ".vtt"))]
        fuzz_lines = []
        for label, flags, corpus in runs:
            work = tempfile.mkdtemp(prefix="reliability-fuzz-")
            try:
                done = subprocess.run([options.fuzz_bin, "--inputs", str(options.fuzz), "--seed", "20261122", "--work", work]
                                      + flags + corpus, capture_output=True, text=True, timeout=3600)
                line = (done.stdout.strip() or done.stderr.strip())
                if done.returncode != 0:
                    failed = True
                    line = f"FAILED ({done.returncode}): {done.stderr.strip()[-500:]}"
                    name = "t.vtt" if flags else "m.yaml"
                    shutil.copy(os.path.join(work, name), os.path.join(ROOT, "fuzz-reproducer" + os.path.splitext(name)[1]))
                fuzz_lines.append(f"{label}: {line}")
            finally:
                shutil.rmtree(work, ignore_errors=True)

    print()
    print("| scenario | runs | duplicates | orphans | corrupted sources | crashes | hangs | not converged | lost | stale marks "
          "| most applies to converge |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(row)
    print()
    print("Per kind, over every run above:")
    print()
    print("| kind | duplicates | orphans (disowned) | not converged in 2 applies | lost | stale marks |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in KINDS:
        k = totals.kinds[kind]
        print(f"| {kind} | {k.duplicates} | {k.orphans} | {k.unconverged} | {k.lost} | {k.stale} |")
    print()
    print(f"Runs: {totals.runs}; crashes {totals.crashes}, hangs {totals.hangs}, corrupted sources {totals.corrupted}.")
    for line in fuzz_lines:
        print(f"Fuzzing {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
