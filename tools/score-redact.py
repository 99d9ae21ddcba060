#!/usr/bin/env python3
"""score-redact.py: recall and over-redaction of casefile's redaction, from its output.

usage:
  score-redact.py corpus CORPUS CONFIG_OUT LOG_OUT [--goal PCT] [--floor PCT] [--floor-held-out PCT]
                  [--max-changed PCT] [--misses N]
      CORPUS is what tools/gen-redact-corpus.py wrote; CONFIG_OUT and LOG_OUT hold
      the same files (same relative paths) as casefile collected them as
      configuration and as a log. Prints recall on the whole corpus, on half A
      (the formats, vendors and languages the patterns were written from), on
      half B and on half C (both held out: C was added before the detectors of
      its round were written, tools/redact_corpus_c.py), for each placement, and the ordinary lines changed.
      Says whether each recall reaches --goal (95); exits 1 when the whole
      corpus's recall is under --floor or a held-out half's (B, C) under
      --floor-held-out (both the goal unless given: a floor below the goal
      guards what was reached against regressions), or more than
      --max-changed (1) per cent of the ordinary lines changed. Misses are
      listed for half A only: half B is measured, never looked at while writing
      patterns (REDACT_SHOW_HELD_OUT=1 lists them too). REDACT_FORMATS=1 lists
      the recall of each class (format, vendor, language), names only.
  score-redact.py changed BEFORE AFTER [--max-changed PCT]
      Over-redaction on real files: BEFORE collected with --no-redact, AFTER with
      redaction; the share of non-empty lines that changed.

A secret counts as removed when every one of its bytes (new lines aside) is
inside a "<redacted>" marker. The output of a line is its input with some spans
replaced by the marker; which spans is found by aligning the kept pieces to the
input, leftmost and rightmost: a byte is redacted only when both say so.
"""
import os
import sys

MARK = b"<redacted>"


def redacted_bytes(orig, out):
    """Indices of orig replaced by markers in out, or None when out is no such copy."""
    if orig == out:
        return set()
    pieces = out.split(MARK)
    if len(pieces) == 1:
        return None
    first, last, middle = pieces[0], pieces[-1], pieces[1:-1]
    if not orig.startswith(first) or not orig.endswith(last) or len(first) + len(last) > len(orig):
        return None
    lo, hi = len(first), len(orig) - len(last)
    sets = []
    for rightmost in (False, True):
        kept, ok = [], True
        if rightmost:
            cur = hi
            for p in reversed(middle):
                i = orig.rfind(p, lo, cur)
                if i < 0:
                    ok = False
                    break
                kept.append((i, i + len(p)))
                cur = i
        else:
            cur = lo
            for p in middle:
                i = orig.find(p, cur, hi)
                if i < 0:
                    ok = False
                    break
                kept.append((i, i + len(p)))
                cur = i + len(p)
        if not ok:
            return None
        gone = set(range(lo, hi))
        for a, b in kept:
            gone.difference_update(range(a, b))
        sets.append(gone)
    return sets[0] & sets[1]


def line_starts(data):
    starts, pos = [0], data.find(b"\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return starts


class FileScore:
    """The redacted byte offsets of one file and its lines."""

    def __init__(self, orig, out):
        self.orig, self.out = orig, out
        self.olines, self.xlines = orig.split(b"\n"), out.split(b"\n")
        self.ok = len(self.olines) == len(self.xlines)
        self.starts = line_starts(orig)
        self.gone = {}

    def line_gone(self, n):
        if n not in self.gone:
            self.gone[n] = redacted_bytes(self.olines[n], self.xlines[n]) if self.ok else None
        return self.gone[n]

    def removed(self, start, end):
        for off in range(start, end):
            if self.orig[off:off + 1] in (b"\n", b"\r"):
                continue
            n = bisect(self.starts, off)
            gone = self.line_gone(n)
            if gone is None or (off - self.starts[n]) not in gone:
                return False
        return True


def bisect(starts, off):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= off:
            lo = mid
        else:
            hi = mid - 1
    return lo


def read(path):
    with open(path, "rb") as f:
        return f.read()


def load_labels(corpus):
    labels = []
    with open(os.path.join(corpus, "labels.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            fn, start, end, fmt, group, half, kind = line.rstrip("\n").split("\t")
            labels.append((fn, int(start), int(end), fmt, group, half, kind))
    return labels


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def score_placement(corpus, outdir, labels):
    files = sorted({lab[0] for lab in labels} | {"ordinary/" + n for n in
                                                 os.listdir(os.path.join(corpus, "ordinary"))})
    scores, res = {}, {"A": [0, 0], "B": [0, 0], "C": [0, 0], "misses": [], "lines": 0, "changed": [],
                       "formats": {}}
    for fn in files:
        try:
            scores[fn] = FileScore(read(os.path.join(corpus, fn)), read(os.path.join(outdir, fn)))
        except OSError as e:
            sys.exit("score-redact: cannot read %s: %s" % (fn, e.strerror))
        if not scores[fn].ok:
            print("   %s: the redacted copy has a different number of lines" % fn)
    labelled = {}
    for fn, start, end, fmt, group, half, kind in labels:
        fs = scores[fn]
        a, b = bisect(fs.starts, start), bisect(fs.starts, max(start, end - 1))
        labelled.setdefault(fn, set()).update(range(a, b + 1))
        if kind != "secret":
            continue
        ok = fs.removed(start, end)
        res[half][0] += ok
        res[half][1] += 1
        for cls in {fmt, group}:
            f = res["formats"].setdefault(cls, [0, 0])
            f[0] += ok
            f[1] += 1
        if not ok:
            res["misses"].append((half, fn, fmt, group, fs.orig[start:end].decode("utf-8", "replace"),
                                  fs.olines[a].decode("utf-8", "replace")))
    for fn, fs in scores.items():
        for n, line in enumerate(fs.olines):
            if not line.strip() or n in labelled.get(fn, ()):
                continue
            res["lines"] += 1
            if not fs.ok or line != fs.xlines[n]:
                res["changed"].append((fn, line.decode("utf-8", "replace"),
                                       fs.xlines[n].decode("utf-8", "replace") if fs.ok else "?"))
    return res


def main_corpus(args, goal, floors, max_changed, nmiss):
    corpus, cfg, log = args
    labels = load_labels(corpus)
    bad = 0
    for name, outdir in (("configuration", cfg), ("log", log)):
        r = score_placement(corpus, outdir, labels)
        a, b, c = r["A"], r["B"], r["C"]
        whole = [a[0] + b[0] + c[0], a[1] + b[1] + c[1]]
        print("redaction collected as %s: recall %.1f%% (%d/%d); held-out half B %.1f%% (%d/%d); "
              "held-out half C %.1f%% (%d/%d); half A %.1f%% (%d/%d); ordinary lines changed "
              "%.2f%% (%d/%d)" % (
                  name, pct(*whole), whole[0], whole[1], pct(*b), b[0], b[1], pct(*c), c[0], c[1],
                  pct(*a), a[0], a[1], pct(len(r["changed"]), r["lines"]), len(r["changed"]),
                  r["lines"]))
        if os.environ.get("REDACT_FORMATS"):
            for fmt, (k, n) in sorted(r["formats"].items(), key=lambda x: pct(*x[1])):
                print("   %-30s %5.1f%% (%d/%d)" % (fmt, pct(k, n), k, n))
        shown = [m for m in r["misses"] if m[0] == "A" or os.environ.get("REDACT_SHOW_HELD_OUT")]
        for half, fn, fmt, group, secret, line in shown[:nmiss]:
            print("   missed (%s, %s): %s\n      in: %s" % (fmt, group, secret[:80], line[:160]))
        held = [x for x in r["changed"] if x[0].startswith(("ordinary/c-", "secrets/c-"))]
        if held and not os.environ.get("REDACT_SHOW_HELD_OUT"):
            print("   changed: %d lines of half C (not listed: held out)" % len(held))
        shown = [x for x in r["changed"] if x not in held or os.environ.get("REDACT_SHOW_HELD_OUT")]
        for fn, before, after in shown[:nmiss]:
            print("   changed (%s): %s\n      -> %s" % (fn, before[:160], after[:160]))
        for half, (k, n), floor in (("whole", whole, floors[0]), ("held-out half B", b, floors[1]),
                                    ("held-out half C", c, floors[1])):
            print("   goal %.0f%% for the %s corpus as %s: %s" % (
                goal, half, name, "reached" if pct(k, n) >= goal else "not reached"))
            if pct(k, n) < floor:
                print("not ok: %s recall as %s is %.1f%%, under %.1f%%" % (half, name, pct(k, n), floor))
                bad = 1
        if pct(len(r["changed"]), r["lines"]) > max_changed:
            print("not ok: %.2f%% of ordinary lines changed as %s, over %.1f%%" % (
                pct(len(r["changed"]), r["lines"]), name, max_changed))
            bad = 1
    return bad


def main_changed(args, max_changed, nmiss):
    before, after = args
    lines, changed = 0, []
    for root, _dirs, files in os.walk(before):
        for name in files:
            p = os.path.join(root, name)
            q = os.path.join(after, os.path.relpath(p, before))
            try:
                a, b = read(p), read(q)
            except OSError:
                continue
            if b"\0" in a[:65536]:
                continue    # binary files are not lines
            x, y = a.split(b"\n"), b.split(b"\n")
            for n, line in enumerate(x):
                if not line.strip():
                    continue
                lines += 1
                if len(x) != len(y) or line != y[n]:
                    changed.append((os.path.relpath(p, before), line, y[n] if len(x) == len(y) else b"?"))
    print("over-redaction on %s: %.2f%% of lines changed (%d/%d)" % (
        before, pct(len(changed), lines) if lines else 0, len(changed), lines))
    for fn, a, b in changed[:nmiss]:
        print("   changed (%s): %s\n      -> %s" % (fn, a.decode("utf-8", "replace")[:160],
                                                  b.decode("utf-8", "replace")[:160]))
    return 1 if lines and pct(len(changed), lines) > max_changed else 0


def main(argv):
    goal, max_changed, nmiss, args, floor, floor_b = 95.0, 1.0, 0, [], None, None
    i = 1
    while i < len(argv):
        if argv[i] in ("--goal", "--max-changed", "--misses", "--floor", "--floor-held-out") \
                and i + 1 < len(argv):
            v = float(argv[i + 1])
            if argv[i] == "--goal":
                goal = v
            elif argv[i] == "--max-changed":
                max_changed = v
            elif argv[i] == "--floor":
                floor = v
            elif argv[i] == "--floor-held-out":
                floor_b = v
            else:
                nmiss = int(v)
            i += 2
            continue
        args.append(argv[i])
        i += 1
    if len(args) == 4 and args[0] == "corpus":
        floors = (goal if floor is None else floor, goal if floor_b is None else floor_b)
        return main_corpus(args[1:], goal, floors, max_changed, nmiss)
    if len(args) == 3 and args[0] == "changed":
        return main_changed(args[1:], max_changed, nmiss)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
