#!/usr/bin/env python3
"""render_check.py KIND FILE [EXPECT...]: check the structure of a rendered
report, as a browser or a Markdown renderer made it (HTML in FILE).

KIND md:   the HTML cmark-gfm made of a Markdown report
KIND html: the DOM headless chromium dumped of an HTML report

Checks, printing what is wrong and exiting 1:
  - every table's rows have as many cells as its header (a table whose
    separator and header disagree is no table at all in GFM: it shows up as
    a paragraph with pipes, which is caught too);
  - no id is used twice, and every in-page link (#id) has its target;
  - EXPECT words: 'tables=N' (at least N tables), 'h1=N', 'h2=N' (exactly
    N such headings), 'text=STRING' (the visible text contains STRING),
    'heading=STRING' (some heading contains STRING).
"""
import sys
from html.parser import HTMLParser


class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []        # each a list of rows, each a cell count
        self.stack = []
        self.ids, self.dup, self.hrefs = set(), [], []
        self.headings = {f"h{i}": [] for i in range(1, 7)}
        self.cur_heading = None
        self.text = []
        self.pipes = []         # paragraphs that look like a broken table
        self.in_p = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            (self.dup if a["id"] in self.ids else []).append(a["id"])
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append(0)
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1] += int(a.get("colspan", 1))
        elif tag in self.headings:
            self.cur_heading = [tag, ""]
        elif tag == "p":
            self.in_p = ""

    def handle_endtag(self, tag):
        if tag in self.headings and self.cur_heading:
            self.headings[tag].append(self.cur_heading[1].strip())
            self.cur_heading = None
        if tag == "p" and self.in_p is not None:
            if self.in_p.count("|") >= 4 and "---|" in self.in_p:
                self.pipes.append(self.in_p[:80])
            self.in_p = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cur_heading:
            self.cur_heading[1] += data
        if self.in_p is not None:
            self.in_p += data


def main(argv):
    kind, path, expects = argv[1], argv[2], argv[3:]
    d = Doc()
    with open(path, encoding="utf-8") as f:
        d.feed(f.read())
    bad = []
    for i, t in enumerate(d.tables):
        if t and len(set(t)) != 1:
            bad.append(f"table {i + 1}: rows of {t} cells")
    bad += [f"a table rendered as text: {p!r}" for p in d.pipes]
    bad += [f"id used twice: {x}" for x in d.dup]
    bad += [f"link to a missing #{h}" for h in d.hrefs if h not in d.ids]
    text = " ".join(" ".join(d.text).split())
    for e in expects:
        k, _, v = e.partition("=")
        if k == "tables" and len(d.tables) < int(v):
            bad.append(f"{len(d.tables)} tables, expected at least {v}")
        elif k in d.headings and len(d.headings[k]) != int(v):
            bad.append(f"{len(d.headings[k])} {k} headings, expected {v}: {d.headings[k]}")
        elif k == "text" and v not in text:
            bad.append(f"text not shown: {v!r}")
        elif k == "heading" and not any(v in h for hs in d.headings.values() for h in hs):
            bad.append(f"no heading with {v!r}")
    for b in bad:
        print(f"{kind} {path}: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
