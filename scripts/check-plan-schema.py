#!/usr/bin/env python3
"""Validate streamplan JSON plans against schemas/plan.schema.json.

    scripts/check-plan-schema.py FILE...   # exit 0 iff every file validates

A FILE is either a `plan --format json` document or a saved plan (`plan --out FILE`), whose `plan`
member is checked. Findings print as `FILE: error: MESSAGE (at JSON-PATH)`.
"""

import sys

from json_schema_check import check


def saved_plan_unwrapped(doc):
    return doc["plan"] if doc.get("kind") == "streamplan-saved-plan" else doc


if __name__ == "__main__":
    sys.exit(check("check-plan-schema", "plan.schema.json", sys.argv[1:], saved_plan_unwrapped))
