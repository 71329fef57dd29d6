#!/usr/bin/env python3
"""Benchmark for docs/benchmarks.md (issue 11, item 4): `streamplan apply` creating one large video,
beside curl posting the same file in one part to the same sandbox, in the same run.

    scripts/bench-upload.py path/to/streamplan [SIZES_MIB=1024,2048] [RUNS=3] [PART_MIB=50] [-- SANDBOX ARGS…]

Starts `streamplan sandbox --port 0 --data DIR` (extra sandbox arguments after `--`, e.g.
`--latency 50 --bandwidth 100`), and for each size writes that many MiB of random bytes behind an MP4
signature, then RUNS times, each run preceded by the load average (`/proc/loadavg`):
  1. curl: create, then one `POST /videos/{id}/part` of the whole file (`-F file=@…`) with the MD5
     computed beforehand by md5sum (timed separately: "md5sum + curl" is a client that reads the
     file twice, as streamplan did before), then complete;
  2. `streamplan apply --auto-approve` of a one-video manifest in a new project (a create: no
     SHA-256 before the upload any more; parts with MD5 and the file's SHA-256 computed while
     streaming, the source mark's PATCH, complete).
Wall time, CPU time (user + system) and peak RSS of each client come from `/usr/bin/time -v`; the
sandbox's CPU time during each upload from /proc/PID/stat. STREAMPLAN_HASH_STATS=1 makes streamplan
say how many bytes it hashed from the upload and how many it read again; the script prints it.
Environment passed through: STREAMPLAN_HASH_WINDOW_MIB, STREAMPLAN_PART_CONCURRENCY (→ --part-concurrency),
STREAMPLAN_LEASE_SETTLE_MS (the account lease's settle delay; 0 shows the upload without it).
"""
import json, os, re, subprocess, sys, tempfile, time

args = sys.argv[1:]
sandbox_args = []
if "--" in args:
    sandbox_args = args[args.index("--") + 1:]
    args = args[:args.index("--")]
binary = os.path.abspath(args[0])
sizes = [int(s) for s in (args[1] if len(args) > 1 else "1024,2048").split(",")]
runs = int(args[2] if len(args) > 2 else 3)
part_mib = int(args[3] if len(args) > 3 else 50)
concurrency = os.environ.get("STREAMPLAN_PART_CONCURRENCY", "8")
PUBLIC, SECRET = "pk_bench", "sk_bench_local_only"
TICK = os.sysconf("SC_CLK_TCK")

work = tempfile.mkdtemp(prefix="bench-upload-")
sandbox = subprocess.Popen([binary, "sandbox", "--port", "0", "--data", os.path.join(work, "data"),
                            "--account", f"{PUBLIC}:{SECRET}", *sandbox_args], stdout=subprocess.PIPE, text=True)
base = None
for line in sandbox.stdout:
    m = re.match(r"sandbox: listening on (\S+)", line)
    if m:
        base = m.group(1)
    if "ready" in line:
        break


def sandbox_cpu():
    fields = open(f"/proc/{sandbox.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(argv, env=None):
    """Runs argv under /usr/bin/time -v; returns (wall s, client CPU s, peak RSS MiB, sandbox CPU s, stdout, stderr)."""
    # Dirty pages of the previous step written back first: otherwise its writeback throttles this one.
    os.sync()
    cpu0 = sandbox_cpu()
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *argv], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    server = sandbox_cpu() - cpu0
    if done.returncode != 0:
        sys.exit(f"failed: {argv[0]}: {done.stderr[-3000:]}")
    stats = dict(re.findall(r"^\s*(.+?): (.+)$", done.stderr, re.M))
    cpu = float(stats["User time (seconds)"]) + float(stats["System time (seconds)"])
    rss = int(stats["Maximum resident set size (kbytes)"]) / 1024
    return wall, cpu, rss, server, done.stdout, done.stderr


keys = ["-H", f"stream-public-key: {PUBLIC}", "-H", f"stream-secret-key: {SECRET}"]
rows = []
try:
    for size_mib in sizes:
        size = size_mib << 20
        source = os.path.join(work, "big.mp4")
        with open(source, "wb") as f:
            f.write(b"\x00\x00\x00\x18ftypisom")
            left = size - 12
            while left:
                block = os.urandom(min(8 << 20, left))
                f.write(block)
                left -= len(block)
        for run in range(1, runs + 1):
            load = open("/proc/loadavg").read().split()[0]
            md5_wall, _, _, _, md5_out, _ = measure(["md5sum", source])
            md5 = md5_out.split()[0]
            _, _, _, _, created, _ = measure(["curl", "-sf", "-X", "POST", base + "/videos/create", *keys, "-H",
                                              "Content-Type: application/json", "-d", '{"title":"curl"}'])
            vid = json.loads(created)["data"]["id"]
            curl = measure(["curl", "-sf", "-X", "POST", f"{base}/videos/{vid}/part", *keys,
                            "-H", f"Content-Range: bytes 0-{size - 1}/{size}",
                            "-F", f"file=@{source}", "-F", "index=0", "-F", f"hash={md5}"])
            # Every upload ends with `complete` (the sandbox links the parts: no copy since issue 11);
            # streamplan's time includes it, so it is timed for curl too.
            complete = measure(["curl", "-sf", f"{base}/videos/{vid}/complete", *keys])

            project = os.path.join(work, f"m-{size_mib}-{run}")
            os.makedirs(os.path.join(project, "media"))
            os.link(source, os.path.join(project, "media", "big.mp4"))
            with open(os.path.join(project, "streamplan.yaml"), "w") as f:
                f.write(f"project: bench-{size_mib}-{run}\nvideos:\n  big:\n    title: Big\n    source: media/big.mp4\n")
            env = dict(os.environ, STREAM_PUBLIC_KEY=PUBLIC, STREAM_SECRET_KEY=SECRET, NO_COLOR="1",
                       STREAMPLAN_HASH_STATS="1")
            sp = measure([binary, "apply", "--endpoint", base, "--auto-approve",
                          "--state-dir", os.path.join(project, ".streamplan"), "--part-size", str(part_mib),
                          "--part-concurrency", concurrency, project], env)
            stats = re.search(r"hashed while uploading: (\d+) bytes from the upload, (\d+) read again, window peak (\d+)",
                              sp[5])
            reread = int(stats.group(2)) / size if stats else float("nan")
            phases = re.search(r"parts ([\d.]+) s, hash wait and source mark ([\d.]+) s, complete ([\d.]+) s", sp[5])
            # The rest of the apply: start, plan, the lease's settle delay (2 s, overlapped with the plan),
            # create, and the links printed at the end.
            rest = sp[0] - sum(float(x) for x in phases.groups()) if phases else float("nan")
            phases = "/".join(phases.groups()) + f"/{rest:.2f}" if phases else "?"
            row = dict(size=size_mib, run=run, load=load, md5=md5_wall, curl=curl[0], complete=complete[0], curl_cpu=curl[1],
                       curl_rss=curl[2], curl_server=curl[3] + complete[3], sp=sp[0], sp_cpu=sp[1], sp_rss=sp[2], sp_server=sp[3],
                       reread=reread, phases=phases)
            rows.append(row)
            print(f"{size_mib} MiB run {run} (load {load}): curl {curl[0]:.2f} s (+ complete {complete[0]:.2f} s), "
                  f"md5sum {md5_wall:.2f} s, "
                  f"streamplan {sp[0]:.2f} s = {sp[0] / curl[0]:.2f}x curl, {sp[0] / (md5_wall + curl[0]):.2f}x md5sum+curl; "
                  f"CPU client {sp[1]:.2f} s / sandbox {sp[3]:.2f} s (curl {curl[1]:.2f} / {curl[3] + complete[3]:.2f} with complete); "
                  f"RSS {sp[2]:.0f} MiB (curl {curl[2]:.0f}); re-read {reread:.0%}; "
                  f"parts/hash wait+mark/complete/rest {phases} s", flush=True)
            os.unlink(os.path.join(project, "media", "big.mp4"))
        os.unlink(source)
finally:
    sandbox.terminate()
    sandbox.wait()
    subprocess.run(["rm", "-rf", work])

print()
print(f"parts of {part_mib} MiB, {concurrency} in flight, hash window "
      f"{os.environ.get('STREAMPLAN_HASH_WINDOW_MIB', 'default')} MiB, sandbox args {sandbox_args or 'none'}")
print("| file | run | load before | curl POST | curl POST + complete | md5sum + curl | streamplan apply | / curl POST | "
      "/ curl POST + complete | / md5sum + curl | CPU client / sandbox (curl POST + complete) | CPU client / sandbox (streamplan) | "
      "peak RSS | re-read | parts / hash wait + mark / complete / rest |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    whole = r['curl'] + r['complete']
    print(f"| {r['size']} MiB | {r['run']} | {r['load']} | {r['curl']:.2f} s | {whole:.2f} s | {r['md5'] + r['curl']:.2f} s | "
          f"{r['sp']:.2f} s | {r['sp'] / r['curl']:.2f}× | {r['sp'] / whole:.2f}× | {r['sp'] / (r['md5'] + r['curl']):.2f}× | "
          f"{r['curl_cpu']:.2f} / {r['curl_server']:.2f} s | {r['sp_cpu']:.2f} / {r['sp_server']:.2f} s | "
          f"{r['sp_rss']:.0f} MiB | {r['reread']:.0%} | {r['phases']} s |")
