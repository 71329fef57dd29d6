#!/usr/bin/env python3
"""Checks recorded API traffic against AIOZ Stream's OpenAPI documents (docs/openapi/).

Each exchange (one JSON object per line, as `streamplan sandbox --record FILE` writes them) is
validated with openapi-core: the request the client sent (path, query, body) and the answer the
sandbox gave (status, body) against the document of its generation: `/videos/...` against the
2025 API, `/media/...` and everything else (live streams, `/user/me`) against the 2026 API, which
is the only one that documents them.

Where the documents are wrong against the seeds (AIOZ's own prose), or silent, the exchange is
checked under the exceptions in EXCEPTIONS below; each says why. Anything else is a violation.

Usage:
  check-contract.py FILE...     check recorded files; prints violations, exit 1 if any
  check-contract.py --serve     read batches from stdin ({"exchanges": [...]} per line) and answer
                                {"checked": N, "violations": [...]} per line (the tests' mode)
"""

import base64
import copy
import json
import os
import re
import sys

import yaml

try:
    from openapi_core import Config, OpenAPI
    from openapi_core.testing import MockRequest, MockResponse
    from openapi_core.validation.request.validators import V30RequestParametersValidator
except ImportError:  # pragma: no cover - reported to the caller
    sys.stderr.write("check-contract: needs openapi-core (pip install openapi-core PyYAML)\n")
    sys.exit(3)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCUMENTS = {
    "2025": os.path.join(ROOT, "docs", "openapi", "aioz-stream-2025-videos.yaml"),
    "2026": os.path.join(ROOT, "docs", "openapi", "aioz-stream-2026-media.yaml"),
}

# Exceptions: (method regex, path regex after /api, status or None, message regex or None, why).
# An exchange whose request or answer fails only with messages matched here passes. Keep each
# one as narrow as it can be and say which document is wrong and why.
EXCEPTIONS = [
    # Live streams appear only in the 2026 document. With `--api videos` the client speaks them as
    # seed 002 (the live stream reference) does; the sandbox accepts both forms (docs/sandbox.md).
    # Seed 002 lists a key's saved recordings with POST /live_streams/{id}/videos and reads the
    # newest with GET …/videos; the 2026 document has POST …/media and GET …/video.
    ("^(GET|POST)$", r"^/live_streams/[^/]+/videos$", None, r"^operation not in the document", "seed 002's path"),
    # The 2025 document types the transcoding price as a string; seed 001's example (`"price": 1.23`),
    # the 2026 document and AIOZ's SDK model use a number, which the sandbox answers on both paths.
    ("^GET$", r"^/videos/cost$", 200, r"^answer: data/price: [0-9.eE+-]+ is not of type 'string'", "price as a number"),
    # The URLs a video's `assets` hand out (source, HLS, DASH, MP4, thumbnail image) are files, not
    # operations of the API; the sandbox serves them under /api so that they need the account's keys.
    ("^GET$", r"^/(videos|media)/[^/]+/(source|m3u8|manifest|mp4|thumbnail)$", None, r"^operation not in the document",
     "asset URLs"),
    # A caption's or chapter list's `url` is its WebVTT file (`…/captions/en.vtt`), fetched as players
    # fetch it, not an operation of the API (whose GET …/captions/{lan} answers JSON).
    ("^GET$", r"^/videos/[^/]+/(captions|chapters)/[^/]+\.vtt$", None, r"^(operation not in the document|answer: )",
     "text track files"),
    # A playlist's `thumbnail_url` and a player theme's `logo.image` are image files, not operations.
    ("^GET$", r"^/playlists/[^/]+/thumbnail$", None, r"^(operation not in the document|answer: )", "playlist thumbnail image"),
    ("^GET$", r"^/players/[^/]+/logo\.[a-z]+$", None, r"^operation not in the document", "player logo image"),
    # Seed 002 creates a streaming with `"qualities": ["360p", "720p"]`; the 2026 document with
    # quality objects (`{"resolution": "720p", ...}`), which the client sends with `--api media`.
    # An update that changes a live streaming's qualities sends them in the same form as the create.
    ("^(POST|PUT)$", r"^/live_streams/[^/]+/streamings$", None, r"^request: (qualities/\d+: '[^']*' is not of type 'object'(; )?)+",
     "seed 002's string qualities"),
    # Both documents give `PATCH /{videos,media}/{id}/captions/{lan}` (set the default caption) a
    # multipart/form-data body whose schema is `type: boolean` (x-codegen-request-body-name:
    # is_default): no multipart form is a boolean. streamplan sends the one field the name implies,
    # `is_default=true`.
    ("^PATCH$", r"^/(videos|media)/[^/]+/captions/[^/]+$", None, r"^request: \(root\): \{.*\} is not of type 'boolean'",
     "the default caption's multipart body typed as a boolean"),
    # Both documents mark the thumbnail `file` of PATCH /playlists/{id} required, yet the same form
    # renames the playlist and sets its tags and metadata: streamplan sends `file` only with a thumbnail.
    ("^PATCH$", r"^/playlists/[^/]+$", None, r"^request: \(root\): 'file' is a required property", "a rename needs no image"),
]

# Statuses a server may answer to any operation (faults, rate limits, auth); the documents list
# them only here and there. Their bodies must still be AIOZ's error envelope.
GENERIC_STATUSES = {400, 401, 403, 404, 405, 409, 413, 416, 429, 500, 502, 503}
ERROR_ENVELOPE = {
    "type": "object",
    "required": ["status", "message"],
    "properties": {"status": {"type": "string", "enum": ["error"]}, "message": {"type": "string"}},
}


def load(path):
    with open(path, "rb") as handle:
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # The documents declare Bearer or Basic authentication; the seeds (and AIOZ's SDKs) send the
    # stream-public-key / stream-secret-key headers. The recording does not keep headers (they
    # carry secrets), so security is not checked here: the sandbox's own tests cover it.
    document = copy.deepcopy(document)
    document.pop("security", None)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
                # Answers documented as `*/*` are JSON on the wire (seed 001 shows them); openapi-core
                # only parses a body whose media type names JSON.
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    if "*/*" in content and "application/json" not in content:
                        content["application/json"] = content["*/*"]
    # AIOZ's server is written in Go: an empty slice or a missing object is encoded as `null`
    # (seed 001's and seed 002's example answers show "tags": null, "chapters": null,
    # "player_theme": null, "captions": null), while the documents never say `nullable`. Every
    # property may therefore be null; a present value must still have the documented type.
    for schema in document.get("components", {}).get("schemas", {}).values():
        make_properties_nullable(schema)
    return document


def require_everything(document):
    """The document for answers: every documented property must be present (null allowed).

    The documents mark almost nothing `required`, so without this an answer that drops a field (or
    names it differently: `videos` for `media`) would pass. A client generated from the document,
    AIOZ's SDK for one, reads every field it lists; the sandbox answers with all of them.
    """
    document = copy.deepcopy(document)

    def walk(schema):
        if not isinstance(schema, dict):
            return
        properties = schema.get("properties")
        if properties:
            schema["required"] = sorted(set(schema.get("required", [])) | set(properties))
            for prop in properties.values():
                walk(prop)
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                walk(part)
        walk(schema.get("items"))

    for schema in document.get("components", {}).get("schemas", {}).values():
        walk(schema)
    return document


def make_properties_nullable(schema):
    if not isinstance(schema, dict):
        return
    for name, prop in list(schema.get("properties", {}).items()):
        if "$ref" in prop:
            # OpenAPI 3.0 ignores siblings of $ref, and openapi-core applies `nullable` beside
            # allOf/anyOf to nothing: say "the reference, or null" as two alternatives.
            schema["properties"][name] = {"anyOf": [prop, {"type": "object", "nullable": True, "enum": [None]}]}
        else:
            prop["nullable"] = True
            make_properties_nullable(prop)
            if isinstance(prop.get("items"), dict):
                make_properties_nullable(prop["items"])
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            make_properties_nullable(part)
    if isinstance(schema.get("items"), dict):
        make_properties_nullable(schema["items"])


def deepest(error):
    """The sub-error that explains an anyOf/oneOf failure (the "or null" wrappers make many)."""
    from jsonschema.exceptions import best_match

    while error.context:
        # Prefer the branch that is not the null alternative.
        branches = [e for e in error.context if e.validator != "enum" or e.validator_value != [None]]
        candidate = best_match(branches or error.context)
        if candidate is None or candidate is error:
            break
        error = candidate
    return error


class Checker:
    def __init__(self):
        self.apis = {}

    def api(self, generation, parameters_only=False):
        key = (generation, parameters_only)
        if key not in self.apis:
            document = load(DOCUMENTS[generation])
            if parameters_only == "answers":
                document = require_everything(document)
            config = Config(request_validator_cls=V30RequestParametersValidator) if parameters_only is True else None
            self.apis[key] = OpenAPI.from_dict(document, config=config) if config else OpenAPI.from_dict(document)
            self.apis[(generation, "paths")] = document["paths"]
        return self.apis[key]

    @staticmethod
    def generation(path):
        return "2025" if path.startswith("/videos") else "2026"

    def check(self, exchange):
        """The violations of one exchange (list of strings), after the exceptions."""
        full_path = exchange["path"]
        if not full_path.startswith("/api/"):
            return []
        path = full_path[len("/api"):]
        generation = self.generation(path)
        problems = []
        request = self.request(exchange)
        omitted = exchange.get("request_body_omitted", False)
        api = self.api(generation, parameters_only=omitted)
        status = exchange["status"]
        try:
            errors = list(api.iter_request_errors(request))
        except Exception as error:  # openapi-core raises for a path it cannot find
            errors = [error]
        # Requests are held to the document only when streamplan's client sent them: tests send
        # malformed requests on purpose to check the sandbox refuses them. Answers always count.
        agent = exchange.get("user_agent") or ""
        # The sandbox's own webhook deliveries (`streamplan-sandbox-webhooks`) may reach it too: not the client.
        from_client = agent.startswith("streamplan") and not agent.startswith("streamplan-sandbox")
        for error in errors:
            message = self.describe(error, "request")
            if from_client or message.startswith("operation not in the document"):
                problems.append(message)
        if any(p.startswith("operation not in the document") for p in problems):
            return self.filter(exchange, path, problems)
        if exchange.get("response_body_omitted"):
            return self.filter(exchange, path, problems)
        response = MockResponse(
            self.body(exchange, "response_body"),
            status_code=status,
            content_type=exchange.get("response_content_type") or "application/json",
        )
        try:
            response_errors = list(self.api(generation, "answers").iter_response_errors(request, response))
        except Exception as error:
            response_errors = [error]
        for error in response_errors:
            message = self.describe(error, "answer")
            if message.startswith("status not documented") and status in GENERIC_STATUSES:
                message = self.check_envelope(exchange)
                if not message:
                    continue
            problems.append(message)
        return self.filter(exchange, path, problems)

    @staticmethod
    def body(exchange, key):
        encoded = exchange.get(key)
        return base64.b64decode(encoded) if encoded else b""

    def request(self, exchange):
        query = {}
        for pair in (exchange.get("query") or "").split("&"):
            if not pair:
                continue
            name, _, value = pair.partition("=")
            from urllib.parse import unquote_plus

            query.setdefault(unquote_plus(name), unquote_plus(value))
        content_type = exchange.get("request_content_type") or "application/json"
        return MockRequest(
            "http://sandbox",
            exchange["method"].lower(),
            exchange["path"],
            args=query,
            data=self.body(exchange, "request_body") or None,
            content_type=content_type,
        )

    def check_envelope(self, exchange):
        try:
            import jsonschema

            jsonschema.validate(json.loads(self.body(exchange, "response_body") or b"null"), ERROR_ENVELOPE)
            return None
        except Exception as error:  # noqa: BLE001
            return "answer: a %d is not AIOZ's error envelope: %s" % (exchange["status"], str(error).splitlines()[0])

    @staticmethod
    def describe(error, side):
        name = type(error).__name__
        if name in ("PathNotFound", "OperationNotFound", "ServerNotFound"):
            return "operation not in the document"
        if name == "ResponseNotFound":
            return "status not documented"
        details = []
        cause = error
        while cause is not None:
            schema_errors = getattr(cause, "schema_errors", None)
            if schema_errors:
                for schema_error in schema_errors:
                    leaf = deepest(schema_error)
                    where = "/".join(str(p) for p in leaf.absolute_path)
                    message = leaf.message if len(leaf.message) < 200 else leaf.message[:200] + "…"
                    details.append("%s: %s" % (where or "(root)", message))
                break
            cause = cause.__cause__
        if details:
            text = "; ".join(details[:5])
        else:
            try:
                text = str(error)
            except Exception:  # noqa: BLE001 - openapi-core's message decodes a non-UTF-8 body as UTF-8
                text = name
        return "%s: %s (%s)" % (side, text, name)

    def filter(self, exchange, path, problems):
        kept = []
        for problem in problems:
            excused = False
            for method, pattern, status, message, _why in EXCEPTIONS:
                if not re.match(method, exchange["method"]) or not re.search(pattern, path):
                    continue
                if status is not None and status != exchange["status"]:
                    continue
                if message is not None and not re.search(message, problem):
                    continue
                excused = True
                break
            if not excused:
                kept.append("%s %s -> %d: %s" % (exchange["method"], exchange["path"], exchange["status"], problem))
        return kept


def main(argv):
    checker = Checker()
    if argv[1:2] == ["--serve"]:
        for line in sys.stdin:
            if not line.strip():
                continue
            batch = json.loads(line)
            violations = []
            for exchange in batch.get("exchanges", []):
                violations.extend(checker.check(exchange))
            sys.stdout.write(json.dumps({"checked": len(batch.get("exchanges", [])), "violations": violations}) + "\n")
            sys.stdout.flush()
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    count = 0
    violations = []
    for name in argv[1:]:
        with open(name) as handle:
            for line in handle:
                if line.strip():
                    count += 1
                    violations.extend(checker.check(json.loads(line)))
    for violation in violations:
        print(violation)
    print("check-contract: %d exchanges, %d violations" % (count, len(violations)), file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
