#!/usr/bin/env python3
"""Validate streamplan outputs documents against schemas/outputs.schema.json.

    scripts/check-outputs-schema.py FILE...   # exit 0 iff every file validates

A FILE is what `streamplan output --format json` prints or `streamplan apply --outputs FILE` writes.
Findings print as `FILE: error: MESSAGE (at JSON-PATH)`.
"""

import json
import os
import sys

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "schemas", "outputs.schema.json")


def main(paths):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = list(validator.iter_errors(doc))
        for e in errors:
            print("%s: error: %s (at %s)" % (path, e.message, "/".join(map(str, e.absolute_path)) or "(document)"))
        bad += bool(errors)
    print("check-outputs-schema: %d file(s), %d invalid" % (len(paths), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
