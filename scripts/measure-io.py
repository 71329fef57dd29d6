#!/usr/bin/env python3
"""Run a command and print what it read, exactly, with its wall time and peak memory
(docs/benchmarks.md, "Sources from Git LFS and S3").

  measure-io.py [--label LABEL] -- COMMAND [ARG…]

The command's stdout and stderr pass through. After it exits, one line goes to stderr:

  LABEL: exit N, wall S s, rchar B, read_bytes B, inblock B, wchar B, write_bytes B, maxrss KiB, user S s, sys S s

Method: the child is waited for with waitid(WEXITED | WNOWAIT), which returns once it has exited but
leaves it a zombie, so /proc/PID/io can still be read: its final counters, not a sample taken a few
milliseconds early. Then wait4 reaps it and gives its rusage (ru_inblock, in 512-byte blocks, is the
same disk input as read_bytes, and covers the children it waited for; ru_maxrss its peak RSS).
rchar counts every byte returned by read()-like calls (files, pipes and sockets: the HTTP answers
too); read_bytes only what was fetched from the block device (0 when the page cache held it);
wchar and write_bytes the same for writes (write_bytes: bytes of files it dirtied, sent to storage).
ru_maxrss is what `/usr/bin/time -f %M` prints; Linux keeps it across exec, so it is at least this
script's own (about 14 MiB).
/proc/PID/io sums the process's threads, those that exited included, but not its children.
"""
import os
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    label = "command"
    if args[:1] == ["--label"]:
        label, args = args[1], args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    start = time.monotonic()
    child = subprocess.Popen(args)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - start
    io = {}
    with open(f"/proc/{child.pid}/io") as f:
        for line in f:
            key, _, value = line.partition(":")
            io[key] = int(value)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    print(
        f"{label}: exit {child.returncode}, wall {wall:.2f} s, rchar {io['rchar']}, read_bytes {io['read_bytes']}, "
        f"inblock {usage.ru_inblock * 512}, wchar {io['wchar']}, write_bytes {io['write_bytes']}, maxrss {usage.ru_maxrss} KiB, user {usage.ru_utime:.2f} s, "
        f"sys {usage.ru_stime:.2f} s",
        file=sys.stderr,
        flush=True,
    )
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
