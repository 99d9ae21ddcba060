#!/usr/bin/env python3
"""gen-docs.py CASEFILE: the generated parts of the docs, made again from the
library: the rule table of docs/rules.md (casefile rules list --format md)
and the category table of docs/design.md (rules/categories.yaml, by area)."""
import subprocess
import sys

import yaml


def replace_table(path, header, table):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    a = s.index(header)
    b = s.find("\n\n", a)
    b = len(s.rstrip("\n")) if b < 0 else b
    s = s[:a] + table.rstrip("\n") + s[b:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(s.rstrip("\n") + "\n")


def main(casefile):
    rules = subprocess.run([casefile, "rules", "list", "--format", "md"], check=True,
                           capture_output=True, text=True).stdout
    replace_table("docs/rules.md", "| id | category | severity | sources | explains |", rules)
    with open("rules/categories.yaml", encoding="utf-8") as f:
        cats = yaml.safe_load(f)["categories"]
    areas = {}
    for c in cats:
        areas.setdefault(c.split(".")[0], []).append(c)
    table = "| area | categories |\n|---|---|\n" + "".join(
        "| %s | %s |\n" % (a, ", ".join(v)) for a, v in areas.items())
    replace_table("docs/design.md", "| area | categories |", table)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/casefile")
