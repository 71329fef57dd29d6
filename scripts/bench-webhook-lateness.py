#!/usr/bin/env python3
"""How late a reachable webhook hears `encoding_finished` while three others are unreachable
(docs/benchmarks.md, "Webhook deliveries beside unreachable receivers").

Usage: bench-webhook-lateness.py STREAMPLAN [--uploads N] [--transcode-seconds S]

Starts `STREAMPLAN sandbox --port 0 --min-part-size 1 --transcode-seconds S` (default 1) and, on
loopback, four receivers, each the URL of a webhook that wants every event:

  reachable   an HTTP server that answers 200 and notes when each body arrived;
  refused     a port nobody listens on (connection refused);
  silent      a listening socket whose connections complete and are never read (no answer ever);
  blackholed  a listening socket with a backlog of 0, already full: Linux drops every further SYN,
              as a firewall that drops packets would.

Then N uploads (default 5), one after the other: create, one part, complete. For each, the
lateness of the reachable receiver's `encoding_finished` is the time it arrived minus the
transcode's end the sandbox recorded (`event_at` of that delivery in GET /_sandbox/webhook_deliveries,
which is `complete` + S). The sandbox's delivery timeout is 10 s: a reachable receiver that
waited for an unreachable one would be about 10 s late (or 30 s, with the retries).
Prints each lateness, their median and maximum. Standard library only.
"""

import argparse
import datetime
import hashlib
import http.server
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def listening(backlog):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(backlog)
    return server


def refused_port():
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class Reachable(http.server.BaseHTTPRequestHandler):
    arrivals = []  # (time.time(), body)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        Reachable.arrivals.append((time.time(), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


class Sandbox:
    def __init__(self, binary, transcode_seconds):
        self.process = subprocess.Popen(
            [binary, "sandbox", "--port", "0", "--min-part-size", "1", "--transcode-seconds", str(transcode_seconds)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        lines = [self.process.stdout.readline().strip() for _ in range(3)]
        self.base = lines[0].removeprefix("sandbox: listening on ").removesuffix("/api")
        self.keys = {
            "stream-public-key": lines[1].removeprefix("sandbox: public key "),
            "stream-secret-key": lines[2].removeprefix("sandbox: secret key "),
        }

    def request(self, method, path, body=None, content_type="application/json", headers=None):
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in {**self.keys, "Content-Type": content_type, **(headers or {})}.items():
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=60) as answer:
            data = answer.read()
        return json.loads(data) if data else None

    def webhook(self, name, url):
        events = ["file_received", "encoding_started", "partial_finished", "encoding_finished", "encoding_failed"]
        body = {"name": name, "url": url, **{event: True for event in events}}
        return self.request("POST", "/api/webhooks", json.dumps(body).encode())["data"]["webhook"]["id"]

    def upload(self, index):
        video = self.request("POST", "/api/videos/create", json.dumps({"title": f"lateness {index}"}).encode())
        video_id = video["data"]["id"]
        payload = bytes(range(256)) * 16
        boundary = "benchboundary5c2e"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="index"\r\n\r\n0\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="hash"\r\n\r\n{hashlib.md5(payload).hexdigest()}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="part"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode() + payload + f"\r\n--{boundary}--\r\n".encode()
        self.request(
            "POST", f"/api/videos/{video_id}/part", body, f"multipart/form-data; boundary={boundary}",
            {"Content-Range": f"bytes 0-{len(payload) - 1}/{len(payload)}"},
        )
        self.request("GET", f"/api/videos/{video_id}/complete")
        return video_id

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("streamplan")
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--transcode-seconds", type=float, default=1)
    options = parser.parse_args()

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Reachable)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    silent = listening(64)
    blackhole = listening(0)
    filler = socket.create_connection(blackhole.getsockname())
    sandbox = Sandbox(options.streamplan, options.transcode_seconds)
    try:
        reachable = sandbox.webhook("reachable", f"http://127.0.0.1:{receiver.server_address[1]}/hooks")
        names = {
            sandbox.webhook("refused", f"http://127.0.0.1:{refused_port()}/hooks"): "refused",
            sandbox.webhook("silent", f"http://127.0.0.1:{silent.getsockname()[1]}/hooks"): "silent",
            sandbox.webhook("blackholed", f"http://127.0.0.1:{blackhole.getsockname()[1]}/hooks"): "blackholed",
        }
        lateness = []
        for index in range(options.uploads):
            video_id = sandbox.upload(index)
            deadline = time.time() + 120
            arrival = None
            while arrival is None and time.time() < deadline:
                arrival = next(
                    (at for at, body in Reachable.arrivals
                     if body.get("video_id") == video_id and body.get("type") == "encoding_finished"),
                    None,
                )
                time.sleep(0.01)
            if arrival is None:
                sys.exit(f"upload {index}: no encoding_finished within 120 s")
            while True:
                log = sandbox.request("GET", "/_sandbox/webhook_deliveries")["data"]
                entry = next(
                    (d for d in log if d["webhook_id"] == reachable and d.get("video_id") == video_id
                     and d["event"] == "encoding_finished"),
                    None,
                )
                if entry:
                    break
                time.sleep(0.05)
            late = arrival - parse_time(entry["event_at"])
            lateness.append(late)
            print(f"upload {index + 1}: encoding_finished {late * 1000:.0f} ms after the transcode's end")
        log = sandbox.request("GET", "/_sandbox/webhook_deliveries")["data"]
        for webhook_id, name in names.items():
            ended = [d for d in log if d["webhook_id"] == webhook_id]
            errors = sorted({d.get("error", "")[:70] for d in ended})
            print(f"{name}: {len(ended)} attempts ended meanwhile ({'; '.join(errors) or 'none'})")
        print(
            f"lateness over {len(lateness)} uploads: median {statistics.median(lateness) * 1000:.0f} ms, "
            f"max {max(lateness) * 1000:.0f} ms"
        )
    finally:
        sandbox.stop()
        filler.close()
        receiver.shutdown()


if __name__ == "__main__":
    main()
