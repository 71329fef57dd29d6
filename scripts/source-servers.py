#!/usr/bin/env python3
"""Real servers on loopback for the tests of URL and S3 sources (Tests/CLITests/RemoteSourceTests.swift).

  source-servers.py DIRECTORY

Starts, on free loopback ports:
  - moto's S3 server with authentication on (an IAM user whose access key signs every request:
    a wrong secret gets SignatureDoesNotMatch, as from AWS), and a bucket "media";
  - a small HTTP server for the files under DIRECTORY, with what Python's http.server lacks:
    byte ranges (Range: bytes=A-B, 206 and Content-Range), a strong ETag (the content's MD5) and If-Match;
    /to/TARGET answers 302 to TARGET (/to//NAME: to /NAME on this server); /flaky/NAME serves NAME
    but breaks off its first ranged GET that does not start at 0 half-way; /busy/NAME serves NAME but
    answers that first ranged GET with 503 (Retry-After: 1).
Prints one JSON line: {"s3_port", "http_port", "access_key_id", "secret_access_key"}. Then reads
commands, one a line (fields separated by tabs: keys may hold spaces), answering one JSON line each:
  put KEY PATH sha256|plain    uploads the file at PATH as s3://media/KEY (with S3's stored SHA-256
                               checksum, or without one); answers {"etag": ...}
  requests                     the HTTP server's request lines so far; answers {"requests": [...]}
Stops when its input closes.
"""
import hashlib
import http.server
import json
import os
import socket
import sys
import threading

# The first three requests (creating the IAM user, its key and its policy) go unauthenticated;
# every later one must be signed with that key. Read by moto when it is imported.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

BUCKET = "media"


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class RangeHandler(http.server.BaseHTTPRequestHandler):
    root = "."
    seen = []
    broke = False
    refused = False

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        RangeHandler.seen.append(f"{self.command} {self.path} range={self.headers.get('Range')}")
        if self.path.startswith("/to/"):
            # /to/TARGET answers a redirect to TARGET (a path on this server, or any URL).
            self.send_response(302)
            self.send_header("Location", self.path[len("/to/") :])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        # /flaky/NAME serves NAME, but the first ranged GET that does not start at 0 stops half-way
        # (the connection closes after half the promised bytes).
        flaky = self.path.startswith("/flaky/")
        busy = self.path.startswith("/busy/")
        name = self.path[len("/flaky") :] if flaky else self.path[len("/busy") :] if busy else self.path
        # /busy/NAME serves NAME, but answers the first ranged GET that does not start at 0 with 503.
        ranged_late = (self.headers.get("Range") or "bytes=0-").startswith("bytes=0-") is False
        if busy and ranged_late and not RangeHandler.refused:
            RangeHandler.refused = True
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = os.path.join(self.root, name.split("?")[0].lstrip("/"))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        etag = '"' + hashlib.md5(data).hexdigest() + '"'
        wanted = self.headers.get("If-Match")
        if wanted is not None and wanted != etag and wanted != "*":
            self.send_response(412)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, start, end = 200, 0, len(data) - 1
        ranged = self.headers.get("Range")
        if ranged and ranged.startswith("bytes="):
            first, _, last = ranged[len("bytes="):].partition("-")
            start = int(first)
            end = min(int(last), len(data) - 1) if last else len(data) - 1
            if start >= len(data) or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "video/mp4")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if body and flaky and start > 0 and not RangeHandler.broke:
            RangeHandler.broke = True
            self.wfile.write(data[start : start + (end - start + 1) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if body:
            self.wfile.write(data[start : end + 1])


def main():
    from moto.server import ThreadedMotoServer
    import boto3
    from botocore.config import Config

    RangeHandler.root = sys.argv[1]
    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    threading.Thread(target=web.serve_forever, daemon=True).start()

    endpoint = f"http://127.0.0.1:{s3_port}"
    iam = boto3.client(
        "iam", endpoint_url=endpoint, aws_access_key_id="setup", aws_secret_access_key="setup", region_name="us-east-1"
    )
    iam.create_user(UserName="streamplan")
    key = iam.create_access_key(UserName="streamplan")["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="streamplan", PolicyName="all", PolicyDocument=json.dumps(policy))
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    s3.create_bucket(Bucket=BUCKET)
    print(
        json.dumps(
            {
                "s3_port": s3_port,
                "http_port": web.server_address[1],
                "access_key_id": key["AccessKeyId"],
                "secret_access_key": key["SecretAccessKey"],
            }
        ),
        flush=True,
    )
    for line in sys.stdin:
        words = line.rstrip("\n").split("\t")
        if not words or not words[0]:
            continue
        if words[0] == "put":
            _, name, path, mode = words
            with open(path, "rb") as f:
                data = f.read()
            extra = {"ChecksumAlgorithm": "SHA256"} if mode == "sha256" else {}
            answer = s3.put_object(Bucket=BUCKET, Key=name, Body=data, **extra)
            print(json.dumps({"etag": answer["ETag"]}), flush=True)
        elif words[0] == "requests":
            print(json.dumps({"requests": RangeHandler.seen}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {words[0]}"}), flush=True)
    web.shutdown()
    moto.stop()


if __name__ == "__main__":
    main()
