#!/usr/bin/env python3
"""Cross-check streamplan manifests against schemas/streamplan.schema.json.

    scripts/check-schema.py --valid   PATH...   # exit 0 iff every document validates
    scripts/check-schema.py --invalid PATH...   # exit 0 iff every file has a document that fails

A PATH is a file or a directory (every *.yaml / *.yml below it, sorted). Each file is read with
PyYAML's C loader, `yaml.load_all(f, Loader=yaml.CSafeLoader)`, and every non-empty document is
validated on its own with jsonschema's Draft202012Validator. The schema does not require
`project`: a fragment without it is valid, because `project` is required only across the whole
set of files, which is the Swift validator's job.

Findings print as `FILE:LINE:COLUMN: error: MESSAGE (at JSON-PATH)`, where LINE:COLUMN is
1-based and follows the convention of `streamplan validate`: an unknown key is reported at the
key, a bad value at the value, a missing required key at the mapping's first key.

With --invalid, a file may carry a header line `# expect: LINE:COLUMN SUBSTRING` (the contract
for the Swift loader's tests). Then at least one schema finding must be at exactly LINE:COLUMN,
or the file counts as a failure; SUBSTRING is meant for the Swift message and is not checked.

Limits of this cross-check, by design: PyYAML resolves scalars by YAML 1.1 (`yes`, `on`, `0o17`,
dates) where streamplan uses YAML 1.2 core, it keeps the last of duplicate keys silently, and
rules that need more than one document (project agreement, unknown profile names, duplicate
addresses), the file system (source/thumbnail existence and type) or the environment (secret
values) are outside JSON Schema. The Swift validator checks all of those.
"""

import argparse
import json
import os
import re
import sys

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "schemas", "streamplan.schema.json")
EXPECT_RE = re.compile(r"^#\s*expect:\s*(\d+):(\d+)\b")
MERGE_TAG = "tag:yaml.org,2002:merge"


def manifest_files(paths):
    """Expands directories into their *.yaml/*.yml files, sorted; keeps files as given."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in files:
                    if name.endswith((".yaml", ".yml")):
                        found.append(os.path.join(root, name))
            out.extend(sorted(found))
        elif os.path.exists(p):
            out.append(p)
        else:
            raise FileNotFoundError(p)
    return out


# --- positions -------------------------------------------------------------------------------
# The composed node tree (before merge keys are applied) gives line/column for a JSON path of the
# loaded document. Keys merged in with `<<` are looked up in the merged mappings too.

def _mapping_pairs(node, seen=None):
    """Key/value node pairs of a mapping, explicit ones first, then those merged in by `<<`."""
    seen = seen or set()
    if id(node) in seen:
        return []
    seen.add(id(node))
    explicit, merged = [], []
    for k, v in node.value:
        if k.tag == MERGE_TAG or (isinstance(k, yaml.ScalarNode) and k.value == "<<" and k.style is None):
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for src in sources:
                if isinstance(src, yaml.MappingNode):
                    merged.extend(_mapping_pairs(src, seen))
        else:
            explicit.append((k, v))
    return explicit + merged


def _key_matches(key_node, key):
    return isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key)


def find_node(node, path):
    """Returns (key_node or None, value_node) for a JSON path inside a composed document."""
    key_node = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in _mapping_pairs(node):
                if _key_matches(k, part):
                    key_node, node = k, v
                    break
            else:
                return key_node, node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return key_node, node
    return key_node, node


def first_key(node):
    if isinstance(node, yaml.MappingNode):
        pairs = _mapping_pairs(node)
        if pairs:
            return pairs[0][0]
    return node


def key_in(node, name):
    if isinstance(node, yaml.MappingNode):
        for k, _ in _mapping_pairs(node):
            if _key_matches(k, name):
                return k
    return node


def position(error, schema, doc_node):
    """The node a finding should point at, by the streamplan validate convention."""
    _, node = find_node(doc_node, list(error.absolute_path))
    v = error.validator
    if v == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        if extras:
            return key_in(node, extras[0])
    if v == "required":
        return first_key(node)
    if v == "uniqueItems" and isinstance(error.instance, list) and isinstance(node, yaml.SequenceNode):
        # Point at the first item that repeats an earlier one.
        for i, item in enumerate(error.instance):
            if item in error.instance[:i] and i < len(node.value):
                return node.value[i]
    # propertyNames checks the key itself; jsonschema reports it against the mapping.
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        return key_in(node, error.instance)
    return node


def describe(error):
    """The specific errors behind one error: for oneOf/anyOf, those of the branch the value was
    meant for. A branch that failed only because the value has another JSON type (a string where
    that branch wants a list) is ignored; if one branch is left, all its errors are reported,
    otherwise the deepest error of any branch.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    relevant = [errs for errs in branches.values()
                if not any(e.validator == "type" and not e.relative_path for e in errs)]
    if len(relevant) == 1:
        return [leaf for e in relevant[0] for leaf in describe(e)]
    candidates = [e for errs in relevant for e in errs] or list(error.context)
    deepest = max(candidates, key=lambda e: len(e.absolute_path))
    return describe(deepest) if deepest is not error else [error]


def message(error):
    """jsonschema's message, made readable for `not` rules (reserved and secret-looking values)."""
    if error.validator == "not":
        ref = error.validator_value.get("$ref", "") if isinstance(error.validator_value, dict) else ""
        if ref.endswith("/secretToken"):
            return "%r looks like a secret key (a single 32+ character token of letters and digits); credentials belong in the environment" % error.instance
        pattern = error.validator_value.get("pattern") if isinstance(error.validator_value, dict) else None
        if pattern == "^streamplan\\.":
            return "%r: metadata keys beginning with 'streamplan.' are reserved" % error.instance
        if pattern:
            return "%r: %s" % (error.instance, error.schema.get("description", "not allowed"))
    return error.message


# --- checking --------------------------------------------------------------------------------

def check_file(path, validator, schema):
    """Returns (findings, documents_checked, documents_failed); a finding is (line, col, text)."""
    findings = []
    with open(path, "rb") as f:
        data = f.read()
    try:
        docs = list(yaml.load_all(data, Loader=yaml.CSafeLoader))
        nodes = list(yaml.compose_all(data, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = str(e).replace("\n", " ")
        return [(line, col, "error: YAML: " + msg)], 1, 1
    failed = checked = 0
    for index, (doc, node) in enumerate(zip(docs, nodes), start=1):
        if doc is None:
            continue  # an empty document is ignored
        checked += 1
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            failed += 1
        for err in (leaf for top in errors for leaf in describe(top)):
            at = position(err, schema, node)
            where = "/".join(str(p) for p in err.absolute_path) or "(document)"
            doc_note = " [document %d]" % index if len(docs) > 1 else ""
            findings.append((at.start_mark.line + 1, at.start_mark.column + 1,
                             "error: %s (at %s)%s" % (message(err), where, doc_note)))
    return findings, checked, failed


def expected_position(path):
    with open(path, "rb") as f:
        for raw in f.read(4096).decode("utf-8", "replace").splitlines():
            m = EXPECT_RE.match(raw.strip())
            if m:
                return int(m.group(1)), int(m.group(2))
    return None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--valid", action="store_true", help="every document must validate")
    mode.add_argument("--invalid", action="store_true", help="every file must have a failing document")
    ap.add_argument("--schema", default=DEFAULT_SCHEMA, help="schema file (default: %(default)s)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    ap.add_argument("paths", nargs="+", metavar="PATH")
    args = ap.parse_args(argv)

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)

    try:
        files = manifest_files(args.paths)
    except FileNotFoundError as e:
        print("check-schema: no such file or directory: %s" % e, file=sys.stderr)
        return 2
    if not files:
        print("check-schema: no *.yaml or *.yml files in %s" % " ".join(args.paths), file=sys.stderr)
        return 2

    bad = 0
    total_docs = 0
    for path in files:
        findings, checked, failed = check_file(path, validator, schema)
        total_docs += checked
        if args.valid:
            for line, col, text in findings:
                print("%s:%d:%d: %s" % (path, line, col, text))
            if findings:
                bad += 1
        else:
            expect = expected_position(path)
            if not findings:
                print("%s: expected a schema error, but every document validates" % path)
                bad += 1
                continue
            if not args.quiet:
                for line, col, text in findings:
                    print("%s:%d:%d: %s" % (path, line, col, text))
            if expect and not any((l, c) == expect for l, c, _ in findings):
                print("%s: '# expect: %d:%d' but the schema findings are at %s"
                      % (path, expect[0], expect[1],
                         ", ".join("%d:%d" % (l, c) for l, c, _ in findings)))
                bad += 1

    what = "valid" if args.valid else "invalid"
    status = "ok" if bad == 0 else "FAILED"
    print("check-schema --%s: %d file(s), %d document(s), %d not as expected: %s"
          % (what, len(files), total_docs, bad, status))
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
