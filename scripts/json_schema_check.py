"""The one loop behind check-plan-schema.py and check-outputs-schema.py: each FILE is read as JSON,
optionally unwrapped, validated against a schema of schemas/ with jsonschema's Draft202012Validator,
and every finding printed as `FILE: error: MESSAGE (at JSON-PATH)`."""

import json
import os

from jsonschema import Draft202012Validator

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas")


def check(name, schema_file, paths, unwrap=lambda doc: doc):
    """Validates every path; prints `NAME: N file(s), M invalid`; returns the exit status."""
    with open(os.path.join(SCHEMAS, schema_file), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = unwrap(json.load(f))
        errors = list(validator.iter_errors(doc))
        for e in errors:
            print("%s: error: %s (at %s)" % (path, e.message, "/".join(map(str, e.absolute_path)) or "(document)"))
        bad += bool(errors)
    print("%s: %d file(s), %d invalid" % (name, len(paths), bad))
    return 1 if bad else 0
