#!/usr/bin/python3
"""Validate rule files against docs/rule.schema.json (JSON Schema 2020-12).

    validate-rules.py SCHEMA RULE.yaml...

Prints one line per problem (file: path in the rule: message) and exits 1
when any file fails, 0 when all pass.
"""
import json
import sys

import jsonschema
import yaml


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            rule = yaml.safe_load(f)
        for err in sorted(validator.iter_errors(rule), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.path) or "(top)"
            print(f"{path}: {where}: {err.message}")
            bad += 1
    print(f"{len(argv) - 2} rule files checked against the schema: {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
