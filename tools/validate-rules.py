#!/usr/bin/python3
"""Validate YAML files against a JSON Schema (2020-12): rule files against
docs/rule.schema.json, the sources catalogue against docs/sources.schema.json.

    validate-rules.py SCHEMA FILE.yaml...

A schema cannot read a where (docs/rules.md): in a rule, each is also
checked for closed quotes and balanced brackets, and for the operators the
language has (casefile rules lint compiles it fully). Prints one line per
problem (file: path in the file: message) and exits 1 when any file fails,
0 when all pass.
"""
import json
import sys

import jsonschema
import yaml


OPERATORS = (">=", "<=", "==", "!=", "=~", "!~", "&&", "||", ">", "<", "+", "-", "*",
             "/", "!", "%")


def where_problem(text):
    """Why a where cannot compile, as far as quotes and brackets tell; or None."""
    stack, i = [], 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            end = i + 1
            while end < len(text) and text[end] != c:
                end += 2 if text[end] == "\\" and end + 1 < len(text) and text[end + 1] == c else 1
            if end >= len(text):
                return "text from offset %d has no closing quote" % i
            i = end + 1
            continue
        if c in "([":
            stack.append((c, i))
        elif c in ")]":
            if not stack or stack[-1][0] != {")": "(", "]": "["}[c]:
                return "'%s' at offset %d closes nothing" % (c, i)
            stack.pop()
        elif not (c.isalnum() or c.isspace() or c in "_.-"):
            op = next((o for o in OPERATORS if text.startswith(o, i)), None)
            if not op:
                return "'%s' at offset %d is no part of the language" % (c, i)
            i += len(op)
            continue
        i += 1
    if stack:
        return "'%s' at offset %d is not closed" % stack[-1]
    return None


def wheres(rule):
    """(path, text) of every where of the rule and of its conditions."""
    for key in ("", "all", "any", "none"):
        conds = [rule] if not key else rule.get(key) or []
        for n, cond in enumerate(conds):
            w = cond.get("where") if isinstance(cond, dict) else None
            for k, text in enumerate([w] if isinstance(w, str) else w or []):
                where = "/".join(str(p) for p in ([key, n] if key else []) + ["where"])
                yield (where + ("/%d" % k if isinstance(w, list) else "")), text


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    rules = schema.get("title") == "casefile rule"
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            rule = yaml.safe_load(f)
        for err in sorted(validator.iter_errors(rule), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.path) or "(top)"
            print(f"{path}: {where}: {err.message}")
            bad += 1
        for where, text in (wheres(rule) if rules and isinstance(rule, dict) else []):
            why = isinstance(text, str) and where_problem(text)
            if why:
                print(f"{path}: {where}: {why}")
                bad += 1
    what = "rule files" if rules else "files"
    print(f"{len(argv) - 2} {what} checked against {argv[1]}: {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
