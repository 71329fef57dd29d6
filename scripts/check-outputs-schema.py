#!/usr/bin/env python3
"""Validate streamplan outputs documents against schemas/outputs.schema.json.

    scripts/check-outputs-schema.py FILE...   # exit 0 iff every file validates

A FILE is what `streamplan output --format json` prints or `streamplan apply --outputs FILE` writes.
Findings print as `FILE: error: MESSAGE (at JSON-PATH)`.
"""

import sys

from json_schema_check import check

if __name__ == "__main__":
    sys.exit(check("check-outputs-schema", "outputs.schema.json", sys.argv[1:]))
