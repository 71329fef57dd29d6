#!/usr/bin/env python3
"""Fuzzes every operation the sandbox serves with schemathesis, against AIOZ's OpenAPI documents.

Starts `streamplan sandbox` on a free loopback port with a fixed account, seeds it through the API
(videos uploaded under both generations, a live key with a streaming, a playlist with items, a
player, a webhook, captions and chapters), then runs `schemathesis run` over each document of
docs/openapi/ (2026: `/media`, live streams, `/user/me`; 2025: `/videos`) with a bounded number of
examples per operation, in schemathesis' deterministic mode (the same requests every run; `--seed N`
draws at random from that seed instead), authenticated with the `stream-public-key` /
`stream-secret-key` headers. The stateful phase follows the links schemathesis infers.

The documents are read as scripts/check-contract.py reads them for requests (no security schemes:
the keys go in headers; `*/*` answers are JSON), less the operations the sandbox does not serve
(NOT_SERVED, also in docs/aioz-api.md's coverage table). The seeded ids are the examples of the
path parameters, so the examples phase reaches real resources. Schemathesis does not check the
answers' schema: the sandbox records the traffic (`--record`) and check-contract.py holds every
answer to the documents its way (every documented property present, `null` allowed, as AIOZ's Go
server answers), which is stricter.

A failure passes only when it matches one of EXCEPTIONS (each says why; the same list is in
docs/aioz-api.md, "The schemathesis run"). Prints the operations served and exercised and the
failures per document, then each failure left; exits 1 if any is left, 2 if the run itself could
not be made.

Usage: contract-fuzz.py [--bin PATH] [--max-examples N] [--seed N] [--document 2026|2025]... [--keep DIR]
(default: 20 examples, deterministic, both documents)
Needs: python3 with schemathesis, openapi-core and PyYAML; a built streamplan (default
.build/debug/streamplan, or STREAMPLAN_BIN).
"""

import argparse
import hashlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PUBLIC_KEY = "pk_contract_fuzz"
SECRET_KEY = "sk_contract_fuzz"


def load_check_contract():
    spec = importlib.util.spec_from_file_location("check_contract", os.path.join(HERE, "check-contract.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Operations of the documents the sandbox does not serve (it answers 404): streamplan does not use
# them (docs/aioz-api.md, the coverage table). (method, path) as the documents spell them.
NOT_SERVED: list = []  # every operation of the documents is served now

# Failures that pass: (check name regex, "METHOD path" regex as the document spells it, message
# regex or None, why). Keep each as narrow as it can be; docs/aioz-api.md lists them too.
# The interaction is matched as "METHOD PATH BODY -> STATUS ANSWER | TITLE".
ANSWER_400 = r"-> 400 \{\"message\":\""
EXCEPTIONS = [
    # The documents' request schemas state no required field, range, enumeration or format: AIOZ's
    # prose does (docs/aioz-api.md: title 1..255, limit 1..100, order_by asc|desc, qualities and
    # their labels, an absolute webhook URL, ids that are UUIDs, a .vtt caption, a PNG or JPEG image,
    # the part's Content-Range, one complete per upload). Schemathesis holds a request that only
    # fits the schema "valid"; the sandbox refuses it with AIOZ's 400 envelope, as AIOZ does. Each
    # message below is one of those rules.
    ("positive_data_acceptance", r".", ANSWER_400 + r"(Invalid request body: )?[a-z_]+( \([a-z_ ]+\))? is required", "prose: required field"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"([a-z_]+|metadata|tags): [^\"]*(at most|must not be empty|is not a supported)", "prose: limits"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"[^\"]{0,60}? must (be between|be 1 to|be 0 or more|be one of|be asc or desc"
     r"|be video or audio|be hls or dash|be an absolute http|be ids|be a video id|be an integer|be true or false|not be empty"
     r"|be a list of|be a JSON object)",
     "prose: ranges, enumerations and formats"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"'[^']*' is not (a valid [A-Za-z ]+ id|a language code)", "ids are UUIDs; lan is a language tag"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"(The file must be a WebVTT|The (thumbnail|logo) must be a \.png or \.jpg"
     r"|Content-Range (header is required|'.*' is malformed)|This video's upload is already complete|No part has been uploaded)",
     "prose: file formats, the part's Content-Range, complete once after a part"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"(duration is required|qualities is required)", "cost: the prose requires both"),
    # "You can only update while live streaming" (PUT …/streamings): a streaming's qualities change
    # only while it is live, a key's type never after its creation (docs/aioz-api.md, [inferred]).
    ("positive_data_acceptance", r"^PUT /live_streams/\{id\}(/streamings)?$",
     ANSWER_400 + r"(qualities can only be updated while live streaming|A live stream key's type is fixed)",
     "prose: update while live streaming; a key's type"),
    ("positive_data_acceptance", r".", ANSWER_400 + r"The request body is empty", "create and update need a body"),
    # A form has no encoding for an array of objects; schemathesis sends the objects' key names.
    ("positive_data_acceptance", r"^POST /(videos|media)/create$", ANSWER_400 + r"(metadata|qualities|watermark) must be sent in a JSON body",
     "objects in a urlencoded form"),
    # The players' `theme` (ten strings) and `controls` (five booleans) are closed sets in AIOZ's
    # model; the schemas do not say additionalProperties: false, so schemathesis adds any key.
    ("positive_data_acceptance", r"^(POST /players|PATCH /players/\{id\})$",
     ANSWER_400 + r"(Invalid request body: (theme|controls)\.|(theme|controls): unknown field)", "theme and controls are closed sets"),
    # The 2026 document types PUT /live_streams/{id}'s `type` as a boolean; every answer (and the
    # create request) has it as a string (`video`/`audio`): the sandbox takes the string.
    ("positive_data_acceptance", r"^PUT /live_streams/\{id\}$", ANSWER_400 + r"Invalid request body: type has the wrong type",
     "live key type typed boolean"),
    ("negative_data_rejection", r"^PUT /live_streams/\{id\}$", r"\"type\": \"", "live key type typed boolean"),
    # Both documents give PATCH …/captions/{lan} a multipart body typed as a boolean (as in
    # check-contract.py); schemathesis then sends `True` as the whole multipart body.
    ("positive_data_acceptance", r"^PATCH /(videos|media)/\{id\}/captions/\{lan\}$", ANSWER_400 + r"Malformed multipart body",
     "the default caption's multipart body typed as a boolean"),
    # The check sends a test event to the webhook's URL and answers 400 when that URL does not take
    # it; fuzzed PATCHes point the seeded webhook at other URLs (the sandbox's own, which wants keys).
    ("positive_data_acceptance", r"^POST /webhooks/check/\{id\}$",
     ANSWER_400 + r"The webhook's URL (answered|could not be reached)", "the test event's URL decides"),
    # AIOZ's server is written in Go, whose JSON decoding reads `null` as "not given" (and check-contract.py
    # allows null in every answer for the same reason); the sandbox does the same for requests.
    ("negative_data_rejection", r".", r"^\S+ \S+ [\[{].*: null[,}].*(Incorrect type|became null\))", "null read as not given"),
    # A multipart field that should be one string, sent several times (schemathesis' form of an
    # array), is read once, as Go's FormValue reads the first.
    ("negative_data_rejection", r"^POST /(players/\{id\}/logo|live_streams/\{id\}/thumbnail|(videos|media)/\{id\}/(part|thumbnail|captions/\{lan\}|chapters/\{lan\}))$|^PATCH /playlists/\{id\}$",
     r"was string, became array\)", "a repeated form field is read once"),
    # JSON numbers beyond 64 bits: the documents' `integer` gives no range; AIOZ's Go server, like
    # the sandbox, refuses what does not fit its int (400).
    ("positive_data_acceptance", r".", ANSWER_400 + r"Invalid request body: [^\"]* is out of range", "integers beyond 64 bits"),
    # A list with no body lists with the defaults, as one with `{}`: the documents mark the body
    # required, yet every field of it is optional.
    ("negative_data_rejection", r"^POST /(videos|media|playlists|live_streams/\{id\}/(media|videos))$", r"^POST \S+  -> 200", "an empty list request"),
    # Both documents mark PATCH /playlists/{id}'s `file` required, yet the same form renames the
    # playlist (as in check-contract.py).
    ("negative_data_rejection", r"^PATCH /playlists/\{id\}$", r"-> 200", "a rename needs no image"),
    # Query parameters that filter or sort a list the operation does not have, or values of an
    # enumeration that only filter, are ignored rather than refused (unknown values list nothing).
    ("negative_data_rejection", r"^GET /(live_streams|playlists/\{id\}|webhooks|players)$", r"^GET \S+\?\S+  -> 200", "ignored filters"),
    # Schemathesis infers links from a create to what reads the new resource's parts: a new key has
    # no recording (GET /live_streams/{id}/video), a new player no logo (DELETE …/logo), a new
    # playlist or video no thumbnail: 404 is right.
    ("ensure_resource_availability", r".",
     r"^(GET /live_streams/[^/]+/video|DELETE /players/[^/]+/logo|DELETE /(playlists|videos|media|live_streams)/[^/]+/thumbnail)  -> 404",
     "nothing made yet"),
    ("ensure_resource_availability", r".",
     r"^PUT /live_streams/[^/]+/streamings .*-> 404 \{\"message\":\"(This live stream key has no streaming|Streaming not found)",
     "nothing made yet"),
    # From POST /players to POST /players/add-player, the video id comes from elsewhere (one the run
    # deleted): the player exists, the video not.
    ("ensure_resource_availability", r".", r"^POST /players/(add|remove)-player .*-> 404 \{\"message\":\"Video not found",
     "the video, not the player, is gone"),
    # The URLs a video's `assets` and a playlist's `thumbnail_url` hand out are files, not operations
    # (as in check-contract.py): the image is served at GET …/{id}/thumbnail, beside the documented
    # POST and DELETE, so GET is also in that path's `Allow`.
    ("unsupported_method", r"^(POST|DELETE) /(videos|media|playlists)/\{id\}/thumbnail$", r"^GET /(videos|media|playlists)/[^/]+/thumbnail .* -> 200 ",
     "the thumbnail image's URL"),
    ("allow_header_conformance", r"^(POST|DELETE) /(videos|media|playlists)/\{id\}/thumbnail$", r"Undocumented methods advertised: GET +List",
     "the thumbnail image's URL"),
    # Restream destinations (multicast, served since the restream kind): the document lists 200, 400
    # and 500 only; an unknown stream key, or a key with no destination, is 404 as every other
    # missing resource [inferred]; a destination is an RTMP ingest URL [inferred].
    ("status_code_conformance", r"^(GET|DELETE) /live_streams/multicast/\{stream_key\}$",
     r"-> 404 \{\"message\":\"Live stream (key|multicast) not found", "multicast: 404 for what does not exist"),
    # A live stream's statistics (served since the live player info): the document lists 200, 400
    # and 500 only; a streaming that does not exist is 404 as everywhere else [inferred].
    ("status_code_conformance", r"^GET /live_streams/statistic/\{stream_media_id\}$",
     r"-> 404 \{\"message\":\"Live stream media not found", "live statistics: 404 for what does not exist"),
    # Analytics (served since the Go SDK run): the documents type `from` and `to` as integers with no
    # range; they are Unix times, so a negative one, or `from` after `to`, is 400 [inferred].
    ("positive_data_acceptance", r"^(POST /analytics/metrics/\S+|GET /analytics/(data|media))$",
     ANSWER_400 + r"(from and to must be Unix times|from must not be after to)", "analytics: a time range [inferred]"),
    # API keys: the documents type `ttl` as a string; the sandbox reads it as seconds, more than 0 [inferred].
    ("positive_data_acceptance", r"^POST /api_keys$", ANSWER_400 + r"ttl must be a number of seconds",
     "api key ttl in seconds [inferred]"),
    ("positive_data_acceptance", r"^POST /live_streams/multicast/\{stream_key\}$",
     ANSWER_400 + r"Each multicast URL must be an rtmp", "multicast URLs are RTMP ingest URLs"),
    # Likewise a caption's or chapter list's `url` is its WebVTT file, GET /videos/{id}/captions/en.vtt
    # (as in check-contract.py): GET is in the `Allow` of …/captions/{lan} and …/chapters/{lan}.
    ("allow_header_conformance", r"^(POST|DELETE|PATCH) /videos/\{id\}/(captions|chapters)/\{lan\}$",
     r"Undocumented methods advertised: GET +List", "text track files"),
]


class Sandbox:
    def __init__(self, binary, directory):
        self.directory = directory
        self.log_path = os.path.join(directory, "sandbox.log")
        self.record = os.path.join(directory, "exchanges.jsonl")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "sandbox", "--port", "0", "--data", os.path.join(directory, "data"),
             "--account", PUBLIC_KEY + ":" + SECRET_KEY, "--min-part-size", "1", "--record", self.record],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        self.api = None
        while time.time() < deadline:
            text = open(self.log_path).read()
            if "sandbox: ready" in text:
                self.api = re.search(r"^sandbox: listening on (\S+)", text, re.M).group(1).rstrip("/")
                break
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        if not self.api:
            self.stop()
            raise SystemExit("contract-fuzz: the sandbox did not start:\n" + open(self.log_path).read())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def call(self, method, path, body=None, form=None, headers=None):
        headers = dict(headers or {})
        headers.update({"stream-public-key": PUBLIC_KEY, "stream-secret-key": SECRET_KEY})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            boundary = "contractfuzz" + uuid.uuid4().hex
            parts = []
            for name, value in form:
                if isinstance(value, tuple):
                    filename, content = value
                    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                                  "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode()
                                 + content + b"\r\n")
                else:
                    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                                  % (boundary, name, value)).encode())
            data = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
            headers["Content-Type"] = "multipart/form-data; boundary=" + boundary
        request = urllib.request.Request(self.api + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit("contract-fuzz: seeding %s %s failed: %d %s" % (method, path, error.code, error.read()[:300]))
        return json.loads(text) if text[:1] in (b"{", b"[") else {}


class Receiver(http.server.BaseHTTPRequestHandler):
    """The seeded webhook's URL: answers 204 to every delivery, so `POST /webhooks/check/{id}` succeeds."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_):
        pass


def start_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def seed(sandbox, hook_url):
    """An account with something of every kind; returns the ids per path parameter and family."""
    ids = {}
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    for family in ("videos", "media"):
        made = []
        for n in range(3):
            body = {"title": "contract %s %d" % (family, n), "tags": ["contract"],
                    "metadata": [{"key": "seed", "value": str(n)}]}
            if family == "media":
                body["type"] = "video"
            video = sandbox.call("POST", "/%s/create" % family, body)["data"]["id"]
            sandbox.call("POST", "/%s/%s/part" % (family, video),
                         form=[("file", ("v.mp4", content)), ("index", "0"), ("hash", hashlib.md5(content).hexdigest())],
                         headers={"Content-Range": "bytes 0-%d/%d" % (len(content) - 1, len(content))})
            sandbox.call("GET", "/%s/%s/complete" % (family, video))
            made.append(video)
        vtt = b"WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n"
        sandbox.call("POST", "/%s/%s/captions/en" % (family, made[0]), form=[("file", ("en.vtt", vtt))])
        sandbox.call("POST", "/%s/%s/chapters/en" % (family, made[0]), form=[("file", ("en.vtt", vtt))])
        ids[family] = made
    key = sandbox.call("POST", "/live_streams", {"name": "contract key", "save": True})["data"]["id"]
    streaming = sandbox.call("POST", "/live_streams/%s/streamings" % key,
                             {"title": "contract streaming", "save": True,
                              "qualities": [{"resolution": "720p", "type": "hls", "container_type": "mpegts"}]})
    ids["live_streams"] = key
    ids["stream_id"] = streaming["data"]["id"]
    # A restream destination on the key: the multicast operations take the key's stream key.
    ids["stream_key"] = sandbox.call("GET", "/live_streams/%s" % key)["data"]["stream_key"]
    sandbox.call("POST", "/live_streams/multicast/%s" % ids["stream_key"],
                 {"multicast_urls": ["rtmp://a.rtmp.example.com/live2/contract-seed"]})
    playlist = sandbox.call("POST", "/playlists/create", {"name": "contract playlist", "tags": ["contract"],
                                                          "metadata": [{"key": "seed", "value": "1"}]})
    ids["playlists"] = playlist["data"]["playlist"]["id"]
    for video in ids["videos"]:
        sandbox.call("POST", "/playlists/%s/items" % ids["playlists"], {"video_id": video})
    items = sandbox.call("GET", "/playlists/%s" % ids["playlists"])["data"]["playlist"]
    ids["item_id"] = (items.get("items") or items.get("video_items"))[0]["id"]
    player = sandbox.call("POST", "/players", {"name": "contract player", "theme": {"text_color": "#ffffff"},
                                              "controls": {"enable_controls": True}})
    ids["players"] = player["data"]["player_theme"]["id"]
    sandbox.call("POST", "/players/add-player", {"player_theme_id": ids["players"], "video_id": ids["videos"][0]})
    webhook = sandbox.call("POST", "/webhooks", {"name": "contract webhook", "url": hook_url,
                                                 "file_received": True, "encoding_started": False,
                                                 "encoding_finished": True, "encoding_failed": False,
                                                 "partial_finished": False})
    ids["webhooks"] = webhook["data"]["webhook"]["id"]
    return ids


def served(method, path):
    return not any((m == "*" or m == method) and re.search(p, path) for m, p in NOT_SERVED)


def prepare(checker_module, generation, ids, directory):
    """The document as schemathesis reads it: check-contract.py's reading, served operations only,
    seeded ids as path parameter examples. Returns (file, operation count)."""
    with open(checker_module.DOCUMENTS[generation], "rb") as handle:
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # As check-contract.py reads it: no security schemes (the documents declare Bearer or Basic,
    # the seeds send the two key headers, given here with -H), `*/*` answers are JSON. Answers
    # are not held to the schema here but by check-contract.py over the recording, which allows
    # AIOZ's `null`s and requires every property; its nullable reading would make schemathesis send
    # `null` for every request field.
    document.pop("security", None)
    family = "media" if generation == "2026" else "videos"
    count = 0
    for path in list(document["paths"]):
        operations = document["paths"][path]
        for method in [m for m in operations if m in ("get", "post", "put", "patch", "delete")]:
            if not served(method.upper(), path):
                del operations[method]
                continue
            count += 1
            operation = operations[method]
            operation.pop("security", None)
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if "*/*" in content and "application/json" not in content:
                    content["application/json"] = content.pop("*/*")
            head = path.strip("/").split("/")[0]
            for parameter in operations[method].get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                name = parameter["name"]
                value = None
                if name == "id":
                    value = ids.get(head)
                    if head in ("videos", "media"):
                        # DELETE gets the last seeded video, the others the first: a fuzzed delete of
                        # the video the other operations read would leave them only 404s.
                        value = ids[family][-1] if method == "delete" else ids[family][0]
                elif name in ("stream_id", "item_id", "stream_key"):
                    value = ids[name]
                elif name == "lan":
                    value = "en"
                if value is not None:
                    parameter.setdefault("schema", {"type": "string"})
                    parameter["example"] = value
        if not any(m in operations for m in ("get", "post", "put", "patch", "delete")):
            del document["paths"][path]
    target = os.path.join(directory, "aioz-%s.yaml" % generation)
    with open(target, "w") as handle:
        yaml.safe_dump(document, handle, sort_keys=False)
    return target, count


def run_schemathesis(document, api, arguments, directory, generation):
    report = os.path.join(directory, "report-%s.ndjson" % generation)
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", document,
        "--url", api,
        "-H", "stream-public-key: " + PUBLIC_KEY, "-H", "stream-secret-key: " + SECRET_KEY,
        "--max-examples", str(arguments.max_examples),
        "--workers", "1", "--no-color", "--checks", "all", "--exclude-checks", "response_schema_conformance",
        "--phases", arguments.phases,
        "--request-timeout", "30",
        "--report", "ndjson", "--report-ndjson-path", report,
        "--continue-on-failure",
    ]
    command += ["--seed", str(arguments.seed)] if arguments.seed is not None else ["--generation-deterministic"]
    started = time.time()
    result = subprocess.run(command, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(directory, "schemathesis-%s.txt" % generation), "w") as handle:
        handle.write(result.stdout)
    return result, report, time.time() - started


def failures_of(report, templates=()):
    """(check code and name, "METHOD path", what was sent and answered) of each failure in
    schemathesis' ndjson events, and the labels of the operations exercised."""
    found = []
    exercised = set()
    with open(report) as handle:
        for line in handle:
            event = json.loads(line)
            payload = event.get("ScenarioFinished")
            if not payload:
                continue
            recorder = payload.get("recorder") or {}
            label = recorder.get("label", "")
            if re.match(r"^[A-Z]+ /", label):  # not "Stateful tests", the links' scenarios
                exercised.add(label)
            interactions = recorder.get("interactions") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    info = (check.get("failure_info") or {}).get("failure") or {}
                    # A stateful scenario's failure is named after the operation of its request.
                    where = label if label != "Stateful tests" else operation_of(interactions.get(case_id), templates) or label
                    found.append((info.get("code", "") + " " + check.get("name", ""), where,
                                  describe_interaction(interactions.get(case_id)) + " | " + info.get("title", "")
                                  + " | " + (info.get("message") or "").replace("\n", " ")))
    return found, exercised


def operation_of(interaction, templates):
    """ "METHOD /template" of an interaction's request, from the document's paths."""
    request = (interaction or {}).get("request") or {}
    path = re.sub(r"^https?://[^/]+/api", "", request.get("uri", "")).split("?")[0]
    for template in templates:
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            return "%s %s" % (request.get("method"), template)
    return None


def describe_interaction(interaction):
    import base64

    if not interaction:
        return "(no interaction)"

    def text(part):
        body = (part or {}).get("body") or (part or {}).get("content")
        if isinstance(body, dict) and "$base64" in body:
            raw = base64.b64decode(body["$base64"])
            return raw[:4000].decode("utf-8", "replace").replace("\n", " ")
        return str(body or "")[:4000]

    request = interaction.get("request") or {}
    response = interaction.get("response") or {}
    uri = re.sub(r"^https?://[^/]+/api", "", request.get("uri", ""))
    return "%s %s %s -> %s %s" % (request.get("method"), uri, text(request), response.get("status_code"), text(response))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("STREAMPLAN_BIN") or os.path.join(ROOT, ".build", "debug", "streamplan"))
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, help="draw at random from this seed instead of the deterministic mode")
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--document", action="append", choices=["2026", "2025"])
    parser.add_argument("--keep", help="keep the sandbox log, the documents and the reports in this directory")
    arguments = parser.parse_args()
    if shutil.which(arguments.bin) is None and not os.access(arguments.bin, os.X_OK):
        print("contract-fuzz: no streamplan binary at %s (build it or set STREAMPLAN_BIN)" % arguments.bin, file=sys.stderr)
        return 2
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        print("contract-fuzz: needs schemathesis (python3 -m pip install schemathesis)", file=sys.stderr)
        return 2
    checker_module = load_check_contract()
    directory = arguments.keep or tempfile.mkdtemp(prefix="contract-fuzz-")
    os.makedirs(directory, exist_ok=True)
    sandbox = Sandbox(arguments.bin, directory)
    left = []
    try:
        receiver = start_receiver()
        ids = seed(sandbox, "http://127.0.0.1:%d/hook" % receiver.server_address[1])
        for generation in arguments.document or ["2026", "2025"]:
            document, count = prepare(checker_module, generation, ids, directory)
            result, report, seconds = run_schemathesis(document, sandbox.api + "/", arguments, directory, generation)
            if not os.path.exists(report):
                print(result.stdout)
                print("contract-fuzz: schemathesis wrote no report (exit %d)" % result.returncode, file=sys.stderr)
                return 2
            with open(document) as handle:
                templates = sorted(yaml.safe_load(handle)["paths"], key=lambda t: t.count("{"))
            found, exercised = failures_of(report, templates)
            kept = [f for f in found if not excused(f)]
            print("contract-fuzz: %s document: %d operations served, %d exercised, %d failures (%d excepted), %.0f s"
                  % (generation, count, len(exercised), len(found), len(found) - len(kept), seconds))
            left.extend((generation,) + f for f in kept)
        # Every answer schemathesis drew, held to the documents by check-contract.py (all properties
        # present, null allowed). Requests are not held to them (they are fuzzed on purpose), nor are
        # the methods schemathesis tries on a path on purpose (its unsupported_method check).
        started = time.time()
        checker = checker_module.Checker()
        answers = 0
        with open(sandbox.record) as handle:
            for line in handle:
                if not line.strip():
                    continue
                answers += 1
                for violation in checker.check(json.loads(line)):
                    if not re.search(r"^\S+ \S+ -> \d+: operation not in the document$", violation):
                        left.append(("answers", "response_schema_conformance", violation.split(" -> ")[0], violation))
        print("contract-fuzz: check-contract.py: %d answers checked, %d violations, %.0f s"
              % (answers, sum(1 for f in left if f[0] == "answers"), time.time() - started))
    finally:
        sandbox.stop()
    for generation, check, label, message in dedupe(left):
        print("FAIL %s %s [%s] %s" % (generation, label, check, shorten(message)))
    if not arguments.keep:
        shutil.rmtree(directory, ignore_errors=True)
    return 1 if left else 0


def excused(failure):
    check, label, message = failure
    for check_pattern, label_pattern, message_pattern, _why in EXCEPTIONS:
        if re.search(check_pattern, check or "") and re.search(label_pattern, label) and (
                message_pattern is None or re.search(message_pattern, message, re.S)):
            return True
    return False


def shorten(text):
    text = text.replace("\n", " ")
    return text if len(text) <= 700 else text[:500] + " … " + text[-200:]


def dedupe(items):
    seen = set()
    for item in items:
        key = item[:3] + (item[3][:120],)
        if key not in seen:
            seen.add(key)
            yield item


if __name__ == "__main__":
    sys.exit(main())
